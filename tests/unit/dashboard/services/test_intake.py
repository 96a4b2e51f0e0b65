"""Unit tests of the intake services on a tiny hand-made intake - no database, no browser."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from dashboard.analytics import prioritisation
from dashboard.analytics.filters import FilterState
from dashboard.services import intake as services
from dashboard.services.cache import clear_cache
from dashboard.standards import Criterion, ScoringWeights
from dashboard.url_state import FilterOptions, ViewState, query_from_search

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
    ranked = services.rank_requests(view(), WEIGHTS, "weighted", include_decided=True)
    assert list(ranked["request_id"]) == ["R2", "R1", "R3", "R5", "R4"]
    assert list(ranked["rank"].astype("float64").fillna(0)) == [1, 2, 3, 4, 0]
    assert list(ranked["change"]) == ["–", "–", "–", "–", ""]
    unsized = ranked.set_index("request_id").loc["R4"]
    assert unsized["completeness"] == "Missing: Expected benefit"
    assert not unsized["complete"]
    assert services.moves_text(ranked) == "Same weighted order as the pmo.toml weights."
    assert services.top_text(ranked, "weighted") == "Top by Weighted score: R2 Cheap win (100.0)"


def test_rank_requests_shows_moves_against_pmo_toml_weights():
    weights, _ = services.weights_from_sliders(
        WEIGHTS, {"strategic_alignment": 100, "expected_benefit": 0, "estimated_cost": 0}
    )
    ranked = services.rank_requests(view(), weights, "weighted", include_decided=True)
    ranked = ranked.set_index("request_id")
    # Alignment alone: R1 (5) > R4 (4) > R3 (3) > R2 (2) > R5 (1); R4 needs no benefit now.
    assert ranked.loc["R1", "rank"] == 1 and ranked.loc["R1", "change"] == "↑1"
    assert ranked.loc["R2", "change"] == "↓3"
    assert ranked.loc["R4", "change"] == "new"
    assert ranked.loc["R4", "completeness"] == "Complete"
    text = services.moves_text(ranked.reset_index())
    assert text.startswith("Moved vs pmo.toml weights (3 requests): R2 Cheap win ↓3")
    assert "newly scored: R4 Unsized" in text


def test_rank_requests_by_wsjf_sorts_on_wsjf_and_names_its_missing_inputs():
    ranked = services.rank_requests(view(), WEIGHTS, "wsjf", include_decided=True)
    wsjf = ranked["wsjf"].to_numpy()
    assert list(ranked["rank"]) == sorted(ranked["rank"])
    assert np.all(np.diff(wsjf) <= 0)
    assert ranked["complete"].all()  # WSJF needs no benefit or cost
    assert services.top_text(ranked, "wsjf").startswith("Top by WSJF: R2")


def test_division_filter_keeps_portfolio_ranks():
    ranked = services.rank_requests(view(("Finance",)), WEIGHTS, "weighted", include_decided=True)
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
    assert services.candidate_choices(view())[0]["label"] == "R1 Aligned"


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
    decisions = rec.table.set_index("request_id")["decision_text"]
    assert decisions["R4"] == "Not eligible: no score"
    assert "R5" not in decisions  # approved already: not a candidate
    assert services.selection_text(rec, "GBP").endswith("Constraints: budget.")
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
    decisions = rec.table.set_index("request_id")["decision_text"]
    assert decisions["R1"] == "Forced in" and decisions["R2"] == "Forced out"


# ------------------------------------------------------------------ executives (issue 12)


def mandatory_view(*mandatory: str) -> services.IntakeView:
    frame = requests().assign(mandatory=lambda f: f["request_id"].isin(mandatory))
    data = services.IntakeData(
        version=-2,
        as_of=AS_OF,
        requests=frame,
        base=prioritisation.score_requests(frame, WEIGHTS),
        weights=WEIGHTS,
        options=FilterOptions(divisions=("Finance", "Operations")),
    )
    return services.IntakeView(data, ViewState(FilterState(), AS_OF))


def test_decided_requests_leave_the_ranking_by_default():
    ranked = services.rank_requests(view(), WEIGHTS, "weighted")
    # R3 (deferred) and R5 (approved) are decided; the pool is R1, R2, R4 (R4 has no benefit).
    assert list(ranked["request_id"]) == ["R2", "R1", "R4"]
    assert list(ranked["rank"].astype("float64").fillna(0)) == [1, 2, 0]
    # Scored within the pool: R1 = 30 of R2's 35 weighted points (alignment vs benefit + cost).
    assert ranked.loc[1, "score"] == pytest.approx(100 * 30 / 35)
    assert list(ranked["name"]) == ["R2 Cheap win", "R1 Aligned", "R4 Unsized"]
    assert list(ranked["change"]) == ["–", "–", ""]


def test_selection_text_speaks_money_not_score_points():
    rec = services.recommend(view(), WEIGHTS, budget=300.0, use_capacity=False)
    # R2 + R3: benefits 400 + 200, costs 100 + 200.
    assert services.selection_text(rec, "GBP") == (
        "2 requests recommended: expected benefit £600 for £300 of the £300 budget. "
        "Constraints: budget."
    )
    assert list(rec.table["name"][:2]) == ["R2 Cheap win", "R3 Middling"]


def test_mandatory_requests_are_forced_in_and_cannot_be_forced_out():
    rec = services.recommend(
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
    assert services.selection_text(rec, "EUR").startswith(
        "1 request recommended (1 mandatory): expected benefit €100 for €300 of the €300 budget."
    )


def test_mandatory_requests_over_budget_are_explained_in_money():
    rec = services.recommend(mandatory_view("R1"), WEIGHTS, budget=200.0, use_capacity=False)
    assert rec.result.status == "infeasible"
    assert services.selection_text(rec, "GBP").startswith(
        "The mandatory and forced-in requests alone do not fit: they cost £300 against a "
        "budget of £200."
    )


def test_the_role_month_that_blocks_a_request_is_named(monkeypatch):
    march = pd.Timestamp("2027-03-01")
    demand = pd.DataFrame(
        {"request_id": ["R2", "R3"], "role": "Developer", "month": march, "fte": [1.5, 0.5]}
    )
    free = pd.DataFrame({"role": ["Developer"], "month": [march], "free_fte": [1.0]})
    monkeypatch.setattr(services, "_capacity", lambda _view, _candidates: (demand, free))
    rec = services.recommend(view(), WEIGHTS, budget=300.0)
    # R2 needs 1.5 developers with 1.0 free; R1 (300) beats R3 (200) for the budget.
    assert rec.result.selected == ("R1",)
    assert rec.blocking == "Developer in 2027-03 is short by 0.5 FTE for R2 Cheap win"
    text = services.selection_text(rec, "GBP")
    assert "Capacity: Developer in 2027-03 is short by 0.5 FTE for R2 Cheap win." in text
    assert text.endswith("Constraints: budget and role-by-month capacity.")


def test_no_blocking_role_when_capacity_keeps_nobody_out(monkeypatch):
    march = pd.Timestamp("2027-03-01")
    demand = pd.DataFrame({"request_id": ["R2"], "role": "Developer", "month": march, "fte": 1.0})
    free = pd.DataFrame({"role": ["Developer"], "month": [march], "free_fte": [2.0]})
    monkeypatch.setattr(services, "_capacity", lambda _view, _candidates: (demand, free))
    rec = services.recommend(view(), WEIGHTS, budget=300.0)
    assert set(rec.result.selected) == {"R2", "R3"}
    assert rec.blocking is None


def test_scenario_round_trips_through_the_url():
    weights, _ = services.weights_from_sliders(WEIGHTS, {"expected_benefit": 37.5})
    scenario = services.Scenario(
        method="wsjf",
        budget=3_600_000.0,
        use_capacity=False,
        include_decided=True,
        forced_in=("R1",),
        forced_out=("R2", "R3"),
    )
    query = services.scenario_query(
        "?division=Finance&budget=5&w_risk=9",
        base=WEIGHTS,
        weights=weights,
        scenario=scenario,
        default=100_000.0,
    )
    assert query == (
        "?division=Finance&w_expected_benefit=37.5&method=wsjf&budget=3600000&capacity=off"
        "&decided=include&in=R1&out=R2&out=R3"
    )
    back = services.parse_scenario(query_from_search(query))
    assert back == dataclasses.replace(scenario, weights={"expected_benefit": "37.5"})


def test_default_scenario_keeps_a_plain_url():
    query = services.scenario_query(
        "?as_of=2026-10-31",
        base=WEIGHTS,
        weights=WEIGHTS,
        scenario=services.Scenario(budget=100_000.0),
        default=100_000.0,
    )
    assert query == "?as_of=2026-10-31"
    assert (
        services.scenario_query(
            None, base=WEIGHTS, weights=WEIGHTS, scenario=services.Scenario(), default=1.0
        )
        == ""
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, services.Scenario()),
        (
            {"method": ["evil"], "budget": ["-3"], "capacity": ["no"], "decided": ["yes"]},
            services.Scenario(),
        ),
        ({"budget": "nan"}, services.Scenario()),
        (
            {"budget": ["250"], "in": ["R1", "R1"]},
            services.Scenario(budget=250.0, forced_in=("R1",)),
        ),
    ],
)
def test_parse_scenario_drops_what_it_cannot_use(query, expected):
    assert services.parse_scenario(query) == expected


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
    monkeypatch.setattr(services, "_capacity", lambda _view, _candidates: (demand, free))
    rec = services.recommend(mandatory_view("R1"), WEIGHTS, budget=1000.0)
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
    assert services.default_budget(mandatory_view("R1")) == 100_000.0
    big = mandatory_view("R1")
    frame = big.data.requests.assign(
        estimated_cost=[250_000.0, 100_000.0, 200_000.0, 50_000.0, 1.0]
    )
    data = dataclasses.replace(big.data, requests=frame)
    # 250k + (100k + 200k + 50k) / 4 = 337.5k, rounded up to 400k.
    assert services.default_budget(services.IntakeView(data, big.state)) == 400_000.0
