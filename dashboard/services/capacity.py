"""Capacity data: supply, demand and utilisation per role and person, scoped per URL, cached.

The division filter keeps the people of the chosen divisions (supply) and the demand that falls
on them, so utilisation stays true to the people whatever the filter:

- an allocation naming a person counts where that person belongs, whichever division's project
  or request it is for (a Finance analyst booked on an Operations project is busy all the same);
- demand for a role with no one named yet is shared among the divisions that have that role, in
  proportion to their supply of it that month (as ``analytics.capacity.utilisation`` does for
  divisions), so the divisions' figures add up to the organisation's;
- demand for a role that nobody in the organisation has that month counts for the division of
  its project or request ("no supply" there).

Supply and demand are computed for ``SEARCH_MONTHS`` from the as-of month (the heatmap shows the
first ``HORIZON_MONTHS``), so the earliest start of a request can be searched beyond the heatmap.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import numpy as np
import pandas as pd

from dashboard import db
from dashboard.analytics import capacity as rules
from dashboard.analytics import capacity_impact
from dashboard.config import get_standards
from dashboard.services import derived
from dashboard.services.cache import cached
from dashboard.services.portfolio import filter_options
from dashboard.url_state import FilterOptions, ViewState, parse_view

HORIZON_MONTHS = 18
"""Months shown from the as-of month (the 12-18 month forecast of docs/analytics.md §4.1)."""
SEARCH_MONTHS = 36
"""Months of supply and demand computed, so a request's start can be moved past the heatmap."""
MAX_SHIFT_MONTHS = 18
"""Latest start tried for a request, in months after its planned start."""
NEAR_MONTHS = 3
"""The "coming months" of the KPI tiles."""
HORIZON_CHOICES = (3, 6, 12)
"""The page's horizon control: every chart, table and KPI tile uses the one chosen."""
DEFAULT_HORIZON = 6
UNPLANNED_SHARE = 0.25
"""A month where more than this share of running projects has no allocation is "not yet
planned": its low demand is missing plans, not spare capacity (docs/ux.md "Capacity")."""

DEMAND_CATEGORIES = ("Active projects", "Approved requests", "Pipeline (weighted)")
"""Demand series of the demand-vs-supply chart, in stacking order."""


@dataclass(frozen=True)
class CapacityInputs:
    """The tables capacity is computed from, as of one date (one data version)."""

    version: int
    as_of: date
    resources: pd.DataFrame
    allocations: pd.DataFrame
    projects: pd.DataFrame
    requests: pd.DataFrame
    options: FilterOptions


@dataclass(frozen=True)
class CapacityModel:
    """Supply, demand and utilisation for one scope (as-of date, divisions, pipeline flag).

    Attributes:
        version: The data version.
        as_of: The as-of date; its month is the first month.
        divisions: The division filter (empty = every division).
        pipeline: Whether unapproved requests count, weighted by approval probability.
        months: The heatmap's months (``HORIZON_MONTHS``).
        people: The people in scope (``resources`` rows).
        requests: Every request as of the date (status, title, division).
        supply: ``resource_supply`` output for the people in scope, ``SEARCH_MONTHS`` months.
        demand: ``allocation_demand`` output, rows in scope.
        by_role: ``utilisation`` by role over ``SEARCH_MONTHS``.
        by_person: ``utilisation`` by person over the horizon.
    """

    version: int
    as_of: date
    divisions: tuple[str, ...]
    pipeline: bool
    months: pd.DatetimeIndex
    people: pd.DataFrame
    requests: pd.DataFrame
    supply: pd.DataFrame
    demand: pd.DataFrame
    by_role: pd.DataFrame
    by_person: pd.DataFrame


@dataclass(frozen=True)
class CapacityView:
    """The capacity page's URL state and the model it selects (pipeline off)."""

    state: ViewState
    options: FilterOptions
    model: CapacityModel


@dataclass(frozen=True)
class RequestImpact:
    """What approving one request does to its roles' utilisation, and when it could start.

    Attributes:
        request_id: The request.
        title: Its title.
        status: Its status.
        table: ``request_impact`` output (by role), months of the search window.
        slot: ``earliest_start`` output.
    """

    request_id: str
    title: str
    status: str
    table: pd.DataFrame
    slot: capacity_impact.StartSlot


def capacity_inputs(as_of: date) -> CapacityInputs:
    """People, allocations, projects and requests as of ``as_of``; cached per data version.

    Raises:
        db.NoData: Nothing has been published yet.
    """
    with db.snapshot() as snap:
        return cached(("capacity-inputs", snap.version, as_of), lambda: _read(snap, as_of))


