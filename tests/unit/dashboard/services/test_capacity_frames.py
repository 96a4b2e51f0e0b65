"""Unit tests of the Capacity page's tables on a tiny hand-made portfolio - no database."""

from __future__ import annotations

import math

import pytest

from dashboard.services import capacity, capacity_frames
from tests.unit.dashboard.services.capacity_cases import AS_OF, FULL_TIME, JAN, cell

pytestmark = pytest.mark.usefixtures("tiny_capacity")


def test_heatmap_frame_counts_every_division_without_a_filter():
    model = capacity.capacity_model(AS_OF, (), pipeline=False)
    frame = capacity_frames.heatmap_frame(model)
    analyst = cell(frame, "Analyst", JAN)
    assert analyst["supply_fte"] == pytest.approx(2 * FULL_TIME)
    assert analyst["demand_fte"] == pytest.approx(1.8)  # closed P3 and unapproved R1 left out
    assert analyst["utilisation"] == pytest.approx(1.8 / (2 * FULL_TIME))
    developer = cell(frame, "Developer", JAN)
    assert developer["demand_fte"] == pytest.approx(0.3 + 0.2 + 0.4)
    assert len(model.months) == capacity.HORIZON_MONTHS
    assert model.supply["month"].nunique() == capacity.SEARCH_MONTHS


def test_over_allocated_people_lists_who_is_over_and_when():
    people = capacity_frames.over_allocated_people(
        capacity.capacity_model(AS_OF, (), pipeline=False)
    )
    assert list(people["resource_id"]) == ["A1"]
    alice = people.iloc[0]
    assert alice["name"] == "Alice" and alice["months_over"] == 1
    assert alice["peak_month"] == JAN
    assert alice["peak_utilisation"] == pytest.approx(1.2 / FULL_TIME)
    assert alice["peak_excess_fte"] == pytest.approx(1.2 - FULL_TIME)


def test_export_frames_have_readable_headers_and_percentages():
    model = capacity.capacity_model(AS_OF, ("Finance",), pipeline=False)
    roles = capacity_frames.export_frame(model, "roles")
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
    people = capacity_frames.export_frame(model, "people")
    assert people.iloc[0]["Name"] == "Alice"
    assert people.iloc[0]["Peak utilisation (%)"] == pytest.approx(133.2, abs=0.1)
