"""KPI tiles: a title, a value, and an optional note or delta."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from dashboard import formats


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


def portfolio_kpis(summary: dict, currency: str = "GBP") -> list[dbc.Col]:
    """The portfolio tiles from ``summarise_portfolio``: RAG counts, budget vs EAC, on time."""
    overall = summary["overall"]
    on_time = summary["reporting_on_time_share"]
    eac = formats.money_short(summary["total_eac"], currency)
    money = f"{eac} of {formats.money_short(summary['total_budget'], currency)}"
    eac_pct = summary["eac_vs_budget_pct"]
    return kpi_row(
        [
            kpi_card("Projects", f"{summary['projects']}"),
            kpi_card("Computed red", f"{overall['red']}", tone="red"),
            kpi_card("Computed amber", f"{overall['amber']}", tone="amber"),
            kpi_card("Computed green", f"{overall['green']}", tone="green"),
            kpi_card("Watermelons", f"{summary['watermelons']}", note="reported ≠ computed red"),
            kpi_card(
                "EAC vs budget",
                "–" if eac_pct is None else f"{eac_pct:+.1f}%",
                note=money,
            ),
            kpi_card(
                "Reporting on time",
                formats.percent(on_time),
                note=f"{summary['stale']} stale",
            ),
        ]
    )
