"""dash-ag-grid tables with column definitions for canonical frames.

Cells render as text or through the React renderers of ``assets/dashAgGridComponentFunctions.js``
(a project link, a RAG word badge), never as raw HTML or Markdown, so a project named
``<img src=x onerror=alert(1)>`` shows as those characters. Class rules are ``{"function": ...}``
objects: dash-ag-grid 35 ignores the older string expressions (docs/ux.md "Grids").
"""

from __future__ import annotations

import json

import dash_ag_grid as dag
import pandas as pd
from dash import html

from dashboard import formats, vocabulary

MONEY_FORMAT = formats.grid_money("GBP")
PERCENT_FORMAT = formats.GRID_PERCENT

RAG_TONES = {"red": "red", "amber": "amber", "green": "green", "unknown": "unknown"}


def class_rules(rules: dict[str, tuple[str, ...]]) -> dict[str, dict]:
    """``{"rag-red": ("failed", "aborted")}`` -> dash-ag-grid class rules on the cell's value."""
    return {
        css: {"function": f"valueIn(params, {json.dumps([v.lower() for v in values])})"}
        for css, values in rules.items()
    }


def project_link_column(
    field: str = "project_id", header: str = "ID", *, id_field: str = "project_id", **extra: object
) -> dict:
    """A column whose cells are real links to the project page (new tab, filters kept)."""
    return {
        "field": field,
        "headerName": header,
        "cellRenderer": "ProjectLink",
        "cellRendererParams": {"idField": id_field},
        **extra,
    }


def badge_column(
    field: str,
    header: str,
    *,
    kind: str = "health",
    tones: dict[str, str] | None = None,
    empty: str | None = None,
    **extra: object,
) -> dict:
    """A column of coloured word badges: RAG (default) or another coded value mapped to tones.

    ``tones`` maps stored values to a badge colour (red/amber/green/unknown); the words come
    from :mod:`dashboard.vocabulary`. ``empty`` names the value shown for a missing cell.
    """
    tones = tones if tones is not None else RAG_TONES
    labels = {value: vocabulary.label(kind, value) for value in tones}
    return {
        "field": field,
        "headerName": header,
        "cellRenderer": "RagBadge",
        "cellRendererParams": {"labels": labels, "tones": tones, "empty": empty},
        "cellClassRules": class_rules({f"rag-cell-{tone}": (v,) for v, tone in tones.items()}),
        "minWidth": 125,
        **extra,
    }


def money_column(field: str, header: str, currency: str, **extra: object) -> dict:
    """A right-aligned money column in the configured currency."""
    return {
        "field": field,
        "headerName": header,
        "type": "rightAligned",
        "valueFormatter": formats.grid_money(currency),
        "filter": "agNumberColumnFilter",
        "minWidth": 125,
        **extra,
    }


def percent_column(field: str, header: str, **extra: object) -> dict:
    """A right-aligned 0-1 fraction shown as a whole percent."""
    return {
        "field": field,
        "headerName": header,
        "type": "rightAligned",
        "valueFormatter": formats.GRID_PERCENT,
        "filter": "agNumberColumnFilter",
        "minWidth": 115,
        **extra,
    }


def label_formatter(words: dict[str, str]) -> dict:
    """dash-ag-grid ``valueFormatter`` showing stored codes as vocabulary words."""
    return {"function": f"({json.dumps(words)})[params.value] || params.value || ''"}


def records_for_grid(frame: pd.DataFrame, columns: list[dict]) -> list[dict]:
    """Rows as JSON-safe records: dates as ISO text, missing values as None."""
    wanted = [c["field"] for c in columns]
    extra = [f for f in ("project_id",) if f in frame.columns and f not in wanted]
    fields = [f for f in wanted if f in frame.columns] + extra
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
) -> html.Div:
    """A sortable, filterable grid of ``frame`` with the given column definitions.

    Headers wrap instead of being cut ("Divi…"). The grid is never narrower than its columns'
    minimum widths: on a phone its box scrolls sideways inside the card (not the page, and not
    with columns squeezed to "2,665,…"). ``row_id`` names the field identifying a row.
    """
    shown = [c for c in columns if c["field"] in frame.columns]
    extra = {"getRowId": f"params.data.{row_id}"} if row_id else {}
    grid = dag.AgGrid(
        id=grid_id,
        **extra,
        rowData=records_for_grid(frame, columns),
        columnDefs=shown,
        defaultColDef={
            "sortable": True,
            "filter": True,
            "resizable": True,
            "minWidth": DEFAULT_MIN_WIDTH,
            "wrapHeaderText": True,
        },
        dashGridOptions={
            "pagination": True,
            "paginationPageSize": page_size,
            "paginationPageSizeSelector": False,
            "animateRows": False,
            "tooltipShowDelay": 300,
            "localeText": {"noRowsToShow": "Nothing to show for these filters"},
            # Two lines of wrapped header text. A fixed height, not autoHeaderHeight: measuring
            # headers makes AG Grid hide a grid ("ag-delay-render") until it is scrolled to.
            "headerHeight": 52,
            "enableCellTextSelection": True,
            "ensureDomOrder": True,
            # Every column in the DOM: a screen reader (and axe) sees whole header rows.
            "suppressColumnVirtualisation": True,
        },
        columnSize="responsiveSizeToFit",
        className="pmo-grid",
        style={"height": f"{height}px", "minWidth": f"{grid_min_width(shown)}px"},
    )
    return html.Div(grid, className="pmo-grid-scroll")


DEFAULT_MIN_WIDTH = 100


def grid_min_width(columns: list[dict]) -> int:
    """Pixels the columns need at their minimum widths (the grid's own floor).

    A column's floor is its ``minWidth`` (else the grid default), never its ``width``: sized to
    fit, AG Grid shrinks columns to their floors before it scrolls inside, so at this width the
    grid has one scroll bar (its box's), not two. 20 px leave room for the vertical scroll bar.
    """
    return sum(int(c.get("minWidth") or DEFAULT_MIN_WIDTH) for c in columns) + 20
