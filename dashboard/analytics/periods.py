"""Review periods: month-ends, the last closed month and month to date (pure date logic).

Leadership reviews a month once it has closed, so the default period of the monthly review is
**the last closed month**: the previous month-end compared with the one before it (opened on
2 December: 31 October → 30 November). A month is closed once its last day is over, so on a
month-end itself (30 November) the last closed month is still the one before (30 September →
31 October): that day's reports may still be loaded. "Month to date" (the previous month-end
compared with today) is the alternative the PMO uses while the month is still running.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta


def month_end(day: date) -> date:
    """The last day of ``day``'s month (29 February in a leap year)."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def is_month_end(day: date) -> bool:
    """Whether ``day`` is the last day of its month."""
    return day == month_end(day)


def previous_month_end(day: date) -> date:
    """The last day of the month before ``day``'s month (2 Dec → 30 Nov; 31 Jan → 31 Dec)."""
    return day.replace(day=1) - timedelta(days=1)


def month_ends_before(day: date, count: int) -> tuple[date, ...]:
    """The ``count`` month-ends before ``day``'s month, newest first.

    Args:
        day: Any date; its own month is not included, even when ``day`` is a month-end.
        count: How many month-ends (>= 0).

    Returns:
        ``count`` dates, each the last day of a month, newest first.

    Raises:
        ValueError: ``count`` is negative.
    """
    if count < 0:
        raise ValueError(f"month_ends_before: count must be >= 0, got {count}")
    out: list[date] = []
    end = previous_month_end(day)
    while len(out) < count:
        out.append(end)
        end = previous_month_end(end)
    return tuple(out)


def last_closed_month(today: date) -> tuple[date, date]:
    """(start, end) of the last closed month: the month-end before the previous one, and it.

    On 2 Dec 2026 that is (31 Oct 2026, 30 Nov 2026); on 30 Nov 2026 — November is not over —
    it is (30 Sep 2026, 31 Oct 2026).
    """
    end = previous_month_end(today)
    return previous_month_end(end), end


def month_to_date(today: date) -> tuple[date, date]:
    """(start, end) of the running month: the previous month-end and ``today``."""
    return previous_month_end(today), today
