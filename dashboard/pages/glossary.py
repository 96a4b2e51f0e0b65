"""Glossary: computed health, watermelon, SPI, CPI and EAC in words, and every pmo.toml standard."""

from __future__ import annotations

from itertools import groupby
from pathlib import Path

import dash
import dash_bootstrap_components as dbc
from dash import html

from dashboard.config import get_standards
from dashboard.ids import GlossaryIds as ids
from dashboard.standards import Standards, describe_standards

dash.register_page(
    __name__, path="/glossary", name="Glossary", title="PMO Lens · Glossary", order=90
)

SECTION_TITLES = {
    "loading": "Reading exports",
    "reporting": "Status reporting",
    "health": "Computed health thresholds",
    "scoring": "Request scoring",
    "scoring.weights": "Weighted-scoring criteria",
    "scoring.wsjf": "WSJF fields",
    "scoring.rice": "RICE fields",
    "capacity": "Capacity bands",
    "working_time": "Working time",
    "approval_probability": "Approval probability (pipeline demand)",
    "compliance": "Compliance",
    "compliance.checks": "Compliance checks and weights",
    "review": "Monthly review",
}


def definitions(standards: Standards) -> list[tuple[str, str]]:
    """The terms the pages use, in words, with the current thresholds filled in."""
    h = standards.health
    return [
        (
            "Computed health",
            "The PMO's own RAG for a project at the as-of date, worked out from its numbers on "
            "five dimensions: schedule, cost, milestones, RAID and reporting staleness. Each "
            "dimension shows its value, the threshold it was judged against and a one-line "
            "reason. Overall computed health is the worst known dimension; it is Unknown only "
            "when no dimension could be assessed. A value exactly on a threshold gets the "
            "better colour. Closed projects are not assessed.",
        ),
        (
            "Reported RAG",
            "The overall RAG the team lead gave in the latest status report on or before the "
            "as-of date (else the register's RAG). It is shown beside computed health, never "
            "replaced by it.",
        ),
        (
            "Watermelon",
            "A project reported Green or Amber (green outside) whose computed health is Red "
            "(red inside). These are the first to talk to.",
        ),
        (
            "EV, PV and AC",
            "Earned value EV = % complete × budget. Planned value PV = budget × planned share, "
            "the share of the time from start to baseline finish that has elapsed (0–100%). "
            "Actual cost AC = money spent to date.",
        ),
        (
            "SPI (schedule performance index)",
            f"SPI = EV ÷ PV: below 1 means behind plan. Amber below {h.spi_amber:g}, red below "
            f"{h.spi_red:g}. Without an SPI, the forecast finish's slip past the baseline finish "
            f"is used (amber above {h.finish_slip_amber_days} days, red above "
            f"{h.finish_slip_red_days}).",
        ),
        (
            "CPI (cost performance index)",
            f"CPI = EV ÷ AC: below 1 means the work done is worth less than it cost. "
            f"Amber below {h.cpi_amber:g}, red below {h.cpi_red:g}.",
        ),
        (
            "EAC (estimate at completion) and BAC",
            f"EAC is the forecast total cost (the latest report's, else the register's); BAC is "
            f"the budget. Without a CPI, cost health compares them: amber when EAC is more than "
            f"{h.eac_overrun_amber_pct:g}% over budget, red above {h.eac_overrun_red_pct:g}%.",
        ),
        (
            "Milestone slip and overdue",
            f"Slip = forecast (or actual) date minus baseline date, in days; an overdue milestone "
            f"(date passed, not achieved) keeps slipping until the as-of date. Amber above "
            f"{h.milestone_slip_amber_days} days or any overdue; red above "
            f"{h.milestone_slip_red_days} days or {h.milestone_overdue_red} overdue.",
        ),
        (
            "Staleness",
            f"Days since the latest status report. Amber after {h.cadence_days} days (the "
            f"reporting cadence), red after {h.stale_red_days}; no report at all is red once the "
            "first one is due.",
        ),
        (
            "Trend",
            f"Computed health now against {h.cadence_days} days earlier: improving, steady or "
            "worsening.",
        ),
    ]


def layout(**_query: str) -> dbc.Container:
    standards = get_standards()
    rows = describe_standards(standards)
    return dbc.Container(
        [
            html.H2("Glossary"),
            html.P(
                f"Every threshold and weight below is read from {Path(standards.source).name}: "
                "a PMO changes that file, not the code.",
                id=ids.SOURCE,
                className="text-muted",
            ),
            dbc.Card(
                [
                    dbc.CardHeader("Definitions"),
                    dbc.CardBody(
                        html.Dl(
                            [
                                part
                                for term, text in definitions(standards)
                                for part in (
                                    html.Dt(term, className="col-md-3"),
                                    html.Dd(text, className="col-md-9"),
                                )
                            ],
                            className="row mb-0",
                        )
                    ),
                ],
                id=ids.DEFINITIONS,
                className="shadow-sm mb-4",
            ),
            html.H3("PMO standards (pmo.toml)"),
            html.Div(
                [
                    _section_card(section, list(entries))
                    for section, entries in groupby(rows, key=lambda r: _split(r["term"])[0])
                ],
                id=ids.STANDARDS,
            ),
        ],
        fluid=True,
    )


def _section_card(section: str, entries: list[dict[str, str]]) -> dbc.Card:
    header = html.Thead(html.Tr([html.Th("Key"), html.Th("Value"), html.Th("Meaning")]))
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Td(html.Code(_split(e["term"])[1])),
                    html.Td(e["value"]),
                    html.Td(e["definition"]),
                ]
            )
            for e in entries
        ]
    )
    return dbc.Card(
        [
            dbc.CardHeader([SECTION_TITLES.get(section, section), html.Code(f" [{section}]")]),
            dbc.Table(
                [header, body], id=ids.section(section), size="sm", className="glossary-table mb-0"
            ),
        ],
        className="shadow-sm mb-3",
    )


def _split(term: str) -> tuple[str, str]:
    section, _, key = term.rpartition(".")
    return section, key
