"""KPI tiles: a title, a value, and an optional note or delta."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html


def kpi_card(
    title: str, value: str, *, note: str | None = None, tone: str | None = None
) -> dbc.Card:
    """One tile. ``tone`` ('green'/'amber'/'red') colours the value; the title still says it."""
    value_class = "kpi-value" + (f" rag-{tone}" if tone else "")
    body = [
        html.Div(title, className="kpi-title text-muted"),
        html.Div(value, className=value_class),
    ]
    if note:
        body.append(html.Small(note, className="text-muted"))
    return dbc.Card(dbc.CardBody(body), className="kpi-card h-100 shadow-sm")


def kpi_row(tiles: list[dbc.Card]) -> list[dbc.Col]:
    """Tiles laid out in equal responsive columns."""
    return [dbc.Col(tile, xs=6, md=4, lg=True, className="mb-2") for tile in tiles]
