"""Hand-made people, allocations and supply/demand grids shared by the capacity unit tests."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard.analytics.capacity_calendar import month_range
from dashboard.standards import CapacityBands, WorkingTime

D = dt.date
WT = WorkingTime(hours_per_day=7.5, leave_days_per_year=24, holidays=(D(2026, 1, 1),))
BANDS = CapacityBands(under=0.7, ok=1.0, over=1.1)
MONTHS = month_range(D(2026, 1, 20), 3)  # Jan, Feb, Mar 2026
JAN, FEB, MAR = (pd.Timestamp(2026, m, 1) for m in (1, 2, 3))


def people() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "resource_id": ["A", "B", "C"],
            "name": ["Ann", "Bo", "Cy"],
            "role": ["dev", "dev", "ba"],
            "team": ["T1", "T2", "T1"],
            "division": ["Ops", "Ops", "Ops"],
            "fte": [1.0, 0.5, None],
            "start_date": [None, D(2026, 1, 15), None],
            "end_date": [None, None, D(2026, 2, 10)],
        }
    )


def allocations() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "project_id": ["P1", "P2", None, None, "P1"],
            "request_id": [None, None, "R1", "R2", None],
            "resource_id": ["A", None, None, None, "A"],
            "role": [None, "dev", "dev", "ba", None],
            "month": [D(2026, 1, 1), D(2026, 1, 1), D(2026, 1, 1), D(2026, 2, 1), D(2026, 6, 1)],
            "fte": [0.5, 1.0, None, 1.0, 1.0],
            "hours": [None, None, 20.0, None, None],
        }
    )


REGISTER = pd.DataFrame({"project_id": ["P1", "P2"], "stage": ["Delivery", "Closed"]})
REQUESTS = pd.DataFrame({"request_id": ["R1", "R2"], "status": ["approved", "submitted"]})


def grid(supply_hours: dict, demand_rows: list[tuple]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Hand-made supply (one person per role x team x month) and demand frames."""
    supply = pd.DataFrame(
        [
            {
                "resource_id": f"{role}-{team}",
                "role": role,
                "team": team,
                "division": "Ops",
                "month": pd.Timestamp(month),
                "supply_hours": hours,
                "standard_hours": 100.0,
            }
            for (role, team, month), hours in supply_hours.items()
        ]
    )
    demand = pd.DataFrame(
        demand_rows,
        columns=[
            "request_id",
            "resource_id",
            "role",
            "team",
            "division",
            "month",
            "hours",
            "weight",
        ],
    )
    demand["month"] = pd.to_datetime(demand["month"])
    demand["demand_hours"] = demand["hours"] * demand["weight"]
    demand["fte"] = demand["hours"] / 100.0
    demand["demand_fte"] = demand["demand_hours"] / 100.0
    return supply, demand


def placement() -> tuple[pd.DataFrame, pd.DataFrame]:
    months = [f"2026-{m:02d}-01" for m in range(1, 7)]
    base = [90.0, 90.0, 70.0, 20.0, 0.0, 0.0]
    supply, demand = grid(
        {("dev", "T1", m): 100.0 for m in months},
        [
            *[
                (None, "dev-T1", "dev", "T1", "Ops", m, h, 1.0)
                for m, h in zip(months, base, strict=True)
            ],
            ("R1", None, "dev", None, None, months[0], 20.0, 0.0),
            ("R1", None, "dev", None, None, months[1], 20.0, 0.0),
        ],
    )
    return supply, demand
