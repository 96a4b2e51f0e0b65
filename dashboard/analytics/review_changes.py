"""The review's change detectors: projects, health, money, milestones, requests, capacity.

Each returns change records that ``review.review_deltas`` gathers and orders.

The kinds, their thresholds and which are exceptions are listed in docs/analytics.md §6.2.
Details are one sentence each, with money, percentages and dates as every page shows them
(``dashboard.formats``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from dashboard import formats, vocabulary
from dashboard.analytics._checks import require_columns, to_dates, to_float, to_text
from dashboard.analytics.rag import UNKNOWN, rag_label, to_rag
from dashboard.analytics.review_lookup import by_id, money_by_id, project_label
from dashboard.standards import ReviewRules

COLUMNS = ("kind", "exception", "subject_type", "subject_id", "before", "after", "detail")
"""The columns of every change record."""
DECIDED = ("approved", "rejected", "deferred")
"""Request statuses that mean a decision was taken."""
HOT = ("over", "critical")
"""Capacity bands that make a role-month a hot spot."""
_RANK = {UNKNOWN: -1, "green": 0, "amber": 1, "red": 2}

Record = dict[str, object]


def record(
    kind: str,
    exception: bool,
    subject_type: str,
    subject_id: str,
    before: str,
    after: str,
    detail: str,
) -> Record:
    """One change, with the types every record has (so the frame needs no cleaning)."""
    values = (kind, bool(exception), subject_type, str(subject_id), before, after, detail)
    return dict(zip(COLUMNS, values, strict=True))


def text(value: object) -> str:
    """``value`` when it is text, else ``""`` (a missing stage, status or name)."""
    return value if isinstance(value, str) else ""


# ------------------------------------------------------------------------------ projects


def project_changes(
    before: pd.DataFrame, after: pd.DataFrame, closed_stages: Sequence[str], names: dict[str, str]
) -> list[Record]:
    """New projects, and open projects that closed or left the register."""
    closed = {s.strip().lower() for s in closed_stages}
    stage_before = by_id(before, "project_id", to_text(before["stage"]))
    stage_after = by_id(after, "project_id", to_text(after["stage"]))
    out = []
    for pid in stage_after.index.difference(stage_before.index):
        stage = text(stage_after[pid])
        detail = f"{project_label(pid, names)} is new in the register (stage {stage or 'not set'})."
        out.append(record("new_project", False, "project", pid, "", stage, detail))
    for pid in stage_before.index:
        was = stage_before[pid]
        if isinstance(was, str) and was in closed:
            continue
        now = stage_after.get(pid) if pid in stage_after.index else None
        if pid in stage_after.index and not (isinstance(now, str) and now in closed):
            continue
        detail = (
            f"{project_label(pid, names)} moved to stage '{now}'."
            if now is not None
            else f"{project_label(pid, names)} is no longer in the register."
        )
        out.append(record("closed_project", False, "project", pid, text(was), now or "", detail))
    return out


# ------------------------------------------------------------------------------ health


def health_changes(
    before: pd.DataFrame, after: pd.DataFrame, names: dict[str, str]
) -> list[Record]:
    """New reds, recoveries from red and every other change of computed overall health."""
    was = by_id(before, "project_id", rag_label(to_rag(before["overall"])))
    now = by_id(after, "project_id", rag_label(to_rag(after["overall"])))
    reasons = (
        by_id(after, "project_id", after["overall_reason"])
        if "overall_reason" in after.columns
        else pd.Series(dtype="str")
    )
    out = []
    for pid, rag in now.items():
        prior = was.get(pid)
        new_red = rag == "red" and prior != "red"
        if not new_red and (prior is None or rag == prior):
            continue
        why = reasons.get(pid)
        because = f"; {why}" if isinstance(why, str) and why else ""
        out.append(_health_change(pid, prior, rag, project_label(pid, names), because))
    return out


def _health_change(pid: str, prior: str | None, rag: str, label: str, because: str) -> Record:
    """The record of one project whose health changed (or that is new and red)."""
    if rag == "red" and prior != "red":
        start = "new project" if prior is None else prior
        detail = f"{label} is now red, was {start}{because}."
        return record("new_red", True, "project", pid, prior or "", rag, detail)
    if prior == "red":
        detail = f"{label} recovered from red to {rag}."
        return record("recovered", False, "project", pid, prior, rag, detail)
    worse = _RANK[rag] > _RANK[prior]
    detail = f"{label} went from {prior} to {rag}{because if worse else ''}."
    return record("rag_change", worse and rag != UNKNOWN, "project", pid, prior, rag, detail)


# ------------------------------------------------------------------------------ money


def money_changes(
    health_before: pd.DataFrame,
    health_after: pd.DataFrame,
    projects_before: pd.DataFrame,
    projects_after: pd.DataFrame,
    rules: ReviewRules,
    names: dict[str, str],
    currency: str,
) -> list[Record]:
    """Budget and EAC moves of at least ``rules.money_move_pct`` percent, set or removed."""
    out = []
    for kind, column, what in (
        ("budget_move", "budget", "Budget"),
        ("eac_move", "forecast_cost", "Forecast cost (EAC)"),
    ):
        was = money_by_id(health_before, projects_before, column)
        now = money_by_id(health_after, projects_after, column)
        for pid in was.index.intersection(now.index):
            label = f"{what} of {project_label(pid, names)}"
            change = _money_change(kind, pid, was[pid], now[pid], label, rules, currency)
            if change is not None:
                out.append(change)
    return out


def _money_change(
    kind: str, pid: str, a: float, b: float, label: str, rules: ReviewRules, currency: str
) -> Record | None:
    """The record of one budget or EAC move from ``a`` to ``b``, or None when it is too small."""
    if np.isnan(a) and np.isnan(b):
        return None
    if np.isnan(a) or np.isnan(b):
        detail = (
            f"{label} set to {formats.money(b, currency)}."
            if np.isnan(a)
            else f"{label} removed (was {formats.money(a, currency)})."
        )
        return record(kind, False, "project", pid, _amount(a), _amount(b), detail)
    change = (b - a) / abs(a) * 100 if a != 0 else (np.inf if b != a else 0.0)
    if abs(change) < rules.money_move_pct or a == b:
        return None
    direction = "rose" if b > a else "fell"
    pct = formats.percent(abs(change) / 100) if np.isfinite(change) else "from zero"
    detail = (
        f"{label} {direction} {pct}, "
        f"from {formats.money(a, currency)} to {formats.money(b, currency)}."
    )
    exception = kind == "eac_move" and b > a
    return record(kind, exception, "project", pid, _amount(a), _amount(b), detail)


def _amount(value: float) -> str:
    """The was/now cell of a money move: the number with separators, blank when missing."""
    return "" if np.isnan(value) else f"{value:,.0f}"


# ------------------------------------------------------------------------------ milestones


def milestone_changes(
    before: pd.DataFrame, after: pd.DataFrame, rules: ReviewRules, names: dict[str, str]
) -> list[Record]:
    """Milestones not achieved before whose date moved later by ``milestone_slip_days`` or more."""
    merged = _effective_dates(before).merge(
        _effective_dates(after), on=["project_id", "milestone"], suffixes=("_before", "_after")
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
        was, now = formats.day(row.date_before), formats.day(row.date_after)
        detail = (
            f"Milestone '{row.milestone}' of {project_label(row.project_id, names)} moved "
            f"{days} days later ({was} → {now})."
        )
        out.append(record("milestone_slip", True, "project", row.project_id, was, now, detail))
    return out


def _effective_dates(frame: pd.DataFrame) -> pd.DataFrame:
    """Each milestone's date as planned (forecast, else baseline) and whether it is achieved."""
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


