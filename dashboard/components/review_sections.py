"""Blocks of the Monthly review: controls, headline counts, change tables and KPI tiles.

Tables are plain HTML tables (not grids) so that the browser prints every row of them in the
review pack; every cell is text, never HTML.
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

RAG_WORDS = {"green", "amber", "red"}


def day_label(day: date) -> str:
    """``31 Oct 2026``."""
    return f"{day.day} {day:%b %Y}"


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

    def date_options(days: tuple[date, ...]) -> list[dict]:
        return [
            {
                "label": f"Today ({day_label(d)})" if d == today else day_label(d),
                "value": d.isoformat(),
            }
            for d in days
        ]

    def column(label: str, control: object, component_id: str, **width: int) -> dbc.Col:
        return dbc.Col(
            [dbc.Label(label, html_for=component_id, className="small mb-1"), control], **width
        )

    return dbc.Card(
        dbc.CardBody(
            dbc.Row(
                [
                    column(
                        "Division",
                        dcc.Dropdown(
                            id=division_id,
                            options=[{"label": d, "value": d} for d in options.divisions],
                            value=list(state.divisions),
                            multi=True,
                            placeholder="All divisions",
                        ),
                        division_id,
                        xs=12,
                        md=4,
                        lg=3,
                    ),
                    column(
                        "Compare month-end",
                        dcc.Dropdown(
                            id=from_id,
                            options=date_options(options.starts),
                            value=state.start.isoformat(),
                            clearable=False,
                        ),
                        from_id,
                        xs=6,
                        md=4,
                        lg=2,
                    ),
                    column(
                        "with",
                        dcc.Dropdown(
                            id=to_id,
                            options=date_options(options.ends),
                            value=state.end.isoformat(),
                            clearable=False,
                        ),
                        to_id,
                        xs=6,
                        md=4,
                        lg=3,
                    ),
                    dbc.Col(
                        [
                            html.Small(
                                "Print the page (Ctrl+P / ⌘P) for a PDF.",
                                className="text-muted me-3",
                            ),
                            export_buttons(*export_ids),
                        ],
                        xs=12,
                        lg=True,
                        className="d-flex align-items-end justify-content-lg-end mt-2",
                    ),
                ],
                className="g-2",
            )
        ),
        className="mb-3 shadow-sm d-print-none",
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


def format_size(value: float, kind: str) -> str:
    """Slip days as ``+46 days``; money moves as ``+27.7%`` (``from zero`` when infinite)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if kind in ("milestone_slip", "finish_slip"):
        return f"+{value:.0f} days"
    if math.isinf(value):
        return "from zero"
    return f"{value:+.1f}%"


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
    return dbc.Table(
        [html.Thead(html.Tr([html.Th(h) for h in header])), html.Tbody(rows)],
        size="sm",
        striped=True,
        responsive=True,  # scrolls inside its card on a phone, not the page
        className="review-table mb-0",
    )


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
        value = summary["eac_vs_budget_pct"]
        return "–" if value is None else f"{value:+.1f}%"

    def on_time(summary: dict) -> str:
        value = summary["reporting_on_time_share"]
        return "–" if value is None else f"{value:.0%}"

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


# ------------------------------------------------------------------ the meeting (issue 12)

DECISION_COUNT_WORDS = {
    "request": ("request ready for a decision", "requests ready for a decision"),
    "money_rise": ("budget or EAC rise to approve", "budget or EAC rises to approve"),
    "red_no_action": ("red without a recovery action", "reds without a recovery action"),
    "overdue_action": ("overdue action", "overdue actions"),
}


def period_switch(
    links: dict[str, str], active: str | None, *, closed_id: str, mtd_id: str
) -> dbc.ButtonGroup:
    """Two links: the last closed month (the default) and month to date; ``active`` is filled."""

    def button(key: str, text: str, component_id: str) -> dbc.Button:
        return dbc.Button(
            text,
            id=component_id,
            href=f"/review{links[key]}",
            color="primary",
            outline=key != active,
            size="sm",
        )

    return dbc.ButtonGroup(
        [
            button("last_closed_month", "Last closed month", closed_id),
            button("month_to_date", "Month to date", mtd_id),
        ],
        className="d-print-none",
    )


