"""One request against capacity: utilisation before and after approving it, and its earliest start.

The rules are those of ``docs/analytics.md`` §4.7: "before" leaves the request out, "after" adds
its full demand; a start works when no role-month it touches goes above ``bands.ok``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.analytics._checks import require_columns
from dashboard.analytics.capacity import BAND_DTYPE, attribute_demand, utilisation
from dashboard.analytics.capacity_calendar import to_fte
from dashboard.standards import CapacityBands

_HOT = ["over", "critical"]


@dataclass(frozen=True, eq=False)
class StartSlot:
    """Result of :func:`earliest_start`.

    Attributes:
        request_id: The request.
        planned_start: First month of its demand profile as planned (None without demand).
        earliest_start: First month it could start without over-allocating any of its roles, or
            None when no start within ``max_shift`` months works.
        shift_months: Months after the planned start (0 = as planned), or None.
        blocking: For the planned start, the role-months that would be over-allocated.
        message: One sentence for the page.
        tried: One row per shift tried: ``shift_months``, ``start_month``, ``feasible``,
            ``worst``, ``worst_month``, ``worst_utilisation``.
    """

    request_id: str
    planned_start: pd.Timestamp | None
    earliest_start: pd.Timestamp | None
    shift_months: int | None
    blocking: tuple[str, ...]
    message: str
    tried: pd.DataFrame


def request_impact(
    supply: pd.DataFrame,
    demand: pd.DataFrame,
    bands: CapacityBands,
    *,
    request_id: str,
    by: str = "role",
) -> pd.DataFrame:
    """Utilisation before and after approving one request, where the request needs people.

    "Before" leaves the request out entirely (whatever its weight in ``demand``); "after" adds
    its full demand.

    Args:
        supply: :func:`resource_supply` output.
        demand: :func:`allocation_demand` output, including the request's allocations.
        bands: Utilisation bands.
        request_id: The request to approve.
        by: Level, as for :func:`utilisation`.

    Returns:
        One row per ``by`` x month the request needs: ``<by>``, ``month``, ``supply_fte``,
        ``demand_before_fte``, ``request_fte``, ``demand_after_fte``, ``utilisation_before``,
        ``utilisation_after``, ``band_before``, ``band_after``, ``becomes_over`` (after is over or
        critical, before was not).
    """
    require_columns(demand, {"request_id"}, fn="request_impact")
    mine = _rows_of(demand, request_id)
    base = demand.loc[~mine]
    full = demand.loc[mine].assign(
        weight=1.0, demand_hours=demand.loc[mine, "hours"], demand_fte=demand.loc[mine, "fte"]
    )
    before = utilisation(supply, base, bands, by=by)
    after = utilisation(supply, pd.concat([base, full], ignore_index=True), bands, by=by)
    touched = attribute_demand(supply, full, by)
    touched = touched.loc[touched["demand_hours"] > 0]
    keys = touched[[by, "month"]].drop_duplicates()
    merged = keys.merge(before, on=[by, "month"], how="left").merge(
        after[[by, "month", "demand_fte", "utilisation", "band"]],
        on=[by, "month"],
        how="left",
        suffixes=("_before", "_after"),
    )
    return _before_after(merged, by)


def earliest_start(
    supply: pd.DataFrame,
    demand: pd.DataFrame,
    bands: CapacityBands,
    *,
    request_id: str,
    by: str = "role",
    max_shift: int = 24,
) -> StartSlot:
    """First month a request could start without over-allocating any of its roles.

    The request's FTE profile is moved later one month at a time (shape unchanged, hours
    recomputed with each month's standard hours). A start works when, in every role-month the
    request touches, utilisation with it stays at or below ``bands.ok`` (100 % by default).
    Months beyond the supply horizon have no supply, so a start that runs past it does not work.

    Args:
        supply: :func:`resource_supply` output covering the months to search.
        demand: :func:`allocation_demand` output including the request's allocations.
        bands: Utilisation bands (``ok`` is the limit).
        request_id: The request.
        by: Level, as for :func:`utilisation` (normally ``role``).
        max_shift: Latest start tried, in months after the planned start.

    Returns:
        A :class:`StartSlot`.
    """
    require_columns(demand, {"request_id"}, fn="earliest_start")
    mine = _rows_of(demand, request_id)
    base = utilisation(supply, demand.loc[~mine], bands, by=by)
    profile = _fte_profile(supply, demand.loc[mine], by)
    if profile.empty:
        message = f"{request_id} has no allocations to place."
        return StartSlot(request_id, None, None, None, (), message, _no_tries())
    tried, blocking = _try_starts(profile, base, supply, bands, by=by, max_shift=max_shift)
    return _slot(request_id, pd.Timestamp(profile["month"].min()), tried, blocking)


def _rows_of(demand: pd.DataFrame, request_id: str) -> np.ndarray:
    """Which demand rows belong to the request."""
    return (demand["request_id"] == request_id).fillna(False).to_numpy()


def _before_after(merged: pd.DataFrame, by: str) -> pd.DataFrame:
    """The impact table from the before/after utilisation of each touched key and month."""
    result = pd.DataFrame(
        {
            by: merged[by].to_numpy(),
            "month": merged["month"].to_numpy(),
            "supply_fte": merged["supply_fte"].to_numpy(),
            "demand_before_fte": merged["demand_fte_before"].to_numpy(),
            "request_fte": (merged["demand_fte_after"] - merged["demand_fte_before"]).to_numpy(),
            "demand_after_fte": merged["demand_fte_after"].to_numpy(),
            "utilisation_before": merged["utilisation_before"].to_numpy(),
            "utilisation_after": merged["utilisation_after"].to_numpy(),
            "band_before": pd.Categorical(merged["band_before"], dtype=BAND_DTYPE),
            "band_after": pd.Categorical(merged["band_after"], dtype=BAND_DTYPE),
        }
    )
    result["becomes_over"] = (
        result["band_after"].isin(_HOT) & ~result["band_before"].isin(_HOT)
    ).to_numpy()
    return result.sort_values([by, "month"], kind="stable", ignore_index=True)


def _fte_profile(supply: pd.DataFrame, rows: pd.DataFrame, by: str) -> pd.DataFrame:
    """The request's full demand as FTE per ``by`` and month (months with demand only)."""
    profile = attribute_demand(supply, rows.assign(demand_hours=rows["hours"]), by)
    profile = profile.assign(fte=to_fte(profile["demand_hours"], profile["standard_hours"]))
    profile = profile.loc[profile["fte"] > 0]
    if profile.empty:
        return profile
    return profile.groupby([by, "month"], as_index=False)["fte"].sum()


