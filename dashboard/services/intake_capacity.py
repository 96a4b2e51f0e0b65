"""Capacity in the intake's recommendation: free role-months, mandatory work first, what blocks.

The candidates' full demand per role and month is checked against the organisation's free
capacity left by active projects and approved requests (docs/analytics.md §3.6). Mandatory work
is done whatever the capacity, so its staff come off the free capacity before the choice; and
when capacity keeps a request out, the role-month short is named in words.
"""

from __future__ import annotations

import pandas as pd

from dashboard.analytics import selection
from dashboard.analytics.capacity_demand import request_demand
from dashboard.services import capacity as capacity_services
from dashboard.services.intake_requests import IntakeView, display_name


def candidate_capacity(
    view: IntakeView, candidates: pd.DataFrame
) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """Candidates' full demand per role-month, and the free capacity without the pipeline.

    Capacity is the whole organisation's even under a division filter: a division's requests
    are staffed from every division's people.
    """
    model = capacity_services.capacity_model(view.data.as_of, (), pipeline=False)
    demand = request_demand(model.demand)
    demand = demand.loc[demand["request_id"].isin(candidates["request_id"]).to_numpy()]
    if demand.empty:
        return None, None
    return demand, model.by_role[["role", "month", "free_fte"]]


def reserve_mandatory(
    demand: pd.DataFrame, free: pd.DataFrame, mandatory: set[str]
) -> tuple[pd.DataFrame, pd.DataFrame, str | None]:
    """Take the mandatory requests' staff off the free capacity before the choice is made.

    Mandatory work is done whatever the capacity, so it must not make the whole selection
    infeasible: its need is subtracted from the free FTE (a role-month it overruns is left at
    0 and named), and the solver then shares out what remains among the other requests.

    Returns:
        The other requests' demand, the capacity left per role-month, and the largest overrun
        in words (``None`` when the mandatory requests fit).
    """
    must = demand["request_id"].isin(mandatory).to_numpy()
    need = _role_months(demand.loc[must], "fte")
    available = _free_role_months(free)
    overrun = _shortfall(need, available, "the mandatory requests")
    left = available.sub(need, fill_value=0.0).clip(lower=0.0).reindex(available.index)
    remaining = left.reset_index(name="free_fte")
    remaining["month"] = remaining["month"].dt.to_timestamp()
    return demand.loc[~must], remaining, overrun


def blocking_text(
    candidates: pd.DataFrame,
    result: selection.Selection,
    demand: pd.DataFrame | None,
    free: pd.DataFrame | None,
) -> str | None:
    """The role-month short for the best-scored request left out for capacity, in words.

    Capacity left = free capacity - what the chosen requests need, per role and month. The
    unchosen requests are tried best score first; the first whose plan needs more than is left
    somewhere is named with its worst role-month (largest shortfall).
    """
    if demand is None or free is None:
        return None
    left = _free_role_months(free)
    need = demand.assign(month=demand["month"].map(lambda m: pd.Timestamp(m).to_period("M")))
    need = need.groupby(["request_id", "role", "month"], as_index=False)["fte"].sum()
    if result.status == "infeasible":
        forced = result.table.loc[result.table["decision"] == "forced in", "request_id"]
        own = need.loc[need["request_id"].isin(forced)].groupby(["role", "month"])["fte"].sum()
        return _shortfall(own, left, "the mandatory and forced-in requests")
    used = need.loc[need["request_id"].isin(result.selected)].groupby(["role", "month"])["fte"]
    left = left.sub(used.sum(), fill_value=0.0)
    eligible = candidates.loc[
        ~candidates["request_id"].isin(result.selected).to_numpy()
        & (pd.to_numeric(candidates["score"], errors="coerce") > 0).to_numpy()
    ].sort_values(["score", "request_id"], ascending=[False, True], kind="stable")
    for row in eligible.itertuples():
        own = need.loc[need["request_id"] == row.request_id].set_index(["role", "month"])["fte"]
        text = _shortfall(own, left, display_name(row.request_id, row.title))
        if text:
            return text
    return None


def _role_months(frame: pd.DataFrame, column: str) -> pd.Series:
    """``frame[column]`` summed per (role, month period): the grain capacity is checked at."""
    months = frame["month"].map(lambda m: pd.Timestamp(m).to_period("M"))
    values = pd.to_numeric(frame[column], errors="coerce").fillna(0.0)
    return values.groupby([frame["role"].astype(str), months]).sum().rename_axis(["role", "month"])


def _free_role_months(free: pd.DataFrame) -> pd.Series:
    """Free FTE per (role, month period), negative free capacity read as 0."""
    return _role_months(free.assign(free_fte=free["free_fte"].clip(lower=0)), "free_fte")


def _shortfall(need: pd.Series, left: pd.Series, whom: str) -> str | None:
    """``"Developer in 2027-03 is short by 1.5 FTE for <whom>"``: the largest gap, or None."""
    # Only the role-months capacity is known for constrain (as in ``select_requests``).
    short = (need - left.reindex(need.index)).dropna().round(2)
    short = short[short > 0]
    if short.empty:
        return None
    (role, period), gap = short.idxmax(), short.max()
    return f"{role} in {period} is short by {gap:,.1f} FTE for {whom}"
