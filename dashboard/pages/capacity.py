"""Capacity: role x month utilisation, demand vs supply, over-allocated people, request impact."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import plotly.graph_objects as go
from dash import Input, Output, State, callback, dcc, html

from dashboard import db
from dashboard.components.capacity_panels import (
    GRAPH_CONFIG,
    capacity_kpis,
    export_pair,
    impact_panel,
    over_allocated_grid,
    people_rows,
    scope_note,
)
from dashboard.components.export_buttons import export_buttons
from dashboard.components.filter_bar import filter_bar
from dashboard.components.notices import no_data_notice
from dashboard.config import get_settings, get_standards
from dashboard.exports import ExportContext, download
from dashboard.figures import capacity as figures
from dashboard.ids import AppIds
from dashboard.ids import CapacityIds as ids
from dashboard.layout_cache import cached_layout
from dashboard.services import capacity as services
from dashboard.services import capacity_frames as frames
from dashboard.services import capacity_requests as picked
from dashboard.url_state import query_from_search

dash.register_page(
    __name__, path="/capacity", name="Capacity", title="PMO Lens · Capacity", order=2
)

HEATMAP_NOTE = (
    "Each cell: demand ÷ supply for the role that month (supply = FTE × working days less "
    "leave). 'no supply' = demand for a role nobody in scope has. With a division filter: its "
    "people, all the work booked on them, and their share of demand not yet assigned to anyone."
)


@cached_layout("capacity")
def layout(**query: str) -> dbc.Container:
    today = get_settings().as_of_default()
    try:
        view = services.capacity_view(query, today)
    except db.NoData as exc:
        return no_data_notice(str(exc))
    kpis, heatmap, chart, _ = _scenario(view.model, services.DEFAULT_HORIZON)
    # The people grid counts the same horizon as the tiles above it (and as its export).
    shown = services.with_horizon(view.model, services.DEFAULT_HORIZON)
    return dbc.Container(
        [
            filter_bar(view.options, view.state, today=today, visible=("division", "as_of")),
            html.H2("Capacity"),
            scope_note(services.scope_text(view.state), text_id=ids.SUMMARY),
            _horizon_control(),
            dbc.Row(kpis, id=ids.KPI_ROW, className="my-3"),
            dbc.Switch(
                id=ids.PIPELINE,
                value=False,
                label="Add the weighted pipeline: requests not yet approved × approval "
                "probability of their status (pmo.toml)",
                className="mb-2 d-print-none",
            ),
            *_utilisation_section(heatmap, chart),
            *_people_section(shown),
            *_impact_section(view.model),
        ],
        fluid=True,
    )


def _horizon_control() -> html.Div:
    """The horizon every chart, table and KPI tile uses."""
    return html.Div(
        [
            dbc.Label("Horizon", html_for=ids.HORIZON, className="me-2 mb-0 fw-semibold"),
            dbc.RadioItems(
                id=ids.HORIZON,
                options=[
                    {"label": f"Next {n} months", "value": n} for n in services.HORIZON_CHOICES
                ],
                value=services.DEFAULT_HORIZON,
                inline=True,
            ),
        ],
        className="d-flex flex-wrap align-items-center mt-2 d-print-none",
    )


def _utilisation_section(heatmap: go.Figure, chart: go.Figure) -> list:
    """The role x month heatmap with its exports and note, then demand vs supply."""
    return [
        html.Div(
            [
                html.H4("Utilisation by role", className="d-inline me-3"),
                export_buttons(ids.EXPORT_ROLES_CSV, ids.EXPORT_ROLES_XLSX, ids.DOWNLOAD),
            ],
            className="mt-2",
        ),
        dcc.Graph(id=ids.HEATMAP, config=GRAPH_CONFIG, figure=heatmap),
        html.Small(HEATMAP_NOTE, className="text-muted d-block mb-3"),
        dcc.Graph(id=ids.DEMAND_CHART, config=GRAPH_CONFIG, figure=chart),
    ]


def _people_section(model: services.CapacityModel) -> list:
    """The over-allocated people with their exports."""
    return [
        html.Div(
            [
                html.H4("Over-allocated people", className="d-inline me-3"),
                export_pair(ids.EXPORT_PEOPLE_CSV, ids.EXPORT_PEOPLE_XLSX),
            ],
            className="mt-4 mb-2",
        ),
        over_allocated_grid(frames.over_allocated_people(model), grid_id=ids.PEOPLE_GRID),
    ]


def _impact_section(model: services.CapacityModel) -> list:
    """The request picker and what approving the picked request would do (a prompt at first)."""
    return [
        html.H4("What if we approve a request?", className="mt-4"),
        dcc.Dropdown(
            id=ids.REQUEST,
            options=picked.request_choices(model),
            placeholder="Pick a request not yet approved…",
            className="mb-3 d-print-none",
        ),
        html.Div(_impact(None), id=ids.IMPACT),
    ]


def _impact(impact: picked.RequestImpact | None) -> list:
    """The impact panel for one request, or the prompt to pick one."""
    return impact_panel(
        impact,
        get_standards().capacity,
        chart_id=ids.IMPACT_CHART,
        grid_id=ids.IMPACT_GRID,
        text_id=ids.EARLIEST_START,
    )


def _model(search: str | None, pipeline: bool | None) -> tuple:
    """The URL's scope (state) and its model, with or without the weighted pipeline."""
    state = services.capacity_state(query_from_search(search), get_settings().as_of_default())
    model = services.capacity_model(state.as_of, state.filters.divisions, pipeline=bool(pipeline))
    return state, model


