"""Friendly notices shown instead of a page when there is nothing to show."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html


def no_data_notice(detail: str) -> dbc.Container:
    """What a page shows before anything has been loaded."""
    return dbc.Container(
        dbc.Alert(
            [
                html.H4("No data yet", className="alert-heading"),
                html.P(
                    "Load the demo portfolio with `python -m loaders demo`, or your own "
                    "exports with `python -m loaders ingest FILE|DIR`."
                ),
                html.Small(detail),
            ],
            color="info",
        ),
        fluid=True,
    )
