"""Unit tests of data/sample/demo_records.py: the date steps every demo date is built from."""

from __future__ import annotations

import importlib
from datetime import date, timedelta
from types import ModuleType

import pytest


@pytest.fixture(scope="module")
def records(gen: ModuleType) -> ModuleType:
    return importlib.import_module("demo_records")  # beside generate.py, on its path once loaded


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        (date(2026, 11, 26), 0, date(2026, 11, 1)),
        (date(2026, 11, 26), 2, date(2027, 1, 1)),  # across the year end
        (date(2026, 11, 26), -6, date(2026, 5, 1)),  # the plan's first month for this day
        (date(2027, 1, 31), -1, date(2026, 12, 1)),
        (date(2026, 3, 15), 24, date(2028, 3, 1)),
    ],
)
def test_add_months_gives_the_first_of_the_month(records, day, n, expected):
    assert records.add_months(day, n) == expected


def test_days_is_a_day_step(records):
    assert records.days(14) == timedelta(days=14)
    assert date(2026, 11, 26) - records.days(30) == date(2026, 10, 27)


def test_only_open_stages_are_active(records):
    project = records.Project(0, "Finance", "Execution", *(date(2026, 1, 1),) * 5)
    assert project.active_stage
    project.stage = "On Hold"
    assert not project.active_stage