def _read(snap: db.Snapshot, as_of: date) -> CapacityInputs:
    projects = snap.projects(as_of)
    resources = snap.resources(as_of)
    requests = snap.requests(as_of)
    options = filter_options(projects)
    divisions = pd.concat([projects["division"], resources["division"], requests["division"]])
    options = FilterOptions(
        divisions=tuple(sorted(divisions.dropna().astype(str).unique())),
        portfolios=options.portfolios,
        stages=options.stages,
        managers=options.managers,
        health=options.health,
    )
    return CapacityInputs(
        version=snap.version,
        as_of=as_of,
        resources=resources,
        allocations=snap.allocations(as_of),
        projects=projects,
        requests=requests,
        options=options,
    )


def capacity_model(as_of: date, divisions: tuple[str, ...], *, pipeline: bool) -> CapacityModel:
    """Supply, demand and utilisation for a scope; cached per (version, as-of, scope, pipeline).

    Args:
        as_of: The as-of date.
        divisions: Divisions to keep (empty = all); values must come from the allowlist.
        pipeline: Add unapproved requests, weighted by their approval probability.

    Raises:
        db.NoData: Nothing has been published yet.
    """
    chosen = tuple(sorted(divisions))
    inputs = capacity_inputs(as_of)
    # Computed once per version for every process (``derived``).
    key = ("capacity-model", as_of, chosen, bool(pipeline))
    return derived.derived(
        inputs.version, key, lambda: _build_model(inputs, chosen, bool(pipeline))
    )


def _build_model(
    inputs: CapacityInputs, divisions: tuple[str, ...], pipeline: bool
) -> CapacityModel:
    standards = get_standards()
    months = rules.month_range(inputs.as_of, SEARCH_MONTHS)
    supply = rules.resource_supply(inputs.resources, standards.working_time, months=months)
    demand = rules.allocation_demand(
        inputs.allocations,
        standards.working_time,
        months=months,
        resources=inputs.resources,
        projects=inputs.projects,
        requests=inputs.requests,
        approval=standards.approval,
        closed_stages=standards.reporting.closed_stages,
        include_pipeline=pipeline,
    )
    people = inputs.resources
    if divisions:
        demand = _scoped_demand(demand, supply, inputs, divisions)
        supply = supply.loc[supply["division"].isin(divisions).to_numpy()].reset_index(drop=True)
        people = people.loc[people["division"].isin(divisions).to_numpy()]
    # People are only shown over the horizon: a third of the work at 5,000 people.
    horizon = months[:HORIZON_MONTHS]
    by_person = rules.utilisation(
        supply.loc[supply["month"].isin(horizon).to_numpy()],
        demand.loc[demand["month"].isin(horizon).to_numpy()],
        standards.capacity,
        by="resource_id",
    )
    return CapacityModel(
        version=inputs.version,
        as_of=inputs.as_of,
        divisions=divisions,
        pipeline=pipeline,
        months=horizon,
        people=people,
        requests=inputs.requests,
        supply=supply,
        demand=demand,
        by_role=rules.utilisation(supply, demand, standards.capacity, by="role"),
        by_person=by_person,
    )


def _scoped_demand(
    demand: pd.DataFrame,
    supply: pd.DataFrame,
    inputs: CapacityInputs,
    divisions: tuple[str, ...],
) -> pd.DataFrame:
    """The demand falling on ``divisions`` (module docstring), role-only rows scaled by share."""
    named = demand["resource_id"].notna().to_numpy()
    mine = named & demand["division"].isin(divisions).to_numpy()
    unnamed = demand.loc[~named]
    totals = supply.groupby(["role", "month"])["supply_hours"].sum()
    ours = (
        supply.loc[supply["division"].isin(divisions).to_numpy()]
        .groupby(["role", "month"])["supply_hours"]
        .sum()
        .reindex(totals.index, fill_value=0.0)
    )
    share = (ours / totals.where(totals > 0)).reindex(
        pd.MultiIndex.from_arrays([unnamed["role"], pd.to_datetime(unnamed["month"])])
    )
    project_division = inputs.projects.drop_duplicates("project_id").set_index("project_id")
    request_division = inputs.requests.drop_duplicates("request_id").set_index("request_id")
    owner = (
        unnamed["project_id"]
        .map(project_division["division"])
        .fillna(unnamed["request_id"].map(request_division["division"]))
    )
    factor = np.where(
        share.isna().to_numpy(),
        owner.isin(divisions).to_numpy().astype("float64"),
        share.to_numpy(dtype="float64", na_value=np.nan),
    )
    columns = ["hours", "fte", "demand_hours", "demand_fte"]
    scaled = unnamed.assign(**{c: unnamed[c].to_numpy() * factor for c in columns})
    parts = [demand.loc[mine], scaled.loc[factor > 0]]
    return pd.concat(parts, ignore_index=True)