# ------------------------------------------------------------------------------ requests


def request_changes(before: pd.DataFrame, after: pd.DataFrame) -> list[Record]:
    """Requests that appeared, and requests whose status became a decision."""
    was = by_id(before, "request_id", to_text(before["status"]))
    now = by_id(after, "request_id", to_text(after["status"]))
    titles = (
        by_id(after, "request_id", after["title"])
        if "title" in after.columns
        else pd.Series(dtype="str")
    )
    out = []
    for rid, status in now.items():
        title = titles.get(rid)
        label = f"{rid} {title}" if isinstance(title, str) and title else str(rid)
        if rid not in was.index:
            detail = f"Request {label} was submitted (status {_status_words(status)})."
            out.append(record("new_request", False, "request", rid, "", text(status), detail))
            continue
        prior = was[rid]
        if status in DECIDED and status != prior:
            detail = (
                f"Request {label} was {_status_words(status).lower()} "
                f"(was {_status_words(prior).lower()})."
            )
            out.append(
                record("request_decided", False, "request", rid, text(prior), status, detail)
            )
    return out


def _status_words(value: object) -> str:
    """A request status in the words every page uses (``under_review`` -> "Under review")."""
    return vocabulary.label("request_status", value) if text(value) else "not set"


# ------------------------------------------------------------------------------ capacity


