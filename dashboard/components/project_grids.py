"""The project's milestone and RAID grids (text cells only; RAG and severity in words)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from dash import html

from dashboard.components.export_buttons import export_buttons
from dashboard.components.tables import badge_column, data_grid
from dashboard.formats import GRID_PERCENT

MILESTONE_COLUMNS: list[dict] = [
    {"field": "milestone", "headerName": "Milestone", "minWidth": 200, "flex": 2},
    {"field": "baseline_date", "headerName": "Baseline", "width": 120},
    {"field": "forecast_date", "headerName": "Forecast", "width": 120},
    {"field": "actual_date", "headerName": "Actual", "width": 120},
    badge_column(
        "status",
        "Status",
        kind="milestone_status",
        tones={"achieved": "green", "overdue": "red", "upcoming": "unknown"},
    ),
    {
        "field": "slip_days",
        "headerName": "Slip (days)",
        "type": "rightAligned",
        "width": 120,
        "filter": "agNumberColumnFilter",
    },
    badge_column("slip_rag", "Slip RAG", width=120),
]

SEVERITY_TONES = {"critical": "red", "high": "red", "medium": "amber", "low": "green"}

RAID_COLUMNS: list[dict] = [
    {"field": "raid_id", "headerName": "ID", "width": 120, "minWidth": 120},
    {"field": "raid_type", "headerName": "Type", "width": 120, "minWidth": 110},
    {"field": "title", "headerName": "Title", "minWidth": 240, "flex": 3, "tooltipField": "title"},
    badge_column("severity", "Severity", kind="severity", tones=SEVERITY_TONES, minWidth=115),
    {"field": "status", "headerName": "Status", "width": 105},
    badge_column(
        "overdue", "Overdue", kind="milestone_status", tones={"overdue": "red"}, minWidth=110
    ),
    {"field": "owner", "headerName": "Owner", "minWidth": 140},
    {"field": "raised_date", "headerName": "Raised", "width": 120, "minWidth": 115},
    {"field": "due_date", "headerName": "Due", "width": 120, "minWidth": 115},
    {
        "field": "probability",
        "headerName": "Probability",
        "type": "rightAligned",
        "width": 120,
        "valueFormatter": GRID_PERCENT,
    },
    {"field": "impact", "headerName": "Impact (1–5)", "type": "rightAligned", "width": 120},
]


def milestone_grid(timeline: pd.DataFrame, *, grid_id: str) -> object:
    """``milestone_timeline`` rows: baseline, forecast, actual, status and slip in words."""
    frame = timeline.assign(slip_rag=timeline["slip_rag"].astype("string"))
    return data_grid(
        frame, MILESTONE_COLUMNS, grid_id=grid_id, height=grid_height(len(frame)), page_size=20
    )


def raid_grid(log: pd.DataFrame, *, grid_id: str) -> object:
    """``raid_log`` rows, open items first; overdue ones say so in words."""
    frame = log.assign(overdue=np.where(log["overdue"].to_numpy(dtype=bool), "overdue", ""))
    return data_grid(
        frame, RAID_COLUMNS, grid_id=grid_id, height=grid_height(len(frame)), page_size=20
    )


def grid_height(rows: int, *, page_size: int = 20) -> int:
    """Pixels for a grid showing ``rows`` rows (a page at most): no tall empty grids."""
    return 110 + 42 * max(1, min(rows, page_size))


def section_heading(title: str, csv_id: str, xlsx_id: str, download_id: str) -> html.Div:
    """A grid's heading with its CSV/XLSX export buttons beside it."""
    return html.Div(
        [html.H4(title, className="d-inline me-3"), export_buttons(csv_id, xlsx_id, download_id)],
        className="mt-4 mb-2",
    )
