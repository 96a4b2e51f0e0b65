"""Unit tests of capacity supply: working days employed, leave and FTE - no database."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.analytics.capacity_supply import resource_supply
from dashboard.standards import WorkingTime
from tests.unit.dashboard.analytics.capacity_cases import FEB, JAN, MAR, MONTHS, WT, D, people


def test_resource_supply_hand_computed():
    supply = resource_supply(people(), WT, months=MONTHS).set_index(["resource_id", "month"])
    # Ann: 1.0 x 7.5 x (21 days - 2 leave) in January.
    assert supply.loc[("A", JAN), "supply_hours"] == pytest.approx(142.5)
    assert supply.loc[("A", JAN), "supply_fte"] == pytest.approx(142.5 / 157.5)
    assert supply.loc[("A", JAN), "standard_hours"] == 157.5
    # Bo starts 15 Jan: 12 working days, leave pro rata 2 x 12/21, half time.
    assert supply.loc[("B", JAN), "employed_days"] == 12
    assert supply.loc[("B", JAN), "leave_days"] == pytest.approx(2 * 12 / 21)
    assert supply.loc[("B", JAN), "supply_hours"] == pytest.approx(0.5 * 7.5 * (12 - 24 / 21))
    # Cy (no FTE = full time) leaves 10 Feb (inclusive): 7 days in Feb, none in March.
    assert supply.loc[("C", FEB), "employed_days"] == 7
    assert supply.loc[("C", FEB), "supply_hours"] == pytest.approx(7.5 * (7 - 0.7))
    assert supply.loc[("C", MAR), "supply_hours"] == 0.0
    assert supply.loc[("C", FEB), "fte"] == 1.0


def test_leave_plan_replaces_the_default_allowance_for_that_person():
    leave = pd.DataFrame(
        {"resource_id": ["A", "C"], "month": [D(2026, 2, 3), D(2026, 2, 1)], "days": [5.0, 10.0]}
    )
    supply = resource_supply(people(), WT, months=MONTHS, leave=leave)
    supply = supply.set_index(["resource_id", "month"])
    assert supply.loc[("A", JAN), "leave_days"] == 0.0  # has a plan: no leave in January
    assert supply.loc[("A", FEB), "leave_days"] == 5.0
    assert supply.loc[("C", FEB), "leave_days"] == 7.0  # capped at the days employed
    assert supply.loc[("C", FEB), "supply_hours"] == 0.0
    assert supply.loc[("B", FEB), "leave_days"] == 2.0  # no plan: the default allowance


def test_fixed_working_days_are_pro_rata_for_starters():
    supply = resource_supply(people(), WorkingTime(working_days_per_month=20), months=MONTHS)
    bo = supply[(supply["resource_id"] == "B") & (supply["month"] == JAN)].iloc[0]
    assert bo["employed_days"] == pytest.approx(20 * 12 / 22)  # 12 of 22 weekdays


def test_resource_supply_does_not_mutate_input():
    frame = people()
    before = frame.copy()
    resource_supply(frame, WT, months=MONTHS)
    pd.testing.assert_frame_equal(frame, before)