def capacity_state(query: dict, today: date) -> ViewState:
    """The URL query checked against the data's allowlist (unknown divisions are dropped).

    Raises:
        db.NoData: Nothing has been published yet.
    """
    return parse_view(query, capacity_inputs(today).options, today)


def capacity_view(query: dict, today: date) -> CapacityView:
    """Parse the URL query and build the default (no pipeline) model.

    Raises:
        db.NoData: Nothing has been published yet.
    """
    state = capacity_state(query, today)
    model = capacity_model(state.as_of, state.filters.divisions, pipeline=False)
    return CapacityView(state=state, options=capacity_inputs(today).options, model=model)


# -------------------------------------------------------------------------------- page frames


def heatmap_frame(model: CapacityModel) -> pd.DataFrame:
    """Role x month utilisation over the heatmap horizon (roles with supply or demand only).

    Returns:
        ``role``, ``month``, ``supply_fte``, ``demand_fte``, ``utilisation``, ``band``.
    """
    table = model.by_role
    keep = table["month"].isin(model.months) & ~(
        (table["supply_hours"] <= 0) & (table["demand_hours"] <= 0)
    )
    rows = table.loc[keep.to_numpy()]
    active = rows.loc[(rows["supply_hours"] > 0) | (rows["demand_hours"] > 0), "role"].unique()
    rows = rows.loc[rows["role"].isin(active).to_numpy()]
    return rows[["role", "month", "supply_fte", "demand_fte", "utilisation", "band"]].reset_index(
        drop=True
    )


def monthly_totals(model: CapacityModel) -> pd.DataFrame:
    """Supply and demand (FTE) per month of the horizon, demand split by where it comes from.

    Returns:
        One row per month: ``month``, ``supply_fte``, one column per ``DEMAND_CATEGORIES``
        entry (weighted FTE) and ``demand_fte`` (their sum).
    """
    supply = model.supply.groupby("month")["supply_fte"].sum().reindex(model.months, fill_value=0)
    demand = model.demand
    category = np.select(
        [
            (demand["basis"] == "active project").to_numpy(),
            (demand["basis"] == "approved request").to_numpy(),
            demand["basis"].str.startswith("pipeline").fillna(False).to_numpy(),
        ],
        list(DEMAND_CATEGORIES),
        default="",
    )
    split = (
        demand.assign(category=category)
        .loc[lambda d: d["category"] != ""]
        .pivot_table(
            index="month", columns="category", values="demand_fte", aggfunc="sum", fill_value=0.0
        )
        .reindex(index=model.months, columns=list(DEMAND_CATEGORIES), fill_value=0.0)
    )
    out = split.assign(supply_fte=supply.to_numpy(), demand_fte=split.sum(axis=1))
    out.index.name = "month"
    return out.reset_index()[["month", "supply_fte", *DEMAND_CATEGORIES, "demand_fte"]]


def over_allocated_people(model: CapacityModel) -> pd.DataFrame:
    """One row per person over ``ok`` in any month of the horizon, worst first.

    Returns:
        ``resource_id``, ``name``, ``role``, ``team``, ``division``, ``months_over``,
        ``first_month``, ``peak_month``, ``peak_utilisation`` (NaN = demand with no supply),
        ``peak_excess_fte``, ``demand_fte`` and ``supply_fte`` in the peak month.
    """
    columns = [
        "resource_id",
        "name",
        "role",
        "team",
        "division",
        "months_over",
        "first_month",
        "peak_month",
        "peak_utilisation",
        "peak_excess_fte",
        "demand_fte",
        "supply_fte",
    ]
    over = rules.over_allocated(
        model.by_person, as_of=model.as_of, horizon_months=len(model.months)
    )
    if over.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    ranked = over.sort_values(["utilisation", "month"], ascending=[False, True], kind="stable")
    peak = ranked.drop_duplicates("resource_id").set_index("resource_id")
    counts = over.groupby("resource_id").agg(
        months_over=("month", "size"), first_month=("month", "min")
    )
    people = model.people.drop_duplicates("resource_id").set_index("resource_id")
    table = counts.join(
        peak[["month", "utilisation", "excess_fte", "demand_fte", "supply_fte"]].rename(
            columns={
                "month": "peak_month",
                "utilisation": "peak_utilisation",
                "excess_fte": "peak_excess_fte",
            }
        )
    ).join(people.reindex(columns=["name", "role", "team", "division"]))
    table["peak_utilisation"] = table["peak_utilisation"].replace(np.inf, np.nan)
    table = table.reset_index().sort_values(
        ["months_over", "peak_excess_fte"], ascending=[False, False], kind="stable"
    )
    return table[columns].reset_index(drop=True)


