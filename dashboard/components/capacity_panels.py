"""Capacity page pieces: KPI tiles, the over-allocated people grid, the request impact panel."""

from __future__ import annotations

from typing import TYPE_CHECKING

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboard import vocabulary
from dashboard.components.kpi_card import kpi_card, kpi_row
from dashboard.components.tables import data_grid, records_for_grid
from dashboard.figures import capacity as figures
from dashboard.formats import GRAPH_CONFIG
from dashboard.standards import CapacityBands

if TYPE_CHECKING:
    from dashboard.services.capacity_requests import RequestImpact

# One decimal next to 100 %, so 100.4 % (over) never reads as 100 % (ok).
UTILISATION_FORMAT = {
    "function": "params.value == null ? 'no supply' : d3.format("
    "Math.abs(params.value - 1) < 0.005 && params.value != 1 ? '.1%' : '.0%')(params.value)"
}
FTE_FORMAT = {"function": "params.value == null ? '' : d3.format('.2f')(params.value)"}
# Over capacity, or demand with no supply at all (null utilisation).
OVER_RULES = {"rag-red": {"function": "params.value == null || params.value > 1"}}
MONTH_FORMAT = {"function": "params.value == null ? '' : params.value.slice(0, 7)"}


def _month_column(field: str, header: str, **extra: object) -> dict:
    """A month column shown as ``YYYY-MM``."""
    return {"field": field, "headerName": header, "valueFormatter": MONTH_FORMAT, **extra}


def _fte_column(field: str, header: str, **extra: object) -> dict:
    """An FTE column with two decimals."""
    return {"field": field, "headerName": header, "valueFormatter": FTE_FORMAT, **extra}


def _utilisation_column(field: str, header: str, **extra: object) -> dict:
    """A utilisation column in percent ("no supply" where demand has no one to do it)."""
    return {
        "field": field,
        "headerName": header,
        "type": "rightAligned",
        "valueFormatter": UTILISATION_FORMAT,
        **extra,
    }


PEOPLE_COLUMNS: list[dict] = [
    {"field": "name", "headerName": "Person", "minWidth": 160},
    {"field": "resource_id", "headerName": "ID", "width": 100},
    {"field": "role", "headerName": "Role"},
    {"field": "team", "headerName": "Team"},
    {"field": "division", "headerName": "Division"},
    {
        "field": "months_over",
        "headerName": "Months over",
        "type": "rightAligned",
        "filter": "agNumberColumnFilter",
        "width": 130,
    },
    _month_column("first_month", "First month"),
    _month_column("peak_month", "Peak month"),
    _utilisation_column(
        "peak_utilisation",
        "Peak utilisation",
        filter="agNumberColumnFilter",
        cellClassRules=OVER_RULES,
    ),
    _fte_column(
        "peak_excess_fte", "Excess (FTE)", type="rightAligned", filter="agNumberColumnFilter"
    ),
]

IMPACT_COLUMNS: list[dict] = [
    {"field": "role", "headerName": "Role", "minWidth": 140},
    _month_column("month", "Month", width=110),
    _fte_column("supply_fte", "Supply (FTE)"),
    _fte_column("demand_before_fte", "Demand before"),
    _fte_column("request_fte", "This request"),
    _fte_column("demand_after_fte", "Demand after"),
    _utilisation_column("utilisation_before", "Before"),
    _utilisation_column("utilisation_after", "After", cellClassRules=OVER_RULES),
    {"field": "band_after", "headerName": "Band after"},
    {"field": "becomes_over", "headerName": "Tips over?"},
]


