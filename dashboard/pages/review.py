"""Monthly review: decisions for this meeting first, then exceptions, then the portfolio.

Defaults to the last closed month, with month to date one click away (see
``dashboard.services.review``); the division and both dates live in the URL
(``?division=Finance&from=2026-09-30``). The pack button downloads the PowerPoint pack of exactly
this view (``dashboard.pack``); the browser's print-to-PDF prints the page (assets/pmo.css).
"""

from __future__ import annotations

import uuid
from datetime import date

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, callback, dcc, html, no_update

from dashboard import db, pack
from dashboard.components import review_forms as forms
from dashboard.components import review_meeting as meeting_blocks
from dashboard.components import review_sections as blocks
from dashboard.components.footer import stale_notice
from dashboard.components.notices import no_data_notice
from dashboard.config import get_settings, get_standards
from dashboard.exports import download, export_context
from dashboard.figures import review as figures
from dashboard.formats import GRAPH_CONFIG
from dashboard.ids import AppIds
from dashboard.ids import ReviewIds as ids
from dashboard.layout_cache import cached_layout
from dashboard.services import review as services
from dashboard.url_state import carried_query, query_from_search
from loaders import app_writes
from loaders.publish import PublishError

dash.register_page(
    __name__, path="/review", name="Monthly review", title="PMO Lens · Monthly review", order=6
)

CHART_STYLE = {"width": "1000px", "maxWidth": "100%"}
"""A fixed chart width that fits an A4 landscape page (273 mm = 1,032 px inside 12 mm margins):
a chart drawn at the window's width is cut, not shrunk, when printed (assets/pmo.css)."""


def layout(**query: str) -> dbc.Container:
    """The review the URL asks for: meeting first, then exceptions, then the portfolio."""
    today = get_settings().as_of_default()
    try:
        view = services.review_view(query, today)
    except db.NoData as exc:
        return no_data_notice(str(exc))
    state = view.review.state
    meeting = services.meeting(state)
    return dbc.Container(
        [
            *_header(view, meeting, today),
            *_meeting_blocks(state, meeting),
            *_review_body(**query),
        ],
        fluid=True,
        className="review-print",
    )


@cached_layout("review-body")
def _review_body(**query: str) -> list:
    """Exceptions and the portfolio summary: the heavy part, kept per version and query.

    The header and the meeting blocks are built per visit: their forms carry a fresh
    idempotency key each time (docs/performance.md, "Rendered pages").
    """
    view = services.review_view(query, get_settings().as_of_default())
    meeting = services.meeting(view.review.state)
    return [
        *_exception_blocks(view.review, carried_query(query)),
        *_portfolio_blocks(view.review, meeting),
    ]


def _header(view: services.ReviewView, meeting: services.Meeting, today: date) -> list:
    """Controls, the period switch with the pack button, and the printed heading."""
    state = view.review.state
    switch = meeting_blocks.period_switch(
        services.period_links(state, today),
        services.active_period(state, today),
        closed_id=ids.PERIOD_CLOSED,
        mtd_id=ids.PERIOD_MTD,
    )
    pack_button = dbc.Button(
        "Download the pack (PowerPoint)",
        id=ids.EXPORT_PPTX,
        color="secondary",
        outline=True,
        size="sm",
        className="ms-2",
    )
    return [
        blocks.review_controls(
            view.options,
            state,
            today=today,
            division_id=ids.DIVISION,
            from_id=ids.FROM,
            to_id=ids.TO,
            export_ids=(ids.EXPORT_CSV, ids.EXPORT_XLSX, ids.DOWNLOAD),
        ),
        html.Div(
            [switch, pack_button, dcc.Download(id=ids.DOWNLOAD_PPTX)],
            className="d-flex align-items-center mb-3 d-print-none",
        ),
        blocks.review_heading(state, title_id=ids.TITLE, version=meeting.version),
    ]


def _meeting_blocks(state: services.ReviewState, meeting: services.Meeting) -> list:
    """The executive summary, the decisions, the earlier actions and the record form."""
    can_record = services.can_record()
    return [
        forms.executive_summary_card(
            services.executive_summary(state),
            ids=ids,
            can_write=services.can_write_summary(),
            key=uuid.uuid4().hex,
        ),
        meeting_blocks.decisions_card(
            meeting.decisions,
            meeting.counts,
            services.DECISION_TITLES,
            currency=get_standards().loading.currency,
            section_id=ids.DECISIONS,
            counts_id=ids.DECISION_COUNTS,
            note=services.decisions_note(meeting),
        ),
        meeting_blocks.actions_table(
            meeting.actions, section_id=ids.ACTIONS, ids=ids, can_record=can_record
        ),
        (
            forms.record_form(services.decision_subjects(meeting), ids=ids, key=uuid.uuid4().hex)
            if can_record
            else None
        ),
    ]


