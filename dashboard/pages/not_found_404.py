"""The page shown for an unknown address."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from dashboard.url_state import with_filters

dash.register_page(__name__, path="/404", name="Not found", title="PMO Lens · Not found")


def layout(**query: str) -> dbc.Container:
    return dbc.Container(
        dbc.Alert(
            [
                html.H4("Page not found"),
                html.A("Back to the portfolio", href=with_filters("/", query)),
            ],
            color="warning",
        ),
        fluid=True,
    )
