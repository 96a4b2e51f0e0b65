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

The caller loads the "as of" snapshots of both dates; health and capacity come from
``assess_health`` and ``capacity.utilisation`` at each date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from dashboard import vocabulary
from dashboard.analytics._checks import require_columns, to_dates, to_float, to_text
from dashboard.analytics.rag import UNKNOWN, rag_label, to_rag
from dashboard.standards import ReviewRules

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

COLUMNS = ("kind", "exception", "subject_type", "subject_id", "before", "after", "detail")
_DECIDED = ("approved", "rejected", "deferred")
_HOT = ("over", "critical")


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
        closed_stages: Stages that mean a project is closed.
        capacity_before: Optional ``capacity.utilisation`` output at the earlier date.
        capacity_after: The same at the later date.
        capacity_by: The level column of the capacity frames (``role`` by default).

    Returns:
        One row per change: ``kind``, ``exception`` (bool), ``subject_type`` (project / request /
        the capacity level), ``subject_id``, ``before``, ``after`` (text), ``detail`` (one
        sentence); exceptions first, then in :data:`KIND_ORDER`, then by subject.
    """
    for frame, name in ((health_before, "health_before"), (health_after, "health_after")):
        require_columns(frame, {"project_id", "overall"}, fn=f"review_deltas({name})")
    for frame in (projects_before, projects_after):
        require_columns(
            frame, {"project_id", "stage", "budget", "forecast_cost"}, fn="review_deltas"
        )
    for frame in (milestones_before, milestones_after):
        require_columns(
            frame,
            {"project_id", "milestone", "baseline_date", "forecast_date", "actual_date"},
            fn="review_deltas",
        )
    for frame in (requests_before, requests_after):
        require_columns(frame, {"request_id", "status"}, fn="review_deltas")

    names = _names(projects_after, projects_before)
    records: list[dict[str, object]] = []
    records += _project_changes(projects_before, projects_after, closed_stages, names)
    records += _health_changes(health_before, health_after, names)
    records += _money_changes(
        health_before, health_after, projects_before, projects_after, rules, names
    )
    records += _milestone_changes(milestones_before, milestones_after, rules, names)
    records += _request_changes(requests_before, requests_after)
    if capacity_before is not None and capacity_after is not None:
        records += _capacity_changes(capacity_before, capacity_after, capacity_by)

    result = pd.DataFrame(records, columns=list(COLUMNS))
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


# --------------------------------------------------------------------------------------------
# helpers


def _record(
    kind: str,
    exception: bool,
    subject_type: str,
    subject_id: str,
    before: str,
    after: str,
    detail: str,
) -> dict[str, object]:
    return {
        "kind": kind,
        "exception": bool(exception),
        "subject_type": subject_type,
        "subject_id": str(subject_id),
        "before": before,
        "after": after,
        "detail": detail,
    }


def _names(*projects: pd.DataFrame) -> dict[str, str]:
    names: dict[str, str] = {}
    for frame in reversed(projects):
        if "name" in frame.columns:
            for pid, name in zip(frame["project_id"], frame["name"], strict=True):
                if isinstance(name, str) and name:
                    names[str(pid)] = name
    return names


def _label(pid: str, names: dict[str, str]) -> str:
    name = names.get(str(pid))
    return f"{pid} {name}" if name else str(pid)


def _project_changes(
    before: pd.DataFrame, after: pd.DataFrame, closed_stages: Sequence[str], names: dict[str, str]
) -> list[dict[str, object]]:
    closed = {s.strip().lower() for s in closed_stages}
    stage_before = _by_id(before, "project_id", to_text(before["stage"]))
    stage_after = _by_id(after, "project_id", to_text(after["stage"]))
    out = []
    for pid in stage_after.index.difference(stage_before.index):
        stage = stage_after[pid]
        out.append(
            _record(
                "new_project",
                False,
                "project",
                pid,
                "",
                _text(stage),
                f"{_label(pid, names)} is new in the register (stage {_text(stage) or 'not set'}).",
            )
        )
    for pid in stage_before.index:
        was = stage_before[pid]
        if isinstance(was, str) and was in closed:
            continue
        if pid not in stage_after.index:
            out.append(
                _record(
                    "closed_project",
                    False,
                    "project",
                    pid,
                    _text(was),
                    "",
                    f"{_label(pid, names)} is no longer in the register.",
                )
            )
            continue
        now = stage_after[pid]
        if isinstance(now, str) and now in closed:
            out.append(
                _record(
                    "closed_project",
                    False,
                    "project",
                    pid,
                    _text(was),
                    now,
                    f"{_label(pid, names)} moved to stage '{now}'.",
                )
            )
    return out


def _health_changes(
    before: pd.DataFrame, after: pd.DataFrame, names: dict[str, str]
) -> list[dict[str, object]]:
    was = _by_id(before, "project_id", rag_label(to_rag(before["overall"])))
    now = _by_id(after, "project_id", rag_label(to_rag(after["overall"])))
    reasons = (
        _by_id(after, "project_id", after["overall_reason"])
        if "overall_reason" in after.columns
        else pd.Series(dtype="str")
    )
    rank = {UNKNOWN: -1, "green": 0, "amber": 1, "red": 2}
    out = []
    for pid, rag in now.items():
        prior = was.get(pid)
        why = reasons.get(pid)
        because = f"; {why}" if isinstance(why, str) and why else ""
        label = _label(pid, names)
        if rag == "red" and prior != "red":
            start = "new project" if prior is None else prior
            out.append(
                _record(
                    "new_red",
                    True,
                    "project",
                    pid,
                    prior or "",
                    rag,
                    f"{label} is now red, was {start}{because}.",
                )
            )
        elif prior is None or rag == prior:
            continue
        elif prior == "red":
            out.append(
                _record(
                    "recovered",
                    False,
                    "project",
                    pid,
                    prior,
                    rag,
                    f"{label} recovered from red to {rag}.",
                )
            )
        else:
            worse = rank[rag] > rank[prior]
            out.append(
                _record(
                    "rag_change",
                    worse and rag != UNKNOWN,
                    "project",
                    pid,
                    prior,
                    rag,
                    f"{label} went from {prior} to {rag}{because if worse else ''}.",
                )
            )
    return out


def _money_changes(
    health_before: pd.DataFrame,
    health_after: pd.DataFrame,
    projects_before: pd.DataFrame,
    projects_after: pd.DataFrame,
    rules: ReviewRules,
    names: dict[str, str],
) -> list[dict[str, object]]:
    out = []
    budget_before = _by_id(projects_before, "project_id", to_float(projects_before["budget"]))
    budget_after = _by_id(projects_after, "project_id", to_float(projects_after["budget"]))
    eac_before = _eac(health_before, projects_before)
    eac_after = _eac(health_after, projects_after)
    for kind, was, now, what in (
        ("budget_move", budget_before, budget_after, "Budget"),
        ("eac_move", eac_before, eac_after, "Forecast cost (EAC)"),
    ):
        common = was.index.intersection(now.index)
        for pid in common:
            a, b = was[pid], now[pid]
            if np.isnan(a) and np.isnan(b):
                continue
            label = _label(pid, names)
            if np.isnan(a) or np.isnan(b):
                detail = (
                    f"{what} of {label} set to {b:,.0f}."
                    if np.isnan(a)
                    else f"{what} of {label} removed (was {a:,.0f})."
                )
                out.append(_record(kind, False, "project", pid, _money(a), _money(b), detail))
                continue
            change = (b - a) / abs(a) * 100 if a != 0 else (np.inf if b != a else 0.0)
            if abs(change) < rules.money_move_pct or a == b:
                continue
            direction = "rose" if b > a else "fell"
            pct = f"{abs(change):.0f}%" if np.isfinite(change) else "from zero"
            out.append(
                _record(
                    kind,
                    kind == "eac_move" and b > a,
                    "project",
                    pid,
                    _money(a),
                    _money(b),
                    f"{what} of {label} {direction} {pct}, from {a:,.0f} to {b:,.0f}.",
                )
            )
    return out


def _eac(health: pd.DataFrame, projects: pd.DataFrame) -> pd.Series:
    register = _by_id(projects, "project_id", to_float(projects["forecast_cost"]))
    if "forecast_cost" not in health.columns:
        return register
    computed = _by_id(health, "project_id", to_float(health["forecast_cost"]))
    return computed.combine_first(register)


def _milestone_changes(
    before: pd.DataFrame, after: pd.DataFrame, rules: ReviewRules, names: dict[str, str]
) -> list[dict[str, object]]:
    def effective(frame: pd.DataFrame) -> pd.DataFrame:
        forecast = to_dates(frame["forecast_date"])
        baseline = to_dates(frame["baseline_date"])
        return pd.DataFrame(
            {
                "project_id": frame["project_id"].astype("str").to_numpy(),
                "milestone": frame["milestone"].astype("str").to_numpy(),
                "date": forecast.where(forecast.notna(), baseline).to_numpy(),
                "achieved": to_dates(frame["actual_date"]).notna().to_numpy(),
            }
        ).drop_duplicates(["project_id", "milestone"])

    merged = effective(before).merge(
        effective(after), on=["project_id", "milestone"], suffixes=("_before", "_after")
    )
    slipped = merged.loc[
        (~merged["achieved_before"]).to_numpy()
        & ((merged["date_after"] - merged["date_before"]).dt.days >= rules.milestone_slip_days)
        .fillna(False)
        .to_numpy()
    ]
    out = []
    for row in slipped.itertuples(index=False):
        days = (row.date_after - row.date_before).days
        out.append(
            _record(
                "milestone_slip",
                True,
                "project",
                row.project_id,
                f"{row.date_before:%Y-%m-%d}",
                f"{row.date_after:%Y-%m-%d}",
                f"Milestone '{row.milestone}' of {_label(row.project_id, names)} moved "
                f"{days} days later ({row.date_before:%d %b %Y} → {row.date_after:%d %b %Y}).",
            )
        )
    return out


def _request_changes(before: pd.DataFrame, after: pd.DataFrame) -> list[dict[str, object]]:
    was = _by_id(before, "request_id", to_text(before["status"]))
    now = _by_id(after, "request_id", to_text(after["status"]))
    titles = (
        _by_id(after, "request_id", after["title"])
        if "title" in after.columns
        else pd.Series(dtype="str")
    )
    out = []
    for rid, status in now.items():
        title = titles.get(rid)
        label = f"{rid} {title}" if isinstance(title, str) and title else str(rid)
        if rid not in was.index:
            out.append(
                _record(
                    "new_request",
                    False,
                    "request",
                    rid,
                    "",
                    _text(status),
                    f"Request {label} was submitted (status {_status_words(status)}).",
                )
            )
            continue
        prior = was[rid]
        if status in _DECIDED and status != prior:
            out.append(
                _record(
                    "request_decided",
                    False,
                    "request",
                    rid,
                    _text(prior),
                    status,
                    f"Request {label} was {_status_words(status).lower()} "
                    f"(was {_status_words(prior).lower()}).",
                )
            )
    return out


def _capacity_changes(
    before: pd.DataFrame, after: pd.DataFrame, by: str
) -> list[dict[str, object]]:
    require_columns(before, {by, "month", "band", "utilisation"}, fn="review_deltas")
    require_columns(after, {by, "month", "band", "utilisation"}, fn="review_deltas")

    def key(frame: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame(
            {
                by: frame[by].astype("str").to_numpy(),
                "month": pd.to_datetime(frame["month"]).to_numpy(),
                "hot": frame["band"].isin(_HOT).to_numpy(),
                "utilisation": to_float(frame["utilisation"]).to_numpy(),
            }
        ).drop_duplicates([by, "month"])

    merged = key(before).merge(
        key(after), on=[by, "month"], how="right", suffixes=("_before", "_after"), indicator=True
    )
    was_hot = merged["hot_before"].fillna(False).astype(bool).to_numpy()
    now_hot = merged["hot_after"].astype(bool).to_numpy()
    out = []
    for i in np.flatnonzero(now_hot != was_hot):
        row = merged.iloc[i]
        subject = row[by]
        month = pd.Timestamp(row["month"])
        a = row["utilisation_before"]
        b = row["utilisation_after"]
        if now_hot[i]:
            out.append(
                _record(
                    "capacity_hotspot_new",
                    True,
                    by,
                    subject,
                    _pct(a),
                    _pct(b),
                    f"{subject} is over-allocated in {month:%b %Y} ({_usage(b)}"
                    + (f", was {_usage(a)})." if not pd.isna(a) else ")."),
                )
            )
        elif row["_merge"] == "both":
            out.append(
                _record(
                    "capacity_hotspot_cleared",
                    False,
                    by,
                    subject,
                    _pct(a),
                    _pct(b),
                    f"{subject} is no longer over-allocated in {month:%b %Y} "
                    f"({_usage(b)}, was {_usage(a)}).",
                )
            )
    return out


def _by_id(frame: pd.DataFrame, id_column: str, values: pd.Series) -> pd.Series:
    series = pd.Series(values.to_numpy(), index=frame[id_column].astype("str").to_numpy())
    return series[~series.index.duplicated(keep="last")]


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _status_words(value: object) -> str:
    """A request status in the words every page uses (``under_review`` -> "Under review")."""
    return vocabulary.label("request_status", value) if _text(value) else "not set"


def _money(value: float) -> str:
    return "" if np.isnan(value) else f"{value:,.0f}"


def _usage(value: float) -> str:
    if pd.isna(value):
        return "no data"
    return "demand with no supply" if np.isinf(value) else f"{value:.0%} utilised"


def _pct(value: float) -> str:
    if pd.isna(value):
        return ""
    return "no supply" if np.isinf(value) else f"{value:.0%}"


# --------------------------------------------------------------------------------------------
# portfolio trend and the meeting's decisions

TREND_COLUMNS = ("date", "green", "amber", "red", "unknown", "projects")
DECISION_KINDS: tuple[str, ...] = ("request", "money_rise", "red_no_action", "overdue_action")
"""What leadership is asked to decide, in the order the meeting takes them."""
DECISION_COLUMNS = (
    "kind",
    "subject_type",
    "subject_id",
    "name",
    "division",
    "question",
    "score",
    "cost",
    "benefit",
    "recommendation",
    "change_pct",
    "owner",
    "due_date",
)
_RECOVERY_TYPES = ("issue",)


def rag_trend(health_by_date: Mapping[dt.date, pd.DataFrame]) -> pd.DataFrame:
    """Computed overall health counted at each date (the portfolio trend of the review).

    Args:
        health_by_date: ``assess_health`` rows (open projects, already scoped) per date; needs
            ``overall`` (NA = unknown).

    Returns:
        One row per date, oldest first: ``date`` (Timestamp), ``green``, ``amber``, ``red``,
        ``unknown`` and ``projects`` (their sum) as integers.
    """
    rows = []
    for day in sorted(health_by_date):
        frame = health_by_date[day]
        require_columns(frame, {"overall"}, fn="rag_trend")
        labels = rag_label(to_rag(frame["overall"]))
        counts = {rag: int((labels == rag).sum()) for rag in ("green", "amber", "red")}
        counts["unknown"] = int(len(frame) - sum(counts.values()))
        rows.append({"date": pd.Timestamp(day), **counts, "projects": len(frame)})
    out = pd.DataFrame(rows, columns=list(TREND_COLUMNS))
    return out.astype(dict.fromkeys(TREND_COLUMNS[1:], "int64"))


def recovery_actions(raid: pd.DataFrame, as_of: dt.date) -> set[str]:
    """Projects with a live recovery action: an open RAID issue, owned, due on/after ``as_of``.

    An issue is the RAID type that records something already going wrong and what is done about
    it; without an owner or with its due date passed, nobody is visibly acting on it.

    Args:
        raid: RAID rows as of the date; needs ``project_id``, ``raid_type``, ``status``,
            ``owner``, ``due_date``.
        as_of: The review's later date.
    """
    require_columns(
        raid, {"project_id", "raid_type", "status", "owner", "due_date"}, fn="recovery_actions"
    )
    kind = to_text(raid["raid_type"]).str.lower()
    status = to_text(raid["status"]).str.lower()
    owner = to_text(raid["owner"]).str.strip()
    due = to_dates(raid["due_date"])
    live = (
        kind.isin(_RECOVERY_TYPES).fillna(False)
        & (status == "open").fillna(False)
        & (owner.fillna("") != "")
        & (due >= pd.Timestamp(as_of)).fillna(False)
    )
    return set(raid.loc[live.to_numpy(), "project_id"].astype("str"))


def meeting_decisions(
    *,
    candidates: pd.DataFrame,
    money_moves: pd.DataFrame,
    health_after: pd.DataFrame,
    with_recovery: set[str],
    actions: pd.DataFrame,
    as_of: dt.date,
    budget_rise_pct: float,
) -> pd.DataFrame:
    """Everything the meeting must decide, one row per item: the single source of counts and lists.

    Args:
        candidates: Requests awaiting a decision, scored, with the optimal selection's verdict;
            needs ``request_id``, ``title``, ``division``, ``score``, ``estimated_cost``,
            ``expected_benefit``, ``decision``. A request is *ready* when it has a score and a
            cost (the ones without cannot be ranked, so they are not put to the meeting).
        money_moves: Review changes of kind ``budget_move`` / ``eac_move``; needs ``kind``,
            ``subject_id``, ``division``, ``size`` (percent; +inf from zero), ``detail``.
        health_after: Computed health at the later date; needs ``project_id``, ``overall``;
            ``name``, ``division`` and ``overall_reason`` when present.
        with_recovery: Project ids that have a live recovery action (:func:`recovery_actions`).
        actions: Actions decided at earlier reviews (:func:`action_log`); needs
            ``subject_type``, ``subject_id``, ``name``, ``division``, ``owner``, ``due_date``,
            ``note``, ``done`` (bool).
        as_of: The review's later date: an open action due before it is overdue.
        budget_rise_pct: A budget or EAC rise of at least this percentage needs approval.

    Returns:
        :data:`DECISION_COLUMNS`, in :data:`DECISION_KINDS` order: requests by score (best
        first), money rises by size, reds by id, overdue actions oldest due first.
    """
    require_columns(
        candidates,
        {"request_id", "title", "division", "score", "estimated_cost", "expected_benefit"},
        fn="meeting_decisions(candidates)",
    )
    require_columns(candidates, {"decision"}, fn="meeting_decisions(candidates)")
    require_columns(
        money_moves, {"kind", "subject_id", "division", "size", "detail"}, fn="meeting_decisions"
    )
    require_columns(health_after, {"project_id", "overall"}, fn="meeting_decisions")
    require_columns(
        actions,
        {"subject_type", "subject_id", "name", "division", "owner", "due_date", "note", "done"},
        fn="meeting_decisions(actions)",
    )
    parts = [
        _request_items(candidates),
        _money_items(money_moves, budget_rise_pct),
        _red_items(health_after, with_recovery),
        _overdue_items(actions, as_of),
    ]
    out = (
        pd.concat([p for p in parts if len(p)], ignore_index=True)
        if any(len(p) for p in parts)
        else parts[0]
    )
    return out[list(DECISION_COLUMNS)].reset_index(drop=True)


def decision_counts(items: pd.DataFrame) -> dict[str, int]:
    """How many items of each :data:`DECISION_KINDS` (zeros included) in ``meeting_decisions``."""
    return {kind: int((items["kind"] == kind).sum()) for kind in DECISION_KINDS}


def _items(frame: dict[str, object], n: int) -> pd.DataFrame:
    data = {c: frame.get(c, [None] * n) for c in DECISION_COLUMNS}
    out = pd.DataFrame(data, columns=list(DECISION_COLUMNS))
    for column in ("score", "cost", "benefit", "change_pct"):
        out[column] = pd.to_numeric(out[column], errors="coerce").astype("float64")
    out["due_date"] = pd.to_datetime(out["due_date"])
    return out


def _request_items(candidates: pd.DataFrame) -> pd.DataFrame:
    score = to_float(candidates["score"])
    cost = to_float(candidates["estimated_cost"])
    ready = candidates.loc[(score.notna() & cost.notna()).to_numpy()]
    ready = ready.assign(_score=to_float(ready["score"]))
    ready = ready.sort_values(
        ["_score", "request_id"], ascending=[False, True], kind="stable", ignore_index=True
    )
    n = len(ready)
    return _items(
        {
            "kind": ["request"] * n,
            "subject_type": ["request"] * n,
            "subject_id": ready["request_id"].astype("str").tolist(),
            "name": ready["title"].tolist(),
            "division": ready["division"].tolist(),
            "question": ["Approve, defer or reject the request?"] * n,
            "score": ready["_score"].tolist(),
            "cost": to_float(ready["estimated_cost"]).tolist(),
            "benefit": to_float(ready["expected_benefit"]).tolist(),
            "recommendation": [
                "approve" if d in ("chosen", "forced in") else "do not approve now"
                for d in ready["decision"]
            ],
        },
        n,
    )


def _money_items(moves: pd.DataFrame, threshold: float) -> pd.DataFrame:
    size = to_float(moves["size"])
    rises = moves.loc[
        (moves["kind"].isin(("budget_move", "eac_move")) & (size >= threshold)).to_numpy()
    ]
    rises = rises.assign(_size=to_float(rises["size"])).sort_values(
        ["_size", "subject_id"], ascending=[False, True], kind="stable", ignore_index=True
    )
    n = len(rises)
    what = {"budget_move": "budget", "eac_move": "forecast cost (EAC)"}
    return _items(
        {
            "kind": ["money_rise"] * n,
            "subject_type": ["project"] * n,
            "subject_id": rises["subject_id"].astype("str").tolist(),
            "name": rises["detail"].tolist(),
            "division": rises["division"].tolist(),
            "question": [f"Approve the rise in {what[k]}?" for k in rises["kind"]],
            "change_pct": rises["_size"].tolist(),
        },
        n,
    )


def _red_items(health: pd.DataFrame, with_recovery: set[str]) -> pd.DataFrame:
    red = rag_label(to_rag(health["overall"])) == "red"
    ids = health["project_id"].astype("str")
    rows = health.loc[(red & ~ids.isin(with_recovery)).to_numpy()]
    rows = rows.assign(_id=rows["project_id"].astype("str")).sort_values("_id", kind="stable")
    n = len(rows)
    reason = (
        rows["overall_reason"].fillna("").astype("str").tolist()
        if "overall_reason" in rows.columns
        else [""] * n
    )
    return _items(
        {
            "kind": ["red_no_action"] * n,
            "subject_type": ["project"] * n,
            "subject_id": rows["_id"].tolist(),
            "name": rows["name"].tolist() if "name" in rows.columns else [None] * n,
            "division": rows["division"].tolist() if "division" in rows.columns else [None] * n,
            "question": [
                "Red with no live recovery action: who acts, by when?"
                + (f" ({why})" if why else "")
                for why in reason
            ],
        },
        n,
    )


def _overdue_items(actions: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    due = to_dates(actions["due_date"])
    done = actions["done"].fillna(False).astype(bool)
    late = actions.loc[((due < pd.Timestamp(as_of)).fillna(False) & ~done).to_numpy()]
    late = late.assign(_due=to_dates(late["due_date"])).sort_values(
        ["_due", "subject_id"], kind="stable", ignore_index=True
    )
    n = len(late)
    return _items(
        {
            "kind": ["overdue_action"] * n,
            "subject_type": late["subject_type"].astype("str").tolist(),
            "subject_id": late["subject_id"].astype("str").tolist(),
            "name": late["name"].tolist(),
            "division": late["division"].tolist(),
            "question": [
                f"Overdue action: {note}" if isinstance(note, str) and note else "Overdue action"
                for note in late["note"]
            ],
            "owner": late["owner"].tolist(),
            "due_date": late["_due"].tolist(),
        },
        n,
    )


def division_rag_counts(health_by_label: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Computed overall health per division at each labelled date (the "by division" chart).

    Args:
        health_by_label: ``assess_health`` rows per date label (e.g. ``{"31 Oct 2026": ...}``);
            needs ``division`` (missing = "(no division)") and ``overall``.

    Returns:
        One row per division and label, divisions sorted, labels in the given order:
        ``division``, ``date``, ``green``, ``amber``, ``red``, ``unknown`` (integers).
    """
    rows = []
    labels = list(health_by_label)
    divisions = sorted(
        {
            str(d) if isinstance(d, str) else "(no division)"
            for frame in health_by_label.values()
            for d in frame["division"]
        }
    )
    for division in divisions:
        for label in labels:
            frame = health_by_label[label]
            require_columns(frame, {"division", "overall"}, fn="division_rag_counts")
            names = frame["division"].where(frame["division"].notna(), "(no division)")
            rag = rag_label(to_rag(frame.loc[(names == division).to_numpy(), "overall"]))
            counts = {v: int((rag == v).sum()) for v in ("green", "amber", "red")}
            counts["unknown"] = len(rag) - sum(counts.values())
            rows.append({"division": division, "date": label, **counts})
    columns = ["division", "date", "green", "amber", "red", "unknown"]
    return pd.DataFrame(rows, columns=columns).astype(
        dict.fromkeys(("green", "amber", "red", "unknown"), "int64")
    )


