"""dash-ag-grid tables with column definitions for canonical frames.

Cells render as text (no HTML or Markdown renderers), so a project named
``<img src=x onerror=alert(1)>`` shows as those characters.
"""

from __future__ import annotations

import dash_ag_grid as dag
import pandas as pd

MONEY_FORMAT = {"function": "params.value == null ? '' : d3.format(',.0f')(params.value)"}
PERCENT_FORMAT = {"function": "params.value == null ? '' : d3.format('.0%')(params.value)"}

PROJECT_COLUMNS: list[dict] = [
    {"field": "project_id", "headerName": "ID", "pinned": "left", "width": 110},
    {"field": "name", "headerName": "Project", "minWidth": 220, "flex": 2},
    {"field": "division", "headerName": "Division"},
    {"field": "stage", "headerName": "Stage", "width": 120},
    {"field": "project_manager", "headerName": "Project manager"},
    {
        "field": "reported_rag",
        "headerName": "Reported RAG",
        "width": 130,
        "cellClassRules": {
            "rag-green": "x == 'green'",
            "rag-amber": "x == 'amber'",
            "rag-red": "x == 'red'",
        },
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
    {"field": "forecast_finish", "headerName": "Forecast finish", "width": 140},
]


def records_for_grid(frame: pd.DataFrame, columns: list[dict]) -> list[dict]:
    """Rows as JSON-safe records: dates as ISO text, missing values as None."""
    fields = [c["field"] for c in columns if c["field"] in frame.columns]
    out = frame[fields].copy()
    for name in fields:
        if pd.api.types.is_datetime64_any_dtype(out[name]):
            out[name] = out[name].dt.strftime("%Y-%m-%d")
    out = out.astype(object).where(out.notna(), None)
    return out.to_dict("records")


def data_grid(
    frame: pd.DataFrame,
    columns: list[dict],
    *,
    grid_id: str,
    height: int = 520,
    page_size: int = 25,
    row_id: str | None = None,
) -> dag.AgGrid:
    """A sortable, filterable grid of ``frame`` with the given column definitions.

    ``row_id`` names the field that identifies a row: clicks then report it as ``rowId``.
    """
    extra = {"getRowId": f"params.data.{row_id}"} if row_id else {}
    return dag.AgGrid(
        id=grid_id,
        **extra,
        rowData=records_for_grid(frame, columns),
        columnDefs=[c for c in columns if c["field"] in frame.columns],
        defaultColDef={"sortable": True, "filter": True, "resizable": True, "minWidth": 90},
        dashGridOptions={
            "pagination": True,
            "paginationPageSize": page_size,
            "paginationPageSizeSelector": False,
            "animateRows": False,
            "tooltipShowDelay": 300,
        },
        columnSize="responsiveSizeToFit",
        style={"height": f"{height}px"},
    )
