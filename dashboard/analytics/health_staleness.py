"""The staleness dimension of health: days since the latest status report.

No report yet is unknown until the first is due (``cadence_days`` after the start), then red
(docs/analytics.md, "Staleness").
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.analytics.health_grading import days, grade
from dashboard.standards import HealthThresholds


def staleness_dimension(
    facts: pd.DataFrame, as_of: pd.Timestamp | pd.Series, t: HealthThresholds
) -> dict[str, np.ndarray]:
    """Staleness RAG per project, with ``stale`` and ``first_report_due`` flags."""
    since_report = facts["days_since_report"].to_numpy()
    graded = grade(
        since_report,
        t.cadence_days,
        t.stale_red_days,
        "above",
        lambda v: f"last report {v:g} days old",
        days,
        0,
    )
    since_start = (as_of - facts["start_date"]).dt.days.astype("float64").to_numpy()
    not_due = ~np.isnan(since_start) & (since_start <= t.cadence_days)
    none = np.isnan(since_report)
    due_by = (facts["start_date"] + pd.Timedelta(days=t.cadence_days)).dt.strftime("%Y-%m-%d")
    result = {
        # No first report while it is not due yet is no evidence either way: unknown, not green.
        "rag": np.where(none, np.where(not_due, -1, 2), graded["rag"]).astype("int8"),
        "value": since_report,
        "threshold": np.full(len(since_report), float(t.stale_red_days)),
        "metric": np.full(len(since_report), "days since last report", dtype=object),
        "reason": np.where(
            none,
            np.where(
                not_due,
                [f"unknown: no status report yet; the first is due by {d}" for d in due_by],
                "no status report received → red",
            ),
            graded["reason"],
        ).astype(object),
    }
    result["stale"] = (none & ~not_due) | (~none & (since_report > t.cadence_days))
    result["first_report_due"] = none & not_due
    return result
