"""Unit tests of one request on the Capacity page, on a tiny hand-made portfolio - no database."""

from __future__ import annotations

import pytest

from dashboard.services import capacity, capacity_requests
from tests.unit.dashboard.services.capacity_cases import AS_OF, FEB, FULL_TIME, JAN

pytestmark = pytest.mark.usefixtures("tiny_capacity")


def test_request_choices_offer_requests_not_yet_approved_with_demand_in_scope():
    model = capacity.capacity_model(AS_OF, (), pipeline=False)
    assert capacity_requests.request_choices(model) == [
        {"label": "R1 · New CRM (submitted)", "value": "R1"}
    ]
    # R1 needs analysts: both divisions have one, so both see what approving it would do.
    operations = capacity.capacity_model(AS_OF, ("Operations",), pipeline=False)
    assert [c["value"] for c in capacity_requests.request_choices(operations)] == ["R1"]


@pytest.mark.parametrize("request_id", ["R2", "R3", "nope", None, "<script>"])
def test_request_impact_ignores_requests_outside_the_allowlist(request_id):
    model = capacity.capacity_model(AS_OF, (), pipeline=False)
    assert capacity_requests.request_impact(model, request_id) is None


def test_request_impact_shows_before_after_and_the_earliest_start():
    model = capacity.capacity_model(AS_OF, (), pipeline=False)
    impact = capacity_requests.request_impact(model, "R1")
    assert impact.title == "New CRM" and impact.status == "submitted"
    jan = impact.table.loc[impact.table["month"] == JAN].iloc[0]
    assert jan["demand_before_fte"] == pytest.approx(1.8)
    assert jan["demand_after_fte"] == pytest.approx(2.8)
    assert jan["utilisation_before"] == pytest.approx(1.8 / (2 * FULL_TIME))  # 99.9 %: ok
    assert bool(jan["becomes_over"]) is True
    # Moved one month, R1 needs analysts in February and March, when both are free.
    assert impact.slot.shift_months == 1
    assert impact.slot.earliest_start == FEB