def capacity_changes(before: pd.DataFrame, after: pd.DataFrame, by: str) -> list[Record]:
    """Role(-level)-months that became hot spots, and hot ones (still in range) that cleared."""
    require_columns(before, {by, "month", "band", "utilisation"}, fn="review_deltas")
    require_columns(after, {by, "month", "band", "utilisation"}, fn="review_deltas")
    merged = _hot_months(before, by).merge(
        _hot_months(after, by),
        on=[by, "month"],
        how="right",
        suffixes=("_before", "_after"),
        indicator=True,
    )
    was_hot = merged["hot_before"].fillna(False).astype(bool).to_numpy()
    now_hot = merged["hot_after"].astype(bool).to_numpy()
    out = []
    for i in np.flatnonzero(now_hot != was_hot):
        row = merged.iloc[i]
        if now_hot[i] or row["_merge"] == "both":
            out.append(_capacity_change(row, by, appeared=bool(now_hot[i])))
    return out


def _hot_months(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """One row per level and month: whether it is hot, and its utilisation."""
    return pd.DataFrame(
        {
            by: frame[by].astype("str").to_numpy(),
            "month": pd.to_datetime(frame["month"]).to_numpy(),
            "hot": frame["band"].isin(HOT).to_numpy(),
            "utilisation": to_float(frame["utilisation"]).to_numpy(),
        }
    ).drop_duplicates([by, "month"])


def _capacity_change(row: pd.Series, by: str, *, appeared: bool) -> Record:
    """The record of one hot spot appearing (an exception) or clearing."""
    subject, month = row[by], pd.Timestamp(row["month"])
    a, b = row["utilisation_before"], row["utilisation_after"]
    if appeared:
        was = f", was {_usage(a)})." if not pd.isna(a) else ")."
        detail = f"{subject} is over-allocated in {month:%b %Y} ({_usage(b)}" + was
        return record("capacity_hotspot_new", True, by, subject, _share(a), _share(b), detail)
    detail = (
        f"{subject} is no longer over-allocated in {month:%b %Y} ({_usage(b)}, was {_usage(a)})."
    )
    return record("capacity_hotspot_cleared", False, by, subject, _share(a), _share(b), detail)


def _usage(value: float) -> str:
    """Utilisation in words: ``95% utilised``; infinite is demand with no supply."""
    if pd.isna(value):
        return "no data"
    return "demand with no supply" if np.isinf(value) else f"{formats.percent(value)} utilised"


def _share(value: float) -> str:
    """Utilisation in a was/now cell: ``95%``, ``no supply``, blank when missing."""
    if pd.isna(value):
        return ""
    return "no supply" if np.isinf(value) else formats.percent(value)
