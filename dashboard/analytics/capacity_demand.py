"""Demand: the weighted hours allocations ask of people and roles (``docs/analytics.md`` §4).

Demand comes from allocations, in hours, or in FTE converted with the month's standard hours.
It is weighted: active projects 1, closed projects 0; approved requests 1; other requests 0, or
their approval probability in the pipeline scenario.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from dashboard.analytics._checks import column_or_na, require_columns, to_float, to_text
from dashboard.analytics.capacity_calendar import month_of, month_starts, to_fte, working_days
from dashboard.standards import ApprovalProbabilities, WorkingTime


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
    index = month_starts(months)
    month = month_of(allocations["month"])
    in_range = month.isin(index).to_numpy()
    alloc, month = allocations.loc[in_range], month.loc[in_range]
    standard = month.map(working_days(index, working_time) * working_time.hours_per_day)
    standard = standard.to_numpy(dtype="float64")
    # Keep text columns as pandas Series (Arrow strings): a round trip through numpy object
    # arrays costs more than the arithmetic on 400k rows.
    ids = {c: column_or_na(alloc, c, "str") for c in ("project_id", "request_id", "resource_id")}
    approval = approval or ApprovalProbabilities()
    weight, basis = _weights(ids, projects, requests, approval, closed_stages, include_pipeline)
    out = _who(alloc, month, ids, resources).assign(
        source=_source(ids["project_id"]), basis=basis, weight=weight, hours=_hours(alloc, standard)
    )
    out = out.reset_index(drop=True)
    out["fte"] = to_fte(out["hours"], standard)
    out["demand_hours"] = out["hours"] * out["weight"]
    out["demand_fte"] = out["fte"] * out["weight"]
    return out


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


def _who(
    alloc: pd.DataFrame,
    month: pd.Series,
    ids: dict[str, pd.Series],
    resources: pd.DataFrame | None,
) -> pd.DataFrame:
    """Ids, role, team, division and month of each allocation (a named person's role first)."""
    role = column_or_na(alloc, "role", "str")
    team = pd.Series(pd.NA, index=alloc.index, dtype="str")
    division = team
    if resources is not None:
        require_columns(resources, {"resource_id", "role"}, fn="allocation_demand")
        people = resources.drop_duplicates("resource_id").set_index("resource_id")
        role = role.where(role.notna(), ids["resource_id"].map(people["role"]))
        team = ids["resource_id"].map(column_or_na(people, "team", "str"))
        division = ids["resource_id"].map(column_or_na(people, "division", "str"))
    return pd.DataFrame(
        {
            **ids,
            "role": role.astype("str"),
            "team": team.astype("str"),
            "division": division.astype("str"),
            "month": month,
        },
        index=alloc.index,
    )


def _hours(alloc: pd.DataFrame, standard: np.ndarray) -> np.ndarray:
    """Hours of each allocation: as given, else its FTE x the month's standard hours, else 0."""
    hours = to_float(column_or_na(alloc, "hours")).to_numpy()
    fte = to_float(column_or_na(alloc, "fte")).to_numpy()
    hours = np.where(np.isnan(hours), fte * standard, hours)
    return np.nan_to_num(hours, nan=0.0)


def _source(project_id: pd.Series) -> pd.Categorical:
    """``project`` where a project is named, else ``request``."""
    is_project = project_id.notna().to_numpy()
    return pd.Categorical.from_codes(np.where(is_project, 0, 1), categories=["project", "request"])


def _weights(
    ids: dict[str, pd.Series],
    projects: pd.DataFrame | None,
    requests: pd.DataFrame | None,
    approval: ApprovalProbabilities,
    closed_stages: Sequence[str],
    include_pipeline: bool,
) -> tuple[np.ndarray, pd.Categorical]:
    """Weight of each allocation and why (categorical ``basis``)."""
    project_id, request_id = ids["project_id"], ids["request_id"]
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
