"""Unit tests of the intake weights and method as the controls give them - no database."""

from __future__ import annotations

import pytest

from dashboard.services import intake_weights
from dashboard.standards import ScoringWeights
from tests.unit.dashboard.services.intake_cases import SLIDER_IDS, WEIGHTS


def weights_of(result: ScoringWeights) -> dict[str, float]:
    return {c.column: c.weight for c in result.criteria}


def test_weights_from_sliders_checks_criteria_and_values():
    weights, notice = intake_weights.weights_from_sliders(
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
    weights, _ = intake_weights.weights_from_sliders(WEIGHTS, {"strategic_alignment": bad})
    assert weights_of(weights)["strategic_alignment"] == 30.0


def test_all_weights_zero_falls_back_to_pmo_toml_with_a_notice():
    weights, notice = intake_weights.weights_from_sliders(
        WEIGHTS, {c["index"]: 0 for c in SLIDER_IDS}
    )
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
    assert intake_weights.slider_values(ids, values) == expected


def test_base_slider_values_follow_the_sliders_order():
    ids = [SLIDER_IDS[2], SLIDER_IDS[0], {"index": "unknown"}]
    assert intake_weights.base_slider_values(WEIGHTS, ids) == [10.0, 30.0, 0.0]
    assert intake_weights.base_slider_values(WEIGHTS, None) == []


@pytest.mark.parametrize(
    ("method", "expected"), [("wsjf", "wsjf"), ("RICE", "weighted"), (None, "weighted")]
)
def test_method_or_default_only_accepts_known_methods(method, expected):
    assert intake_weights.method_or_default(method) == expected
