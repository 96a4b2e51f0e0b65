"""Portfolio overview: projects per division, their RAG, and every project in a grid."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import db, figures
from dashboard.components.kpi_card import kpi_card, kpi_row
from dashboard.components.notices import no_data_notice
from dashboard.components.tables import PROJECT_COLUMNS, data_grid
from dashboard.config import get_settings
from dashboard.ids import PortfolioIds as ids

dash.register_page(__name__, path="/", name="Portfolio", title="PMO Lens · Portfolio", order=0)


def layout(**_query: str) -> dbc.Container:
    as_of = get_settings().as_of_default()
    try:
        with db.snapshot() as snap:
            projects = snap.projects(as_of)
    except db.NoData as exc:
        return no_data_notice(str(exc))
    rag = projects["reported_rag"].astype("string")
    return dbc.Container(
        [
            html.H2(
                [
                    "Portfolio ",
                    dbc.Badge(
                        f"{len(projects)} projects",
                        id=ids.COUNT,
                        color="secondary",
                        className="fs-6 align-middle",
                    ),
                ]
            ),
            dbc.Row(
                kpi_row(
                    [
                        kpi_card("Projects", f"{len(projects)}"),
                        kpi_card("Reported green", f"{(rag == 'green').sum()}", tone="green"),
                        kpi_card("Reported amber", f"{(rag == 'amber').sum()}", tone="amber"),
                        kpi_card("Reported red", f"{(rag == 'red').sum()}", tone="red"),
                    ]
                ),
                id=ids.KPI_ROW,
                className="mb-3",
            ),
            dbc.Row(
                dbc.Col(
                    dcc.Graph(
                        id=ids.DIVISION_CHART,
                        figure=figures.division_rag_bar(
                            projects, "reported_rag", title="Projects by division and reported RAG"
                        ),
                        config={"displaylogo": False},
                    )
                ),
                className="mb-3",
            ),
            data_grid(projects, PROJECT_COLUMNS, grid_id=ids.GRID),
        ],
        fluid=True,
    )
