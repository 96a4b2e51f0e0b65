"""Blocks of the Monthly review: controls, headline counts, change tables and KPI tiles.

Tables are plain HTML tables (not grids) so that the browser prints every row of them in the
review pack; every cell is text, never HTML. The meeting's blocks (decisions, actions) are in
``review_meeting``, the forms in ``review_forms``.
"""

from __future__ import annotations

import math
from datetime import date
from urllib.parse import quote

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboard import formats, vocabulary
from dashboard.components.export_buttons import export_buttons
from dashboard.components.kpi_card import kpi_card, kpi_row
from dashboard.components.review_cells import format_size, review_table, signed_percent
from dashboard.components.review_meeting import DECISION_ROW_LIMIT, decisions_card

__all__ = [
    "DECISION_ROW_LIMIT",
    "PROJECT_KINDS",
    "capacity_note",
    "change_section",
    "change_table",
    "day_label",
    "decisions_card",
    "exception_summary",
    "format_size",
    "review_controls",
    "review_heading",
    "review_kpis",
    "subject_cell",
]

RAG_WORDS = {"green", "amber", "red"}
day_label = formats.long_day
"""``31 Oct 2026``: how the review's headings and date options name a date."""


def review_controls(
    options,
    state,
    *,
    today: date,
    division_id: str,
    from_id: str,
    to_id: str,
    export_ids: tuple[str, str, str],
) -> dbc.Card:
    """Division and the two dates (changing one rewrites the URL), a print hint, exports.

    There is no print button: a page-level clientside callback would change Dash's inline
    script after the Content-Security-Policy hashed it (dashboard/security.py).
    """
    division = dcc.Dropdown(
        id=division_id,
        options=[{"label": d, "value": d} for d in options.divisions],
        value=list(state.divisions),
        multi=True,
        placeholder="All divisions",
    )
    start = dcc.Dropdown(
        id=from_id,
        options=_date_options(options.starts, today),
        value=state.start.isoformat(),
        clearable=False,
    )
    end = dcc.Dropdown(
        id=to_id,
        options=_date_options(options.ends, today),
        value=state.end.isoformat(),
        clearable=False,
    )
    hint = dbc.Col(
        [
            html.Small("Print the page (Ctrl+P / ⌘P) for a PDF.", className="text-muted me-3"),
            export_buttons(*export_ids),
        ],
        xs=12,
        lg=True,
        className="d-flex align-items-end justify-content-lg-end mt-2",
    )
    row = dbc.Row(
        [
            _column("Division", division, division_id, xs=12, md=4, lg=3),
            _column("Compare month-end", start, from_id, xs=6, md=4, lg=2),
            _column("with", end, to_id, xs=6, md=4, lg=3),
            hint,
        ],
        className="g-2",
    )
    return dbc.Card(dbc.CardBody(row), className="mb-3 shadow-sm d-print-none")


def _date_options(days: tuple[date, ...], today: date) -> list[dict]:
    """Dropdown options of the offered dates; today reads "Today (…)"."""
    return [
        {
            "label": f"Today ({day_label(d)})" if d == today else day_label(d),
            "value": d.isoformat(),
        }
        for d in days
    ]


def _column(label: str, control: object, component_id: str, **width: int) -> dbc.Col:
    """A labelled control in the controls' row."""
    return dbc.Col(
        [dbc.Label(label, html_for=component_id, className="small mb-1"), control], **width
    )


def review_heading(state, *, title_id: str, version: int | None = None) -> html.Div:
    """Title with the two dates, the divisions and the data version (the printed header)."""
    scope = ", ".join(state.divisions) if state.divisions else "All divisions"
    if version is not None:
        scope += f" · data version {version}"
    return html.Div(
        [
            html.H2(
                f"Monthly review: {day_label(state.start)} → {day_label(state.end)}", id=title_id
            ),
            html.Div(scope, className="text-muted"),
        ],
        className="mb-3",
    )


def exception_summary(counts: list[tuple[str, str, int]], *, summary_id: str) -> html.Ul:
    """One line of headline counts (singular, plural, count), zeros muted."""
    return html.Ul(
        [
            html.Li(
                [html.Strong(f"{n}"), f" {one if n == 1 else many}"],
                className="list-inline-item me-3" + ("" if n else " text-muted"),
            )
            for one, many, n in counts
        ],
        id=summary_id,
        className="list-inline review-summary mb-3",
    )


PROJECT_KINDS = frozenset(
    {
        "new_red",
        "recovered",
        "rag_change",
        "milestone_slip",
        "finish_slip",
        "eac_move",
        "budget_move",
        "new_project",
        "closed_project",
    }
)
"""Change kinds whose subject is a project: its id links to the project page."""


def subject_cell(subject: object, kind: str, link_query: str = "") -> html.Td:
    """The changed thing's id; a project's id is a real link (new tab, filters kept)."""
    text = (
        ""
        if subject is None or (isinstance(subject, float) and math.isnan(subject))
        else str(subject)
    )
    if text and kind in PROJECT_KINDS:
        href = f"/project/{quote(text, safe='')}{link_query}"
        return html.Td(
            html.A(text, href=href, target="_blank", rel="noopener"), className="text-nowrap"
        )
    return html.Td(text, className="text-nowrap")


