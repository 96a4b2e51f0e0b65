"""Unit tests of the capacity services on a tiny hand-made portfolio - no database, no browser.

People (January 2027 has 21 working days; default leave 25 days a year = 25/12 a month, so a
full-time person supplies (21 - 25/12) / 21 = 0.9008 FTE):
    A1 Alice, Analyst, Finance, 1.0 FTE    A2 Bob, Analyst, Operations, 1.0 FTE
    D1 Dee, Developer, Operations, 0.5 FTE
January allocations: P2 (Operations) books Alice 1.2 FTE, P1 (Finance) books Bob 0.6 FTE,
P1 and P2 ask for an unnamed Developer 0.3 / 0.2 FTE, closed P3 books Alice 0.5 FTE (ignored),
P1 asks for an Architect 0.5 FTE (nobody is one), approved R2 books Dee 0.4 FTE, submitted R1
asks for an Analyst 1.0 FTE in January and February.
"""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

from dashboard.services import capacity as services
from dashboard.services.cache import clear_cache
from dashboard.url_state import FilterOptions

AS_OF = date(2027, 1, 15)
JAN, FEB = pd.Timestamp("2027-01-01"), pd.Timestamp("2027-02-01")
FULL_TIME = (21 - 25 / 12) / 21


def inputs() -> services.CapacityInputs:
    resources = pd.DataFrame(
        {
            "resource_id": ["A1", "A2", "D1"],
            "name": ["Alice", "Bob", "Dee"],
            "role": ["Analyst", "Analyst", "Developer"],
            "team": ["BA", "BA", "Eng"],
            "division": ["Finance", "Operations", "Operations"],
            "fte": [1.0, 1.0, 0.5],
        }
    )
    projects = pd.DataFrame(
        {
            "project_id": ["P1", "P2", "P3"],
            "division": ["Finance", "Operations", "Finance"],
            "stage": ["Execution", "Execution", "Closed"],
        }
    )
    requests = pd.DataFrame(
        {
            "request_id": ["R1", "R2", "R3"],
            "title": ["New CRM", "Data lake", "No plan yet"],
            "division": ["Finance", "Operations", "Finance"],
            "status": ["submitted", "approved", "under_review"],
        }
    )
    allocations = pd.DataFrame(
        {
            "project_id": ["P2", "P1", "P1", "P2", "P3", None, None, None, "P1"],
            "request_id": [None, None, None, None, None, "R2", "R1", "R1", None],
            "resource_id": ["A1", "A2", None, None, "A1", "D1", None, None, None],
            "role": ["Analyst", "Analyst", "Developer", "Developer", "Analyst", "Developer",
                     "Analyst", "Analyst", "Architect"],
            "month": [JAN, JAN, JAN, JAN, JAN, JAN, JAN, FEB, JAN],
            "fte": [1.2, 0.6, 0.3, 0.2, 0.5, 0.4, 1.0, 1.0, 0.5],
            "hours": [None] * 9,
        }
    )  # fmt: skip
    options = FilterOptions(divisions=("Finance", "Operations"))
    return services.CapacityInputs(-1, AS_OF, resources, allocations, projects, requests, options)


@pytest.fixture(autouse=True)
def tiny(monkeypatch):
    clear_cache()
    data = inputs()
    monkeypatch.setattr(services, "capacity_inputs", lambda as_of: data)
    yield data
    clear_cache()


def cell(frame: pd.DataFrame, role: str, month: pd.Timestamp) -> pd.Series:
    return frame.loc[(frame["role"] == role) & (frame["month"] == month)].iloc[0]


def test_heatmap_frame_counts_every_division_without_a_filter():
    model = services.capacity_model(AS_OF, (), pipeline=False)
    frame = services.heatmap_frame(model)
    analyst = cell(frame, "Analyst", JAN)
    assert analyst["supply_fte"] == pytest.approx(2 * FULL_TIME)
    assert analyst["demand_fte"] == pytest.approx(1.8)  # closed P3 and unapproved R1 left out
    assert analyst["utilisation"] == pytest.approx(1.8 / (2 * FULL_TIME))
    developer = cell(frame, "Developer", JAN)
    assert developer["demand_fte"] == pytest.approx(0.3 + 0.2 + 0.4)
    assert len(model.months) == services.HORIZON_MONTHS
    assert model.supply["month"].nunique() == services.SEARCH_MONTHS


def test_division_filter_keeps_its_people_and_the_demand_that_falls_on_them():
    model = services.capacity_model(AS_OF, ("Finance",), pipeline=False)
    assert list(model.people["resource_id"]) == ["A1"]
    frame = services.heatmap_frame(model)
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
    summary = services.capacity_summary(model)
    assert summary["no_supply_roles"] == ("Architect",)
    assert summary["people_over"] == 1