def money(value: float, currency: str) -> str:
    """``£1,200,000`` (the one money format, ``dashboard.formats``); empty when missing."""
    return "" if value is None or pd.isna(value) else formats.money(value, currency)


def decision_counts_line(counts: dict[str, int], *, counts_id: str) -> html.Ul:
    """The headline: how many items of each kind (zeros muted), counted from the same items."""
    return html.Ul(
        [
            html.Li(
                [html.Strong(f"{n}"), f" {DECISION_COUNT_WORDS[k][0 if n == 1 else 1]}"],
                className="list-inline-item me-3" + ("" if n else " text-muted"),
            )
            for k, n in counts.items()
        ],
        id=counts_id,
        className="list-inline review-summary mb-2",
    )


DECISION_ROW_LIMIT = 50
"""Rows per kind of decision sent to the browser (docs/performance.md): at 10,000 projects the
full lists were megabytes of HTML."""


def decisions_card(
    items: pd.DataFrame,
    counts: dict[str, int],
    titles: dict[str, str],
    *,
    currency: str,
    section_id: str,
    counts_id: str,
    note: str,
) -> dbc.Card:
    """The "Decisions for this meeting" card: the counts, then one table per kind of item."""
    body: list = [decision_counts_line(counts, counts_id=counts_id)]
    for kind, title in titles.items():
        group = items.loc[(items["kind"] == kind).to_numpy()]
        body.append(html.H6(f"{title} ({len(group)})", className="mt-3"))
        if group.empty:
            body.append(html.P("None.", className="text-muted small mb-0"))
            continue
        body.append(_decision_table(kind, group.head(DECISION_ROW_LIMIT), currency))
        if len(group) > DECISION_ROW_LIMIT:
            body.append(
                html.Small(
                    f"The first {DECISION_ROW_LIMIT:,} of {len(group):,} are shown; choose a "
                    "division to narrow the list.",
                    className="text-muted d-block mt-1",
                )
            )
    body.append(html.P(note, className="small text-muted mt-2 mb-0"))
    total = int(sum(counts.values()))
    return dbc.Card(
        [
            dbc.CardHeader(
                [
                    html.Span("Decisions for this meeting", className="fw-semibold me-2"),
                    dbc.Badge(f"{total}", color="danger" if total else "secondary"),
                ]
            ),
            dbc.CardBody(body),
        ],
        id=section_id,
        className="review-section mb-3 shadow-sm",
    )


def _decision_table(kind: str, group: pd.DataFrame, currency: str) -> dbc.Table:
    def text(value: object) -> str:
        return value if isinstance(value, str) else ""

    def subject(row) -> str:
        return f"{row.subject_id} {text(row.name)}".strip()

    if kind == "request":
        header = ["Request", "Division", "Score", "Cost", "Benefit", "Recommendation"]
        rows = [
            [
                subject(r),
                text(r.division),
                f"{r.score:.1f}",
                money(r.cost, currency),
                money(r.benefit, currency),
                text(r.recommendation),
            ]
            for r in group.itertuples(index=False)
        ]
    elif kind == "money_rise":
        header = ["Project", "Division", "Rise", "Question", "Detail"]
        rows = [
            [
                r.subject_id,
                text(r.division),
                format_size(r.change_pct, "money"),
                r.question,
                text(r.name),
            ]
            for r in group.itertuples(index=False)
        ]
    elif kind == "red_no_action":
        header = ["Project", "Division", "Question"]
        rows = [[subject(r), text(r.division), r.question] for r in group.itertuples(index=False)]
    else:
        header = ["Subject", "Division", "Owner", "Due", "Action"]
        rows = [
            [
                subject(r),
                text(r.division),
                text(r.owner),
                "" if pd.isna(r.due_date) else f"{r.due_date:%Y-%m-%d}",
                r.question,
            ]
            for r in group.itertuples(index=False)
        ]
    return dbc.Table(
        [
            html.Thead(html.Tr([html.Th(h) for h in header])),
            html.Tbody([html.Tr([html.Td(c) for c in row]) for row in rows]),
        ],
        size="sm",
        striped=True,
        responsive=True,  # scrolls inside its card on a phone, not the page
        className="review-table mb-0",
    )