def change_table(changes: pd.DataFrame, *, size_label: str = "", link_query: str = "") -> dbc.Table:
    """ID, division, change, was, now, (size), detail: one row per change."""
    header = [
        "ID",
        "Division",
        "Change",
        "Was",
        "Now",
        *([size_label] if size_label else []),
        "Detail",
    ]
    rows = []
    for row in changes.itertuples(index=False):
        cells = [
            subject_cell(getattr(row, "subject_id", None), str(row.kind), link_query),
            html.Td(row.division),
            html.Td(row.label + (" ⚠" if row.exception else ""), className="text-nowrap"),
            _rag_cell(row.before),
            _rag_cell(row.after),
        ]
        if size_label:
            cells.append(html.Td(format_size(row.size, row.kind), className="text-end text-nowrap"))
        cells.append(html.Td(row.detail))
        rows.append(html.Tr(cells))
    return review_table(header, rows)


def change_section(
    title: str,
    changes: pd.DataFrame,
    *,
    section_id: str,
    empty: str,
    size_label: str = "",
    before: object = None,
    changes_heading: str | None = None,
    link_query: str = "",
    limit: int | None = None,
) -> dbc.Card:
    """A card per block of the review; ``before`` (and ``changes_heading``) go above the table.

    ``limit`` caps the rows sent to the browser (the changes come exceptions first, largest
    first); the badge still counts them all and a note points to the export.
    """
    body: list = [before] if before is not None else []
    if changes_heading:
        body.append(html.H6(changes_heading, className="mt-3"))
    if changes.empty:
        body.append(html.P(empty, className="text-muted mb-0"))
    else:
        shown = changes if limit is None else changes.head(limit)
        body.append(change_table(shown, size_label=size_label, link_query=link_query))
        if len(shown) < len(changes):
            body.append(
                html.Small(
                    f"The first {len(shown):,} of {len(changes):,} are shown (exceptions and the "
                    "largest first); the export has them all.",
                    className="text-muted d-block mt-1",
                )
            )
    exceptions = int(changes["exception"].sum()) if len(changes) else 0
    badge_text = f"{len(changes)}"
    if 0 < exceptions < len(changes):
        badge_text += f" · {exceptions} need attention"
    return dbc.Card(
        [
            dbc.CardHeader(
                [
                    html.Span(title, className="fw-semibold me-2"),
                    dbc.Badge(badge_text, color="danger" if exceptions else "secondary"),
                ]
            ),
            dbc.CardBody(body),
        ],
        id=section_id,
        className="review-section mb-3 shadow-sm",
    )


def review_kpis(before: dict, after: dict, *, before_label: str) -> list[dbc.Col]:
    """Tiles at the later date, each noting the value at the earlier date and the change."""

    def tile(title: str, key: tuple[str, ...], *, tone: str | None = None) -> dbc.Card:
        now, was = _dig(after, key), _dig(before, key)
        return kpi_card(
            title, f"{now}", note=f"{_delta(now, was)} vs {before_label} ({was})", tone=tone
        )

    def pct(summary: dict) -> str:
        return signed_percent(summary["eac_vs_budget_pct"])

    def on_time(summary: dict) -> str:
        return formats.percent(summary["reporting_on_time_share"])

    return kpi_row(
        [
            tile("Open projects", ("projects",)),
            tile("Computed red", ("overall", "red"), tone="red"),
            tile("Computed amber", ("overall", "amber"), tone="amber"),
            tile("Computed green", ("overall", "green"), tone="green"),
            tile("Watermelons", ("watermelons",)),
            kpi_card("EAC vs budget", pct(after), note=f"was {pct(before)} on {before_label}"),
            kpi_card(
                "Reporting on time", on_time(after), note=f"was {on_time(before)} on {before_label}"
            ),
        ]
    )


def capacity_note(hot_before: int, hot_after: int, horizon: int, before_label: str) -> html.P:
    """How many role-months are over-allocated in the window, now and as known before."""
    return html.P(
        f"Over-allocated role-months in the next {horizon} months: {hot_after} now, "
        f"{hot_before} as known on {before_label}.",
        className="small text-muted",
    )


def _rag_cell(value: str) -> html.Td:
    text = vocabulary.label("health", value) if value in RAG_WORDS else ""
    if not text and isinstance(value, str):
        text = vocabulary.humanise(value)
    # A span: Bootstrap's table cell colour would override a class on the cell itself.
    content = html.Span(text, className=f"rag-{value}") if value in RAG_WORDS else text
    return html.Td(content, className="text-nowrap")


def _dig(summary: dict, key: tuple[str, ...]) -> int:
    value: object = summary
    for part in key:
        value = value[part]  # type: ignore[index]
    return int(value)  # type: ignore[arg-type]


def _delta(now: int, was: int) -> str:
    change = now - was
    return "no change" if change == 0 else f"{change:+d}"
