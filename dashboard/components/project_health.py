"""Computed health by dimension: RAG in words and colour, value, threshold and the reason."""

from __future__ import annotations

from collections.abc import Sequence

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboard.components.project_header import rag_badge

DIMENSION_NAMES = {
    "schedule": "Schedule",
    "cost": "Cost",
    "milestones": "Milestones",
    "raid": "RAID",
    "staleness": "Reporting (staleness)",
}


def format_measure(metric: str, value: object) -> str:
    """A dimension's value or threshold as the metric reads: ratios 2 dp, percent 1 dp."""
    if value is None or pd.isna(value):
        return "–"
    number = float(value)
    if metric in ("SPI", "CPI"):
        return f"{number:.2f}"
    if "(%)" in metric:
        return f"{number:.1f}%"
    return f"{number:g}"


def health_table(health: dict, *, dimensions: Sequence[str], table_id: str) -> dbc.Table:
    """One row per dimension (``assess_health`` columns ``<dim>_rag/_metric/_value/...``).

    ``dimensions`` names them in display order (the page passes the health rules' own list).
    """
    header = html.Thead(
        html.Tr([html.Th(h) for h in ("Dimension", "RAG", "Measure", "Value", "Threshold", "Why")])
    )
    rows = []
    for dim in dimensions:
        metric = str(health.get(f"{dim}_metric") or "")
        rows.append(
            html.Tr(
                [
                    html.Th(DIMENSION_NAMES.get(dim, dim), scope="row"),
                    html.Td(rag_badge(health.get(f"{dim}_rag"))),
                    html.Td(metric),
                    html.Td(
                        format_measure(metric, health.get(f"{dim}_value")), className="text-end"
                    ),
                    html.Td(
                        format_measure(metric, health.get(f"{dim}_threshold")), className="text-end"
                    ),
                    html.Td(str(health.get(f"{dim}_reason") or ""), className="small"),
                ]
            )
        )
    overall = health.get("overall")
    rows.append(
        html.Tr(
            [
                html.Th("Overall (worst dimension)", scope="row"),
                html.Td(rag_badge(overall)),
                html.Td(str(health.get("overall_reason") or ""), colSpan=4, className="small"),
            ],
            className="table-light",
        )
    )
    return dbc.Table(
        [header, html.Tbody(rows)],
        id=table_id,
        bordered=False,
        hover=True,
        responsive=True,
        size="sm",
        className="align-middle mb-0",
    )


def closed_notice(stage: str, *, alert_id: str) -> dbc.Alert:
    """Shown instead of the health table for a finished project."""
    return dbc.Alert(
        f"This project is {stage}: computed health is assessed for open projects only "
        "(pmo.toml [reporting].closed_stages). Its history below shows how it ran.",
        id=alert_id,
        color="secondary",
        className="mb-0",
    )


def health_card(
    health: dict | None,
    *,
    stage: str | None,
    closed: bool,
    dimensions: Sequence[str],
    table_id: str,
    notice_id: str,
) -> dbc.Card:
    """The health table in a card that links to the glossary (the closed notice when closed)."""
    body = (
        closed_notice(str(stage), alert_id=notice_id)
        if closed or health is None
        else health_table(health, dimensions=dimensions, table_id=table_id)
    )
    return dbc.Card(
        [
            dbc.CardHeader(
                [
                    "Computed health by dimension · ",
                    dcc.Link("what these mean", href="/glossary"),
                ]
            ),
            dbc.CardBody(body),
        ],
        className="shadow-sm h-100",
    )
