"""Glossary: the health rules of docs/analytics.md with current values, and every standard."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from dashboard.docs_text import split_code
from dashboard.ids import GlossaryIds as ids
from dashboard.services.glossary import Glossary, glossary, split_term

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


def definitions(view: Glossary) -> list[tuple[str, list]]:
    """The Health terms of docs/analytics.md, with each pmo.toml key's current value shown.

    The rules are written once, in the repository's docs; this page renders that text, so the
    two cannot disagree.
    """
    return [(term, _blocks(body, view.values)) for term, body in view.terms]


def _blocks(paragraphs: tuple[str, ...], values: dict[str, str]) -> list:
    """Paragraphs as ``P``; runs of ``- `` items as one ``Ul``."""
    blocks: list = []
    for text in paragraphs:
        if not text.startswith("- "):
            blocks.append(html.P(_runs(text, values), className="mb-1"))
            continue
        if not (blocks and isinstance(blocks[-1], html.Ul)):
            blocks.append(html.Ul([], className="mb-1"))
        blocks[-1].children.append(html.Li(_runs(text[2:], values)))
    return blocks


def _runs(text: str, values: dict[str, str]) -> list:
    """Text, ``**strong**`` and ``Code`` runs; a known standard's code shows "key = value"."""
    children: list = []
    for run, is_code in split_code(text):
        if is_code:
            shown = f"{run} = {values[run]}" if run in values else run
            children.append(html.Code(shown))
            continue
        for i, part in enumerate(run.split("**")):
            if part:
                children.append(html.Strong(part) if i % 2 else part)
    return children


def layout(**_query: str) -> dbc.Container:
    view = glossary()
    return dbc.Container(
        [
            html.H2("Glossary"),
            html.P(
                f"Every threshold and weight below is read from {view.source_name}: "
                "a PMO changes that file, not the code. The definitions are the text of "
                "docs/analytics.md, section Health.",
                id=ids.SOURCE,
                className="text-muted",
            ),
            dbc.Card(
                [
                    dbc.CardHeader("Health: definitions and rules"),
                    dbc.CardBody(
                        html.Dl(
                            [
                                part
                                for term, text in definitions(view)
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
                [_section_card(section, list(entries)) for section, entries in view.sections],
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
                    html.Td(html.Code(split_term(e["term"])[1])),
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
