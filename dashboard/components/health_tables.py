"""Grids of computed health: the project list and the watermelon list."""

from __future__ import annotations

import pandas as pd
from dash import html

from dashboard.components.tables import MONEY_FORMAT, PERCENT_FORMAT, data_grid

RAG_CLASS_RULES = {
    "rag-green": "x == 'green'",
    "rag-amber": "x == 'amber'",
    "rag-red": "x == 'red'",
}

HEALTH_COLUMNS: list[dict] = [
    {"field": "project_id", "headerName": "ID", "pinned": "left", "width": 110},
    {"field": "name", "headerName": "Project", "minWidth": 220, "flex": 2},
    {"field": "division", "headerName": "Division"},
    {"field": "stage", "headerName": "Stage", "width": 120},
    {"field": "project_manager", "headerName": "Project manager"},
    {"field": "overall", "headerName": "Computed", "width": 120, "cellClassRules": RAG_CLASS_RULES},
    {
        "field": "reported_rag",
        "headerName": "Reported",
        "width": 115,
        "cellClassRules": RAG_CLASS_RULES,
    },
    {"field": "trend", "headerName": "Trend", "width": 115},
    {
        "field": "overall_reason",
        "headerName": "Why",
        "minWidth": 300,
        "flex": 3,
        "tooltipField": "overall_reason",
    },
    {
        "field": "budget",
        "headerName": "Budget",
        "type": "rightAligned",
        "valueFormatter": MONEY_FORMAT,
        "filter": "agNumberColumnFilter",
    },
    {
        "field": "forecast_cost",
        "headerName": "EAC",
        "type": "rightAligned",
        "valueFormatter": MONEY_FORMAT,
        "filter": "agNumberColumnFilter",
    },
    {
        "field": "percent_complete",
        "headerName": "% complete",
        "type": "rightAligned",
        "valueFormatter": PERCENT_FORMAT,
        "width": 120,
        "filter": "agNumberColumnFilter",
    },
    {
        "field": "days_since_report",
        "headerName": "Days since report",
        "type": "rightAligned",
        "width": 150,
        "filter": "agNumberColumnFilter",
    },
]

WATERMELON_COLUMNS: list[dict] = [
    {"field": "project_id", "headerName": "ID", "width": 110},
    {"field": "name", "headerName": "Project", "flex": 2, "minWidth": 180},
    {
        "field": "reported_rag",
        "headerName": "Reported",
        "width": 110,
        "cellClassRules": RAG_CLASS_RULES,
    },
    {"field": "overall", "headerName": "Computed", "width": 110, "cellClassRules": RAG_CLASS_RULES},
    {
        "field": "overall_reason",
        "headerName": "Why red",
        "flex": 3,
        "minWidth": 260,
        "tooltipField": "overall_reason",
    },
]


def health_grid(health: pd.DataFrame, *, grid_id: str) -> object:
    """Every project with computed vs reported RAG and the reason; rows link to project pages."""
    frame = health.assign(
        overall=health["overall"].astype("string").fillna("unknown"),
        trend=health["trend"].astype("string"),
    )
    return data_grid(frame, HEALTH_COLUMNS, grid_id=grid_id, row_id="project_id")


def watermelon_grid(health: pd.DataFrame, *, grid_id: str) -> object:
    """Projects reported green or amber whose numbers say red (``health`` holds only those)."""
    frame = health.assign(overall=health["overall"].astype("string"))
    return data_grid(
        frame, WATERMELON_COLUMNS, grid_id=grid_id, height=300, page_size=10, row_id="project_id"
    )


def shown_note(shown: int, total: int, what: str) -> html.Small | None:
    """A "showing 1,000 of 8,557 projects" note when a display limit cut rows, else None."""
    if shown >= total:
        return None
    return html.Small(
        f"Showing the {shown:,} most relevant of {total:,} {what}; narrow the filters, or export "
        "for the full list.",
        className="text-muted d-block mb-1",
    )
