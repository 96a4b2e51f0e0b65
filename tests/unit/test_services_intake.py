"""Unit tests of the intake services on a tiny hand-made intake - no database, no browser."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.analytics import prioritisation
from dashboard.analytics.filters import FilterState
from dashboard.services import intake as services
from dashboard.services.cache import clear_cache
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


def view(divisions: tuple[str, ...] = (), version: int = -1) -> services.IntakeView:
    frame = requests()
    data = services.IntakeData(
        version=version,
        as_of=AS_OF,
        requests=frame,
        base=prioritisation.score_requests(frame, WEIGHTS),
        weights=WEIGHTS,
        options=FilterOptions(divisions=("Finance", "Operations")),
    )
    return services.IntakeView(data, ViewState(FilterState(divisions=divisions), AS_OF))


@pytest.fixture(autouse=True)
def fresh_cache():
    clear_cache()
    yield
    clear_cache()


def weights_of(result: ScoringWeights) -> dict[str, float]:
    return {c.column: c.weight for c in result.criteria}


def test_weights_from_sliders_checks_criteria_and_values():
    weights, notice = services.weights_from_sliders(
        WEIGHTS,
        {
            "strategic_alignment": 250,  # clamped to the slider's maximum
            "expected_benefit": "abc",  # not a number: keeps the pmo.toml weight
            "estimated_cost": -5,  # clamped to 0
            "drop_table": 99,  # not a criterion: ignored
        },
    )
    assert notice is None
    assert weights_of(weights) == {
        "strategic_alignment": 100.0,
        "expected_benefit": 25.0,
        "estimated_cost": 0.0,
    }
    assert [c.higher_is_better for c in weights.criteria] == [True, True, False]


@pytest.mark.parametrize("bad", [None, True, float("nan"), float("inf"), [1], {"a": 1}])
def test_weights_from_sliders_keeps_the_pmo_toml_weight_for_junk(bad):
    weights, _ = services.weights_from_sliders(WEIGHTS, {"strategic_alignment": bad})
    assert weights_of(weights)["strategic_alignment"] == 30.0


def test_all_weights_zero_falls_back_to_pmo_toml_with_a_notice():
    weights, notice = services.weights_from_sliders(WEIGHTS, {c["index"]: 0 for c in SLIDER_IDS})
    assert weights is WEIGHTS
    assert "at least one criterion" in notice


@pytest.mark.parametrize(
    ("ids", "values", "expected"),
    [
        (SLIDER_IDS[:2], [1, 2], {"strategic_alignment": 1, "expected_benefit": 2}),
        (SLIDER_IDS[:2], [1], {}),  # lengths differ
        ("nope", [1], {}),
        ([{"type": "x"}, "junk", {"index": 3}], [1, 2, 3], {}),
    ],
)
def test_slider_values_pairs_ids_with_values_and_skips_junk(ids, values, expected):
    assert services.slider_values(ids, values) == expected


def test_base_slider_values_follow_the_sliders_order():
    ids = [SLIDER_IDS[2], SLIDER_IDS[0], {"index": "unknown"}]
    assert services.base_slider_values(WEIGHTS, ids) == [10.0, 30.0, 0.0]
    assert services.base_slider_values(WEIGHTS, None) == []


@pytest.mark.parametrize(
    ("method", "expected"), [("wsjf", "wsjf"), ("RICE", "weighted"), (None, "weighted")]
)
def test_method_or_default_only_accepts_known_methods(method, expected):
    assert services.method_or_default(method) == expected


def test_rank_requests_with_pmo_toml_weights_moves_nothing_and_flags_missing_inputs():
    ranked = services.rank_requests(view(), WEIGHTS, "weighted")
    assert list(ranked["request_id"]) == ["R2", "R1", "R3", "R5", "R4"]
    assert list(ranked["rank"].astype("float64").fillna(0)) == [1, 2, 3, 4, 0]
    assert list(ranked["change"]) == ["–", "–", "–", "–", ""]
    unsized = ranked.set_index("request_id").loc["R4"]
    assert unsized["completeness"] == "Missing: Expected benefit"
    assert not unsized["complete"]
    assert services.moves_text(ranked) == "Same weighted order as the pmo.toml weights."
    assert services.top_text(ranked, "weighted") == "Top by Weighted score: R2 · Cheap win (100.0)"


def test_rank_requests_shows_moves_against_pmo_toml_weights():
    weights, _ = services.weights_from_sliders(
        WEIGHTS, {"strategic_alignment": 100, "expected_benefit": 0, "estimated_cost": 0}
    )
    ranked = services.rank_requests(view(), weights, "weighted").set_index("request_id")
    # Alignment alone: R1 (5) > R4 (4) > R3 (3) > R2 (2) > R5 (1); R4 needs no benefit now.
    assert ranked.loc["R1", "rank"] == 1 and ranked.loc["R1", "change"] == "↑1"
    assert ranked.loc["R2", "change"] == "↓3"
    assert ranked.loc["R4", "change"] == "new"
    assert ranked.loc["R4", "completeness"] == "Complete"
    text = services.moves_text(ranked.reset_index())
    assert text.startswith("Moved vs pmo.toml weights (3 requests): R2 ↓3")
    assert "newly scored: R4" in text


def test_rank_requests_by_wsjf_sorts_on_wsjf_and_names_its_missing_inputs():
    ranked = services.rank_requests(view(), WEIGHTS, "wsjf")
    wsjf = ranked["wsjf"].to_numpy()
    assert list(ranked["rank"]) == sorted(ranked["rank"])
    assert np.all(np.diff(wsjf) <= 0)
    assert ranked["complete"].all()  # WSJF needs no benefit or cost
    assert services.top_text(ranked, "wsjf").startswith("Top by WSJF: R2")


def test_division_filter_keeps_portfolio_ranks():
    ranked = services.rank_requests(view(("Finance",)), WEIGHTS, "weighted")
    assert list(ranked["request_id"]) == ["R1", "R3", "R4"]
    assert list(ranked["rank"].astype("float64").fillna(0)) == [2, 3, 0]


def test_rank_requests_does_not_mutate_the_cached_data():
    v = view()
    before = v.data.base.copy()
    weights, _ = services.weights_from_sliders(WEIGHTS, {"estimated_cost": 90})
    services.rank_requests(v, weights, "rice")
    pd.testing.assert_frame_equal(v.data.base, before)


def test_export_frame_has_readable_headers():
    exported = services.export_frame(services.rank_requests(view(), WEIGHTS, "weighted"))
    assert list(exported.columns[:6]) == [
        "Rank",
        "Weighted rank vs pmo.toml",
        "Request ID",
        "Title",
        "Division",
        "Status",
    ]
    assert exported.iloc[0]["Request ID"] == "R2"


def test_candidates_are_the_requests_awaiting_a_decision():
    assert [c["value"] for c in services.candidate_choices(view())] == ["R1", "R2", "R3", "R4"]
    assert [c["value"] for c in services.candidate_choices(view(("Operations",)))] == ["R2"]
    assert services.candidate_choices(view())[0]["label"] == "R1 · Aligned"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [(None, 100_000.0), ("abc", 100_000.0), (-5, 100_000.0), (250, 250.0), ("1200", 1200.0)],
)
def test_budget_or_default(typed, expected):
    # The default is a quarter of the candidates' cost to the 100k, at least 100k.
    assert services.budget_or_default(view(), typed) == expected


def test_recommend_picks_the_best_set_within_the_budget():
    rec = services.recommend(view(), WEIGHTS, budget=300.0, use_capacity=False)
    result = rec.result
    assert result.status == "optimal"
    assert set(result.selected) == {"R2", "R3"}  # 100 + 200 beats R1 alone for 300
    assert result.total_cost == 300.0
    assert 300.0 in set(rec.frontier["budget"])
    decisions = rec.table.set_index("request_id")["decision"]
    assert decisions["R4"] == "not eligible: no score"
    assert "R5" not in decisions  # approved already: not a candidate
    assert services.selection_text(rec).endswith("Constraints: budget.")
    assert services.recommend(view(), WEIGHTS, budget=300.0, use_capacity=False) is rec


def test_recommend_handles_contradictory_and_unknown_forced_requests():
    rec = services.recommend(
        view(),
        WEIGHTS,
        budget=1000.0,
        forced_in=["R1", "R3", "R5", "zzz", 7],
        forced_out=["R3", "R2"],
        use_capacity=False,
    )
    assert "R1" in rec.result.selected
    assert "R2" not in rec.result.selected
    assert rec.notes == ("Both forced in and out, so neither: R3.",)
    decisions = rec.table.set_index("request_id")["decision"]
    assert decisions["R1"] == "forced in" and decisions["R2"] == "forced out"