def _no_tries() -> pd.DataFrame:
    """``StartSlot.tried`` when there was nothing to place."""
    return pd.DataFrame(
        {
            "shift_months": pd.Series(dtype="int64"),
            "start_month": pd.Series(dtype="datetime64[ns]"),
            "feasible": pd.Series(dtype="bool"),
            "worst": pd.Series(dtype="str"),
            "worst_month": pd.Series(dtype="datetime64[ns]"),
            "worst_utilisation": pd.Series(dtype="float64"),
        }
    )


def _try_starts(
    profile: pd.DataFrame,
    base: pd.DataFrame,
    supply: pd.DataFrame,
    bands: CapacityBands,
    *,
    by: str,
    max_shift: int,
) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Move the profile a month at a time until it fits; one row per start tried.

    Returns:
        The starts tried, and the role-months the planned start would over-allocate.
    """
    planned = pd.Timestamp(profile["month"].min())
    lookup = base.set_index([by, "month"])
    standard = supply.groupby("month")["standard_hours"].first()
    horizon = pd.Timestamp(supply["month"].max())
    rows = []
    blocking: tuple[str, ...] = ()
    for shift in range(max_shift + 1):
        moved, ratio = _shifted_utilisation(profile, lookup, standard, by=by, shift=shift)
        bad = ratio > bands.ok + 1e-12
        worst = int(np.argmax(ratio))
        rows.append(
            {
                "shift_months": shift,
                "start_month": planned + pd.DateOffset(months=shift),
                "feasible": not bad.any(),
                "worst": str(profile[by].iloc[worst]),
                "worst_month": moved.iloc[worst],
                "worst_utilisation": float(ratio[worst]),
            }
        )
        if shift == 0:
            blocking = tuple(
                f"{profile[by].iloc[i]} {moved.iloc[i]:%Y-%m}: "
                + (f"{ratio[i]:.0%} with this request" if np.isfinite(ratio[i]) else "no supply")
                for i in np.flatnonzero(bad)
            )
        if not bad.any() or moved.max() > horizon:
            # Found a start, or the profile already runs past the supply data: later starts
            # cannot be checked.
            break
    return pd.DataFrame(rows), blocking


def _shifted_utilisation(
    profile: pd.DataFrame, lookup: pd.DataFrame, standard: pd.Series, *, by: str, shift: int
) -> tuple[pd.Series, np.ndarray]:
    """The profile's months moved by ``shift``, and utilisation there with the request added."""
    moved = profile["month"] + pd.DateOffset(months=shift)
    keys = pd.MultiIndex.from_arrays([profile[by].to_numpy(), moved.to_numpy()])
    found = lookup.reindex(keys)
    hours = profile["fte"].to_numpy() * moved.map(standard).to_numpy(dtype="float64")
    supply_h = found["supply_hours"].fillna(0.0).to_numpy()
    after = found["demand_hours"].fillna(0.0).to_numpy() + np.nan_to_num(hours, nan=np.inf)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(supply_h > 0, after / np.where(supply_h > 0, supply_h, 1.0), np.inf)
    return moved, ratio


def _slot(
    request_id: str, planned: pd.Timestamp, tried: pd.DataFrame, blocking: tuple[str, ...]
) -> StartSlot:
    """The first start that fits, with the sentence the page shows."""
    fits = tried.loc[tried["feasible"]]
    if fits.empty:
        last = tried["start_month"].iloc[-1]
        message = (
            f"{request_id} cannot start between {planned:%b %Y} and {last:%b %Y} "
            "without over-allocating its roles."
        )
        return StartSlot(request_id, planned, None, None, blocking, message, tried)
    shift = int(fits["shift_months"].iloc[0])
    start = pd.Timestamp(fits["start_month"].iloc[0])
    if shift == 0:
        message = f"{request_id} can start as planned in {planned:%b %Y}."
    else:
        message = (
            f"{request_id} can start in {start:%b %Y}, {shift} month(s) after the planned "
            f"{planned:%b %Y}."
        )
    return StartSlot(request_id, planned, start, shift, blocking, message, tried)
