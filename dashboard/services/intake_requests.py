"""The intake's requests as of a date, scored once per data version, and who is a candidate.

Requests are scored with the ``pmo.toml`` weights once per (data version, as-of date) and stored
for every process (``derived``; docs/performance.md). A request is a *candidate* for the
recommended set while it awaits a decision (submitted, under review, deferred); approved,
rejected and deferred requests leave the ranking unless asked for (docs/analytics.md §2.7, §3.6).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from dashboard import db
from dashboard.analytics import prioritisation
from dashboard.config import get_standards
from dashboard.services import derived
from dashboard.standards import ScoringWeights
from dashboard.url_state import FilterOptions, ViewState, parse_view

METHODS = {
    "weighted": ("score", "score_rank", "missing_inputs", "Weighted score"),
    "wsjf": ("wsjf", "wsjf_rank", "wsjf_missing", "WSJF"),
    "rice": ("rice", "rice_rank", "rice_missing", "RICE"),
}
"""Ranking method -> (value column, rank column, missing-inputs column, label)."""
CANDIDATE_STATUSES = ("submitted", "under_review", "deferred")
"""Statuses the recommended set is chosen from: a deferred request is back in the pool when
money frees up, so the solver may propose it again."""
DECIDED_STATUSES = ("approved", "rejected", "deferred")
"""Statuses out of the ranking by default: leadership has already ruled on them."""

CRITERION_LABELS = {
    "strategic_alignment": "Strategic alignment",
    "expected_benefit": "Expected benefit",
    "urgency": "Urgency",
    "risk": "Risk",
    "estimated_cost": "Estimated cost",
    "effort_person_months": "Effort (person-months)",
    "reach": "Reach",
    "confidence": "Confidence",
    "duration_months": "Duration (months)",
}


@dataclass(frozen=True)
class IntakeData:
    """Every request as of a date, scored with the ``pmo.toml`` weights.

    Attributes:
        version: The data version.
        as_of: The as-of date.
        requests: ``snap.requests(as_of)``.
        base: ``score_requests`` output with the ``pmo.toml`` weights.
        weights: The ``pmo.toml`` scoring weights.
        options: Filter values that exist (the URL allowlist).
    """

    version: int
    as_of: date
    requests: pd.DataFrame
    base: pd.DataFrame
    weights: ScoringWeights
    options: FilterOptions


@dataclass(frozen=True)
class IntakeView:
    """The intake as the URL asks: the data and the checked filter state."""

    data: IntakeData
    state: ViewState

    @property
    def divisions(self) -> tuple[str, ...]:
        """The division filter (empty = every division)."""
        return self.state.filters.divisions


def intake_data(as_of: date) -> IntakeData:
    """Requests as of ``as_of`` scored with the ``pmo.toml`` weights; once per data version.

    Stored per (version, standards) for every process (``derived``; docs/performance.md).

    Raises:
        db.NoData: Nothing has been published yet.
    """
    with db.snapshot() as snap:
        return derived.derived(snap.version, ("intake", as_of), lambda: _build(snap, as_of))


def _build(snap: db.Snapshot, as_of: date) -> IntakeData:
    weights = get_standards().scoring
    requests = snap.requests(as_of).reset_index(drop=True)
    divisions = tuple(sorted(requests["division"].dropna().astype(str).unique()))
    return IntakeData(
        version=snap.version,
        as_of=as_of,
        requests=requests,
        base=prioritisation.score_requests(requests, weights),
        weights=weights,
        options=FilterOptions(divisions=divisions),
    )


def intake_view(query: dict, today: date) -> IntakeView:
    """Parse the URL query (divisions checked against those with requests) and load the intake.

    Raises:
        db.NoData: Nothing has been published yet.
    """
    state = parse_view(query, intake_data(today).options, today)
    return IntakeView(data=intake_data(state.as_of), state=state)


def display_name(request_id: object, title: object) -> str:
    """``"REQ-012 Payroll cloud move"``: the id people quote, and the name they recognise."""
    return f"{request_id} {title}" if isinstance(title, str) and title else str(request_id)


def candidate_requests(requests: pd.DataFrame, divisions: tuple[str, ...]) -> pd.DataFrame:
    """The requests awaiting a decision, in ``divisions`` (all when empty)."""
    keep = requests["status"].isin(CANDIDATE_STATUSES).to_numpy()
    if divisions:
        keep = keep & requests["division"].isin(divisions).to_numpy()
    return requests.loc[keep]


def mandatory_mask(requests: pd.DataFrame) -> np.ndarray:
    """Which requests are mandatory or regulatory (``mandatory`` true); none without the column."""
    if "mandatory" not in requests.columns:
        return np.zeros(len(requests), dtype=bool)
    return requests["mandatory"].astype("boolean").fillna(False).to_numpy(dtype=bool)
