"""What the review meeting decides and the trend it looks at: one source for page, pack and JSON.

Glue only: the intake recommendation, the RAID log and the decisions log are read here; the
rules that turn them into decision items, actions and the trend are in
``dashboard.analytics.review_meeting`` and ``review_actions`` (docs/review.md "What the page
shows, in meeting order").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from dashboard import db, formats
from dashboard.analytics import review_actions as actions_rules
from dashboard.analytics import review_meeting as meeting_rules
from dashboard.analytics.review_periods import trend_dates
from dashboard.config import get_standards
from dashboard.services.cache import cached
from dashboard.services.portfolio import portfolio
from dashboard.services.review_changes import review
from dashboard.services.review_url import ReviewState


@dataclass(frozen=True)
class Meeting:
    """What the meeting decides and the trend it looks at: one source for page, pack and JSON.

    Attributes:
        decisions: ``meeting_decisions`` output (every item to decide).
        counts: Items per decision kind (from ``decisions``, so counts and lists agree).
        trend: ``rag_trend`` at the month-ends up to the review's end.
        budget: The budget the intake recommendation was computed for.
        capacity_used: Whether role-by-month capacity constrained the recommendation.
        actions: ``action_log``: actions recorded at reviews up to the end, done/open/overdue.
        version: The data version it was computed from (printed in the review's header).
    """

    decisions: pd.DataFrame
    counts: dict[str, int]
    trend: pd.DataFrame
    budget: float
    capacity_used: bool
    actions: pd.DataFrame
    version: int


def meeting(state: ReviewState) -> Meeting:
    """Decisions for this meeting and the 12-month trend, for ``state``; cached per version.

    Raises:
        db.NoData: Nothing has been published yet.
    """
    with db.snapshot() as snap:
        key = ("review-meeting", snap.version, state.start, state.end, state.divisions)
        return cached(key, lambda: _build_meeting(snap, state))


def portfolio_trend(end: date, divisions: tuple[str, ...]) -> pd.DataFrame:
    """Computed red/amber/green counts of open projects at each of ``trend_dates``.

    Divisions are judged at each date (a project counts where it sat then).
    """
    health = {}
    for day in trend_dates(end):
        frame = portfolio(day).health
        if divisions:
            frame = frame.loc[frame["division"].isin(divisions).to_numpy()]
        health[day] = frame
    return meeting_rules.rag_trend(health)


def _build_meeting(snap: db.Snapshot, state: ReviewState) -> Meeting:
    from dashboard.analytics.filters import FilterState
    from dashboard.services import intake as intake_service
    from dashboard.url_state import ViewState

    the_review = review(state)
    data = intake_service.intake_data(state.end)
    view = intake_service.IntakeView(
        data=data, state=ViewState(filters=FilterState(divisions=state.divisions), as_of=state.end)
    )
    budget = intake_service.default_budget(view)
    recommendation = intake_service.recommend(view, data.weights, budget=budget)
    raid = meeting_rules.raid_of(snap.raid(state.end), the_review.health_after)
    actions = earlier_actions(state)
    decisions = meeting_rules.meeting_decisions(
        candidates=meeting_rules.meeting_candidates(recommendation.table, data.requests),
        money_moves=meeting_rules.money_moves(the_review.changes),
        health_after=the_review.health_after,
        with_recovery=meeting_rules.recovery_actions(raid, state.end),
        actions=actions,
        as_of=state.end,
        budget_rise_pct=get_standards().review.budget_rise_pct,
    )
    return Meeting(
        decisions=decisions,
        counts=meeting_rules.decision_counts(decisions),
        trend=portfolio_trend(state.end, state.divisions),
        budget=budget,
        capacity_used=recommendation.capacity_used,
        actions=actions,
        version=int(snap.version),
    )


def _log_and_names(state: ReviewState) -> tuple[pd.DataFrame, dict[str, str]]:
    """The decisions log up to the review's end, in its divisions, and every subject's name."""
    with db.snapshot() as snap:
        log = snap.decisions(state.end)
        requests = snap.requests(state.end)
    names = actions_rules.subject_names(requests, portfolio(state.end).projects)
    return actions_rules.in_divisions(log, state.divisions), names


def earlier_actions(state: ReviewState) -> pd.DataFrame:
    """Actions recorded at reviews up to the review's end, each done, open or overdue.

    Read from the decisions log (``loaders/app_writes.py``) in the review's divisions.

    Raises:
        db.NoData: Nothing has been published yet.
    """
    log, names = _log_and_names(state)
    return actions_rules.action_log(log, names, state.end)


def decisions_log(state: ReviewState) -> pd.DataFrame:
    """Every decision, action, done and summary recorded up to the review's end, oldest first.

    In the review's divisions (all of them when none is chosen), with the subject's name.

    Raises:
        db.NoData: Nothing has been published yet.
    """
    log, names = _log_and_names(state)
    return actions_rules.named_log(log, names)


def decisions_note(meeting_data: Meeting) -> str:
    """How the items were chosen, in one sentence each (printed under the decisions)."""
    standards = get_standards()
    scope = "budget and role-by-month capacity" if meeting_data.capacity_used else "budget"
    budget = formats.money(meeting_data.budget, standards.loading.currency)
    return (
        f"Recommendations: the optimal selection of the requests awaiting a decision under a "
        f"budget of {budget} ({scope}), as on the Intake page. Rises of at "
        f"least {standards.review.budget_rise_pct:g}% are put to the meeting. A recovery action "
        "is an open RAID issue with an owner, due on or after the review date."
    )
