"""Unit tests of the intake's recommended set on a tiny hand-made intake - no database."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from dashboard.services import intake_capacity, intake_selection
from dashboard.services.intake_requests import IntakeView
from tests.unit.dashboard.services.intake_cases import WEIGHTS, mandatory_view, view


def test_candidates_are_the_requests_awaiting_a_decision():
    assert [c["value"] for c in intake_selection.candidate_choices(view())] == [
        "R1",
        "R2",
        "R3",
        "R4",
    ]
    assert [c["value"] for c in intake_selection.candidate_choices(view(("Operations",)))] == ["R2"]
    assert intake_selection.candidate_choices(view())[0]["label"] == "R1 Aligned"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [(None, 100_000.0), ("abc", 100_000.0), (-5, 100_000.0), (250, 250.0), ("1200", 1200.0)],
)
def test_budget_or_default(typed, expected):
    # The default is a quarter of the candidates' cost to the 100k, at least 100k.
    assert intake_selection.budget_or_default(view(), typed) == expected


def test_recommend_picks_the_best_set_within_the_budget():
    rec = intake_selection.recommend(view(), WEIGHTS, budget=300.0, use_capacity=False)
    result = rec.result
    assert result.status == "optimal"
    assert set(result.selected) == {"R2", "R3"}  # 100 + 200 beats R1 alone for 300
    assert result.total_cost == 300.0
    assert 300.0 in set(rec.frontier["budget"])
    decisions = rec.table.set_index("request_id")["decision_text"]
    assert decisions["R4"] == "Not eligible: no score"
    assert "R5" not in decisions  # approved already: not a candidate
    assert intake_selection.selection_text(rec, "GBP").endswith("Constraints: budget.")
    assert intake_selection.recommend(view(), WEIGHTS, budget=300.0, use_capacity=False) is rec


def test_recommend_handles_contradictory_and_unknown_forced_requests():
    rec = intake_selection.recommend(
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
    decisions = rec.table.set_index("request_id")["decision_text"]
    assert decisions["R1"] == "Forced in" and decisions["R2"] == "Forced out"


def test_selection_text_speaks_money_not_score_points():
    rec = intake_selection.recommend(view(), WEIGHTS, budget=300.0, use_capacity=False)
    # R2 + R3: benefits 400 + 200, costs 100 + 200.
    assert intake_selection.selection_text(rec, "GBP") == (
        "2 requests recommended: expected benefit £600 for £300 of the £300 budget. "
        "Constraints: budget."
    )
    assert list(rec.table["name"][:2]) == ["R2 Cheap win", "R3 Middling"]


def test_mandatory_requests_are_forced_in_and_cannot_be_forced_out():
    rec = intake_selection.recommend(
        mandatory_view("R1"), WEIGHTS, budget=300.0, forced_out=["R1"], use_capacity=False
    )
    # R1 alone costs the whole 300, so the better-value R2 + R3 are left out.
    assert rec.result.selected == ("R1",)
    assert rec.mandatory == ("R1",)
    assert rec.notes == ("Mandatory, so kept in: R1 Aligned.",)
    table = rec.table.set_index("request_id")
    assert table.loc["R1", "decision_text"] == "Must do (mandatory)"
    assert table.loc["R1", "decision"] == "forced in"  # the code the monthly review reads
    assert bool(table.loc["R1", "mandatory"]) and not bool(table.loc["R2", "mandatory"])
    assert intake_selection.selection_text(rec, "EUR").startswith(
        "1 request recommended (1 mandatory): expected benefit €100 for €300 of the €300 budget."
    )


def test_mandatory_requests_over_budget_are_explained_in_money():
    rec = intake_selection.recommend(
        mandatory_view("R1"), WEIGHTS, budget=200.0, use_capacity=False
    )
    assert rec.result.status == "infeasible"
    assert intake_selection.selection_text(rec, "GBP").startswith(
        "The mandatory and forced-in requests alone do not fit: they cost £300 against a "
        "budget of £200."
    )


def test_the_role_month_that_blocks_a_request_is_named(monkeypatch):
    march = pd.Timestamp("2027-03-01")
    demand = pd.DataFrame(
        {"request_id": ["R2", "R3"], "role": "Developer", "month": march, "fte": [1.5, 0.5]}
    )
    free = pd.DataFrame({"role": ["Developer"], "month": [march], "free_fte": [1.0]})
    monkeypatch.setattr(
        intake_capacity, "candidate_capacity", lambda _view, _candidates: (demand, free)
    )
    rec = intake_selection.recommend(view(), WEIGHTS, budget=300.0)
    # R2 needs 1.5 developers with 1.0 free; R1 (300) beats R3 (200) for the budget.
    assert rec.result.selected == ("R1",)
    assert rec.blocking == "Developer in 2027-03 is short by 0.5 FTE for R2 Cheap win"
    text = intake_selection.selection_text(rec, "GBP")
    assert "Capacity: Developer in 2027-03 is short by 0.5 FTE for R2 Cheap win." in text
    assert text.endswith("Constraints: budget and role-by-month capacity.")


def test_no_blocking_role_when_capacity_keeps_nobody_out(monkeypatch):
    march = pd.Timestamp("2027-03-01")
    demand = pd.DataFrame({"request_id": ["R2"], "role": "Developer", "month": march, "fte": 1.0})
    free = pd.DataFrame({"role": ["Developer"], "month": [march], "free_fte": [2.0]})
    monkeypatch.setattr(
        intake_capacity, "candidate_capacity", lambda _view, _candidates: (demand, free)
    )
    rec = intake_selection.recommend(view(), WEIGHTS, budget=300.0)
    assert set(rec.result.selected) == {"R2", "R3"}
    assert rec.blocking is None


def test_mandatory_staff_come_off_capacity_first_and_an_overrun_is_named(monkeypatch):
    march, april = pd.Timestamp("2027-03-01"), pd.Timestamp("2027-04-01")
    demand = pd.DataFrame(
        {
            "request_id": ["R1", "R2", "R2"],
            "role": ["Developer", "Developer", "Tester"],
            "month": [march, march, april],
            "fte": [1.5, 0.5, 9.0],  # Tester has no capacity row: not constrained
        }
    )
    free = pd.DataFrame({"role": ["Developer"], "month": [march], "free_fte": [1.0]})
    monkeypatch.setattr(
        intake_capacity, "candidate_capacity", lambda _view, _candidates: (demand, free)
    )
    rec = intake_selection.recommend(mandatory_view("R1"), WEIGHTS, budget=1000.0)
    # R1 (mandatory) is in although it needs 1.5 of the 1.0 developer; nothing is left for R2.
    assert rec.result.status == "optimal"
    assert set(rec.result.selected) == {"R1", "R3"}
    assert rec.notes == (
        "Mandatory requests alone overrun capacity: Developer in 2027-03 is short by 0.5 FTE "
        "for the mandatory requests.",
    )
    assert rec.blocking == "Developer in 2027-03 is short by 0.5 FTE for R2 Cheap win"


def test_default_budget_funds_the_mandatory_requests_first():
    # Candidates R1-R4 cost 300 + 100 + 200 + 150; R1 mandatory: 300 + 450 / 4 = 412.5 -> 100k.
    assert intake_selection.default_budget(mandatory_view("R1")) == 100_000.0
    big = mandatory_view("R1")
    frame = big.data.requests.assign(
        estimated_cost=[250_000.0, 100_000.0, 200_000.0, 50_000.0, 1.0]
    )
    data = dataclasses.replace(big.data, requests=frame)
    # 250k + (100k + 200k + 50k) / 4 = 337.5k, rounded up to 400k.
    assert intake_selection.default_budget(IntakeView(data, big.state)) == 400_000.0
