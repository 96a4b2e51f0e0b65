"""A tiny hand-made intake shared by the intake services' unit tests."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.analytics import prioritisation
from dashboard.analytics.filters import FilterState
from dashboard.services.intake_requests import IntakeData, IntakeView
from dashboard.standards import Criterion, ScoringWeights
from dashboard.url_state import FilterOptions, ViewState

AS_OF = pd.Timestamp("2026-11-26").date()
WEIGHTS = ScoringWeights(
    criteria=(
        Criterion("strategic_alignment", 30.0, True),
        Criterion("expected_benefit", 25.0, True),
        Criterion("estimated_cost", 10.0, False),
    )
)
SLIDER_IDS = [
    {"type": "intake-weight-slider", "index": c}
    for c in ("strategic_alignment", "expected_benefit", "estimated_cost")
]


def requests() -> pd.DataFrame:
    """R1 aligned but dear; R2 cheap with a big benefit; R3 middling; R4 no benefit given."""
    return pd.DataFrame(
        {
            "request_id": ["R1", "R2", "R3", "R4", "R5"],
            "title": ["Aligned", "Cheap win", "Middling", "Unsized", "Done already"],
            "division": ["Finance", "Operations", "Finance", "Finance", "Operations"],
            "status": ["submitted", "under_review", "deferred", "submitted", "approved"],
            "strategic_alignment": [5, 2, 3, 4, 1],
            "expected_benefit": [100.0, 400.0, 200.0, np.nan, 50.0],
            "estimated_cost": [300.0, 100.0, 200.0, 150.0, 500.0],
            "urgency": [3, 3, 3, 3, 3],
            "effort_person_months": [10.0, 2.0, 5.0, 3.0, 9.0],
            "reach": [100, 100, 100, 100, 100],
            "confidence": [0.5, 0.5, 0.5, 0.5, 0.5],
        }
    )


def view(divisions: tuple[str, ...] = (), version: int = -1) -> IntakeView:
    frame = requests()
    data = IntakeData(
        version=version,
        as_of=AS_OF,
        requests=frame,
        base=prioritisation.score_requests(frame, WEIGHTS),
        weights=WEIGHTS,
        options=FilterOptions(divisions=("Finance", "Operations")),
    )
    return IntakeView(data, ViewState(FilterState(divisions=divisions), AS_OF))


def mandatory_view(*mandatory: str) -> IntakeView:
    frame = requests().assign(mandatory=lambda f: f["request_id"].isin(mandatory))
    data = IntakeData(
        version=-2,
        as_of=AS_OF,
        requests=frame,
        base=prioritisation.score_requests(frame, WEIGHTS),
        weights=WEIGHTS,
        options=FilterOptions(divisions=("Finance", "Operations")),
    )
    return IntakeView(data, ViewState(FilterState(), AS_OF))
