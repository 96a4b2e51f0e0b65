"""Unit tests of capacity utilisation bands and over-allocation - no database."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.analytics.capacity import (
    BAND_DTYPE,
    allocation_demand,
    over_allocated,
    resource_supply,
    utilisation,
)
from tests.unit.dashboard.analytics import capacity_cases as cases
from tests.unit.dashboard.analytics.capacity_cases import BANDS, FEB, JAN, D, grid, placement


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
    supply = resource_supply(cases.people(), cases.WT, months=cases.MONTHS)
    demand = allocation_demand(
        cases.allocations(),
        cases.WT,
        months=cases.MONTHS,
        resources=cases.people(),
        projects=cases.REGISTER,
        requests=cases.REQUESTS,
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


def test_utilisation_and_over_allocated_do_not_mutate_input():
    supply, demand = placement()
    before = (supply.copy(), demand.copy())
    table = utilisation(supply, demand, BANDS, by="team")
    table_before = table.copy()
    over_allocated(table, as_of=D(2026, 1, 1))
    pd.testing.assert_frame_equal(supply, before[0])
    pd.testing.assert_frame_equal(demand, before[1])
    pd.testing.assert_frame_equal(table, table_before)
