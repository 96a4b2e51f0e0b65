"""Grids of computed health: the project list and the watermelon list."""

from __future__ import annotations

import pandas as pd
from dash import html

from dashboard import vocabulary
from dashboard.components.tables import (
    badge_column,
    class_rules,
    data_grid,
    money_column,
    percent_column,
    project_link_column,
)

RAG_CLASS_RULES = class_rules(
    {"rag-red": ("red",), "rag-amber": ("amber",), "rag-green": ("green",)}
)
"""Text colour by RAG for columns that are not badges (kept for other grids)."""


WRAPPED = {"wrapText": True, "autoHeight": True, "cellClass": "pmo-wrap-cell"}
"""Sentences (reasons, feedback) wrap in their cell instead of being cut with "…"."""


def health_columns(currency: str) -> list[dict]:
    """The project list: who and how first, the reason next, money and progress last."""
    return [
        project_link_column("project_id", "ID", width=110, minWidth=100),
        project_link_column("name", "Project", minWidth=220, flex=2, tooltipField="name"),
        badge_column("overall", "Computed", width=130, empty="unknown"),
        badge_column("reported_rag", "Reported", width=130, empty="unknown"),
        {"field": "trend", "headerName": "Trend", "width": 110, "minWidth": 105},
        {
            "field": "overall_reason",
            "headerName": "Why",
            "minWidth": 300,
            "flex": 3,
            **WRAPPED,
        },
        {
            "field": "division",
            "headerName": "Division",
            "minWidth": 160,
            "tooltipField": "division",
        },
        {"field": "stage", "headerName": "Stage", "minWidth": 120},
        {
            "field": "project_manager",
            "headerName": "Project manager",
            "minWidth": 160,
            "tooltipField": "project_manager",
        },
        money_column("budget", "Budget", currency),
        money_column("forecast_cost", "EAC", currency),
        percent_column("percent_complete", "% complete"),
        {
            "field": "days_since_report",
            "headerName": "Days since report",
            "type": "rightAligned",
            "minWidth": 120,
            "filter": "agNumberColumnFilter",
        },
    ]


HEALTH_COLUMNS: list[dict] = health_columns("GBP")

WATERMELON_COLUMNS: list[dict] = [
    project_link_column("project_id", "ID", width=110, minWidth=100),
    project_link_column("name", "Project", flex=2, minWidth=180, tooltipField="name"),
    badge_column("reported_rag", "Reported", width=120),
    badge_column("overall", "Computed", width=120),
    {
        "field": "overall_reason",
        "headerName": "Why red",
        "flex": 3,
        "minWidth": 260,
        **WRAPPED,
    },
]


def health_grid(health: pd.DataFrame, *, grid_id: str, currency: str = "GBP") -> object:
    """Every project with computed vs reported RAG and the reason; ids and names are links."""
    frame = health.assign(
        overall=health["overall"].astype("string").fillna("unknown"),
        trend=health["trend"].astype("string").map(vocabulary.humanise, na_action="ignore"),
    )
    return data_grid(frame, health_columns(currency), grid_id=grid_id, row_id="project_id")


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