def test_unassigned_demand_is_shared_by_each_divisions_supply_of_the_role():
    finance = services.capacity_model(AS_OF, ("Finance",), pipeline=True)
    operations = services.capacity_model(AS_OF, ("Operations",), pipeline=True)
    everyone = services.capacity_model(AS_OF, (), pipeline=True)
    # R1's unassigned analyst (1.0 FTE x p=0.3) splits evenly: each division has one analyst.
    r1 = {
        name: model.demand.loc[model.demand["request_id"] == "R1", "demand_fte"].sum()
        for name, model in (("fin", finance), ("ops", operations), ("all", everyone))
    }
    assert r1["fin"] == pytest.approx(0.3) and r1["ops"] == pytest.approx(0.3)
    assert r1["all"] == pytest.approx(0.6)
    by_division = [
        cell(services.heatmap_frame(m), "Analyst", JAN)["demand_fte"] for m in (finance, operations)
    ]
    assert sum(by_division) == pytest.approx(
        cell(services.heatmap_frame(everyone), "Analyst", JAN)["demand_fte"]
    )
    assert "Architect" not in set(services.heatmap_frame(operations)["role"])


def test_pipeline_adds_unapproved_requests_weighted_by_their_status():
    without = services.monthly_totals(services.capacity_model(AS_OF, (), pipeline=False))
    with_pipeline = services.monthly_totals(services.capacity_model(AS_OF, (), pipeline=True))
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
        *services.DEMAND_CATEGORIES,
        "demand_fte",
    ]


def test_over_allocated_people_lists_who_is_over_and_when():
    people = services.over_allocated_people(services.capacity_model(AS_OF, (), pipeline=False))
    assert list(people["resource_id"]) == ["A1"]
    alice = people.iloc[0]
    assert alice["name"] == "Alice" and alice["months_over"] == 1
    assert alice["peak_month"] == JAN
    assert alice["peak_utilisation"] == pytest.approx(1.2 / FULL_TIME)
    assert alice["peak_excess_fte"] == pytest.approx(1.2 - FULL_TIME)


def test_request_choices_offer_requests_not_yet_approved_with_demand_in_scope():
    model = services.capacity_model(AS_OF, (), pipeline=False)
    assert services.request_choices(model) == [{"label": "R1 · New CRM (submitted)", "value": "R1"}]
    # R1 needs analysts: both divisions have one, so both see what approving it would do.
    operations = services.capacity_model(AS_OF, ("Operations",), pipeline=False)
    assert [c["value"] for c in services.request_choices(operations)] == ["R1"]


@pytest.mark.parametrize("request_id", ["R2", "R3", "nope", None, "<script>"])
def test_request_impact_ignores_requests_outside_the_allowlist(request_id):
    model = services.capacity_model(AS_OF, (), pipeline=False)
    assert services.request_impact(model, request_id) is None


def test_request_impact_shows_before_after_and_the_earliest_start():
    model = services.capacity_model(AS_OF, (), pipeline=False)
    impact = services.request_impact(model, "R1")
    assert impact.title == "New CRM" and impact.status == "submitted"
    jan = impact.table.loc[impact.table["month"] == JAN].iloc[0]
    assert jan["demand_before_fte"] == pytest.approx(1.8)
    assert jan["demand_after_fte"] == pytest.approx(2.8)
    assert jan["utilisation_before"] == pytest.approx(1.8 / (2 * FULL_TIME))  # 99.9 %: ok
    assert bool(jan["becomes_over"]) is True
    # Moved one month, R1 needs analysts in February and March, when both are free.
    assert impact.slot.shift_months == 1
    assert impact.slot.earliest_start == FEB


def test_capacity_state_drops_unknown_divisions():
    state = services.capacity_state({"division": ["Finance", "Atlantis"]}, AS_OF)
    assert state.filters.divisions == ("Finance",)
    assert services.scope_text(state) == "Division: Finance · as of 2027-01-15"
    assert services.scope_text(services.capacity_state({}, AS_OF)).startswith("All divisions")


def test_export_frames_have_readable_headers_and_percentages():
    model = services.capacity_model(AS_OF, ("Finance",), pipeline=False)
    roles = services.export_frame(model, "roles")
    assert list(roles.columns) == [
        "Role",
        "Month",
        "Supply (FTE)",
        "Demand (FTE)",
        "Utilisation (%)",
        "Band",
    ]
    architect = roles.loc[(roles["Role"] == "Architect") & (roles["Month"] == "2027-01")].iloc[0]
    assert math.isnan(architect["Utilisation (%)"]) and architect["Band"] == "critical"
    people = services.export_frame(model, "people")
    assert people.iloc[0]["Name"] == "Alice"
    assert people.iloc[0]["Peak utilisation (%)"] == pytest.approx(133.2, abs=0.1)


def test_building_a_model_does_not_mutate_its_inputs(tiny):
    before = {name: getattr(tiny, name).copy() for name in ("resources", "allocations")}
    services.capacity_model(AS_OF, ("Finance",), pipeline=True)
    for name, frame in before.items():
        pd.testing.assert_frame_equal(getattr(tiny, name), frame)


def test_models_are_cached_per_scope_and_pipeline():
    first = services.capacity_model(AS_OF, ("Finance",), pipeline=False)
    assert services.capacity_model(AS_OF, ("Finance",), pipeline=False) is first
    assert services.capacity_model(AS_OF, ("Finance",), pipeline=True) is not first
    assert services.capacity_model(AS_OF, (), pipeline=False) is not first
