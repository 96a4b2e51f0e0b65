"""The review's dates: the month-ends offered, the default period and the trend's points.

A review compares a month-end with a later date; by default the last closed month, with month
to date one click away (docs/review.md "Period", docs/analytics.md §6.1). ``today`` is always a
parameter: nothing here reads the clock.
"""

from __future__ import annotations

from datetime import date, timedelta

from dashboard.analytics import periods

MONTH_ENDS_OFFERED = 12
"""How many past month-ends the date pickers offer."""
TREND_MONTHS = 12
"""Month-ends in the portfolio trend."""


def month_ends(today: date, count: int = MONTH_ENDS_OFFERED) -> tuple[date, ...]:
    """The last day of each of the ``count`` months before ``today``'s month, newest first.

    ``today`` itself is included first when it is a month-end.
    """
    return periods.month_ends_before(_next_month_if_end(today), count)


def default_dates(today: date) -> tuple[date, date]:
    """The last closed month: the review leadership expects when nothing is chosen."""
    return periods.last_closed_month(today)


def active_period(start: date, end: date, today: date) -> str | None:
    """``last_closed_month``, ``month_to_date`` or None: which standard period the dates are."""
    if (start, end) == default_dates(today):
        return "last_closed_month"
    return "month_to_date" if (start, end) == periods.month_to_date(today) else None


def trend_dates(end: date, count: int = TREND_MONTHS) -> tuple[date, ...]:
    """The ``count`` month-ends ending at ``end``, oldest first; ``end`` itself when mid-month.

    A review ending mid-month (month to date) shows that day as its last point, after the
    ``count - 1`` month-ends before it.
    """
    if periods.is_month_end(end):
        return tuple(reversed(periods.month_ends_before(_next_month_if_end(end), count)))
    return (*reversed(periods.month_ends_before(end, count - 1)), end)


def _next_month_if_end(day: date) -> date:
    """The day after a month-end (so that month counts as "before" it), any other day as is."""
    return day + timedelta(days=1) if periods.is_month_end(day) else day
