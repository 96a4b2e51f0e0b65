"""Supply: the hours each person can work in each month (``docs/analytics.md`` §4).

Supply of a person in a month = FTE x hours per day x (working days they are employed that
month - leave days). Leave comes from the optional leave plan; a person with any row in it is
taken to have a complete plan (months without a row = no leave), everyone else gets
``leave_days_per_year / 12`` a month, pro rata to the employed share of the month. A missing FTE
counts as 1 (full time).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import numpy as np
import pandas as pd

from dashboard.analytics._checks import column_or_na, require_columns, to_dates, to_float
from dashboard.analytics.capacity_calendar import (
    business_days,
    month_bounds,
    month_of,
    month_starts,
    to_fte,
)
from dashboard.standards import WorkingTime


def resource_supply(
    resources: pd.DataFrame,
    working_time: WorkingTime,
    *,
    months: Iterable[dt.date | pd.Timestamp],
    leave: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Hours each person can work in each month.

    Args:
        resources: One row per person; needs ``resource_id``, ``role``; uses ``team``,
            ``division``, ``fte``, ``start_date``, ``end_date`` when present.
        working_time: From ``pmo.toml`` ``[working_time]``.
        months: The months to compute (e.g. ``month_range(as_of, 18)``).
        leave: Optional leave plan; needs ``resource_id``, ``month``, ``days``.

    Returns:
        One row per person x month: ``resource_id``, ``role``, ``team``, ``division``, ``month``,
        ``fte``, ``standard_hours``, ``employed_days``, ``leave_days``, ``supply_hours``,
        ``supply_fte``.
    """
    require_columns(resources, {"resource_id", "role"}, fn="resource_supply")
    index = month_starts(months)
    month_start, month_end = month_bounds(index)
    full_days = business_days(month_start, month_end, working_time)
    employed = _employed_days(resources, month_start, month_end, working_time)
    fte = to_float(column_or_na(resources, "fte")).fillna(1.0).clip(lower=0.0).to_numpy()
    share = np.divide(
        employed, full_days[None, :], out=np.zeros_like(employed), where=full_days > 0
    )
    default_leave = working_time.leave_days_per_year / 12.0 * share
    leave_days = _leave_days(resources, index, leave, default_leave)
    leave_days = np.minimum(leave_days, employed)
    out = _per_person_month(resources, index)
    out["fte"] = np.repeat(fte, len(index))
    out["standard_hours"] = np.tile(full_days * working_time.hours_per_day, len(resources))
    out["employed_days"] = employed.ravel()
    out["leave_days"] = leave_days.ravel()
    out["supply_hours"] = (
        fte[:, None] * working_time.hours_per_day * (employed - leave_days)
    ).ravel()
    out["supply_fte"] = to_fte(out["supply_hours"], out["standard_hours"])
    return out


def _employed_days(
    resources: pd.DataFrame,
    month_start: np.ndarray,
    month_end: np.ndarray,
    working_time: WorkingTime,
) -> np.ndarray:
    """Working days (person x month) between each person's start and end dates."""
    start = to_dates(column_or_na(resources, "start_date", "object")).to_numpy()
    end = to_dates(column_or_na(resources, "end_date", "object")).to_numpy()
    start = start.astype("datetime64[D]")
    end = end.astype("datetime64[D]") + np.timedelta64(1, "D")  # end date is inclusive
    lo = np.where(np.isnat(start)[:, None], month_start[None, :], start[:, None])
    lo = np.maximum(lo, month_start[None, :])
    hi = np.where(np.isnat(end)[:, None], month_end[None, :], end[:, None])
    hi = np.minimum(hi, month_end[None, :])
    hi = np.maximum(hi, lo)
    return business_days(lo, hi, working_time, full_month=(month_start, month_end))


def _per_person_month(resources: pd.DataFrame, index: pd.DatetimeIndex) -> pd.DataFrame:
    """One row per person x month with the person's id, role, team and division."""
    flat = np.repeat(np.arange(len(resources)), len(index))

    def repeat(column: str) -> pd.api.extensions.ExtensionArray:
        return column_or_na(resources, column, "str").astype("str").array.take(flat)

    return pd.DataFrame(
        {
            "resource_id": repeat("resource_id"),
            "role": repeat("role"),
            "team": repeat("team"),
            "division": repeat("division"),
            "month": np.tile(index.to_numpy(), len(resources)),
        }
    )


def _leave_days(
    resources: pd.DataFrame,
    index: pd.DatetimeIndex,
    leave: pd.DataFrame | None,
    default_leave: np.ndarray,
) -> np.ndarray:
    """Leave (person x month): the plan for people who have one, else the default allowance."""
    if leave is None or leave.empty:
        return default_leave
    require_columns(leave, {"resource_id", "month", "days"}, fn="resource_supply")
    planned = pd.DataFrame(
        {
            "resource_id": leave["resource_id"].to_numpy(),
            "month": month_of(leave["month"]).to_numpy(),
            "days": to_float(leave["days"]).fillna(0.0).to_numpy(),
        }
    )
    grid = planned.pivot_table(
        index="resource_id", columns="month", values="days", aggfunc="sum", fill_value=0.0
    )
    grid = grid.reindex(columns=index, fill_value=0.0)
    ids = resources["resource_id"].to_numpy()
    has_plan = pd.Index(grid.index).get_indexer(ids)
    result = default_leave.copy()
    rows = np.flatnonzero(has_plan >= 0)
    result[rows] = grid.to_numpy()[has_plan[rows]]
    return result
