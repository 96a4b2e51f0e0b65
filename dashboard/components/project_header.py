"""The project page's header: facts from the register, KPI tiles, and the not-found card."""

from __future__ import annotations

from datetime import date

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboard import formats
from dashboard.components.kpi_card import kpi_card, kpi_row
from dashboard.figures.theme import RAG_LABELS

CURRENCY_SYMBOLS = formats.CURRENCY_SYMBOLS
money = formats.money
day = formats.day
percent = formats.percent


def rag_word(value: object) -> str:
    """``"red"`` -> ``"Red"``; a missing RAG -> ``"Unknown"``."""
    return RAG_LABELS.get(str(value), "Unknown") if value is not None else "Unknown"


def rag_badge(value: object, *, prefix: str = "") -> html.Span:
    """A RAG in words on its colour-blind-safe colour (see assets/pmo.css)."""
    key = str(value) if value in ("green", "amber", "red") else "unknown"
    return html.Span(f"{prefix}{rag_word(value)}", className=f"rag-badge rag-badge-{key}")


def project_header(
    register: dict,
    health: dict | None,
    *,
    as_of: date,
    currency: str,
    card_id: str,
    name_id: str,
) -> dbc.Card:
    """Name, id, stage, people, dates, money and progress (the latest report's where it has one).

    Args:
        register: The register row as known on ``as_of``.
        health: The ``assess_health`` row (effective % complete, EAC, forecast finish), or None.
        as_of: The as-of date shown.
        currency: ISO code of the money values.
        card_id: Id of the card.
        name_id: Id of the heading that holds the project's name.
    """
    facts = {**register, **{k: v for k, v in (health or {}).items() if v is not None}}
    items = []
    for term, value in _fact_rows(register, facts, currency):
        items += [
            # Term and value share a line even on a phone: the facts fit half the first screen.
            html.Dt(term, className="col-5 col-lg-4 text-muted fw-normal"),
            html.Dd("–" if value is None else str(value), className="col-7 col-lg-8 mb-1"),
        ]
    half = len(items) // 2 + (len(items) // 2) % 2
    return dbc.Card(
        dbc.CardBody(
            [
                _title(register, as_of, name_id),
                dbc.Row(
                    [
                        dbc.Col(html.Dl(items[:half], className="row mb-0"), lg=6),
                        dbc.Col(html.Dl(items[half:], className="row mb-0"), lg=6),
                    ]
                ),
            ]
        ),
        id=card_id,
        className="shadow-sm mb-3",
    )


def _fact_rows(register: dict, facts: dict, currency: str) -> list[tuple[str, object]]:
    """Terms and values: people and money from ``facts``, plan dates from the register."""
    return [
        ("Division", facts.get("division")),
        ("Portfolio", facts.get("portfolio")),
        ("Programme", facts.get("programme")),
        ("Sponsor", facts.get("sponsor")),
        ("Project manager", facts.get("project_manager")),
        ("Start", day(register.get("start_date"))),
        ("Baseline finish", day(register.get("baseline_finish"))),
        ("Forecast finish", day(facts.get("forecast_finish"))),
        ("Actual finish", day(register.get("actual_finish"))),
        ("Budget", money(facts.get("budget"), currency)),
        ("EAC (forecast cost)", money(facts.get("forecast_cost"), currency)),
        ("Actual cost", money(facts.get("actual_cost"), currency)),
        ("% complete", percent(facts.get("percent_complete"))),
    ]


def _title(register: dict, as_of: date, name_id: str) -> html.Div:
    """The project's name, id and stage badges, and the as-of date."""
    return html.Div(
        [
            html.H2(str(register.get("name") or ""), id=name_id, className="mb-1"),
            dbc.Badge(str(register.get("project_id")), color="secondary", className="me-2"),
            dbc.Badge(str(register.get("stage") or "no stage"), color="info", className="me-2"),
            html.Small(f"as of {as_of.isoformat()}", className="text-muted"),
        ],
        className="mb-3",
    )


def project_kpis(health: dict | None, latest_report: dict | None) -> list[dbc.Col]:
    """Tiles: computed vs reported RAG, watermelon, SPI, CPI, report age, overdue, RAID."""
    if health is None:
        reported = (latest_report or {}).get("overall_rag")
        return kpi_row(
            [kpi_card("Reported RAG (last report)", rag_word(reported), tone=_tone(reported))]
        )
    overall, reported = health.get("overall"), health.get("reported_rag")
    days = health.get("days_since_report")
    return kpi_row(
        [
            kpi_card("Computed health", rag_word(overall), tone=_tone(overall)),
            kpi_card("Reported RAG", rag_word(reported), tone=_tone(reported)),
            kpi_card(
                "Watermelon",
                "Yes" if health.get("watermelon") else "No",
                note="reported green/amber, computed red",
                tone="red" if health.get("watermelon") else None,
            ),
            kpi_card("SPI", _ratio(health.get("spi")), note="earned ÷ planned value"),
            kpi_card("CPI", _ratio(health.get("cpi")), note="earned value ÷ actual cost"),
            kpi_card(
                "Last report",
                "none" if days is None else f"{days:.0f} days ago",
                tone="red" if health.get("stale") else None,
                note="stale" if health.get("stale") else None,
            ),
            kpi_card(
                "Overdue milestones",
                f"{health.get('milestones_overdue') or 0}",
                note=f"of {health.get('milestones_total') or 0}",
            ),
            kpi_card(
                "Open high/critical RAID",
                f"{health.get('raid_open_high') or 0}",
                note=f"{health.get('raid_open_critical') or 0} critical",
            ),
        ]
    )


def project_not_found(
    project_id: str | None, as_of: date, *, alert_id: str, back_href: str = "/"
) -> dbc.Container:
    """What the page shows for an id the register does not know (the id shown as text)."""
    what = f"No project with id “{project_id}”" if project_id else "No project id given"
    return dbc.Container(
        dbc.Alert(
            [
                html.H4("Project not found", className="alert-heading"),
                html.P(f"{what} in the register as of {as_of.isoformat()}."),
                dcc.Link("← Back to the portfolio", href=back_href, className="alert-link"),
            ],
            id=alert_id,
            color="warning",
        ),
        fluid=True,
    )


def _tone(value: object) -> str | None:
    return str(value) if value in ("green", "amber", "red") else None


def _ratio(value: object) -> str:
    return "–" if value is None or pd.isna(value) else f"{float(value):.2f}"
