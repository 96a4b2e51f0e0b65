"""The review's changes between two dates, computed once per data version, dates and divisions.

Glue only: read both "as of" states (portfolio, snapshot, capacity model), scope them to the
divisions, and call the rules in ``dashboard.analytics.review*`` (docs/analytics.md §6).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from dashboard import db
from dashboard.analytics import capacity as capacity_rules
from dashboard.analytics import review as review_rules
from dashboard.analytics import review_sections as sections
from dashboard.analytics.health import summarise_portfolio
from dashboard.analytics.review_meeting import awaiting_decision
from dashboard.config import get_standards
from dashboard.services import capacity as capacity_service
from dashboard.services import derived
from dashboard.services.portfolio import portfolio
from dashboard.services.review_url import ReviewState


@dataclass(frozen=True)
class Review:
    """One review: the changes between two dates and the portfolio at both.

    Attributes:
        state: Divisions and dates.
        changes: ``enrich_changes`` output: every change with ``section``, ``division``,
            ``size`` (days for slips, percent for money moves).
        awaiting: ``awaiting_decision`` output at the later date.
        health_before: Computed health at ``start`` (open projects, filtered).
        health_after: The same at ``end``.
        summary_before: ``summarise_portfolio`` of ``health_before``.
        summary_after: The same at ``end``.
        hot_before: Over-allocated role-months in the window, as known at ``start``.
        hot_after: The same as known at ``end``.
        horizon_months: The capacity window (months from ``end``'s month).
    """

    state: ReviewState
    changes: pd.DataFrame
    awaiting: pd.DataFrame
    health_before: pd.DataFrame
    health_after: pd.DataFrame
    summary_before: dict
    summary_after: dict
    hot_before: int
    hot_after: int
    horizon_months: int
    version: int = 0


def review(state: ReviewState) -> Review:
    """The review for ``state``; computed once per data version, dates and divisions.

    Stored per (version, standards) for every process (``derived``).

    Raises:
        db.NoData: Nothing has been published yet.
    """
    with db.snapshot() as snap:
        key = ("review", state.start, state.end, state.divisions)
        return derived.derived(snap.version, key, lambda: _build(snap, state))


@dataclass(frozen=True)
class _Scope:
    """Keeps the rows of the review's divisions (every row when none is chosen)."""

    divisions: tuple[str, ...]
    project_ids: set[str]

    def projects(self, frame: pd.DataFrame) -> pd.DataFrame:
        if not self.divisions:
            return frame
        return frame.loc[frame["project_id"].isin(self.project_ids).to_numpy()]

    def requests(self, frame: pd.DataFrame) -> pd.DataFrame:
        if not self.divisions:
            return frame
        return frame.loc[frame["division"].isin(self.divisions).to_numpy()]


def _build(snap: db.Snapshot, state: ReviewState) -> Review:
    before, after = portfolio(state.start), portfolio(state.end)
    ids = sections.project_ids_in(before.projects, after.projects, state.divisions)
    scope = _Scope(state.divisions, ids)
    health_before, health_after = scope.projects(before.health), scope.projects(after.health)
    projects_before, projects_after = (
        scope.projects(before.projects),
        scope.projects(after.projects),
    )
    requests_after = scope.requests(snap.requests(state.end))
    horizon = capacity_service.HORIZON_MONTHS
    cap_before = _hot_window(state.start, state.end, state.divisions, horizon)
    cap_after = _hot_window(state.end, state.end, state.divisions, horizon)
    standards = get_standards()
    deltas = review_rules.review_deltas(
        health_before,
        health_after,
        projects_before=projects_before,
        projects_after=projects_after,
        milestones_before=scope.projects(snap.milestones(state.start)),
        milestones_after=scope.projects(snap.milestones(state.end)),
        requests_before=scope.requests(snap.requests(state.start)),
        requests_after=requests_after,
        rules=standards.review,
        currency=standards.loading.currency,
        closed_stages=standards.reporting.closed_stages,
        capacity_before=cap_before,
        capacity_after=cap_after,
        capacity_by="role",
    )
    slips = review_rules.finish_slips(
        health_before, health_after, standards.review.milestone_slip_days
    )
    parts = [frame for frame in (deltas, slips) if len(frame)]
    changes = sections.enrich_changes(
        pd.concat(parts, ignore_index=True) if len(parts) > 1 else (parts or [deltas])[0],
        projects_before=projects_before,
        projects_after=projects_after,
        health_before=health_before,
        health_after=health_after,
        requests=requests_after,
    )
    return Review(
        state=state,
        changes=changes,
        awaiting=awaiting_decision(requests_after, state.end),
        health_before=health_before,
        health_after=health_after,
        summary_before=summarise_portfolio(health_before),
        summary_after=summarise_portfolio(health_after),
        hot_before=sections.hot_count(cap_before),
        hot_after=sections.hot_count(cap_after),
        horizon_months=horizon,
        version=snap.version,
    )


def _hot_window(
    known_at: date, window_start: date, divisions: tuple[str, ...], horizon: int
) -> pd.DataFrame:
    """Role utilisation as known at ``known_at``, over the window that starts at ``window_start``.

    Both dates are compared on the same months, so the horizon moving on is not a "change".
    """
    model = capacity_service.capacity_model(known_at, divisions, pipeline=False)
    window = capacity_rules.month_range(window_start, horizon)
    by_role = model.by_role
    return by_role.loc[by_role["month"].isin(window).to_numpy()].reset_index(drop=True)
