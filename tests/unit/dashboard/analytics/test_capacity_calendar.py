"""Unit tests of the capacity calendar: month starts and working days - no database."""

from __future__ import annotations

from dashboard.analytics.capacity_calendar import month_range, working_days
from dashboard.standards import WorkingTime
from tests.unit.dashboard.analytics.capacity_cases import FEB, JAN, MAR, MONTHS, WT, D


def test_month_range_starts_at_the_month_of_the_date():
    assert list(month_range(D(2026, 1, 20), 3)) == [JAN, FEB, MAR]
    assert list(MONTHS) == [JAN, FEB, MAR]


def test_working_days_count_weekdays_less_holidays():
    assert working_days(MONTHS, WT).tolist() == [21.0, 20.0, 22.0]


def test_working_days_can_be_fixed_per_month():
    fixed = WorkingTime(working_days_per_month=20)
    assert working_days(MONTHS, fixed).tolist() == [20.0, 20.0, 20.0]


def test_working_days_does_not_mutate_input():
    months = [D(2026, 1, 5), D(2026, 2, 1)]
    working_days(months, WT)
    assert months == [D(2026, 1, 5), D(2026, 2, 1)]