ACTION_STATES = ("overdue", "open", "done")


def action_log(decisions: pd.DataFrame, names: Mapping[str, str], as_of: dt.date) -> pd.DataFrame:
    """Actions recorded at reviews up to ``as_of``, each done, open or overdue.

    An action is done once a ``done`` decision on the same subject, or on the action itself
    (subject id = the action's ``decision_id``), is recorded after it (and by ``as_of``);
    otherwise it is overdue when its due date is before ``as_of``, else open.

    Args:
        decisions: The review log (``decisions`` rows); needs ``subject_id``, ``division``,
            ``decision``, ``owner``, ``due_date``, ``note``, ``decided_at``.
        names: Subject id -> name (project or request title), for the lists.
        as_of: The review's later date.

    Returns:
        ``decision_id`` ("" when the log has none), ``subject_type``, ``subject_id``, ``name``,
        ``division``, ``owner``, ``due_date``, ``note``, ``done``, ``state``
        (:data:`ACTION_STATES`); overdue first, then open, then done; by due date.
    """
    require_columns(
        decisions,
        {
            "subject_type",
            "subject_id",
            "division",
            "decision",
            "owner",
            "due_date",
            "note",
            "decided_at",
        },
        fn="action_log",
    )
    stamp = pd.Timestamp(as_of)
    decided = to_dates(decisions["decided_at"])
    known = decisions.loc[(decided.dt.normalize() <= stamp).fillna(False).to_numpy()]
    kind = to_text(known["decision"])
    actions = known.loc[(kind == "action").fillna(False).to_numpy()]
    closes = known.loc[(kind == "done").fillna(False).to_numpy()]
    last_done = (
        pd.Series(
            to_dates(closes["decided_at"]).to_numpy(), index=closes["subject_id"].astype("str")
        )
        .groupby(level=0)
        .max()
    )
    subject = actions["subject_id"].astype("str")
    # A dict, not the series: mapping through an empty datetime series casts to float and fails.
    closed_at = pd.to_datetime(subject.map(last_done.to_dict()), errors="coerce")
    done = (closed_at >= to_dates(actions["decided_at"])).fillna(False).to_numpy(dtype=bool)
    # A ``done`` whose subject is the action itself closes that action alone (docs/review.md).
    ids = (
        actions["decision_id"].astype("str")
        if "decision_id" in actions.columns
        else pd.Series("", index=actions.index)
    )
    closed_one = pd.to_datetime(ids.map(last_done.to_dict()), errors="coerce")
    done = done | (closed_one >= to_dates(actions["decided_at"])).fillna(False).to_numpy(dtype=bool)
    due = to_dates(actions["due_date"])
    overdue = ~done & (due < stamp).fillna(False).to_numpy()
    state = np.where(done, "done", np.where(overdue, "overdue", "open"))
    out = pd.DataFrame(
        {
            "decision_id": ids.to_numpy(),
            "subject_type": actions["subject_type"].astype("str").to_numpy(),
            "subject_id": subject.to_numpy(),
            "name": subject.map(lambda s: names.get(s)).to_numpy(),
            "division": actions["division"].to_numpy(),
            "owner": actions["owner"].to_numpy(),
            "due_date": due.to_numpy(),
            "note": actions["note"].to_numpy(),
            "done": np.asarray(done, dtype=bool),
            "state": state.astype("str"),
        }
    )
    order = {s: i for i, s in enumerate(ACTION_STATES)}
    out = out.assign(_order=out["state"].map(order))
    out = out.sort_values(["_order", "due_date", "subject_id"], kind="stable", ignore_index=True)
    return out.drop(columns="_order")
