"""Unit tests of the review's dates: month-ends offered, default period, trend points."""

from __future__ import annotations

from datetime import date

from dashboard.analytics import review_periods as periods

TODAY = date(2026, 11, 26)
SEP, OCT = date(2026, 9, 30), date(2026, 10, 31)


def test_month_ends_are_the_previous_months_newest_first():
    assert periods.month_ends(TODAY, 3) == (
        date(2026, 10, 31),
        date(2026, 9, 30),
        date(2026, 8, 31),
    )
    assert periods.month_ends(date(2026, 11, 30), 2) == (date(2026, 11, 30), date(2026, 10, 31))
    assert periods.month_ends(date(2026, 3, 5), 2) == (date(2026, 2, 28), date(2026, 1, 31))


def test_default_review_is_the_last_closed_month():
    assert periods.default_dates(TODAY) == (SEP, OCT)
    assert periods.default_dates(date(2026, 12, 2)) == (date(2026, 10, 31), date(2026, 11, 30))


def test_active_period_names_the_standard_periods_only():
    assert periods.active_period(SEP, OCT, TODAY) == "last_closed_month"
    assert periods.active_period(OCT, TODAY, TODAY) == "month_to_date"
    assert periods.active_period(SEP, TODAY, TODAY) is None


def test_trend_dates_end_at_the_month_end_or_the_day():
    assert periods.trend_dates(OCT, 3) == (date(2026, 8, 31), SEP, OCT)
    assert periods.trend_dates(TODAY, 3) == (SEP, OCT, TODAY)
    dates = periods.trend_dates(date(2024, 3, 31))
    assert len(dates) == 12 and dates[0] == date(2023, 4, 30) and date(2024, 2, 29) in dates
