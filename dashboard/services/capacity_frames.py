"""The Capacity page's tables: role x month heatmap, monthly totals, people over, KPI numbers.

Each is a frame of a :class:`~dashboard.services.capacity.CapacityModel` over its horizon
(docs/analytics.md §4, docs/ux.md "Capacity").
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.analytics import capacity as rules
from dashboard.config import get_standards
from dashboard.services import capacity as scope
from dashboard.services.capacity import CapacityModel

UNPLANNED_SHARE = 0.25
"""A month where more than this share of running projects has no allocation is "not yet
planned": its low demand is missing plans, not spare capacity (docs/ux.md "Capacity")."""

DEMAND_CATEGORIES = ("Active projects", "Approved requests", "Pipeline (weighted)")
"""Demand series of the demand-vs-supply chart, in stacking order."""


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
    projects = scope.capacity_inputs(model.as_of).projects
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
