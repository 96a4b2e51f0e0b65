"""Capacity: supply vs demand per person, role, team or division and month.

The rules, in ``docs/analytics.md`` §4, live in modules named for each part; this module joins
them into utilisation and is the one to import:

- **Supply** (``capacity_supply``): FTE x hours per day x (working days employed - leave days).
- **Standard hours** (``capacity_calendar``): working days x hours per day, one full-time
  person's month; FTE figures are hours divided by it.
- **Demand** (``capacity_demand``): allocations in hours or FTE, weighted by whether their
  project is active or their request approved (or its approval probability in the pipeline).
  Role-only allocations count for the role; for teams and divisions they are shared in
  proportion to each team's supply of that role in that month; for people they are not counted
  (no one is named).
- **Utilisation** = demand / supply. Bands (``CapacityBands``): under below ``under``; ok up to and
  including ``ok``; over up to and including ``over``; critical above (or demand with no supply).
- **One request** (``capacity_impact``): utilisation before and after approving it, and the
  earliest month it could start.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd

from dashboard.analytics._checks import column_or_na, require_columns, to_float
from dashboard.analytics.capacity_calendar import month_range, working_days
from dashboard.analytics.capacity_demand import allocation_demand, request_demand
from dashboard.analytics.capacity_supply import resource_supply
from dashboard.standards import CapacityBands

__all__ = [
    "BAND_DTYPE",
    "LEVELS",
    "allocation_demand",
    "attribute_demand",
    "month_range",
    "over_allocated",
    "request_demand",
    "resource_supply",
    "utilisation",
    "working_days",
]

BAND_DTYPE = pd.CategoricalDtype(["under", "ok", "over", "critical"], ordered=True)
"""Utilisation bands, ordered from spare capacity to critical over-allocation."""

LEVELS = ("resource_id", "role", "team", "division")
"""Levels utilisation can be computed at."""

_UTILISATION_COLUMNS = [
    "month",
    "supply_hours",
    "demand_hours",
    "free_hours",
    "supply_fte",
    "demand_fte",
    "free_fte",
    "excess_fte",
    "utilisation",
    "band",
]


def utilisation(
    supply: pd.DataFrame, demand: pd.DataFrame, bands: CapacityBands, *, by: str = "role"
) -> pd.DataFrame:
    """Supply, demand, utilisation and band per ``by`` x month.

    Args:
        supply: :func:`resource_supply` output.
        demand: :func:`allocation_demand` output.
        bands: Utilisation bands from ``pmo.toml``.
        by: ``resource_id``, ``role``, ``team`` or ``division``.

    Returns:
        One row per ``by`` value x month of ``supply`` (plus demand-only keys): ``<by>``,
        ``month``, ``supply_hours``, ``demand_hours``, ``free_hours``, ``supply_fte``,
        ``demand_fte``, ``free_fte``, ``excess_fte`` (demand above supply, >= 0),
        ``utilisation`` (demand / supply; inf with demand and no supply; NaN with neither),
        ``band`` (ordered categorical under < ok < over < critical; NA with neither).
    """
    if by not in LEVELS:
        raise ValueError(f"utilisation: by must be one of {', '.join(LEVELS)}, got {by!r}")
    require_columns(
        supply, {by, "month", "supply_hours", "standard_hours", "role"}, fn="utilisation"
    )
    require_columns(demand, {"month", "role", "demand_hours", "resource_id"}, fn="utilisation")
    attributed = attribute_demand(supply, demand, by)
    supply_by = supply.groupby([by, "month"], sort=False, dropna=False).agg(
        supply_hours=("supply_hours", "sum"), standard_hours=("standard_hours", "first")
    )
    demand_by = attributed.groupby([by, "month"], sort=False, dropna=False)["demand_hours"].sum()
    table = supply_by.join(demand_by.rename("demand_hours"), how="outer")
    months_standard = supply.groupby("month")["standard_hours"].first()
    table["standard_hours"] = (
        table.index.get_level_values("month").map(months_standard).to_numpy(dtype="float64")
    )
    table = table.fillna({"supply_hours": 0.0, "demand_hours": 0.0})
    result = table.reset_index()
    return _finish(result, bands, by)


def over_allocated(
    utilisation_table: pd.DataFrame,
    *,
    as_of: dt.date | pd.Timestamp,
    horizon_months: int = 18,
    bands: Sequence[str] = ("over", "critical"),
) -> pd.DataFrame:
    """Rows in an over-allocated band within the next ``horizon_months`` months.

    Args:
        utilisation_table: :func:`utilisation` output (any level).
        as_of: The month of this date is the first month of the horizon.
        horizon_months: Months to look ahead, including the current one.
        bands: Bands that count as over-allocated.

    Returns:
        The matching rows, worst utilisation first within each month, months in order.
    """
    require_columns(utilisation_table, {"month", "band", "utilisation"}, fn="over_allocated")
    window = month_range(as_of, horizon_months)
    month = utilisation_table["month"]
    keep = month.isin(window) & utilisation_table["band"].isin(list(bands))
    return utilisation_table.loc[keep.to_numpy()].sort_values(
        ["month", "utilisation"], ascending=[True, False], kind="stable", ignore_index=True
    )


def attribute_demand(supply: pd.DataFrame, demand: pd.DataFrame, by: str) -> pd.DataFrame:
    """Demand rows keyed by ``by``: role-only rows shared by team/division supply of the role."""
    frame = pd.DataFrame(
        {
            "resource_id": demand["resource_id"],
            "role": demand["role"],
            "team": column_or_na(demand, "team", "str"),
            "division": column_or_na(demand, "division", "str"),
            "month": pd.to_datetime(demand["month"]),
            "demand_hours": to_float(demand["demand_hours"]).fillna(0.0),
        }
    ).reset_index(drop=True)
    standard = supply.groupby("month")["standard_hours"].first()
    if by in ("resource_id", "role"):
        if by == "resource_id":
            frame = frame.loc[frame["resource_id"].notna().to_numpy()]
        return frame.assign(standard_hours=frame["month"].map(standard).to_numpy(dtype="float64"))
    named = frame.loc[frame["resource_id"].notna().to_numpy()]
    unnamed = frame.loc[frame["resource_id"].isna().to_numpy()].drop(columns=[by])
    shares = supply.groupby(["role", "month", by], dropna=False)["supply_hours"].sum()
    totals = shares.groupby(level=["role", "month"]).transform("sum")
    shares = (shares / totals.where(totals > 0)).rename("share").reset_index()
    spread = unnamed.merge(shares, on=["role", "month"], how="left")
    spread["demand_hours"] = spread["demand_hours"] * spread["share"].fillna(1.0)
    spread = spread.drop(columns=["share"])
    parts = [p for p in (named, spread) if not p.empty]
    combined = pd.concat(parts, ignore_index=True) if parts else named
    return combined.assign(standard_hours=combined["month"].map(standard).to_numpy(dtype="float64"))


def _finish(table: pd.DataFrame, bands: CapacityBands, by: str) -> pd.DataFrame:
    supply_h = table["supply_hours"].to_numpy(dtype="float64")
    demand_h = table["demand_hours"].to_numpy(dtype="float64")
    standard = table["standard_hours"].to_numpy(dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(
            supply_h > 0,
            demand_h / np.where(supply_h > 0, supply_h, 1.0),
            np.where(demand_h > 0, np.inf, np.nan),
        )
        per_fte = np.where(standard > 0, 1.0 / np.where(standard > 0, standard, 1.0), np.nan)
    band = np.select(
        [np.isnan(ratio), ratio < bands.under, ratio <= bands.ok, ratio <= bands.over],
        [None, "under", "ok", "over"],
        default="critical",
    )
    out = pd.DataFrame(
        {
            by: table[by].to_numpy(),
            "month": table["month"].to_numpy(),
            "supply_hours": supply_h,
            "demand_hours": demand_h,
            "free_hours": supply_h - demand_h,
            "supply_fte": supply_h * per_fte,
            "demand_fte": demand_h * per_fte,
            "free_fte": (supply_h - demand_h) * per_fte,
            "excess_fte": np.maximum(demand_h - supply_h, 0.0) * per_fte,
            "utilisation": ratio,
            "band": pd.Categorical(band, dtype=BAND_DTYPE),
        }
    )
    return out[[by, *_UTILISATION_COLUMNS]].sort_values(
        [by, "month"], kind="stable", ignore_index=True
    )