def with_horizon(model: CapacityModel, months: int) -> CapacityModel:
    """The model seen over its first ``months`` months (one of ``HORIZON_CHOICES``).

    The cached model keeps its 18 months; heatmap, totals, people and KPI tiles then all use
    the same, shorter horizon.
    """
    months = months if months in HORIZON_CHOICES else DEFAULT_HORIZON
    return replace(model, months=model.months[:months])


def planning_coverage(model: CapacityModel) -> pd.DataFrame:
    """Per month of the horizon: running projects, and how many have no allocation that month.

    A project runs in a month between its start and its forecast (else baseline) finish and is
    not in a closed stage. Plans are usually made a few months ahead, so later months lose
    demand that will come: those months are flagged rather than read as free capacity.

    Returns:
        ``month``, ``running``, ``unplanned`` (running with no allocation), ``unplanned_share``
        (0-1, 0 when nothing runs) and ``not_planned`` (share above ``UNPLANNED_SHARE``).
    """
    standards = get_standards()
    projects = capacity_inputs(model.as_of).projects
    if model.divisions:
        projects = projects.loc[projects["division"].isin(model.divisions).to_numpy()]
    closed = {s.lower() for s in standards.reporting.closed_stages}
    stage = projects["stage"].astype("string").str.lower()
    projects = projects.loc[~stage.isin(closed).fillna(False).to_numpy()]
    start = pd.to_datetime(projects["start_date"])
    finish = pd.to_datetime(projects["forecast_finish"]).fillna(
        pd.to_datetime(projects["baseline_finish"])
    )
    booked = model.demand.loc[
        model.demand["project_id"].notna().to_numpy(), ["project_id", "month"]
    ]
    booked_keys = set(
        zip(booked["project_id"].astype(str), pd.to_datetime(booked["month"]), strict=True)
    )
    rows = []
    ids = projects["project_id"].astype(str).to_numpy()
    for month in model.months:
        month_end = month + pd.offsets.MonthEnd(0)
        running = (
            (start.isna() | (start <= month_end)) & (finish.isna() | (finish >= month))
        ).to_numpy()
        running_ids = ids[running]
        unplanned = sum(1 for pid in running_ids if (pid, month) not in booked_keys)
        share = unplanned / len(running_ids) if len(running_ids) else 0.0
        rows.append((month, len(running_ids), unplanned, share))
    out = pd.DataFrame(rows, columns=["month", "running", "unplanned", "unplanned_share"])
    out["not_planned"] = out["unplanned_share"] > UNPLANNED_SHARE
    return out


def capacity_summary(model: CapacityModel) -> dict:
    """Numbers for the KPI tiles.

    Returns:
        ``hot_roles`` (roles over ``ok`` within the horizon, names), ``months`` (horizon),
        ``people_over`` (people over ``ok`` in the horizon), ``peak`` (utilisation, role, month of
        the worst role-month with supply; None when no supply), ``demand_share`` (horizon demand
        / supply, or None), ``no_supply_roles`` (roles with demand but no one to do it).
    """
    frame = heatmap_frame(model)
    hot = frame["band"].isin(["over", "critical"]).to_numpy()
    near = frame["month"].isin(model.months).to_numpy()
    finite = frame.loc[np.isfinite(frame["utilisation"].to_numpy(dtype="float64"))]
    peak = None
    if not finite.empty:
        worst = finite.loc[finite["utilisation"].idxmax()]
        peak = (float(worst["utilisation"]), str(worst["role"]), pd.Timestamp(worst["month"]))
    supply = float(frame["supply_fte"].sum())
    no_supply = frame.loc[np.isinf(frame["utilisation"].to_numpy(dtype="float64")), "role"]
    return {
        "hot_roles": tuple(sorted(frame.loc[hot & near, "role"].unique())),
        "months": len(model.months),
        "people_over": len(over_allocated_people(model)),
        "peak": peak,
        "demand_share": float(frame["demand_fte"].sum()) / supply if supply > 0 else None,
        "no_supply_roles": tuple(sorted(no_supply.unique())),
    }


