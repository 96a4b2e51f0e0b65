"""Portfolio overview: computed health by division, value vs risk, watermelons, every project."""

from __future__ import annotations

from urllib.parse import quote

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, dcc, html, no_update

from dashboard import db
from dashboard.components.export_buttons import export_buttons
from dashboard.components.export_wiring import export_dependencies, export_format
from dashboard.components.filter_bar import filter_bar, filter_summary, summary_text
from dashboard.components.footer import stale_notice
from dashboard.components.health_tables import health_grid, shown_note, watermelon_grid
from dashboard.components.kpi_card import portfolio_kpis
from dashboard.components.notices import empty_state, no_data_notice
from dashboard.components.pager import pager
from dashboard.config import get_settings, get_standards
from dashboard.exports import ExportContext, download
from dashboard.figures import portfolio as figures
from dashboard.formats import GRAPH_CONFIG
from dashboard.ids import AppIds, FilterIds
from dashboard.ids import PortfolioIds as ids
from dashboard.layout_cache import cached_layout
from dashboard.services import portfolio as services
from dashboard.url_state import query_from_search
from dashboard.vocabulary import label_frame

dash.register_page(__name__, path="/", name="Portfolio", title="PMO Lens · Portfolio", order=0)


@cached_layout("portfolio")
def layout(**query: str) -> dbc.Container:
    today = get_settings().as_of_default()
    try:
        view = services.portfolio_view(query, today)
    except db.NoData as exc:
        return no_data_notice(str(exc))
    health = view.health
    currency = get_standards().loading.currency
    heading = _heading(view)
    bar = filter_bar(view.data.options, view.state, today=today)
    if health.empty:
        return dbc.Container(
            [
                bar,
                heading,
                empty_state("open projects", reset_href="/", notice_id=ids.EMPTY),
                *_hidden_targets(),
            ],
            fluid=True,
        )
    melons = services.watermelons(health)
    urgent = services.urgent_page(health, services.requested_page(query))
    return dbc.Container(
        [
            bar,
            heading,
            dbc.Row(
                portfolio_kpis(services.summarise_portfolio(health), currency),
                id=ids.KPI_ROW,
                className="mb-3",
            ),
            _charts_row(health),
            html.H3("Watermelons: reported green or amber, computed red", className="h4"),
            shown_note(len(melons.rows), melons.total, "watermelons"),
            watermelon_grid(melons.rows, grid_id=ids.WATERMELON_GRID),
            *_projects_section(query, urgent),
            health_grid(urgent.rows, grid_id=ids.GRID, currency=currency),
            stale_notice(view.data.version, db.data_version()),
        ],
        fluid=True,
    )


def _heading(view: services.PortfolioView) -> html.Div:
    """The "Portfolio" title with the open/total count, and the filter summary under it."""
    return html.Div(
        [
            html.H2(
                [
                    "Portfolio ",
                    dbc.Badge(
                        f"{len(view.health)} open of {len(view.projects)} projects",
                        id=ids.COUNT,
                        color="secondary",
                        className="fs-6",
                    ),
                ]
            ),
            filter_summary(view.state, summary_id=FilterIds.SUMMARY),
        ],
        className="mb-2",
    )


def _charts_row(health: pd.DataFrame) -> dbc.Row:
    """Computed health by division beside value vs risk (a bubble opens its project)."""
    return dbc.Row(
        [
            dbc.Col(
                _graph(
                    ids.DIVISION_CHART,
                    figures.division_rag_bar(
                        health, "overall", title="Computed health by division"
                    ),
                ),
                lg=6,
            ),
            dbc.Col(
                _graph(
                    ids.BUBBLE_CHART,
                    figures.value_risk_bubble(
                        health, title="Value vs risk (bubble = number of projects)"
                    ),
                ),
                lg=6,
            ),
        ],
        className="mb-3",
    )


def _graph(graph_id: str, figure: object) -> dcc.Graph:
    return dcc.Graph(id=graph_id, config=GRAPH_CONFIG, figure=figure)


def _projects_section(query: dict, urgent: services.GridPage) -> list:
    """The "Projects" title with its export buttons, then the pager (most urgent first)."""
    return [
        html.Div(
            [
                html.H3("Projects", className="h4 d-inline me-3"),
                export_buttons(ids.EXPORT_CSV, ids.EXPORT_XLSX, ids.DOWNLOAD),
            ],
            className="mt-4 mb-2",
        ),
        pager(
            "/",
            query,
            page=urgent.page,
            pages=urgent.pages,
            first=urgent.first,
            last=urgent.last,
            total=urgent.total,
            label="Most urgent first: projects",
        ),
    ]


def _hidden_targets() -> list:
    """The export buttons' ids, so their callback has its inputs on an empty page too."""
    return [
        html.Div(export_buttons(ids.EXPORT_CSV, ids.EXPORT_XLSX, ids.DOWNLOAD), className="d-none"),
        dcc.Graph(id=ids.BUBBLE_CHART, className="d-none"),
    ]


@callback(
    Output(AppIds.URL, "pathname"),
    Input(ids.BUBBLE_CHART, "clickData"),
    prevent_initial_call=True,
)
def on_point_click(click: dict | None) -> str:
    """Open the project under a clicked bubble (the filters stay in the URL's query)."""
    points = (click or {}).get("points") or [{}]
    project_id = (points[0].get("customdata") or [""])[0]
    return f"/project/{quote(str(project_id), safe='')}" if project_id else no_update


@callback(
    *export_dependencies(
        ids.DOWNLOAD, ids.EXPORT_CSV, ids.EXPORT_XLSX, State(AppIds.URL, "search")
    ),
    prevent_initial_call=True,
)
def on_export(_csv: int | None, _xlsx: int | None, search: str | None) -> dict:
    """Download the filtered project list in the grid's order, with what it shows recorded."""
    view = services.portfolio_view(query_from_search(search), get_settings().as_of_default())
    fmt = export_format(dash.ctx.triggered_id, ids.EXPORT_XLSX)
    ordered = services.most_urgent(view.health, limit=len(view.health)).rows
    context = ExportContext(
        title="Projects (worst first)",
        filters=summary_text(view.state),
        as_of=view.state.as_of,
        data_version=db.data_version(),
        currency=get_standards().loading.currency,
    )
    frame = services.export_frame(label_frame(ordered))
    return download(frame, stem="projects", as_of=view.state.as_of, fmt=fmt, context=context)
