"""Forms of the Monthly review: the PMO's executive summary and "record a decision or action".

What a user types is shown as text, never HTML; every value is checked again on the server
(``dashboard.services.review_records``).
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html


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
                    _record_fields(subjects, ids),
                    dbc.Label("Note", html_for=ids.RECORD_NOTE, className="mt-2"),
                    dbc.Textarea(id=ids.RECORD_NOTE, maxLength=1000, rows=2),
                    dbc.Button("Record", id=ids.RECORD_BUTTON, color="primary", className="mt-2"),
                    html.Div(id=ids.RECORD_STATUS, className="mt-2"),
                ]
            ),
        ],
        className="review-section mb-3 shadow-sm d-print-none",
    )


DECISION_OPTIONS = [
    {"label": "Approve", "value": "approve"},
    {"label": "Defer", "value": "defer"},
    {"label": "Reject", "value": "reject"},
    {"label": "Action", "value": "action"},
    {"label": "Done", "value": "done"},
]
"""What can be recorded (``loaders/app_writes.py`` ``DECISIONS``), in words."""


def _record_fields(subjects: list[dict[str, str]], ids) -> dbc.Row:
    """About what, which decision, the owner and the due date, side by side."""

    def field(label: str, control: object, component_id: str, md: int) -> dbc.Col:
        return dbc.Col([dbc.Label(label, html_for=component_id), control], md=md)

    subject = dcc.Dropdown(
        id=ids.RECORD_SUBJECT, options=subjects, placeholder="Request or project"
    )
    decision = dbc.RadioItems(
        id=ids.RECORD_DECISION, options=DECISION_OPTIONS, value="action", inline=True
    )
    return dbc.Row(
        [
            field("About", subject, ids.RECORD_SUBJECT, 4),
            field("Decision", decision, ids.RECORD_DECISION, 4),
            field(
                "Owner",
                dbc.Input(id=ids.RECORD_OWNER, type="text", maxLength=200),
                ids.RECORD_OWNER,
                2,
            ),
            field("Due", dbc.Input(id=ids.RECORD_DUE, type="date"), ids.RECORD_DUE, 2),
        ],
        className="g-2",
    )
