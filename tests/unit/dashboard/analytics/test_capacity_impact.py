"""Unit tests of one request against capacity: before/after and earliest start - no database."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.analytics.capacity_impact import earliest_start, request_impact
from tests.unit.dashboard.analytics.capacity_cases import BANDS, FEB, JAN, placement


def test_request_impact_before_and_after():
    supply, demand = placement()
    impact = request_impact(supply, demand, BANDS, request_id="R1")
    assert impact["month"].tolist() == [JAN, FEB]
    assert impact["utilisation_before"].tolist() == pytest.approx([0.9, 0.9])
    assert impact["utilisation_after"].tolist() == pytest.approx([1.1, 1.1])
    assert impact["request_fte"].tolist() == pytest.approx([0.2, 0.2])
    assert impact["band_before"].tolist() == ["ok", "ok"]
    assert impact["band_after"].tolist() == ["over", "over"]
    assert impact["becomes_over"].tolist() == [True, True]


def test_earliest_start_hand_checked():
    supply, demand = placement()
    slot = earliest_start(supply, demand, BANDS, request_id="R1")
    assert slot.planned_start == JAN
    assert slot.earliest_start == pd.Timestamp(2026, 3, 1)  # Mar 90 %, Apr 40 %
    assert slot.shift_months == 2
    assert slot.blocking == (
        "dev 2026-01: 110% with this request",
        "dev 2026-02: 110% with this request",
    )
    assert slot.tried["feasible"].tolist() == [False, False, True]
    assert slot.message == "R1 can start in Mar 2026, 2 month(s) after the planned Jan 2026."


def test_earliest_start_as_planned():
    supply, demand = placement()
    demand = demand.assign(hours=np.where(demand["request_id"] == "R1", 5.0, demand["hours"]))
    slot = earliest_start(supply, demand, BANDS, request_id="R1")
    assert slot.shift_months == 0
    assert slot.message == "R1 can start as planned in Jan 2026."


def test_earliest_start_none_within_horizon():
    supply, demand = placement()
    demand = demand.assign(hours=np.where(demand["request_id"] == "R1", 120.0, demand["hours"]))
    slot = earliest_start(supply, demand, BANDS, request_id="R1")
    assert slot.earliest_start is None
    assert slot.shift_months is None
    assert slot.message.startswith("R1 cannot start between Jan 2026 and")


def test_earliest_start_without_allocations():
    supply, demand = placement()
    slot = earliest_start(supply, demand, BANDS, request_id="R9")
    assert slot.planned_start is None
    assert slot.tried.empty


def test_request_impact_and_earliest_start_do_not_mutate_input():
    supply, demand = placement()
    before = (supply.copy(), demand.copy())
    request_impact(supply, demand, BANDS, request_id="R1")
    earliest_start(supply, demand, BANDS, request_id="R1")
    pd.testing.assert_frame_equal(supply, before[0])
    pd.testing.assert_frame_equal(demand, before[1])