def _scenario(model: services.CapacityModel, horizon: int | None) -> tuple:
    """KPI tiles, heatmap, demand chart and people rows for one scenario and horizon."""
    bands = get_standards().capacity
    model = services.with_horizon(model, horizon or services.DEFAULT_HORIZON)
    coverage = frames.planning_coverage(model)
    suffix = " (with weighted pipeline)" if model.pipeline else ""
    return (
        capacity_kpis(frames.capacity_summary(model), int(coverage["not_planned"].sum())),
        figures.utilisation_heatmap(
            frames.heatmap_frame(model),
            bands,
            title=f"Utilisation by role and month, next {len(model.months)} months{suffix}",
        ),
        figures.demand_supply_chart(
            frames.monthly_totals(model),
            title=f"Demand vs supply by month{suffix}",
            coverage=coverage,
        ),
        people_rows(frames.over_allocated_people(model)),
    )


@callback(
    Output(ids.KPI_ROW, "children"),
    Output(ids.HEATMAP, "figure"),
    Output(ids.DEMAND_CHART, "figure"),
    Output(ids.PEOPLE_GRID, "rowData"),
    Input(ids.PIPELINE, "value"),
    Input(ids.HORIZON, "value"),
    State(AppIds.URL, "search"),
    prevent_initial_call=True,
)
def update_scenario(pipeline: bool | None, horizon: int | None, search: str | None) -> tuple:
    """Redraw for the pipeline switch or horizon (the layout drew the default view)."""
    _, model = _model(search, pipeline)
    return _scenario(model, horizon)


@callback(
    Output(ids.IMPACT, "children"),
    Input(ids.REQUEST, "value"),
    Input(ids.PIPELINE, "value"),
    State(AppIds.URL, "search"),
    prevent_initial_call=True,
)
def update_impact(request_id: str | None, pipeline: bool | None, search: str | None) -> list:
    """Before/after utilisation and earliest start of the picked request."""
    _, model = _model(search, pipeline)
    return _impact(picked.request_impact(model, request_id))


@callback(
    Output(ids.DOWNLOAD, "data"),
    Input(ids.EXPORT_ROLES_CSV, "n_clicks"),
    Input(ids.EXPORT_ROLES_XLSX, "n_clicks"),
    Input(ids.EXPORT_PEOPLE_CSV, "n_clicks"),
    Input(ids.EXPORT_PEOPLE_XLSX, "n_clicks"),
    State(ids.PIPELINE, "value"),
    State(ids.HORIZON, "value"),
    State(AppIds.URL, "search"),
    prevent_initial_call=True,
)
def on_export(
    _rc, _rx, _pc, _px, pipeline: bool | None, horizon: int | None, search: str | None
) -> dict:
    """Download utilisation by role and month, or the over-allocated people, as shown."""
    state, model = _model(search, pipeline)
    model = services.with_horizon(model, horizon or services.DEFAULT_HORIZON)
    trigger = dash.ctx.triggered_id
    table = "people" if trigger in (ids.EXPORT_PEOPLE_CSV, ids.EXPORT_PEOPLE_XLSX) else "roles"
    fmt = "xlsx" if trigger in (ids.EXPORT_ROLES_XLSX, ids.EXPORT_PEOPLE_XLSX) else "csv"
    stem = "over-allocated-people" if table == "people" else "utilisation-by-role"
    context = ExportContext(
        title=f"{stem.replace('-', ' ').capitalize()}, next {len(model.months)} months",
        filters=services.scope_text(state),
        as_of=state.as_of,
        data_version=db.data_version(),
        currency=get_standards().loading.currency,
    )
    frame = frames.export_frame(model, table)
    return download(frame, stem=stem, as_of=state.as_of, fmt=fmt, context=context)