def _exception_blocks(review: services.Review, link_query: str) -> list:
    """The headline counts, then one card per section of changes."""
    since = blocks.day_label(review.state.start)
    return [
        html.H3("Exceptions", className="h4 mt-4 review-page-break"),
        blocks.exception_summary(services.exception_counts(review.changes), summary_id=ids.SUMMARY),
        *[_section(review, section, since, link_query) for section in services.SECTIONS],
    ]


def _portfolio_blocks(review: services.Review, meeting: services.Meeting) -> list:
    """KPI tiles at both dates, health by division and the 12-month trend."""
    state = review.state
    since = blocks.day_label(state.start)
    division_chart = figures.division_health_comparison(
        review.health_before,
        review.health_after,
        before_label=since,
        after_label=blocks.day_label(state.end),
        title="Computed health by division at both dates",
    )
    trend_chart = figures.portfolio_trend(
        meeting.trend, title="Computed health at each month-end (12 months)"
    )
    return [
        html.H3("Portfolio summary", className="h4 mt-4 review-page-break"),
        dbc.Row(
            blocks.review_kpis(review.summary_before, review.summary_after, before_label=since),
            id=ids.KPI_ROW,
            className="mb-3",
        ),
        stale_notice(review.version, db.data_version()),
        *[
            dcc.Graph(
                id=graph_id,
                config=GRAPH_CONFIG,
                figure=figure,
                className="review-chart",
                style=CHART_STYLE,
            )
            for graph_id, figure in (
                (ids.DIVISION_CHART, division_chart),
                (ids.TREND_CHART, trend_chart),
            )
        ],
    ]


def _section(
    review: services.Review, section: services.Section, since: str, link_query: str
) -> dbc.Card:
    extra = None
    if section.key == "capacity":
        extra = blocks.capacity_note(
            review.hot_before, review.hot_after, review.horizon_months, since
        )
    return blocks.change_section(
        section.title,
        services.section_changes(review.changes, section),
        section_id=ids.section(section.key),
        empty=section.empty,
        size_label=section.size_label,
        before=extra,
        changes_heading="Decided and submitted this period" if section.key == "decisions" else None,
        link_query=link_query,
        limit=services.SECTION_ROW_LIMIT,
    )


@callback(
    Output(AppIds.URL, "search", allow_duplicate=True),
    Input(ids.DIVISION, "value"),
    Input(ids.FROM, "value"),
    Input(ids.TO, "value"),
    State(AppIds.URL, "search"),
    prevent_initial_call=True,
)
def on_review_change(
    divisions: list[str] | None, start: str | None, end: str | None, search: str | None
) -> str:
    """Put the chosen division and dates in the URL (Pages then rebuilds the review)."""
    today = get_settings().as_of_default()
    options = services.current_options(today)
    new = services.review_search(divisions, start, end, options, today)
    return no_update if new == (search or "") else new


def _export_inputs(csv_id: str, xlsx_id: str) -> tuple:
    """The two export buttons and the URL: every export exports the review the URL shows."""
    return Input(csv_id, "n_clicks"), Input(xlsx_id, "n_clicks"), State(AppIds.URL, "search")


def _export(search: str | None, xlsx_id: str, what: str, stem: str, frame_of) -> dict:
    """One export of the review shown, CSV or XLSX as clicked, with what it shows recorded.

    ``frame_of`` builds the exported frame from the ``ReviewView``; formula injection is
    neutralised by ``dashboard.exports.download``.
    """
    view = services.review_view(query_from_search(search), get_settings().as_of_default())
    state = view.review.state
    fmt = "xlsx" if dash.ctx.triggered_id == xlsx_id else "csv"
    context = export_context(
        what.format(start=state.start.isoformat(), end=state.end.isoformat()),
        ", ".join(state.divisions) or "All divisions",
        state.end,
        data_version=db.data_version(),
        currency=get_standards().loading.currency,
    )
    return download(frame_of(view), stem=stem, as_of=state.end, fmt=fmt, context=context)


@callback(
    Output(ids.DOWNLOAD, "data"),
    *_export_inputs(ids.EXPORT_CSV, ids.EXPORT_XLSX),
    prevent_initial_call=True,
)
def on_export(_csv: int | None, _xlsx: int | None, search: str | None) -> dict:
    """Download every change of the review shown (formula injection neutralised)."""
    return _export(
        search,
        ids.EXPORT_XLSX,
        "Monthly review changes, {start} to {end}",
        "review-changes",
        lambda view: services.changes_export(view.review.changes),
    )


@callback(
    Output(ids.DOWNLOAD_PPTX, "data"),
    Input(ids.EXPORT_PPTX, "n_clicks"),
    State(AppIds.URL, "search"),
    prevent_initial_call=True,
)
def on_pack(_clicks: int | None, search: str | None) -> dict:
    """Download the PowerPoint pack of exactly the review shown (same period and divisions)."""
    view = services.review_view(query_from_search(search), get_settings().as_of_default())
    document = services.review_document(view.review.state)
    return dcc.send_bytes(pack.build_pack(document), pack.pack_filename(document))


