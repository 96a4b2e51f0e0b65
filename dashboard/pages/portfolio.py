"""Portfolio overview: computed health by division, value vs risk, watermelons, every project."""

from __future__ import annotations

from urllib.parse import quote

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html, no_update

from dashboard import db
from dashboard.analytics.health import summarise_portfolio
from dashboard.components.export_buttons import export_buttons
from dashboard.components.filter_bar import filter_bar, filter_summary
from dashboard.components.footer import stale_notice
from dashboard.components.health_tables import health_grid, shown_note, watermelon_grid
from dashboard.components.kpi_card import portfolio_kpis
from dashboard.components.notices import no_data_notice
from dashboard.components.pager import pager
from dashboard.config import get_settings
from dashboard.exports import download
from dashboard.figures import portfolio as figures
from dashboard.ids import AppIds
from dashboard.ids import PortfolioIds as ids
from dashboard.services import portfolio as services
from dashboard.url_state import query_from_search

dash.register_page(__name__, path="/", name="Portfolio", title="PMO Lens · Portfolio", order=0)

GRAPH_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}


def layout(**query: str) -> dbc.Container:
    today = get_settings().as_of_default()
    try:
        view = services.portfolio_view(query, today)
    except db.NoData as exc:
        return no_data_notice(str(exc))
    health = view.health
    melons = services.watermelons(health)
    urgent = services.urgent_page(health, services.requested_page(query))
    bubbles = services.largest(health)
    return dbc.Container(
        [
            filter_bar(view.data.options, view.state, today=today),
            html.Div(
                [
                    html.H2(
                        [
                            "Portfolio ",
                            dbc.Badge(
                                f"{len(health)} open of {len(view.projects)} projects",
                                id=ids.COUNT,
                                color="secondary",
                                className="fs-6",
                            ),
                        ]
                    ),
                    filter_summary(view.state),
                ],
                className="mb-2",
            ),
            dbc.Row(portfolio_kpis(summarise_portfolio(health)), id=ids.KPI_ROW, className="mb-3"),
            dbc.Row(
                [
                    dbc.Col(
                        dcc.Graph(
                            id=ids.DIVISION_CHART,
                            config=GRAPH_CONFIG,
                            figure=(
                                figures.division_rag_bar(
                                    health, "overall", title="Computed health by division"
                                )
                            ),
                        ),
                        lg=6,
                    ),
                    dbc.Col(
                        dcc.Graph(
                            id=ids.BUBBLE_CHART,
                            config=GRAPH_CONFIG,
                            figure=(
                                figures.value_risk_bubble(
                                    bubbles.rows,
                                    title="Value vs risk (bubble = budget)"
                                    + (
                                        f", the {len(bubbles.rows):,} largest"
                                        if bubbles.truncated
                                        else ""
                                    ),
                                )
                            ),
                        ),
                        lg=6,
                    ),
                ],
                className="mb-3",
            ),
            html.H4("Watermelons: reported green or amber, computed red"),
            shown_note(len(melons.rows), melons.total, "watermelons"),
            watermelon_grid(melons.rows, grid_id=ids.WATERMELON_GRID),
            html.Div(
                [
                    html.H4("Projects", className="d-inline me-3"),
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
            health_grid(urgent.rows, grid_id=ids.GRID),
            stale_notice(view.data.version, db.data_version()),
        ],
        fluid=True,
    )


@callback(
    Output(AppIds.URL, "pathname"),
    Input(ids.GRID, "cellClicked"),
    Input(ids.WATERMELON_GRID, "cellClicked"),
    prevent_initial_call=True,
)
def on_project_click(grid_click: dict | None, watermelon_click: dict | None) -> str:
    """Open the clicked project's page."""
    click = dash.ctx.triggered[0]["value"] if dash.ctx.triggered else None
    return f"/project/{quote(click['rowId'], safe='')}" if click else no_update


@callback(
    Output(ids.DOWNLOAD, "data"),
    Input(ids.EXPORT_CSV, "n_clicks"),
    Input(ids.EXPORT_XLSX, "n_clicks"),
    State(AppIds.URL, "search"),
    prevent_initial_call=True,
)
def on_export(_csv: int | None, _xlsx: int | None, search: str | None) -> dict:
    """Download the filtered project list (formula injection neutralised)."""
    view = services.portfolio_view(query_from_search(search), get_settings().as_of_default())
    fmt = "xlsx" if dash.ctx.triggered_id == ids.EXPORT_XLSX else "csv"
    return download(
        services.export_frame(view.health), stem="projects", as_of=view.state.as_of, fmt=fmt
    )
