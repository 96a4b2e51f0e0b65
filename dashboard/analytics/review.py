"""What changed between two as-of dates, for the monthly review: one record per change.

Kinds (``exception`` marks what leadership must look at; exceptions sort first):

| kind | when | exception |
|---|---|---|
| ``new_red`` | overall health is red now and was not (or the project is new) | yes |
| ``eac_move`` | forecast cost (EAC) moved by >= ``money_move_pct`` % | when it rose |
| ``milestone_slip`` | an open milestone moved later by >= ``milestone_slip_days`` | yes |
| ``capacity_hotspot_new`` | a role(/level)-month is now over or critical and was not | yes |
| ``rag_change`` | any other change of overall health (unknown included) | when it worsened |
| ``closed_project`` | moved into a closed stage, or left the register | no |
| ``new_project`` | in the register now, not before | no |
| ``budget_move`` | budget moved by >= ``money_move_pct`` % (or was set/removed) | no |
| ``request_decided`` | a request's status became approved, rejected or deferred | no |
| ``new_request`` | a request appeared | no |
| ``recovered`` | overall was red and is now green or amber | no |
| ``capacity_hotspot_cleared`` | a hot role-month (still in range) is no longer over | no |

Forecast-finish slips of projects (``finish_slip``, the same threshold as milestone slips) come
from :func:`finish_slips`: the register's forecast finish is where most schedule slips show.

The caller loads the "as of" snapshots of both dates; health and capacity come from
``assess_health`` and ``capacity.utilisation`` at each date. The detectors of each kind are in
``review_changes``; sections, sizes and the meeting's decisions in ``review_sections`` and
``review_meeting`` (docs/analytics.md §6).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from dashboard import formats
from dashboard.analytics import review_changes as detect
from dashboard.analytics._checks import require_columns
from dashboard.analytics.review_changes import COLUMNS
from dashboard.analytics.review_lookup import column_by_id, project_label, project_names
from dashboard.standards import ReviewRules

__all__ = ["COLUMNS", "KIND_ORDER", "finish_slips", "review_deltas"]

KIND_ORDER: tuple[str, ...] = (
    "new_red",
    "eac_move",
    "milestone_slip",
    "capacity_hotspot_new",
    "rag_change",
    "closed_project",
    "new_project",
    "budget_move",
    "request_decided",
    "new_request",
    "recovered",
    "capacity_hotspot_cleared",
)
"""Every kind of change, in the order they are listed (after exceptions first)."""

_NEEDS = (
    ("projects", {"project_id", "stage", "budget", "forecast_cost"}),
    ("milestones", {"project_id", "milestone", "baseline_date", "forecast_date", "actual_date"}),
    ("requests", {"request_id", "status"}),
)


def review_deltas(
    health_before: pd.DataFrame,
    health_after: pd.DataFrame,
    *,
    projects_before: pd.DataFrame,
    projects_after: pd.DataFrame,
    milestones_before: pd.DataFrame,
    milestones_after: pd.DataFrame,
    requests_before: pd.DataFrame,
    requests_after: pd.DataFrame,
    rules: ReviewRules,
    currency: str,
    closed_stages: Sequence[str] = ("closed", "cancelled", "completed"),
    capacity_before: pd.DataFrame | None = None,
    capacity_after: pd.DataFrame | None = None,
    capacity_by: str = "role",
) -> pd.DataFrame:
    """List every change worth reporting between the two dates.

    Args:
        health_before: ``assess_health`` at the earlier date; needs ``project_id``, ``overall``;
            ``forecast_cost`` is used when present (else the register's).
        health_after: The same at the later date.
        projects_before: Register snapshot; needs ``project_id``, ``stage``, ``budget``,
            ``forecast_cost``; ``name`` when present.
        projects_after: The same at the later date.
        milestones_before: Needs ``project_id``, ``milestone``, ``baseline_date``,
            ``forecast_date``, ``actual_date``.
        milestones_after: The same at the later date.
        requests_before: Needs ``request_id``, ``status``; ``title`` when present.
        requests_after: The same at the later date.
        rules: Review thresholds from ``pmo.toml``.
        currency: ISO code of the money named in the details (``[loading].currency``).
        closed_stages: Stages that mean a project is closed.
        capacity_before: Optional ``capacity.utilisation`` output at the earlier date.
        capacity_after: The same at the later date.
        capacity_by: The level column of the capacity frames (``role`` by default).

    Returns:
        One row per change (:data:`COLUMNS`; ``subject_type`` is project, request or the capacity
        level): exceptions first, then in :data:`KIND_ORDER`, then by subject.
    """
    _require_inputs(
        health=(health_before, health_after),
        projects=(projects_before, projects_after),
        milestones=(milestones_before, milestones_after),
        requests=(requests_before, requests_after),
    )
    names = project_names(projects_after, projects_before)
    records = [
        *detect.project_changes(projects_before, projects_after, closed_stages, names),
        *detect.health_changes(health_before, health_after, names),
        *detect.money_changes(
            health_before, health_after, projects_before, projects_after, rules, names, currency
        ),
        *detect.milestone_changes(milestones_before, milestones_after, rules, names),
        *detect.request_changes(requests_before, requests_after),
        *_capacity_changes(capacity_before, capacity_after, capacity_by),
    ]
    return _ordered(pd.DataFrame(records, columns=list(COLUMNS)))


def _require_inputs(**pairs: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    """Name the missing columns of any input frame (both dates of health, register, ...)."""
    for frame, name in zip(pairs["health"], ("health_before", "health_after"), strict=True):
        require_columns(frame, {"project_id", "overall"}, fn=f"review_deltas({name})")
    for key, needs in _NEEDS:
        for frame in pairs[key]:
            require_columns(frame, needs, fn="review_deltas")


def _capacity_changes(
    before: pd.DataFrame | None, after: pd.DataFrame | None, by: str
) -> list[detect.Record]:
    """Hot spots appearing and clearing, when both capacity frames are given."""
    if before is None or after is None:
        return []
    return detect.capacity_changes(before, after, by)


def _ordered(result: pd.DataFrame) -> pd.DataFrame:
    """The records typed and in reading order; an empty frame keeps the columns and types."""
    if result.empty:
        return pd.DataFrame(
            {c: pd.Series(dtype="bool" if c == "exception" else "str") for c in COLUMNS}
        )
    order = {kind: i for i, kind in enumerate(KIND_ORDER)}
    result["exception"] = result["exception"].astype(bool)
    for column in ("kind", "subject_type", "subject_id", "before", "after", "detail"):
        result[column] = result[column].astype("str")
    result = result.assign(_order=result["kind"].map(order))
    result = result.sort_values(
        ["exception", "_order", "subject_id"], ascending=[False, True, True], kind="stable"
    )
    return result.drop(columns="_order").reset_index(drop=True)


def finish_slips(
    health_before: pd.DataFrame, health_after: pd.DataFrame, min_days: int
) -> pd.DataFrame:
    """Projects whose forecast finish moved later by at least ``min_days``.

    Args:
        health_before: ``assess_health`` rows; needs ``project_id``, ``forecast_finish``;
            ``name`` when present.
        health_after: The same at the later date.
        min_days: Smallest move reported (``[review].milestone_slip_days``).

    Returns:
        Rows shaped like :func:`review_deltas` output (kind ``finish_slip``, an exception).
    """
    was = pd.to_datetime(column_by_id(health_before, "project_id", "forecast_finish"))
    now = pd.to_datetime(column_by_id(health_after, "project_id", "forecast_finish"))
    both = pd.DataFrame({"before": was, "after": now}).dropna()
    moved = both.loc[((both["after"] - both["before"]).dt.days >= min_days).to_numpy()]
    if moved.empty:
        return pd.DataFrame([], columns=list(COLUMNS)).astype({"exception": bool})
    # Whole columns and plain lists, not rows of a frame: at 10,000 projects a loop over frame
    # rows took half a second.
    names = project_names(health_after)
    ids = [str(pid) for pid in moved.index]
    before = [formats.day(d) for d in moved["before"]]
    after = [formats.day(d) for d in moved["after"]]
    days = (moved["after"] - moved["before"]).dt.days.astype("int64").tolist()
    detail = [
        f"Forecast finish of {project_label(pid, names)} moved {n} days later ({a} → {b})."
        for pid, n, a, b in zip(ids, days, before, after, strict=True)
    ]
    out = pd.DataFrame(
        {
            "kind": "finish_slip",
            "exception": True,
            "subject_type": "project",
            "subject_id": ids,
            "before": before,
            "after": after,
            "detail": detail,
        },
        columns=list(COLUMNS),
    )
    return out.astype({"exception": bool})
