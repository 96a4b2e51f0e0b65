"""What the signed-in user records at the review: decisions, actions done, the summary.

Every write is checked here, on the server, whatever the page showed: the PMO records for every
division, a division manager for their own only, a viewer records nothing; only the PMO writes
the executive summary. The writes themselves are loads (``loaders/app_writes.py``, docs/review.md
"Decisions and actions log").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from dashboard import db
from dashboard.config import get_settings
from dashboard.scope import current_scope
from dashboard.services.review_meeting import Meeting
from dashboard.services.review_url import ReviewState
from loaders import app_writes

RECORDING_ROLES = ("pmo", "division_manager")
"""Roles that may record decisions (a division manager for their own divisions only)."""
SUMMARY_ROLES = ("pmo",)
"""Roles that may write the executive summary (the PMO's voice, for every division)."""


class DecisionRefused(ValueError):
    """The signed-in user may not record this decision (checked on the server)."""


@dataclass(frozen=True)
class _Recorder:
    """Who records, for which divisions (None = every division), and when."""

    user: str
    allowed: tuple[str, ...] | None
    now: datetime


def _recorder(roles: tuple[str, ...], refusal: str, now: datetime | None) -> _Recorder:
    """The signed-in user as a recorder, or :class:`DecisionRefused` when the role may not."""
    scope = current_scope()
    if scope.role not in roles:
        raise DecisionRefused(refusal)
    allowed = None if scope.role == "pmo" and scope.divisions is None else scope.divisions or ()
    # The app's "today" (pinned in tests and demos; the real date otherwise), at this time.
    when = now or datetime.combine(get_settings().as_of_default(), datetime.now().time())
    return _Recorder(user=scope.user or "local user", allowed=allowed, now=when)


def can_record() -> bool:
    """Whether the signed-in user may record decisions (the form is shown only then)."""
    return current_scope().role in RECORDING_ROLES


def can_write_summary() -> bool:
    """Whether the signed-in user may write the executive summary (the PMO)."""
    return current_scope().role in SUMMARY_ROLES


def record_decision(
    submitted: app_writes.DecisionInput, *, key: str, now: datetime | None = None
) -> app_writes.WriteResult:
    """Record a decision for the signed-in user, within the divisions they may record for.

    The subject's division is read from the data by the writer, so a forged callback naming
    another division's request is refused there.

    Raises:
        DecisionRefused: The user's role may not record decisions.
        app_writes.DecisionError: Invalid decision or another division's subject.
        publish.PublishError: The new version could not be written.
    """
    who = _recorder(RECORDING_ROLES, "your role may view the review but not record decisions", now)
    return app_writes.record_decision(
        get_settings().data_dir,
        submitted,
        user=who.user,
        key=key,
        allowed_divisions=who.allowed,
        now=who.now,
    )


def mark_action_done(
    action_id: str, *, key: str, now: datetime | None = None
) -> app_writes.WriteResult:
    """Mark one action done for the signed-in user (who may record for its division).

    Raises:
        DecisionRefused: The user's role may not record decisions.
        app_writes.DecisionError: Unknown action, or another division's.
        publish.PublishError: The new version could not be written.
    """
    who = _recorder(RECORDING_ROLES, "your role may view the review but not record decisions", now)
    return app_writes.record_action_done(
        get_settings().data_dir,
        action_id,
        user=who.user,
        key=key,
        allowed_divisions=who.allowed,
        now=who.now,
    )


def record_summary(
    state: ReviewState, text: str, *, key: str, now: datetime | None = None
) -> app_writes.WriteResult:
    """Save the executive summary of the review shown, for the signed-in PMO user.

    Raises:
        DecisionRefused: The user is not the PMO.
        app_writes.DecisionError: Empty or too long text.
        publish.PublishError: The new version could not be written.
    """
    who = _recorder(SUMMARY_ROLES, "only the PMO writes the executive summary", now)
    return app_writes.record_summary(
        get_settings().data_dir,
        state.end,
        state.divisions,
        text,
        user=who.user,
        key=key,
        now=who.now,
    )


@dataclass(frozen=True)
class ExecutiveSummary:
    """The PMO's latest summary of a review (month and scope), and who wrote it when.

    Attributes:
        text: The summary as written (shown as text, never as HTML).
        by: Who wrote it.
        at: When.
        versions: How many times it has been saved (earlier wordings stay in the log).
    """

    text: str
    by: str
    at: datetime
    versions: int


def executive_summary(state: ReviewState) -> ExecutiveSummary | None:
    """The latest executive summary for the review's end date and divisions, if any.

    Read from the decisions log whatever the date it was written: a November review's summary
    is written in early December, after the period it describes.

    Raises:
        db.NoData: Nothing has been published yet.
    """
    subject = app_writes.summary_subject(state.end, state.divisions)
    with db.snapshot() as snap:
        log = snap.decisions(date.max)
    rows = log.loc[
        ((log["decision"] == app_writes.SUMMARY) & (log["subject_id"] == subject)).to_numpy()
    ]
    if rows.empty:
        return None
    last = rows.sort_values(["decided_at", "decision_id"], kind="stable").iloc[-1]
    return ExecutiveSummary(
        text=str(last["note"] or ""),
        by=str(last["decided_by"]),
        at=pd.Timestamp(last["decided_at"]).to_pydatetime(),
        versions=len(rows),
    )


def decision_subjects(meeting_data: Meeting) -> list[dict[str, str]]:
    """Options of the "record a decision" form: every item of the meeting, and every action.

    The value is ``request:REQ-001`` or ``project:PRJ-127``; it is only a choice for the form:
    the writer checks the subject and its division again on the server.
    """
    out: dict[str, str] = {}
    for row in meeting_data.decisions.itertuples(index=False):
        kind = row.subject_type
        name = row.name if isinstance(row.name, str) and row.kind != "money_rise" else ""
        out.setdefault(f"{kind}:{row.subject_id}", f"{row.subject_id} {name}".strip())
    for row in meeting_data.actions.itertuples(index=False):
        name = row.name if isinstance(row.name, str) else ""
        out.setdefault(f"{row.subject_type}:{row.subject_id}", f"{row.subject_id} {name}".strip())
    return [{"label": label, "value": value} for value, label in out.items()]


def parse_subject(value: object) -> tuple[str, str]:
    """``("request", "REQ-001")`` from a form value; ``("", "")`` when it is not one."""
    if not isinstance(value, str) or ":" not in value:
        return "", ""
    kind, _, subject = value.partition(":")
    return kind, subject
