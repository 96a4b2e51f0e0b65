"""Unit tests of capacity supply, demand, utilisation bands and request placement - no database."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from dashboard.analytics.capacity import (
    BAND_DTYPE,
    allocation_demand,
    earliest_start,
    month_range,
    over_allocated,
    request_demand,
    request_impact,
    resource_supply,
    utilisation,
    working_days,
)
from dashboard.standards import ApprovalProbabilities, CapacityBands, WorkingTime

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


def test_month_range_starts_at_the_month_of_the_date():
    assert list(MONTHS) == [JAN, FEB, MAR]


def test_working_days_count_weekdays_less_holidays():
    assert working_days(MONTHS, WT).tolist() == [21.0, 20.0, 22.0]


def test_working_days_can_be_fixed_per_month():
    fixed = WorkingTime(working_days_per_month=20)
    assert working_days(MONTHS, fixed).tolist() == [20.0, 20.0, 20.0]


def test_resource_supply_hand_computed():
    supply = resource_supply(people(), WT, months=MONTHS).set_index(["resource_id", "month"])
    # Ann: 1.0 x 7.5 x (21 days - 2 leave) in January.
    assert supply.loc[("A", JAN), "supply_hours"] == pytest.approx(142.5)
    assert supply.loc[("A", JAN), "supply_fte"] == pytest.approx(142.5 / 157.5)
    assert supply.loc[("A", JAN), "standard_hours"] == 157.5
    # Bo starts 15 Jan: 12 working days, leave pro rata 2 x 12/21, half time.
    assert supply.loc[("B", JAN), "employed_days"] == 12
    assert supply.loc[("B", JAN), "leave_days"] == pytest.approx(2 * 12 / 21)
    assert supply.loc[("B", JAN), "supply_hours"] == pytest.approx(0.5 * 7.5 * (12 - 24 / 21))
    # Cy (no FTE = full time) leaves 10 Feb (inclusive): 7 days in Feb, none in March.
    assert supply.loc[("C", FEB), "employed_days"] == 7
    assert supply.loc[("C", FEB), "supply_hours"] == pytest.approx(7.5 * (7 - 0.7))
    assert supply.loc[("C", MAR), "supply_hours"] == 0.0
    assert supply.loc[("C", FEB), "fte"] == 1.0


def test_leave_plan_replaces_the_default_allowance_for_that_person():
    leave = pd.DataFrame(
        {"resource_id": ["A", "C"], "month": [D(2026, 2, 3), D(2026, 2, 1)], "days": [5.0, 10.0]}
    )
    supply = resource_supply(people(), WT, months=MONTHS, leave=leave)
    supply = supply.set_index(["resource_id", "month"])
    assert supply.loc[("A", JAN), "leave_days"] == 0.0  # has a plan: no leave in January
    assert supply.loc[("A", FEB), "leave_days"] == 5.0
    assert supply.loc[("C", FEB), "leave_days"] == 7.0  # capped at the days employed
    assert supply.loc[("C", FEB), "supply_hours"] == 0.0
    assert supply.loc[("B", FEB), "leave_days"] == 2.0  # no plan: the default allowance


def test_fixed_working_days_are_pro_rata_for_starters():
    supply = resource_supply(people(), WorkingTime(working_days_per_month=20), months=MONTHS)
    bo = supply[(supply["resource_id"] == "B") & (supply["month"] == JAN)].iloc[0]
    assert bo["employed_days"] == pytest.approx(20 * 12 / 22)  # 12 of 22 weekdays


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


def test_allocation_demand_weights_and_units():
    demand = allocation_demand(
        allocations(), WT, months=MONTHS, resources=people(), projects=REGISTER, requests=REQUESTS
    )
    assert len(demand) == 4  # June is outside the months
    assert demand["basis"].tolist() == [
        "active project",
        "closed project",
        "approved request",
        "request not approved (submitted)",
    ]
    assert demand["weight"].tolist() == [1.0, 0.0, 1.0, 0.0]
    assert demand["role"].tolist() == ["dev", "dev", "dev", "ba"]  # Ann's role filled in
    assert demand["team"].iloc[0] == "T1"
    assert demand["hours"].tolist() == [0.5 * 157.5, 157.5, 20.0, 150.0]
    assert demand["demand_hours"].tolist() == [78.75, 0.0, 20.0, 0.0]
    assert demand["fte"].iloc[2] == pytest.approx(20 / 157.5)


def test_pipeline_scenario_weights_requests_by_approval_probability():
    demand = allocation_demand(
        allocations(),
        WT,
        months=MONTHS,
        resources=people(),
        projects=REGISTER,
        requests=REQUESTS,
        approval=ApprovalProbabilities(submitted=0.3),
        include_pipeline=True,
    )
    assert demand["weight"].tolist() == [1.0, 0.0, 1.0, 0.3]
    assert demand["basis"].iloc[3] == "pipeline (submitted, p=0.3)"
    assert demand["demand_hours"].iloc[3] == pytest.approx(45.0)


def test_unknown_request_status_counts_as_not_approved():
    demand = allocation_demand(allocations(), WT, months=MONTHS, include_pipeline=True)
    assert demand["weight"].tolist() == [1.0, 1.0, 0.0, 0.0]
    assert demand["basis"].iloc[2] == "request not approved (no status)"


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


@pytest.mark.parametrize(
    ("demand_hours", "band"),
    [
        (0.0, "under"),
        (69.0, "under"),
        (70.0, "ok"),  # exactly the 'under' edge
        (100.0, "ok"),  # exactly the 'ok' edge
        (105.0, "over"),
        (110.0, "over"),  # exactly the 'over' edge
        (111.0, "critical"),
    ],
)
def test_utilisation_band_edges(demand_hours, band):
    supply, demand = grid(
        {("dev", "T1", "2026-01-01"): 100.0},
        [(None, None, "dev", None, None, "2026-01-01", demand_hours, 1.0)],
    )
    table = utilisation(supply, demand, BANDS, by="role")
    row = table.iloc[0]
    assert row["utilisation"] == pytest.approx(demand_hours / 100)
    assert row["band"] == band
    assert table["band"].dtype == BAND_DTYPE


def test_demand_without_supply_is_critical_and_nothing_is_unknown():
    supply, demand = grid(
        {("dev", "T1", "2026-01-01"): 0.0, ("dev", "T1", "2026-02-01"): 0.0},
        [(None, None, "dev", None, None, "2026-01-01", 10.0, 1.0)],
    )
    table = utilisation(supply, demand, BANDS, by="role").set_index("month")
    assert np.isinf(table.loc[JAN, "utilisation"])
    assert table.loc[JAN, "band"] == "critical"
    assert table.loc[JAN, "excess_fte"] == pytest.approx(0.1)
    assert np.isnan(table.loc[FEB, "utilisation"])
    assert pd.isna(table.loc[FEB, "band"])


def test_role_only_demand_is_shared_by_team_supply():
    supply, demand = grid(
        {("dev", "T1", "2026-01-01"): 100.0, ("dev", "T2", "2026-01-01"): 300.0},
        [
            (None, None, "dev", None, None, "2026-01-01", 200.0, 1.0),
            (None, "dev-T1", "dev", "T1", "Ops", "2026-01-01", 30.0, 1.0),
        ],
    )
    by_team = utilisation(supply, demand, BANDS, by="team").set_index("team")
    assert by_team.loc["T1", "demand_hours"] == pytest.approx(80.0)  # 30 named + 200 x 1/4
    assert by_team.loc["T2", "demand_hours"] == pytest.approx(150.0)
    by_person = utilisation(supply, demand, BANDS, by="resource_id").set_index("resource_id")
    assert by_person.loc["dev-T1", "demand_hours"] == 30.0  # role-only demand names no one
    by_division = utilisation(supply, demand, BANDS, by="division")
    assert by_division["utilisation"].tolist() == [pytest.approx(230 / 400)]
    by_role = utilisation(supply, demand, BANDS, by="role")
    assert by_role["free_fte"].tolist() == [pytest.approx(1.7)]


def test_utilisation_rejects_unknown_level():
    supply, demand = grid({("dev", "T1", "2026-01-01"): 1.0}, [])
    with pytest.raises(ValueError, match="by must be one of"):
        utilisation(supply, demand, BANDS, by="programme")


def test_utilisation_from_supply_and_demand_functions():
    supply = resource_supply(people(), WT, months=MONTHS)
    demand = allocation_demand(
        allocations(), WT, months=MONTHS, resources=people(), projects=REGISTER, requests=REQUESTS
    )
    table = utilisation(supply, demand, BANDS, by="role").set_index(["role", "month"])
    jan_supply = 142.5 + 0.5 * 7.5 * (12 - 24 / 21)
    assert table.loc[("dev", JAN), "demand_hours"] == pytest.approx(98.75)
    assert table.loc[("dev", JAN), "utilisation"] == pytest.approx(98.75 / jan_supply)


def test_over_allocated_within_horizon():
    table = pd.DataFrame(
        {
            "role": ["dev"] * 4,
            "month": pd.to_datetime(["2026-01-01", "2026-02-01", "2026-03-01", "2026-04-01"]),
            "utilisation": [1.5, 1.05, 0.9, 1.3],
            "band": pd.Categorical(["critical", "over", "ok", "critical"], dtype=BAND_DTYPE),
        }
    )
    hot = over_allocated(table, as_of=D(2026, 2, 10), horizon_months=2)
    assert hot["month"].tolist() == [FEB]
    assert len(over_allocated(table, as_of=D(2026, 1, 1), horizon_months=18)) == 3


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


def test_request_impact_before_and_after():
    supply, demand = placement()
    impact = request_impact(supply, demand, BANDS, request_id="R1")
    assert impact["month"].tolist() == [JAN, FEB]
    assert impact["utilisation_before"].tolist() == pytest.approx([0.9, 0.9])
    assert impact["utilisation_after"].tolist() == pytest.approx([1.1, 1.1])
    assert impact["request_fte"].tolist() == pytest.approx([0.2, 0.2])
    assert impact["band_before"].tolist() == ["ok", "ok"]
    assert impact["band_after"].tolist() == ["over", "over"]
    assert impact["becomes_over"].tolist() == [True, True]


def test_earliest_start_hand_checked():
    supply, demand = placement()
    slot = earliest_start(supply, demand, BANDS, request_id="R1")
    assert slot.planned_start == JAN
    assert slot.earliest_start == pd.Timestamp(2026, 3, 1)  # Mar 90 %, Apr 40 %
    assert slot.shift_months == 2
    assert slot.blocking == (
        "dev 2026-01: 110% with this request",
        "dev 2026-02: 110% with this request",
    )
    assert slot.tried["feasible"].tolist() == [False, False, True]
    assert slot.message == "R1 can start in Mar 2026, 2 month(s) after the planned Jan 2026."


def test_earliest_start_as_planned():
    supply, demand = placement()
    demand = demand.assign(hours=np.where(demand["request_id"] == "R1", 5.0, demand["hours"]))
    slot = earliest_start(supply, demand, BANDS, request_id="R1")
    assert slot.shift_months == 0
    assert slot.message == "R1 can start as planned in Jan 2026."


def test_earliest_start_none_within_horizon():
    supply, demand = placement()
    demand = demand.assign(hours=np.where(demand["request_id"] == "R1", 120.0, demand["hours"]))
    slot = earliest_start(supply, demand, BANDS, request_id="R1")
    assert slot.earliest_start is None
    assert slot.shift_months is None
    assert slot.message.startswith("R1 cannot start between Jan 2026 and")


def test_earliest_start_without_allocations():
    supply, demand = placement()
    slot = earliest_start(supply, demand, BANDS, request_id="R9")
    assert slot.planned_start is None
    assert slot.tried.empty


def test_request_demand_for_selection():
    _, demand = placement()
    needs = request_demand(demand)
    assert needs.to_dict("list") == {
        "request_id": ["R1", "R1"],
        "role": ["dev", "dev"],
        "month": [JAN, FEB],
        "fte": [0.2, 0.2],
    }


def test_resource_supply_does_not_mutate_input():
    frame = people()
    before = frame.copy()
    resource_supply(frame, WT, months=MONTHS)
    pd.testing.assert_frame_equal(frame, before)


def test_allocation_demand_does_not_mutate_input():
    frames = (allocations(), people(), REGISTER, REQUESTS)
    before = [f.copy() for f in frames]
    allocation_demand(
        frames[0], WT, months=MONTHS, resources=frames[1], projects=frames[2], requests=frames[3]
    )
    for frame, copy in zip(frames, before, strict=True):
        pd.testing.assert_frame_equal(frame, copy)


def test_utilisation_and_placement_do_not_mutate_input():
    supply, demand = placement()
    before = (supply.copy(), demand.copy())
    table = utilisation(supply, demand, BANDS, by="team")
    table_before = table.copy()
    over_allocated(table, as_of=D(2026, 1, 1))
    request_impact(supply, demand, BANDS, request_id="R1")
    earliest_start(supply, demand, BANDS, request_id="R1")
    request_demand(demand)
    pd.testing.assert_frame_equal(supply, before[0])
    pd.testing.assert_frame_equal(demand, before[1])
    pd.testing.assert_frame_equal(table, table_before)


def test_working_days_does_not_mutate_input():
    months = [D(2026, 1, 5), D(2026, 2, 1)]
    working_days(months, WT)
    assert months == [D(2026, 1, 5), D(2026, 2, 1)]