@callback(
    Output(ids.RECORD_STATUS, "children"),
    Output(ids.RECORD_KEY, "data"),
    Input(ids.RECORD_BUTTON, "n_clicks"),
    State(ids.RECORD_SUBJECT, "value"),
    State(ids.RECORD_DECISION, "value"),
    State(ids.RECORD_OWNER, "value"),
    State(ids.RECORD_DUE, "value"),
    State(ids.RECORD_NOTE, "value"),
    State(ids.RECORD_KEY, "data"),
    State(AppIds.URL, "search"),
    prevent_initial_call=True,
)
def on_record(
    _clicks: int | None,
    subject: str | None,
    decision: str | None,
    owner: str | None,
    due: str | None,
    note: str | None,
    key: str | None,
    search: str | None,
) -> tuple:
    """Record the decision for the signed-in user; every value is checked again on the server."""
    kind, subject_id = services.parse_subject(subject)
    try:
        due_date = date.fromisoformat(due) if due else None
    except (TypeError, ValueError):
        return dbc.Alert("The due date is not a date.", color="danger"), no_update
    submitted = app_writes.DecisionInput(kind, subject_id, decision or "", owner, due_date, note)
    try:
        result = services.record_decision(submitted, key=str(key or uuid.uuid4().hex))
    except (services.DecisionRefused, app_writes.DecisionError, PublishError) as exc:
        return dbc.Alert(str(exc), color="danger"), no_update
    text = f"Recorded {result.decision_id}: {decision} on {subject_id}"
    if result.replay:
        text = f"Already recorded as {result.decision_id}"
    if result.request_status:
        text += f"; the request is now {result.request_status}"
    return _refresh(text, search), uuid.uuid4().hex


def _refresh(text: str, search: str | None) -> dbc.Alert:
    """A success message with the link that rebuilds the review with the new version."""
    return dbc.Alert(
        [f"{text}. ", dcc.Link("Refresh the review", href=f"/review{search or ''}", refresh=True)],
        color="success",
    )


@callback(
    Output(ids.EXEC_SUMMARY_STATUS, "children"),
    Output(ids.EXEC_SUMMARY_KEY, "data"),
    Output(ids.EXEC_SUMMARY_TEXT, "children"),
    Input(ids.EXEC_SUMMARY_SAVE, "n_clicks"),
    State(ids.EXEC_SUMMARY_INPUT, "value"),
    State(ids.EXEC_SUMMARY_KEY, "data"),
    State(AppIds.URL, "search"),
    prevent_initial_call=True,
)
def on_summary(_clicks: int | None, text: str | None, key: str | None, search: str | None):
    """Save the executive summary of the review shown (the PMO only, checked on the server)."""
    view = services.review_view(query_from_search(search), get_settings().as_of_default())
    try:
        result = services.record_summary(
            view.review.state, text or "", key=str(key or uuid.uuid4().hex)
        )
    except (services.DecisionRefused, app_writes.DecisionError, PublishError) as exc:
        return dbc.Alert(str(exc), color="danger"), no_update, no_update
    label = "Already saved" if result.replay else f"Summary saved ({result.decision_id})"
    return _refresh(label, search), uuid.uuid4().hex, (text or "").strip()


@callback(
    Output(ids.ACTION_STATUS, "children"),
    Input({"type": ids.ACTION_DONE, "index": ALL}, "n_clicks"),
    State(AppIds.URL, "search"),
    prevent_initial_call=True,
)
def on_action_done(clicks: list, search: str | None):
    """Mark the one action whose button was pressed done (checked again on the server)."""
    trigger = dash.ctx.triggered_id
    if not isinstance(trigger, dict) or not any(clicks or ()):
        return no_update
    action_id = str(trigger.get("index", ""))
    try:
        # One key per action: pressing twice records it once.
        result = services.mark_action_done(action_id, key=f"action-done:{action_id}")
    except (services.DecisionRefused, app_writes.DecisionError, PublishError) as exc:
        return dbc.Alert(str(exc), color="danger")
    label = f"{action_id} was already done" if result.replay else f"{action_id} marked done"
    return _refresh(label, search)


@callback(
    Output(ids.LOG_DOWNLOAD, "data"),
    *_export_inputs(ids.LOG_EXPORT_CSV, ids.LOG_EXPORT_XLSX),
    prevent_initial_call=True,
)
def on_log_export(_csv: int | None, _xlsx: int | None, search: str | None) -> dict:
    """Download the decisions log up to the review's end (formula injection neutralised)."""
    return _export(
        search,
        ids.LOG_EXPORT_XLSX,
        "Decisions and actions log up to {end}",
        "review-decisions-log",
        lambda view: services.log_export(services.decisions_log(view.review.state)),
    )
