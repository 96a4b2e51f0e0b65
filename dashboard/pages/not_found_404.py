"""The page shown for an unknown address."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

dash.register_page(__name__, path="/404", name="Not found", title="PMO Lens · Not found")


def layout(**_query: str) -> dbc.Container:
    return dbc.Container(
        dbc.Alert(
            [html.H4("Page not found"), dcc_link()],
            color="warning",
        ),
        fluid=True,
    )


def dcc_link() -> html.A:
    return html.A("Back to the portfolio", href="/")
