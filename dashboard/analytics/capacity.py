"""Capacity: supply vs demand per person, role, team or division and month.

- **Supply** of a person in a month = FTE x hours per day x (working days they are employed that
  month - leave days). Working days are the weekdays of the month less the configured holidays
  (or ``working_days_per_month``, pro rata to the employed share of the month). Leave comes from
  the optional leave plan; a person with any row in it is taken to have a complete plan (months
  without a row = no leave), everyone else gets ``leave_days_per_year / 12`` a month (pro rata).
  A missing FTE counts as 1 (full time).
- **Standard hours** of a month = working days x hours per day: one full-time person's month.
  FTE figures are hours divided by it.
- **Demand** comes from allocations, in hours, or in FTE converted with the month's standard
  hours. It is weighted: active projects 1, closed projects 0; approved requests 1; other requests
  0, or their approval probability in the pipeline scenario. Role-only allocations count for the
  role; for teams and divisions they are shared in proportion to each team's supply of that role
  in that month; for people they are not counted (no one is named).
- **Utilisation** = demand / supply. Bands (``CapacityBands``): under below ``under``; ok up to and
  including ``ok``; over up to and including ``over``; critical above (or demand with no supply).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.analytics._checks import (
    as_timestamp,
    column_or_na,
    require_columns,
    to_dates,
    to_float,
    to_text,
)
from dashboard.standards import ApprovalProbabilities, CapacityBands, WorkingTime

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


def month_range(start: dt.date | pd.Timestamp, count: int) -> pd.DatetimeIndex:
    """Return ``count`` consecutive month starts beginning with the month of ``start``.

    Args:
        start: Any date in the first month.
        count: Number of months (e.g. 18 for the forecast horizon).
    """
    first = as_timestamp(start, name="start").to_period("M").to_timestamp()
    return pd.date_range(first, periods=count, freq="MS")


def working_days(months: Iterable[dt.date | pd.Timestamp], working_time: WorkingTime) -> pd.Series:
    """Working days of each month (a full-time person's days before leave).

    Args:
        months: Month starts (any day in the month is accepted).
        working_time: Hours per day, days per month (0 = count weekdays), holidays.

    Returns:
        Float series indexed by month start.
    """
    index = _months(months)
    starts = index.to_numpy().astype("datetime64[D]")
    ends = (index + pd.offsets.MonthBegin(1)).to_numpy().astype("datetime64[D]")
    days = _business_days(starts, ends, working_time)
    return pd.Series(days, index=index, name="working_days")


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
    index = _months(months)
    n_res, n_month = len(resources), len(index)
    month_start = index.to_numpy().astype("datetime64[D]")
    month_end = (index + pd.offsets.MonthBegin(1)).to_numpy().astype("datetime64[D]")
    full_days = _business_days(month_start, month_end, working_time)

    start = to_dates(column_or_na(resources, "start_date", "object")).to_numpy()
    end = to_dates(column_or_na(resources, "end_date", "object")).to_numpy()
    start = start.astype("datetime64[D]")
    end = end.astype("datetime64[D]") + np.timedelta64(1, "D")  # end date is inclusive
    lo = np.where(np.isnat(start)[:, None], month_start[None, :], start[:, None])
    lo = np.maximum(lo, month_start[None, :])
    hi = np.where(np.isnat(end)[:, None], month_end[None, :], end[:, None])
    hi = np.minimum(hi, month_end[None, :])
    hi = np.maximum(hi, lo)
    employed = _business_days(lo, hi, working_time, full_month=(month_start, month_end))

    fte = to_float(column_or_na(resources, "fte")).fillna(1.0).clip(lower=0.0).to_numpy()
    share = np.divide(
        employed, full_days[None, :], out=np.zeros_like(employed), where=full_days > 0
    )
    default_leave = working_time.leave_days_per_year / 12.0 * share
    leave_days = _leave_days(resources, index, leave, default_leave)
    leave_days = np.minimum(leave_days, employed)
    standard = full_days * working_time.hours_per_day
    supply_hours = fte[:, None] * working_time.hours_per_day * (employed - leave_days)

    flat = np.repeat(np.arange(n_res), n_month)

    def repeat(column: str) -> pd.api.extensions.ExtensionArray:
        return column_or_na(resources, column, "str").astype("str").array.take(flat)

    out = pd.DataFrame(
        {
            "resource_id": repeat("resource_id"),
            "role": repeat("role"),
            "team": repeat("team"),
            "division": repeat("division"),
            "month": np.tile(index.to_numpy(), n_res),
            "fte": fte[flat],
            "standard_hours": np.tile(standard, n_res),
            "employed_days": employed.ravel(),
            "leave_days": leave_days.ravel(),
            "supply_hours": supply_hours.ravel(),
        }
    )
    out["supply_fte"] = _safe_divide(out["supply_hours"], out["standard_hours"])
    return out


def allocation_demand(
    allocations: pd.DataFrame,
    working_time: WorkingTime,
    *,
    months: Iterable[dt.date | pd.Timestamp],
    resources: pd.DataFrame | None = None,
    projects: pd.DataFrame | None = None,
    requests: pd.DataFrame | None = None,
    approval: ApprovalProbabilities | None = None,
    closed_stages: Sequence[str] = ("closed", "cancelled", "completed"),
    include_pipeline: bool = False,
) -> pd.DataFrame:
    """Weighted demand, in hours and FTE, of every allocation in ``months``.

    Args:
        allocations: Needs ``month`` and one of ``project_id``/``request_id``, one of
            ``resource_id``/``role``, and ``fte`` and/or ``hours`` (hours win when both given).
        working_time: Turns FTE into hours (the month's standard hours).
        months: The months to keep.
        resources: Gives the role, team and division of named allocations; needs
            ``resource_id``, ``role`` (``team``, ``division`` when present).
        projects: Gives each project's ``stage`` (needs ``project_id``, ``stage``); a project not
            listed counts as active.
        requests: Gives each request's ``status`` (needs ``request_id``, ``status``).
        approval: Approval probability per status, for the pipeline scenario.
        closed_stages: Project stages whose demand no longer counts.
        include_pipeline: Weight unapproved requests by their approval probability (else 0).

    Returns:
        One row per allocation in range: ``project_id``, ``request_id``, ``resource_id``,
        ``role``, ``team``, ``division``, ``month``, ``source`` (project/request), ``basis`` (why
        it counts, or not), ``weight``, ``hours`` (unweighted), ``fte`` (unweighted),
        ``demand_hours`` and ``demand_fte`` (weighted).
    """
    require_columns(allocations, {"month"}, fn="allocation_demand")
    index = _months(months)
    month = _month_of(allocations["month"])
    in_range = month.isin(index).to_numpy()
    alloc = allocations.loc[in_range]
    month = month.loc[in_range]
    # Keep text columns as pandas Series (Arrow strings): a round trip through numpy object
    # arrays costs more than the arithmetic on 400k rows.
    project_id = column_or_na(alloc, "project_id", "str")
    request_id = column_or_na(alloc, "request_id", "str")
    resource_id = column_or_na(alloc, "resource_id", "str")
    role = column_or_na(alloc, "role", "str")
    team = pd.Series(pd.NA, index=alloc.index, dtype="str")
    division = team
    if resources is not None:
        require_columns(resources, {"resource_id", "role"}, fn="allocation_demand")
        people = resources.drop_duplicates("resource_id").set_index("resource_id")
        role = role.where(role.notna(), resource_id.map(people["role"]))
        team = resource_id.map(column_or_na(people, "team", "str"))
        division = resource_id.map(column_or_na(people, "division", "str"))

    days = working_days(index, working_time)
    standard = month.map(days * working_time.hours_per_day).to_numpy(dtype="float64")
    hours = to_float(column_or_na(alloc, "hours")).to_numpy()
    fte = to_float(column_or_na(alloc, "fte")).to_numpy()
    hours = np.where(np.isnan(hours), fte * standard, hours)
    hours = np.nan_to_num(hours, nan=0.0)

    weight, basis = _weights(
        project_id,
        request_id,
        projects,
        requests,
        approval or ApprovalProbabilities(),
        closed_stages,
        include_pipeline,
    )
    is_project = project_id.notna().to_numpy()
    out = pd.DataFrame(
        {
            "project_id": project_id,
            "request_id": request_id,
            "resource_id": resource_id,
            "role": role.astype("str"),
            "team": team.astype("str"),
            "division": division.astype("str"),
            "month": month,
            "source": pd.Categorical.from_codes(
                np.where(is_project, 0, 1), categories=["project", "request"]
            ),
            "basis": basis,
            "weight": weight,
            "hours": hours,
        },
        index=alloc.index,
    ).reset_index(drop=True)
    out["fte"] = _safe_divide(out["hours"], pd.Series(standard))
    out["demand_hours"] = out["hours"] * out["weight"]
    out["demand_fte"] = out["fte"] * out["weight"]
    return out


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
    attributed = _attribute(supply, demand, by)
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


def request_demand(demand: pd.DataFrame) -> pd.DataFrame:
    """Each request's full (unweighted) demand per role and month, for ``select_requests``.

    Args:
        demand: :func:`allocation_demand` output.

    Returns:
        ``request_id``, ``role``, ``month``, ``fte`` (summed).
    """
    require_columns(demand, {"request_id", "role", "month", "fte"}, fn="request_demand")
    rows = demand.loc[demand["request_id"].notna().to_numpy()]
    return rows.groupby(["request_id", "role", "month"], as_index=False, sort=True)["fte"].sum()


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
    mine = (demand["request_id"] == request_id).fillna(False).to_numpy()
    base = demand.loc[~mine]
    full = demand.loc[mine].assign(
        weight=1.0, demand_hours=demand.loc[mine, "hours"], demand_fte=demand.loc[mine, "fte"]
    )
    before = utilisation(supply, base, bands, by=by)
    after = utilisation(supply, pd.concat([base, full], ignore_index=True), bands, by=by)
    touched = _attribute(supply, full, by)
    touched = touched.loc[touched["demand_hours"] > 0]
    keys = touched[[by, "month"]].drop_duplicates()
    merged = keys.merge(before, on=[by, "month"], how="left").merge(
        after[[by, "month", "demand_fte", "utilisation", "band"]],
        on=[by, "month"],
        how="left",
        suffixes=("_before", "_after"),
    )
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
    hot = ["over", "critical"]
    result["becomes_over"] = (
        result["band_after"].isin(hot) & ~result["band_before"].isin(hot)
    ).to_numpy()
    return result.sort_values([by, "month"], kind="stable", ignore_index=True)


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
    mine = (demand["request_id"] == request_id).fillna(False).to_numpy()
    base = utilisation(supply, demand.loc[~mine], bands, by=by)
    profile = _attribute(
        supply, demand.loc[mine].assign(demand_hours=demand.loc[mine, "hours"]), by
    )
    profile = profile.assign(fte=_safe_divide(profile["demand_hours"], profile["standard_hours"]))
    profile = profile.loc[profile["fte"] > 0]
    empty = pd.DataFrame(
        {
            "shift_months": pd.Series(dtype="int64"),
            "start_month": pd.Series(dtype="datetime64[ns]"),
            "feasible": pd.Series(dtype="bool"),
            "worst": pd.Series(dtype="str"),
            "worst_month": pd.Series(dtype="datetime64[ns]"),
            "worst_utilisation": pd.Series(dtype="float64"),
        }
    )
    if profile.empty:
        return StartSlot(
            request_id, None, None, None, (), f"{request_id} has no allocations to place.", empty
        )
    profile = profile.groupby([by, "month"], as_index=False)["fte"].sum()
    planned = pd.Timestamp(profile["month"].min())
    lookup = base.set_index([by, "month"])
    standard = supply.groupby("month")["standard_hours"].first()
    horizon = pd.Timestamp(supply["month"].max())
    rows = []
    blocking: tuple[str, ...] = ()
    for shift in range(max_shift + 1):
        moved = profile["month"] + pd.DateOffset(months=shift)
        keys = pd.MultiIndex.from_arrays([profile[by].to_numpy(), moved.to_numpy()])
        found = lookup.reindex(keys)
        hours = profile["fte"].to_numpy() * moved.map(standard).to_numpy(dtype="float64")
        supply_h = found["supply_hours"].fillna(0.0).to_numpy()
        after = found["demand_hours"].fillna(0.0).to_numpy() + np.nan_to_num(hours, nan=np.inf)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(supply_h > 0, after / np.where(supply_h > 0, supply_h, 1.0), np.inf)
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
    tried = pd.DataFrame(rows)
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


# --------------------------------------------------------------------------------------------
# helpers


def _months(months: Iterable[dt.date | pd.Timestamp]) -> pd.DatetimeIndex:
    values = pd.DatetimeIndex(pd.to_datetime(pd.Series(list(months)), errors="raise"))
    return pd.DatetimeIndex(values.to_period("M").to_timestamp().unique().sort_values())


def _month_of(values: pd.Series) -> pd.Series:
    return to_dates(values).dt.to_period("M").dt.to_timestamp()


def _business_days(
    lo: np.ndarray,
    hi: np.ndarray,
    working_time: WorkingTime,
    *,
    full_month: tuple[np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """Working days in [lo, hi): weekdays less holidays, or the configured days pro rata."""
    holidays = np.array(working_time.holidays, dtype="datetime64[D]")
    counted = np.busday_count(lo, hi, holidays=holidays).astype("float64")
    if working_time.working_days_per_month <= 0:
        return counted
    if full_month is None:
        return np.full(counted.shape, float(working_time.working_days_per_month))
    whole = np.busday_count(full_month[0], full_month[1], holidays=holidays).astype("float64")
    share = np.divide(counted, whole, out=np.zeros_like(counted), where=whole > 0)
    return share * working_time.working_days_per_month


def _leave_days(
    resources: pd.DataFrame,
    index: pd.DatetimeIndex,
    leave: pd.DataFrame | None,
    default_leave: np.ndarray,
) -> np.ndarray:
    if leave is None or leave.empty:
        return default_leave
    require_columns(leave, {"resource_id", "month", "days"}, fn="resource_supply")
    planned = pd.DataFrame(
        {
            "resource_id": leave["resource_id"].to_numpy(),
            "month": _month_of(leave["month"]).to_numpy(),
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


def _weights(
    project_id: pd.Series,
    request_id: pd.Series,
    projects: pd.DataFrame | None,
    requests: pd.DataFrame | None,
    approval: ApprovalProbabilities,
    closed_stages: Sequence[str],
    include_pipeline: bool,
) -> tuple[np.ndarray, pd.Categorical]:
    """Weight of each allocation and why (categorical ``basis``)."""
    is_project = project_id.notna().to_numpy()
    is_request = ~is_project & request_id.notna().to_numpy()
    closed = np.zeros(len(project_id), dtype=bool)
    if projects is not None:
        require_columns(projects, {"project_id", "stage"}, fn="allocation_demand")
        stages = to_text(projects.drop_duplicates("project_id").set_index("project_id")["stage"])
        wanted = {s.strip().lower() for s in closed_stages}
        closed = project_id.map(stages).isin(wanted).to_numpy()
    status = pd.Series(pd.NA, index=request_id.index, dtype="str")
    if requests is not None and is_request.any():
        require_columns(requests, {"request_id", "status"}, fn="allocation_demand")
        lookup = to_text(requests.drop_duplicates("request_id").set_index("request_id")["status"])
        status = request_id.map(lookup)
    probability = approval.as_dict()
    labels = ["no project or request", "active project", "closed project", "approved request"]
    weights = [0.0, 1.0, 0.0, 1.0]
    conditions = [is_project & ~closed, is_project & closed]
    codes = np.select(conditions, [1, 2], default=0)
    state = status.to_numpy(dtype=object, na_value=None)
    names = {v for v in state[is_request] if v is not None}
    for name in [*sorted(names), None]:
        rows = is_request & (state == name) if name is not None else is_request & pd.isna(state)
        if not rows.any():
            continue
        if name == "approved":
            codes[rows] = 3
            continue
        if include_pipeline and name in probability:
            labels.append(f"pipeline ({name}, p={probability[name]:g})")
            weights.append(probability[name])
        else:
            labels.append(f"request not approved ({name or 'no status'})")
            weights.append(0.0)
        codes[rows] = len(labels) - 1
    weight = np.asarray(weights, dtype="float64")[codes]
    return weight, pd.Categorical.from_codes(codes, categories=labels)


def _attribute(supply: pd.DataFrame, demand: pd.DataFrame, by: str) -> pd.DataFrame:
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


def _safe_divide(numerator: pd.Series, denominator: pd.Series) -> np.ndarray:
    top = np.asarray(numerator, dtype="float64")
    bottom = np.asarray(denominator, dtype="float64")
    return np.divide(top, bottom, out=np.full(top.shape, np.nan), where=bottom > 0)
