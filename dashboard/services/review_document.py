"""The review as one JSON-ready document: the source of the pack and ``report review --json``.

What ``report review --json`` prints and what the PowerPoint pack (``dashboard/pack.py``) is
built from, so the two cannot disagree.

Numbers stay unformatted here (the pack formats them, ``dashboard.formats``); NaN becomes None.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from dashboard import db, formats
from dashboard.analytics.review_meeting import division_rag_counts, intake_summary
from dashboard.analytics.review_sections import exception_counts
from dashboard.config import get_standards
from dashboard.services.review_changes import Review, review
from dashboard.services.review_meeting import meeting
from dashboard.services.review_records import ExecutiveSummary, executive_summary
from dashboard.services.review_url import ReviewState

SUMMARY_KEYS = (
    "projects",
    "watermelons",
    "stale",
    "eac_vs_budget_pct",
    "reporting_on_time_share",
    "total_budget",
    "total_eac",
)
"""Portfolio measures of each date's summary in the document."""
CHANGE_KEYS = (
    "section",
    "kind",
    "label",
    "exception",
    "division",
    "subject_type",
    "subject_id",
    "before",
    "after",
    "size",
    "detail",
)
"""Columns of each change in the document."""


def review_document(state: ReviewState) -> dict:
    """The review for ``state`` as one JSON-ready document (numbers unformatted, NaN as None).

    Keys: ``period``, ``scope``, ``data_version``, ``currency``, ``summary`` (``before`` and
    ``after``), ``exception_counts``, ``decision_counts``, ``decisions``, ``division_health``,
    ``trend``, ``actions``, ``capacity``, ``intake``, ``executive_summary`` (``text``, ``by``,
    ``at``; None until the PMO writes one) and ``changes``.

    Raises:
        db.NoData: Nothing has been published yet.
    """
    with db.snapshot() as snap:
        version = snap.version
    the_review, the_meeting = review(state), meeting(state)
    before_label, after_label = formats.long_day(state.start), formats.long_day(state.end)
    counts = exception_counts(the_review.changes)
    health = {before_label: the_review.health_before, after_label: the_review.health_after}
    return {
        "period": {
            "from": state.start.isoformat(),
            "to": state.end.isoformat(),
            "label": f"{before_label} → {after_label}",
        },
        "scope": {
            "divisions": list(state.divisions),
            "label": ", ".join(state.divisions) if state.divisions else "All divisions",
        },
        "data_version": int(version),
        "currency": get_standards().loading.currency,
        "summary": {
            "before": _summary(the_review.summary_before),
            "after": _summary(the_review.summary_after),
        },
        "exception_counts": [{"label": many, "count": n} for _one, many, n in counts],
        "decision_counts": dict(the_meeting.counts),
        "decisions": _records(the_meeting.decisions),
        "division_health": _records(division_rag_counts(health)),
        "trend": [{**r, "date": str(r["date"])[:10]} for r in _records(the_meeting.trend)],
        "actions": _records(the_meeting.actions),
        "capacity": _capacity(the_review),
        "intake": intake_summary(
            the_meeting.decisions, the_meeting.budget, the_meeting.capacity_used
        ),
        "executive_summary": _summary_record(executive_summary(state)),
        "changes": _records(the_review.changes[list(CHANGE_KEYS)]),
    }


def _capacity(the_review: Review) -> dict:
    changes = the_review.changes
    new_hot = changes.loc[(changes["kind"] == "capacity_hotspot_new").to_numpy()]
    return {
        "horizon_months": int(the_review.horizon_months),
        "hot_before": int(the_review.hot_before),
        "hot_after": int(the_review.hot_after),
        "new_hot_spots": _records(
            new_hot[["subject_id", "before", "after", "detail"]].reset_index(drop=True)
        ),
    }


def _summary(summary: dict) -> dict:
    out = {key: _plain(summary[key]) for key in SUMMARY_KEYS}
    out.update({rag: int(n) for rag, n in summary["overall"].items()})
    return out


def _summary_record(summary: ExecutiveSummary | None) -> dict | None:
    if summary is None:
        return None
    return {"text": summary.text, "by": summary.by, "at": summary.at.isoformat(sep=" ")}


def _records(frame: pd.DataFrame) -> list[dict]:
    return [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict("records")]


def _plain(value: object) -> object:
    """A JSON-ready value: NaN/NaT/NA -> None, numpy scalars -> Python, dates -> ISO text."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        number = float(value)
        if np.isnan(number):
            return None
        if np.isinf(number):
            return "inf" if number > 0 else "-inf"
        return number
    return value