def request_choices(model: CapacityModel) -> list[dict[str, str]]:
    """Dropdown options: requests not yet approved that place demand in this scope."""
    wanted = model.demand["request_id"].dropna().unique()
    requests = model.requests
    rows = requests.loc[
        requests["request_id"].isin(wanted).to_numpy()
        & (requests["status"].fillna("") != "approved").to_numpy()
    ].sort_values("request_id")
    return [
        {
            "label": f"{r.request_id} · {r.title} ({_status(r.status)})",
            "value": str(r.request_id),
        }
        for r in rows.itertuples()
    ]


def request_impact(model: CapacityModel, request_id: str | None) -> RequestImpact | None:
    """Before/after utilisation of the request's roles and its earliest start; cached.

    Args:
        model: The scope the page shows.
        request_id: From the dropdown; anything not among ``request_choices`` gives None.
    """
    allowed = {o["value"] for o in request_choices(model)}
    if request_id not in allowed:
        return None
    key = (
        "capacity-impact",
        model.version,
        model.as_of,
        model.divisions,
        model.pipeline,
        request_id,
    )
    return cached(key, lambda: _impact(model, request_id))


def _impact(model: CapacityModel, request_id: str) -> RequestImpact:
    bands = get_standards().capacity
    table = capacity_impact.request_impact(
        model.supply, model.demand, bands, request_id=request_id, by="role"
    )
    slot = capacity_impact.earliest_start(
        model.supply,
        model.demand,
        bands,
        request_id=request_id,
        by="role",
        max_shift=MAX_SHIFT_MONTHS,
    )
    row = model.requests.loc[model.requests["request_id"] == request_id].iloc[0]
    return RequestImpact(
        request_id=request_id,
        title=str(row["title"]),
        status=_status(row["status"]),
        table=table,
        slot=slot,
    )


def _status(value: object) -> str:
    return str(value).replace("_", " ") if isinstance(value, str) and value else "no status"


def scope_text(state: ViewState) -> str:
    """One line naming the scope, for printouts and screenshots."""
    divisions = state.filters.divisions
    scope = f"Division: {', '.join(divisions)}" if divisions else "All divisions"
    return f"{scope} · as of {state.as_of.isoformat()}"


ROLE_EXPORT_COLUMNS = {
    "role": "Role",
    "month": "Month",
    "supply_fte": "Supply (FTE)",
    "demand_fte": "Demand (FTE)",
    "utilisation_pct": "Utilisation (%)",
    "band": "Band",
}
PEOPLE_EXPORT_COLUMNS = {
    "resource_id": "Person ID",
    "name": "Name",
    "role": "Role",
    "team": "Team",
    "division": "Division",
    "months_over": "Months over capacity",
    "first_month": "First month over",
    "peak_month": "Peak month",
    "peak_utilisation_pct": "Peak utilisation (%)",
    "peak_excess_fte": "Peak excess (FTE)",
}


def export_frame(model: CapacityModel, table: str) -> pd.DataFrame:
    """A table as exported: ``roles`` (the heatmap's numbers) or ``people`` (over-allocated).

    Utilisation is in percent, rounded to 0.1; demand with no supply has no percentage.
    """
    if table == "people":
        frame = over_allocated_people(model)
        frame = frame.assign(peak_utilisation_pct=(frame["peak_utilisation"] * 100).round(1))
        columns = PEOPLE_EXPORT_COLUMNS
    else:
        frame = heatmap_frame(model)
        percent = frame["utilisation"].replace([np.inf, -np.inf], np.nan) * 100
        frame = frame.assign(utilisation_pct=percent.round(1), band=frame["band"].astype("str"))
        columns = ROLE_EXPORT_COLUMNS
    for column in ("month", "first_month", "peak_month"):
        if column in frame:
            frame[column] = pd.to_datetime(frame[column]).dt.strftime("%Y-%m")
    for column in ("supply_fte", "demand_fte", "peak_excess_fte"):
        if column in frame:
            frame[column] = frame[column].astype("float64").round(2)
    return frame[list(columns)].rename(columns=columns)
