"""The review meeting's agenda: what leadership decides, the health trend, requests waiting.

One frame of decision items (:func:`meeting_decisions`) is the single source of the counts and
the lists on the page, in the pack and in the JSON document (docs/review.md "What the page
shows, in meeting order"). The rules for each
kind of item are in docs/analytics.md §6.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd

from dashboard.analytics._checks import require_columns, to_dates, to_float, to_text
from dashboard.analytics.rag import rag_label, to_rag

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
DECISION_TITLES = {
    "request": "Requests ready for a decision",
    "money_rise": "Budget and EAC rises to approve",
    "red_no_action": "Reds without a recovery action",
    "overdue_action": "Actions from earlier reviews now overdue",
}
"""Headings of the "Decisions for this meeting" groups, in ``DECISION_KINDS`` order."""
AWAITING_STATUSES = ("submitted", "under_review")
"""Request statuses that still need a decision."""
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


def awaiting_decision(requests: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """Requests still waiting for a decision at ``as_of``, longest waiting first.

    Args:
        requests: ``requests`` rows; needs ``request_id``, ``title``, ``division``, ``status``,
            ``submitted_date``, ``estimated_cost``.
        as_of: The later review date.

    Returns:
        ``request_id``, ``title``, ``division``, ``status`` (words), ``submitted_date``,
        ``days_waiting`` (NaN without a date), ``estimated_cost``.
    """
    status = requests["status"].astype("string").str.strip().str.lower()
    waiting = requests.loc[status.isin(AWAITING_STATUSES).fillna(False).to_numpy()]
    submitted = pd.to_datetime(waiting["submitted_date"])
    out = pd.DataFrame(
        {
            "request_id": waiting["request_id"].astype("str").to_numpy(),
            "title": waiting["title"].to_numpy(),
            "division": waiting["division"].to_numpy(),
            "status": status.loc[waiting.index].str.replace("_", " ").to_numpy(),
            "submitted_date": submitted.to_numpy(),
            "days_waiting": (pd.Timestamp(as_of) - submitted).dt.days.astype("float64").to_numpy(),
            "estimated_cost": pd.to_numeric(waiting["estimated_cost"], errors="coerce").to_numpy(),
        }
    )
    return out.sort_values(
        ["days_waiting", "request_id"],
        ascending=[False, True],
        na_position="last",
        kind="stable",
        ignore_index=True,
    )


def meeting_candidates(recommended: pd.DataFrame, requests: pd.DataFrame) -> pd.DataFrame:
    """The intake recommendation's requests still awaiting a decision, with their benefit.

    Args:
        recommended: The optimal selection's table (as on the Intake page); needs
            ``request_id``, ``status``.
        requests: The requests register; needs ``request_id``, ``expected_benefit``.

    Returns:
        ``recommended`` rows whose status awaits a decision, plus ``expected_benefit``: the
        ``candidates`` of :func:`meeting_decisions`.
    """
    table = recommended.loc[recommended["status"].isin(AWAITING_STATUSES).to_numpy()]
    benefit = requests.drop_duplicates("request_id").set_index("request_id")["expected_benefit"]
    return table.assign(expected_benefit=table["request_id"].map(benefit).to_numpy())


def money_moves(changes: pd.DataFrame) -> pd.DataFrame:
    """The review's budget and EAC moves: the ``money_moves`` of :func:`meeting_decisions`."""
    return changes.loc[changes["kind"].isin(("budget_move", "eac_move")).to_numpy()]


def raid_of(raid: pd.DataFrame, health: pd.DataFrame) -> pd.DataFrame:
    """RAID rows of the projects in ``health`` (the review's open projects, in scope)."""
    ids = set(health["project_id"].astype("str"))
    return raid.loc[raid["project_id"].astype("str").isin(ids).to_numpy()]


def intake_summary(decisions: pd.DataFrame, budget: float, capacity_used: bool) -> dict:
    """The intake recommendation in numbers, from the meeting's request items.

    Args:
        decisions: :func:`meeting_decisions` output.
        budget: The budget the recommendation was computed for.
        capacity_used: Whether role-by-month capacity constrained it.

    Returns:
        ``budget``, ``capacity_used``, ``ready`` (requests put to the meeting), ``recommended``,
        ``recommended_cost`` and ``recommended_benefit`` (None when no benefit is known).
    """
    requests = decisions.loc[(decisions["kind"] == "request").to_numpy()]
    chosen = requests.loc[(requests["recommendation"] == "approve").to_numpy()]
    benefit = chosen["benefit"]
    return {
        "budget": float(budget),
        "capacity_used": bool(capacity_used),
        "ready": len(requests),
        "recommended": len(chosen),
        "recommended_cost": float(chosen["cost"].sum()),
        "recommended_benefit": float(benefit.sum(min_count=1)) if benefit.notna().any() else None,
    }
