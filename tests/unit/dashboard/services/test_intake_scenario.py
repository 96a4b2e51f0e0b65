"""Unit tests of the intake scenario in the URL - no database, no browser."""

from __future__ import annotations

import dataclasses

import pytest

from dashboard.services import intake_scenario
from dashboard.services.intake_weights import weights_from_sliders
from dashboard.url_state import query_from_search
from tests.unit.dashboard.services.intake_cases import WEIGHTS


def test_scenario_round_trips_through_the_url():
    weights, _ = weights_from_sliders(WEIGHTS, {"expected_benefit": 37.5})
    scenario = intake_scenario.Scenario(
        method="wsjf",
        budget=3_600_000.0,
        use_capacity=False,
        include_decided=True,
        forced_in=("R1",),
        forced_out=("R2", "R3"),
    )
    query = intake_scenario.scenario_query(
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
    back = intake_scenario.parse_scenario(query_from_search(query))
    assert back == dataclasses.replace(scenario, weights={"expected_benefit": "37.5"})


def test_default_scenario_keeps_a_plain_url():
    query = intake_scenario.scenario_query(
        "?as_of=2026-10-31",
        base=WEIGHTS,
        weights=WEIGHTS,
        scenario=intake_scenario.Scenario(budget=100_000.0),
        default=100_000.0,
    )
    assert query == "?as_of=2026-10-31"
    assert (
        intake_scenario.scenario_query(
            None, base=WEIGHTS, weights=WEIGHTS, scenario=intake_scenario.Scenario(), default=1.0
        )
        == ""
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, intake_scenario.Scenario()),
        (
            {"method": ["evil"], "budget": ["-3"], "capacity": ["no"], "decided": ["yes"]},
            intake_scenario.Scenario(),
        ),
        ({"budget": "nan"}, intake_scenario.Scenario()),
        (
            {"budget": ["250"], "in": ["R1", "R1"]},
            intake_scenario.Scenario(budget=250.0, forced_in=("R1",)),
        ),
    ],
)
def test_parse_scenario_drops_what_it_cannot_use(query, expected):
    assert intake_scenario.parse_scenario(query) == expected