def capacity_kpis(summary: dict, unplanned_months: int = 0) -> list[dbc.Col]:
    """Tiles from ``services.capacity_frames.capacity_summary``, all on the one chosen horizon.

    ``unplanned_months`` (months whose plans are mostly missing) qualifies the demand/supply
    tile: low demand there is work not yet planned, not spare capacity.
    """
    hot = summary["hot_roles"]
    peak = summary["peak"]
    share = summary["demand_share"]
    no_supply = summary["no_supply_roles"]
    months = summary.get("months", 18)
    notes = [f"no supply for: {', '.join(no_supply)}"] if no_supply else []
    if unplanned_months:
        notes.append(f"{unplanned_months} month(s) not yet planned: not spare capacity")
    return kpi_row(
        [
            kpi_card(
                f"Roles over capacity (next {months} months)",
                f"{len(hot)}",
                note=", ".join(hot) or "none",
                tone="red" if hot else "green",
            ),
            kpi_card(
                f"People over-allocated (next {months} months)",
                f"{summary['people_over']}",
                tone="red" if summary["people_over"] else "green",
            ),
            kpi_card(
                "Peak role utilisation",
                "–" if peak is None else f"{peak[0]:.0%}",
                note=None if peak is None else f"{peak[1]}, {peak[2]:%b %Y}",
                tone=None if peak is None or peak[0] <= 1 else "red",
            ),
            kpi_card(
                f"Booked demand / supply (next {months} months)",
                "–" if share is None else f"{share:.0%}",
                note="; ".join(notes) or None,
            ),
        ]
    )


def over_allocated_grid(people: pd.DataFrame, *, grid_id: str) -> html.Div:
    """The people over capacity in any month of the horizon, most months over first."""
    return data_grid(
        _json_safe(people), PEOPLE_COLUMNS, grid_id=grid_id, height=360, row_id="resource_id"
    )


def people_rows(people: pd.DataFrame) -> list[dict]:
    """The grid's ``rowData`` for a new scenario."""
    return records_for_grid(_json_safe(people), PEOPLE_COLUMNS)


def impact_panel(
    impact: RequestImpact | None,
    bands: CapacityBands,
    *,
    chart_id: str,
    grid_id: str,
    text_id: str,
) -> list:
    """Earliest start, before/after chart and table for one request (or a prompt)."""
    if impact is None:
        return [
            html.P(
                "Pick a request to see what approving it does to its roles, and the earliest "
                "month it could start without over-allocating them.",
                id=text_id,
                className="text-muted",
            )
        ]
    slot = impact.slot
    lines = [html.Strong(slot.message)]
    if slot.blocking:
        lines += [
            html.Br(),
            html.Small("As planned it would over-allocate: " + "; ".join(slot.blocking[:6])),
        ]
    tips = int(impact.table["becomes_over"].sum()) if not impact.table.empty else 0
    tone = "warning" if slot.shift_months != 0 else "success"
    table = impact.table.assign(becomes_over=impact.table["becomes_over"].map({True: "yes"}))
    return [
        dbc.Alert(lines, id=text_id, color=tone, className="py-2"),
        html.P(
            f"{impact.request_id} · {impact.title} "
            f"({vocabulary.label('request_status', impact.status)}): approving it tips "
            f"{tips} role-month(s) over capacity.",
            className="small text-muted mb-1",
        ),
        dcc.Graph(
            id=chart_id,
            config=GRAPH_CONFIG,
            figure=figures.impact_chart(
                impact.table,
                bands,
                title=f"Utilisation of {impact.request_id}'s roles, before and after approval",
            ),
        ),
        data_grid(_json_safe(table), IMPACT_COLUMNS, grid_id=grid_id, height=320, page_size=12),
    ]


def export_pair(csv_id: str, xlsx_id: str) -> dbc.ButtonGroup:
    """CSV/XLSX buttons that feed a ``dcc.Download`` placed elsewhere on the page."""
    return dbc.ButtonGroup(
        [
            dbc.Button("Export CSV", id=csv_id, size="sm", color="secondary", outline=True),
            dbc.Button("Export XLSX", id=xlsx_id, size="sm", color="secondary", outline=True),
        ],
        className="d-print-none",
    )


def scope_note(text: str, *, text_id: str) -> html.Small:
    """The scope line under the page title."""
    return html.Small(text, id=text_id, className="text-muted")


def _json_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Infinite utilisation (demand, no supply) travels as null: JSON has no Infinity."""
    numeric = frame.select_dtypes("number").columns
    return frame.assign(**{c: frame[c].mask(frame[c].abs() == float("inf")) for c in numeric})
