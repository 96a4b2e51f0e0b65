"""Unit tests of request scoring, WSJF, RICE and weight sensitivity - no database."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.analytics.prioritisation import score_requests, weight_sensitivity
from dashboard.standards import Criterion, RiceFields, ScoringWeights, WsjfFields

TWO = ScoringWeights(
    criteria=(Criterion("strategic_alignment", 3.0, True), Criterion("estimated_cost", 1.0, False))
)


def requests(**columns) -> pd.DataFrame:
    base = {
        "request_id": ["R1", "R2", "R3"],
        "strategic_alignment": [5, 1, 3],
        "estimated_cost": [30.0, 10.0, 20.0],
        "urgency": [2, 5, 3],
        "effort_person_months": [4.0, 2.0, 1.0],
        "reach": [100.0, 1000.0, 10.0],
        "confidence": [0.5, 0.8, 1.0],
    }
    base.update(columns)
    return pd.DataFrame(base)


def test_weighted_score_hand_computed():
    # alignment normalised: R1 1, R2 0, R3 0.5; cost (inverted): R1 0, R2 1, R3 0.5.
    # raw = (3 a + 1 c) / 4: R1 0.75, R2 0.25, R3 0.5 -> scaled so the best is 100.
    scored = score_requests(requests(), TWO)
    assert scored["score"].tolist() == pytest.approx([100.0, 100 / 3, 200 / 3])
    assert scored["score_rank"].tolist() == [1, 3, 2]
    assert scored["strategic_alignment_points"].tolist() == pytest.approx([100.0, 0.0, 50.0])
    assert scored["estimated_cost_points"].tolist() == pytest.approx([0.0, 100 / 3, 50 / 3])
    points = scored["strategic_alignment_points"] + scored["estimated_cost_points"]
    assert points.tolist() == pytest.approx(scored["score"].tolist())


def test_incomplete_request_is_not_scored_and_does_not_move_the_scale():
    frame = pd.concat(
        [
            requests(),
            pd.DataFrame(
                {"request_id": ["R4"], "strategic_alignment": [None], "estimated_cost": [1.0]}
            ),
        ],
        ignore_index=True,
    )
    scored = score_requests(frame, TWO)
    assert scored["assessable"].tolist() == [True, True, True, False]
    assert scored["missing_inputs"].tolist() == ["", "", "", "strategic_alignment"]
    assert pd.isna(scored["score"].iloc[3])
    assert pd.isna(scored["score_rank"].iloc[3])
    # R4's cost of 1 would otherwise become the minimum cost.
    assert scored["score"].iloc[:3].tolist() == pytest.approx([100.0, 100 / 3, 200 / 3])


def test_every_missing_input_is_listed():
    frame = requests(strategic_alignment=[None, 1, 3], estimated_cost=[None, 10.0, 20.0])
    scored = score_requests(frame, TWO)
    assert scored["missing_inputs"].iloc[0] == "strategic_alignment, estimated_cost"


def test_constant_criterion_counts_as_best_for_everyone():
    frame = requests(strategic_alignment=[3, 3, 3])
    scored = score_requests(frame, TWO)
    # raw = (3 * 1 + cost) / 4: R1 0.75, R2 1.0, R3 0.875
    assert scored["score"].tolist() == pytest.approx([75.0, 100.0, 87.5])


def test_single_assessable_request_scores_100():
    scored = score_requests(requests().iloc[[1]], TWO)
    assert scored["score"].tolist() == [100.0]


def test_ties_share_the_best_rank():
    frame = requests(strategic_alignment=[5, 5, 1], estimated_cost=[10.0, 10.0, 20.0])
    scored = score_requests(frame, TWO)
    assert scored["score_rank"].tolist() == [1, 1, 3]


def test_zero_weight_criterion_is_neither_required_nor_scored():
    weights = ScoringWeights(
        criteria=(Criterion("strategic_alignment", 1.0), Criterion("urgency", 0.0))
    )
    scored = score_requests(requests(urgency=[None, None, None]), weights)
    assert scored["assessable"].all()
    assert "urgency_points" not in scored.columns


def test_wsjf_and_rice_hand_computed():
    weights = ScoringWeights(
        criteria=TWO.criteria,
        wsjf=WsjfFields("strategic_alignment", "urgency", "", "effort_person_months"),
        rice=RiceFields("reach", "strategic_alignment", "confidence", "effort_person_months"),
    )
    scored = score_requests(requests(), weights)
    assert scored["wsjf_cost_of_delay"].tolist() == [7.0, 6.0, 6.0]
    assert scored["wsjf"].tolist() == [1.75, 3.0, 6.0]
    assert scored["wsjf_rank"].tolist() == [3, 2, 1]
    # reach x impact x confidence / effort
    assert scored["rice"].tolist() == pytest.approx([62.5, 400.0, 30.0])
    assert scored["rice_rank"].tolist() == [2, 1, 3]


def test_wsjf_includes_risk_reduction_when_mapped():
    weights = ScoringWeights(
        criteria=TWO.criteria,
        wsjf=WsjfFields("strategic_alignment", "urgency", "risk", "effort_person_months"),
    )
    scored = score_requests(requests(risk=[1, 1, 4]), weights)
    assert scored["wsjf_cost_of_delay"].tolist() == [8.0, 7.0, 10.0]


def test_wsjf_needs_positive_job_size():
    scored = score_requests(requests(effort_person_months=[0.0, None, 1.0]), TWO)
    assert pd.isna(scored["wsjf"].iloc[0])
    assert scored["wsjf_missing"].tolist() == ["effort_person_months", "effort_person_months", ""]
    assert scored["wsjf_rank"].iloc[2] == 1


def test_rice_missing_fields_listed_when_columns_absent():
    scored = score_requests(requests().drop(columns=["reach", "confidence"]), TWO)
    assert scored["rice"].isna().all()
    assert scored["rice_missing"].iloc[0] == "reach, confidence"


def test_score_requests_missing_weighted_column_is_an_error():
    with pytest.raises(
        ValueError, match="score_requests: missing required columns: estimated_cost"
    ):
        score_requests(requests().drop(columns="estimated_cost"), TWO)


def test_score_requests_does_not_mutate_input():
    frame = requests()
    before = frame.copy()
    score_requests(frame, ScoringWeights(criteria=TWO.criteria))
    pd.testing.assert_frame_equal(frame, before)


SENSITIVE = ScoringWeights(criteria=(Criterion("a", 1.0), Criterion("b", 1.0)))


def sensitive_requests() -> pd.DataFrame:
    # Normalised: R1 (1, 0), R2 (0, 1), R3 (0.4, 0.7) -> raw 0.5, 0.5, 0.55.
    return pd.DataFrame({"request_id": ["R1", "R2", "R3"], "a": [10, 0, 4], "b": [0, 10, 7]})


def test_weight_sensitivity_shows_rank_changes_hand_checked():
    result = weight_sensitivity(sensitive_requests(), SENSITIVE, step=0.2)
    a_up = result[(result["criterion"] == "a") & (result["change"] == "+20%")]
    ranks = {r.request_id: (r.rank_before, r.rank_after) for r in a_up.itertuples(index=False)}
    # a x 1.2: R1 1.2/2.2 = .545, R3 1.18/2.2 = .536, R2 1/2.2 = .455
    assert ranks == {"R1": (2, 1), "R3": (1, 2), "R2": (2, 3)}
    a_down = result[(result["criterion"] == "a") & (result["change"] == "-20%")]
    # a x 0.8: R3 1.02/1.8 = .567, R2 1/1.8 = .556, R1 .8/1.8 = .444
    assert a_down.set_index("request_id")["rank_after"].to_dict() == {"R3": 1, "R2": 2, "R1": 3}
    assert a_down.set_index("request_id")["rank_change"].to_dict() == {"R3": 0, "R2": 0, "R1": -1}


def test_weight_sensitivity_row_count_and_columns():
    result = weight_sensitivity(sensitive_requests(), SENSITIVE)
    assert len(result) == 2 * 2 * 3
    # Which criterion and move, whose rank before and after, then the scores behind the ranks.
    expected = "criterion change factor request_id rank_before rank_after rank_change"
    assert list(result.columns) == [*expected.split(), "score_before", "score_after"]


def test_weight_sensitivity_with_nothing_assessable_is_empty():
    frame = sensitive_requests().assign(a=None)
    assert weight_sensitivity(frame, SENSITIVE).empty


@pytest.mark.parametrize("step", [0.0, 1.0, -0.2])
def test_weight_sensitivity_rejects_bad_step(step):
    with pytest.raises(ValueError, match="step must be between 0 and 1"):
        weight_sensitivity(sensitive_requests(), SENSITIVE, step=step)


def test_weight_sensitivity_does_not_mutate_input():
    frame = sensitive_requests()
    before = frame.copy()
    weight_sensitivity(frame, SENSITIVE)
    pd.testing.assert_frame_equal(frame, before)