def actions_table(
    actions: pd.DataFrame, *, section_id: str, ids: object | None = None, can_record: bool = False
) -> dbc.Card:
    """Actions recorded at reviews up to the end date: overdue, open, done.

    With ``ids`` (``ReviewIds``) the card exports the decisions log (CSV/XLSX); with
    ``can_record`` too, each open or overdue action has its own "Done" button, so closing one
    action leaves the subject's other actions open.
    """
    buttons = can_record and ids is not None
    states = actions["state"].value_counts() if len(actions) else pd.Series(dtype="int64")
    summary = ", ".join(f"{int(states.get(s, 0))} {s}" for s in ("overdue", "open", "done"))
    if actions.empty:
        body: object = html.P(
            "No action has been recorded at a review yet.", className="text-muted mb-0"
        )
    else:
        header = ["State", "Subject", "Division", "Owner", "Due", "Action"]
        header += [""] if buttons else []
        rows = [
            html.Tr(
                [
                    html.Td(r.state),
                    html.Td(f"{r.subject_id} {r.name if isinstance(r.name, str) else ''}".strip()),
                    html.Td(r.division if isinstance(r.division, str) else ""),
                    html.Td(r.owner if isinstance(r.owner, str) else ""),
                    html.Td("" if pd.isna(r.due_date) else f"{r.due_date:%Y-%m-%d}"),
                    html.Td(r.note if isinstance(r.note, str) else ""),
                    *([_done_cell(r, ids)] if buttons else []),
                ]
            )
            for r in actions.itertuples(index=False)
        ]
        body = dbc.Table(
            [html.Thead(html.Tr([html.Th(h) for h in header])), html.Tbody(rows)],
            size="sm",
            striped=True,
            responsive=True,
            className="review-table mb-0",
        )
    return dbc.Card(
        [
            dbc.CardHeader(
                [
                    html.Span("Actions from earlier reviews", className="fw-semibold me-2"),
                    html.Small(summary, className="text-muted"),
                ]
            ),
            dbc.CardBody(
                [
                    body,
                    # In the body, not the grey header: the outline buttons keep their contrast.
                    html.Div(
                        [
                            html.Small("Decisions log:", className="me-2"),
                            export_buttons(
                                ids.LOG_EXPORT_CSV, ids.LOG_EXPORT_XLSX, ids.LOG_DOWNLOAD
                            ),
                        ],
                        className="mt-2 d-flex align-items-center d-print-none",
                    ),
                    html.Div(id=ids.ACTION_STATUS, className="mt-2"),
                ]
                if ids is not None
                else body
            ),
        ],
        id=section_id,
        className="review-section mb-3 shadow-sm",
    )


def _done_cell(row: object, ids: object) -> html.Td:
    """A "Done" button for an open or overdue action (nothing for a done one)."""
    action_id = getattr(row, "decision_id", "")
    if getattr(row, "done", False) or not isinstance(action_id, str) or not action_id:
        return html.Td("")
    return html.Td(
        dbc.Button(
            "Done",
            id={"type": ids.ACTION_DONE, "index": action_id},
            size="sm",
            color="success",
            outline=True,
            className="py-0",
            title=f"Mark action {action_id} done (this action only)",
        ),
        className="d-print-none",
    )


