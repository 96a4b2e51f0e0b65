"""CSV/XLSX export buttons and their download target (the callback lives on each page)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc


def export_buttons(csv_id: str, xlsx_id: str, download_id: str) -> dbc.ButtonGroup:
    """Two small buttons plus the hidden ``dcc.Download`` they feed."""
    return dbc.ButtonGroup(
        [
            dbc.Button("Export CSV", id=csv_id, size="sm", color="secondary", outline=True),
            dbc.Button("Export XLSX", id=xlsx_id, size="sm", color="secondary", outline=True),
            dcc.Download(id=download_id),
        ],
        className="d-print-none",
    )
