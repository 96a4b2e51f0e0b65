"""Unit tests of the capacity model per scope on a tiny hand-made portfolio - no database."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard.services import capacity, capacity_frames
from tests.unit.dashboard.services.capacity_cases import AS_OF, FULL_TIME, JAN, cell

pytestmark = pytest.mark.usefixtures("tiny_capacity")


def test_division_filter_keeps_its_people_and_the_demand_that_falls_on_them():
    model = capacity.capacity_model(AS_OF, ("Finance",), pipeline=False)
    assert list(model.people["resource_id"]) == ["A1"]
    frame = capacity_frames.heatmap_frame(model)
    # Alice's load counts wherever it comes from (P2 is an Operations project); Bob's P1 work
    # does not (he is in Operations).
    analyst = cell(frame, "Analyst", JAN)
    assert analyst["supply_fte"] == pytest.approx(FULL_TIME)
    assert analyst["demand_fte"] == pytest.approx(1.2)
    assert analyst["band"] == "critical"
    # Unassigned Developer demand lands on Operations, who have the only developer; the
    # Architect nobody has counts for P1's division, Finance.
    assert "Developer" not in set(frame["role"])
    architect = cell(frame, "Architect", JAN)
    assert architect["demand_fte"] == pytest.approx(0.5)
    assert math.isinf(architect["utilisation"])
    summary = capacity_frames.capacity_summary(model)
    assert summary["no_supply_roles"] == ("Architect",)
    assert summary["people_over"] == 1


def test_unassigned_demand_is_shared_by_each_divisions_supply_of_the_role():
    finance = capacity.capacity_model(AS_OF, ("Finance",), pipeline=True)
    operations = capacity.capacity_model(AS_OF, ("Operations",), pipeline=True)
    everyone = capacity.capacity_model(AS_OF, (), pipeline=True)
    # R1's unassigned analyst (1.0 FTE x p=0.3) splits evenly: each division has one analyst.
    r1 = {
        name: model.demand.loc[model.demand["request_id"] == "R1", "demand_fte"].sum()
        for name, model in (("fin", finance), ("ops", operations), ("all", everyone))
    }
    assert r1["fin"] == pytest.approx(0.3) and r1["ops"] == pytest.approx(0.3)
    assert r1["all"] == pytest.approx(0.6)
    by_division = [
        cell(capacity_frames.heatmap_frame(m), "Analyst", JAN)["demand_fte"]
        for m in (finance, operations)
    ]
    assert sum(by_division) == pytest.approx(
        cell(capacity_frames.heatmap_frame(everyone), "Analyst", JAN)["demand_fte"]
    )
    assert "Architect" not in set(capacity_frames.heatmap_frame(operations)["role"])


def test_pipeline_adds_unapproved_requests_weighted_by_their_status():
    without = capacity_frames.monthly_totals(capacity.capacity_model(AS_OF, (), pipeline=False))
    with_pipeline = capacity_frames.monthly_totals(
        capacity.capacity_model(AS_OF, (), pipeline=True)
    )
    jan = without.iloc[0]
    assert jan["Active projects"] == pytest.approx(1.2 + 0.6 + 0.3 + 0.2 + 0.5)
    assert jan["Approved requests"] == pytest.approx(0.4)
    assert jan["Pipeline (weighted)"] == 0
    assert with_pipeline.iloc[0]["Pipeline (weighted)"] == pytest.approx(0.3)  # submitted: p=0.3
    assert with_pipeline.iloc[1]["Pipeline (weighted)"] == pytest.approx(0.3)
    assert jan["supply_fte"] == pytest.approx(2.5 * FULL_TIME)
    assert list(without.columns) == [
        "month",
        "supply_fte",
        *capacity_frames.DEMAND_CATEGORIES,
        "demand_fte",
    ]


def test_capacity_state_drops_unknown_divisions():
    state = capacity.capacity_state({"division": ["Finance", "Atlantis"]}, AS_OF)
    assert state.filters.divisions == ("Finance",)
    assert capacity.scope_text(state) == "Division: Finance · as of 2027-01-15"
    assert capacity.scope_text(capacity.capacity_state({}, AS_OF)).startswith("All divisions")


def test_building_a_model_does_not_mutate_its_inputs(tiny_capacity):
    before = {name: getattr(tiny_capacity, name).copy() for name in ("resources", "allocations")}
    capacity.capacity_model(AS_OF, ("Finance",), pipeline=True)
    for name, frame in before.items():
        pd.testing.assert_frame_equal(getattr(tiny_capacity, name), frame)


def test_models_are_cached_per_scope_and_pipeline():
    first = capacity.capacity_model(AS_OF, ("Finance",), pipeline=False)
    assert capacity.capacity_model(AS_OF, ("Finance",), pipeline=False) is first
    assert capacity.capacity_model(AS_OF, ("Finance",), pipeline=True) is not first
    assert capacity.capacity_model(AS_OF, (), pipeline=False) is not first
