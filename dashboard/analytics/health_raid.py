"""The RAID dimension of health: open high and critical risks and issues.

Red at ``raid_red_open_critical`` critical, at ``raid_red_overdue_critical`` critical past their
due date, or (when not 0) at ``raid_red_open_high`` high/critical; amber at
``raid_amber_open_high`` (docs/analytics.md, "RAID").
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.analytics._checks import column_or_na, to_dates, to_text
from dashboard.analytics.health_grading import as_of_kept, as_of_rows, count, grade, worst_of
from dashboard.standards import HealthThresholds

RAID_CLOSED_STATUSES = frozenset({"closed", "resolved", "done", "cancelled", "complete"})
"""RAID statuses that close an item (anything else, a blank too, is open)."""


def raid_dimension(
    ids: pd.Series, raid: pd.DataFrame, when: pd.Timestamp | pd.Series, t: HealthThresholds
) -> dict[str, np.ndarray]:
    """RAID RAG per project of ``ids`` (``when``: one as-of date or one per project id)."""
    high, n_critical, n_overdue = _open_counts(ids, raid, when)
    n = len(high)

    def red_rule(values: np.ndarray, limit: int, words: str) -> dict[str, np.ndarray]:
        # A limit of 0 switches the rule off; below the limit the rule says nothing (unknown).
        graded = grade(values, limit, limit, "at_least", lambda v: f"{v:g} {words}", count, 0)
        if limit <= 0:
            graded["rag"] = np.full(n, -1, dtype="int8")
        graded["rag"] = np.where(graded["rag"] == 2, 2, -1).astype("int8")
        return graded

    by_high = grade(
        high,
        t.raid_amber_open_high,
        t.raid_red_open_high if t.raid_red_open_high > 0 else np.inf,
        "at_least",
        lambda v: f"{v:g} open high/critical",
        count,
        0,
    )
    quiet = np.full(n, "", dtype=object)
    result = worst_of(
        [
            ("critical", red_rule(n_critical, t.raid_red_open_critical, "open critical"), quiet),
            (
                "overdue",
                red_rule(n_overdue, t.raid_red_overdue_critical, "open critical past due date"),
                quiet,
            ),
            ("high", by_high, quiet),
        ],
        metric="open critical",
        value=n_critical,
        threshold=float(t.raid_red_open_critical) if t.raid_red_open_critical > 0 else np.nan,
    )
    result["raid_open_high"] = high.astype("int64")
    result["raid_open_critical"] = n_critical.astype("int64")
    result["raid_overdue_critical"] = n_overdue.astype("int64")
    return result


def _open_counts(
    ids: pd.Series, raid: pd.DataFrame, when: pd.Timestamp | pd.Series
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per project of ``ids``: open high/critical items, open critical, critical past due."""
    as_of = as_of_rows(when, raid["project_id"], raid.index)
    severity = to_text(raid["severity"])
    raised = to_dates(column_or_na(raid, "raised_date", "object"))
    due = to_dates(column_or_na(raid, "due_date", "object"))
    live = (
        to_text(raid["raid_type"]).isin(["risk", "issue"])
        & severity.isin(["high", "critical"])
        & ~to_text(raid["status"]).isin(RAID_CLOSED_STATUSES)
        & (raised.isna() | (raised <= as_of))
    ).to_numpy()
    critical = severity.to_numpy()[live] == "critical"
    overdue = critical & (due.to_numpy()[live] < as_of_kept(as_of, live))
    subset = pd.DataFrame(
        {
            "high": np.ones(int(live.sum())),
            "critical": critical.astype("float64"),
            "overdue": overdue.astype("float64"),
        }
    )
    counts = subset.groupby(raid["project_id"].to_numpy()[live]).sum().reindex(ids.to_numpy())
    return (
        counts["high"].fillna(0).to_numpy(),
        counts["critical"].fillna(0).to_numpy(),
        counts["overdue"].fillna(0).to_numpy(),
    )
