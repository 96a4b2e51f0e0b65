"""The project's milestone and RAID grids (text cells only; RAG and severity in words)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from dash import html

from dashboard.components.export_buttons import export_buttons
from dashboard.components.health_tables import RAG_CLASS_RULES
from dashboard.components.tables import data_grid

MILESTONE_COLUMNS: list[dict] = [
    {"field": "milestone", "headerName": "Milestone", "minWidth": 200, "flex": 2},
    {"field": "baseline_date", "headerName": "Baseline", "width": 120},
    {"field": "forecast_date", "headerName": "Forecast", "width": 120},
    {"field": "actual_date", "headerName": "Actual", "width": 120},
    {
        "field": "status",
        "headerName": "Status",
        "width": 120,
        "cellClassRules": {"rag-red": "x == 'overdue'"},
    },
    {
        "field": "slip_days",
        "headerName": "Slip (days)",
        "type": "rightAligned",
        "width": 120,
        "filter": "agNumberColumnFilter",
    },
    {
        "field": "slip_rag",
        "headerName": "Slip RAG",
        "width": 110,
        "cellClassRules": RAG_CLASS_RULES,
    },
]

SEVERITY_CLASS_RULES = {
    "rag-red": "x == 'critical' || x == 'high'",
    "rag-amber": "x == 'medium'",
}

RAID_COLUMNS: list[dict] = [
    {"field": "raid_id", "headerName": "ID", "width": 120, "minWidth": 120},
    {"field": "raid_type", "headerName": "Type", "width": 120, "minWidth": 110},
    {"field": "title", "headerName": "Title", "minWidth": 240, "flex": 3, "tooltipField": "title"},
    {
        "field": "severity",
        "headerName": "Severity",
        "width": 115,
        "minWidth": 115,
        "cellClassRules": SEVERITY_CLASS_RULES,
    },
    {"field": "status", "headerName": "Status", "width": 105},
    {
        "field": "overdue",
        "headerName": "Overdue",
        "width": 110,
        "minWidth": 110,
        "cellClassRules": {"rag-red": "x == 'overdue'"},
    },
    {"field": "owner", "headerName": "Owner", "minWidth": 140},
    {"field": "raised_date", "headerName": "Raised", "width": 120, "minWidth": 115},
    {"field": "due_date", "headerName": "Due", "width": 120, "minWidth": 115},
    {
        "field": "probability",
        "headerName": "Probability",
        "type": "rightAligned",
        "width": 120,
        "valueFormatter": {
            "function": "params.value == null ? '' : d3.format('.0%')(params.value)"
        },
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
