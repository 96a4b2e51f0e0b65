"""dash-ag-grid tables with column definitions for canonical frames.

Cells render as text (no HTML or Markdown renderers), so a project named
``<img src=x onerror=alert(1)>`` shows as those characters.
"""

from __future__ import annotations

import dash_ag_grid as dag
import pandas as pd

MONEY_FORMAT = {"function": "params.value == null ? '' : d3.format(',.0f')(params.value)"}
PERCENT_FORMAT = {"function": "params.value == null ? '' : d3.format('.0%')(params.value)"}


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
