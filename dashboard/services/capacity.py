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
The page's tables are drawn from the model in ``capacity_frames``, one request's impact in
``capacity_requests``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import numpy as np
import pandas as pd

from dashboard import db
from dashboard.analytics import capacity as rules
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


def with_horizon(model: CapacityModel, months: int) -> CapacityModel:
    """The model seen over its first ``months`` months (one of ``HORIZON_CHOICES``).

    The cached model keeps its 18 months; heatmap, totals, people and KPI tiles then all use
    the same, shorter horizon.
    """
    months = months if months in HORIZON_CHOICES else DEFAULT_HORIZON
    return replace(model, months=model.months[:months])


def scope_text(state: ViewState) -> str:
    """One line naming the scope, for printouts and screenshots."""
    divisions = state.filters.divisions
    scope = f"Division: {', '.join(divisions)}" if divisions else "All divisions"
    return f"{scope} · as of {state.as_of.isoformat()}"