def executive_summary_card(
    summary: object | None, *, ids: object, can_write: bool, key: str
) -> dbc.Card:
    """The PMO's short summary of the month, first thing on the page (and in print).

    Shown as text (Dash escapes it; line breaks kept by CSS), with who wrote it and when. The
    PMO gets a box to write or rewrite it; everyone else only reads it.
    """
    text = getattr(summary, "text", None)
    byline = (
        f"Written by {summary.by} on {summary.at:%Y-%m-%d %H:%M}"
        + (f" · {summary.versions} versions" if summary.versions > 1 else "")
        if summary is not None
        else ""
    )
    shown = (
        html.P(
            text,
            id=ids.EXEC_SUMMARY_TEXT,
            className="mb-1 review-summary",
            style={"whiteSpace": "pre-wrap", "overflowWrap": "anywhere"},
        )
        if text
        else html.P(
            "No executive summary has been written for this month and scope yet.",
            id=ids.EXEC_SUMMARY_TEXT,
            className="text-muted mb-1",
        )
    )
    editor = (
        html.Div(
            [
                dcc.Store(id=ids.EXEC_SUMMARY_KEY, data=key),
                dbc.Label(
                    "Write the summary (PMO)", html_for=ids.EXEC_SUMMARY_INPUT, className="small"
                ),
                dbc.Textarea(id=ids.EXEC_SUMMARY_INPUT, value=text or "", maxLength=2000, rows=3),
                dbc.Button(
                    "Save the summary",
                    id=ids.EXEC_SUMMARY_SAVE,
                    color="primary",
                    size="sm",
                    className="mt-2",
                ),
                html.Div(id=ids.EXEC_SUMMARY_STATUS, className="mt-2"),
            ],
            className="mt-2 d-print-none",
        )
        if can_write
        else None
    )
    return dbc.Card(
        [
            dbc.CardHeader(html.Span("Executive summary", className="fw-semibold")),
            dbc.CardBody([shown, html.Small(byline, className="text-muted"), editor]),
        ],
        id=ids.EXEC_SUMMARY,
        className="review-section mb-3 shadow-sm",
    )


def record_form(subjects: list[dict[str, str]], *, ids, key: str) -> dbc.Card:
    """Record a decision or an action (PMO, or a division manager for their division)."""
    return dbc.Card(
        [
            dbc.CardHeader(html.Span("Record a decision or action", className="fw-semibold")),
            dbc.CardBody(
                [
                    dcc.Store(id=ids.RECORD_KEY, data=key),
                    dbc.Row(
                        [
                            dbc.Col(
                                [
                                    dbc.Label("About", html_for=ids.RECORD_SUBJECT),
                                    dcc.Dropdown(
                                        id=ids.RECORD_SUBJECT,
                                        options=subjects,
                                        placeholder="Request or project",
                                    ),
                                ],
                                md=4,
                            ),
                            dbc.Col(
                                [
                                    dbc.Label("Decision", html_for=ids.RECORD_DECISION),
                                    dbc.RadioItems(
                                        id=ids.RECORD_DECISION,
                                        options=[
                                            {"label": "Approve", "value": "approve"},
                                            {"label": "Defer", "value": "defer"},
                                            {"label": "Reject", "value": "reject"},
                                            {"label": "Action", "value": "action"},
                                            {"label": "Done", "value": "done"},
                                        ],
                                        value="action",
                                        inline=True,
                                    ),
                                ],
                                md=4,
                            ),
                            dbc.Col(
                                [
                                    dbc.Label("Owner", html_for=ids.RECORD_OWNER),
                                    dbc.Input(id=ids.RECORD_OWNER, type="text", maxLength=200),
                                ],
                                md=2,
                            ),
                            dbc.Col(
                                [
                                    dbc.Label("Due", html_for=ids.RECORD_DUE),
                                    dbc.Input(id=ids.RECORD_DUE, type="date"),
                                ],
                                md=2,
                            ),
                        ],
                        className="g-2",
                    ),
                    dbc.Label("Note", html_for=ids.RECORD_NOTE, className="mt-2"),
                    dbc.Textarea(id=ids.RECORD_NOTE, maxLength=1000, rows=2),
                    dbc.Button("Record", id=ids.RECORD_BUTTON, color="primary", className="mt-2"),
                    html.Div(id=ids.RECORD_STATUS, className="mt-2"),
                ]
            ),
        ],
        className="review-section mb-3 shadow-sm d-print-none",
    )
