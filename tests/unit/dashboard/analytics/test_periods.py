"""Unit tests of review periods: month-ends, last closed month, month to date (hand-computed)."""

from __future__ import annotations

from datetime import date

import pytest

from dashboard.analytics.periods import (
    is_month_end,
    last_closed_month,
    month_end,
    month_ends_before,
    month_to_date,
    previous_month_end,
)

D = date


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2026, 12, 2), (D(2026, 10, 31), D(2026, 11, 30))),  # the example
        (D(2026, 11, 26), (D(2026, 9, 30), D(2026, 10, 31))),  # the demo's "today"
        (D(2027, 1, 15), (D(2026, 11, 30), D(2026, 12, 31))),  # January: across the year
        (D(2027, 1, 1), (D(2026, 11, 30), D(2026, 12, 31))),  # first day of the year
        (D(2024, 3, 10), (D(2024, 1, 31), D(2024, 2, 29))),  # leap February ends the period
        (D(2024, 4, 3), (D(2024, 2, 29), D(2024, 3, 31))),  # leap February starts it
        (D(2026, 3, 1), (D(2026, 1, 31), D(2026, 2, 28))),  # ordinary February
        (D(2026, 11, 30), (D(2026, 9, 30), D(2026, 10, 31))),  # month-end today: not closed yet
        (D(2026, 12, 31), (D(2026, 10, 31), D(2026, 11, 30))),  # year-end today
    ],
)
def test_last_closed_month(today, expected):
    assert last_closed_month(today) == expected


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2026, 12, 2), (D(2026, 11, 30), D(2026, 12, 2))),
        (D(2027, 1, 15), (D(2026, 12, 31), D(2027, 1, 15))),
        (D(2024, 3, 1), (D(2024, 2, 29), D(2024, 3, 1))),
        (D(2026, 11, 30), (D(2026, 10, 31), D(2026, 11, 30))),
    ],
)
def test_month_to_date(today, expected):
    assert month_to_date(today) == expected


def test_month_end_and_previous_month_end():
    assert month_end(D(2024, 2, 3)) == D(2024, 2, 29)
    assert month_end(D(2100, 2, 3)) == D(2100, 2, 28)  # century, not a leap year
    assert month_end(D(2000, 2, 3)) == D(2000, 2, 29)  # divisible by 400: a leap year
    assert previous_month_end(D(2027, 1, 31)) == D(2026, 12, 31)
    assert previous_month_end(D(2024, 3, 31)) == D(2024, 2, 29)
    assert is_month_end(D(2024, 2, 29)) and not is_month_end(D(2024, 2, 28))
    assert is_month_end(D(2026, 2, 28))


def test_month_ends_before_skips_todays_month_even_on_a_month_end():
    assert month_ends_before(D(2026, 11, 30), 3) == (
        D(2026, 10, 31),
        D(2026, 9, 30),
        D(2026, 8, 31),
    )
    assert month_ends_before(D(2024, 3, 5), 2) == (D(2024, 2, 29), D(2024, 1, 31))
    ends = month_ends_before(D(2026, 12, 2), 12)
    assert len(ends) == 12 and ends[0] == D(2026, 11, 30) and ends[-1] == D(2025, 12, 31)
    assert month_ends_before(D(2026, 12, 2), 0) == ()
    with pytest.raises(ValueError, match="count must be >= 0"):
        month_ends_before(D(2026, 12, 2), -1)
