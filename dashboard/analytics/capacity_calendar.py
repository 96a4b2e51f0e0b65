"""The calendar capacity counts in: month starts, working days, and hours turned into FTE.

A month's **standard hours** are its working days x hours per day: one full-time person's
month. FTE figures are hours divided by them (``docs/analytics.md`` §4).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import numpy as np
import pandas as pd

from dashboard.analytics._checks import as_timestamp, to_dates
from dashboard.standards import WorkingTime


def month_range(start: dt.date | pd.Timestamp, count: int) -> pd.DatetimeIndex:
    """Return ``count`` consecutive month starts beginning with the month of ``start``.

    Args:
        start: Any date in the first month.
        count: Number of months (e.g. 18 for the forecast horizon).
    """
    first = as_timestamp(start, name="start").to_period("M").to_timestamp()
    return pd.date_range(first, periods=count, freq="MS")


def month_starts(months: Iterable[dt.date | pd.Timestamp]) -> pd.DatetimeIndex:
    """The distinct month starts of ``months`` (any day in a month stands for it), sorted."""
    values = pd.DatetimeIndex(pd.to_datetime(pd.Series(list(months)), errors="raise"))
    return pd.DatetimeIndex(values.to_period("M").to_timestamp().unique().sort_values())


def month_of(values: pd.Series) -> pd.Series:
    """The month start of each date in ``values`` (NaT where it is not a date)."""
    return to_dates(values).dt.to_period("M").dt.to_timestamp()


def working_days(months: Iterable[dt.date | pd.Timestamp], working_time: WorkingTime) -> pd.Series:
    """Working days of each month (a full-time person's days before leave).

    Args:
        months: Month starts (any day in the month is accepted).
        working_time: Hours per day, days per month (0 = count weekdays), holidays.

    Returns:
        Float series indexed by month start.
    """
    index = month_starts(months)
    starts, ends = month_bounds(index)
    days = business_days(starts, ends, working_time)
    return pd.Series(days, index=index, name="working_days")


def month_bounds(index: pd.DatetimeIndex) -> tuple[np.ndarray, np.ndarray]:
    """First day and the day after the last day of each month, as ``datetime64[D]`` arrays."""
    starts = index.to_numpy().astype("datetime64[D]")
    ends = (index + pd.offsets.MonthBegin(1)).to_numpy().astype("datetime64[D]")
    return starts, ends


def business_days(
    lo: np.ndarray,
    hi: np.ndarray,
    working_time: WorkingTime,
    *,
    full_month: tuple[np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """Working days in [lo, hi): weekdays less holidays, or the configured days pro rata.

    With ``working_days_per_month`` set, a part of a month (``full_month`` gives the month's
    bounds) counts its share of the month's weekdays times the configured days.
    """
    holidays = np.array(working_time.holidays, dtype="datetime64[D]")
    counted = np.busday_count(lo, hi, holidays=holidays).astype("float64")
    if working_time.working_days_per_month <= 0:
        return counted
    if full_month is None:
        return np.full(counted.shape, float(working_time.working_days_per_month))
    whole = np.busday_count(full_month[0], full_month[1], holidays=holidays).astype("float64")
    share = np.divide(counted, whole, out=np.zeros_like(counted), where=whole > 0)
    return share * working_time.working_days_per_month


def to_fte(hours: object, standard_hours: object) -> np.ndarray:
    """Hours as FTE (hours / the month's standard hours); NaN where a month has no hours."""
    top = np.asarray(hours, dtype="float64")
    bottom = np.asarray(standard_hours, dtype="float64")
    return np.divide(top, bottom, out=np.full(top.shape, np.nan), where=bottom > 0)
