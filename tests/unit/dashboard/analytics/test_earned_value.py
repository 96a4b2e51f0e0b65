"""Unit tests of dashboard.analytics.earned_value (PV, EV, AC over time) - no browser, no database.

Every expected number is worked out by hand in the comment beside it.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from dashboard.analytics import earned_value
from tests.unit.dashboard.analytics.history_cases import (
    T,
    project,
    reports,
    versions,
)


def short_project(**overrides) -> pd.DataFrame:
    # 30 days from start to baseline finish: each 10 days is a third of the plan.
    values = {"start_date": T("2026-01-01"), "baseline_finish": T("2026-01-31"), "budget": 3000.0}
    return project(**{**values, **overrides})


def ev_reports() -> pd.DataFrame:
    return reports(
        ("2026-01-11", 0.25, 1000.0, "green"),
        ("2026-01-21", 0.5, np.nan, "green"),
        ("2026-02-10", 0.9, 2000.0, "green"),  # after as_of: ignored
    )


def test_earned_value_history_computes_pv_ev_ac_at_each_report():
    result = earned_value.earned_value_history(
        short_project(), ev_reports(), as_of=date(2026, 2, 1)
    )
    assert result["point"].tolist() == ["start", "report", "report", "baseline finish"]
    assert result["date"].tolist() == [
        T("2026-01-01"),
        T("2026-01-11"),
        T("2026-01-21"),
        T("2026-01-31"),
    ]
    # PV = 3000 x elapsed/30: 0, 1000, 2000, 3000.  EV = % x 3000: 750, 1500.
    assert result["planned_value"].tolist() == pytest.approx([0.0, 1000.0, 2000.0, 3000.0])
    assert result["earned_value"].tolist()[1:3] == pytest.approx([750.0, 1500.0])
    # AC as reported; the second report gave none (no carrying forward).
    assert result["actual_cost"].iloc[1] == 1000.0 and np.isnan(result["actual_cost"].iloc[2])
    assert result["spi"].tolist()[1:3] == pytest.approx([0.75, 0.75])
    assert result["cpi"].iloc[1] == pytest.approx(0.75) and np.isnan(result["cpi"].iloc[2])
    assert np.isnan(result["earned_value"].iloc[0]) and np.isnan(result["spi"].iloc[0])


def test_earned_value_history_uses_the_budget_known_on_each_report_date():
    register = versions(
        pd.concat([short_project(), short_project(budget=6000.0)], ignore_index=True),
        [("2026-01-05", "2026-01-15", True), ("2026-01-15", None, False)],
    )
    result = earned_value.earned_value_history(register, ev_reports(), as_of=date(2026, 2, 1))
    # 11 Jan: budget 3000 -> PV 1000; 21 Jan: 6000 -> PV 4000, EV 3000; plan ends at 6000.
    assert result["budget"].tolist() == [6000.0, 3000.0, 6000.0, 6000.0]
    assert result["planned_value"].tolist() == pytest.approx([0.0, 1000.0, 4000.0, 6000.0])
    assert result["earned_value"].iloc[2] == pytest.approx(3000.0)


def test_earned_value_history_without_plan_dates_has_no_pv():
    result = earned_value.earned_value_history(
        short_project(start_date=pd.NaT), ev_reports(), as_of=date(2026, 2, 1)
    )
    assert result["point"].tolist() == ["report", "report", "baseline finish"]
    assert result["planned_value"].isna().all()
    assert result["earned_value"].tolist()[:2] == pytest.approx([750.0, 1500.0])


def test_earned_value_history_needs_the_register_row():
    with pytest.raises(ValueError, match="no register row"):
        earned_value.earned_value_history(
            short_project().iloc[0:0], ev_reports(), as_of=date(2026, 2, 1)
        )


def test_earned_value_history_does_not_mutate_input():
    register, status = short_project(), ev_reports()
    before = (register.copy(), status.copy())
    earned_value.earned_value_history(register, status, as_of=date(2026, 2, 1))
    pd.testing.assert_frame_equal(register, before[0])
    pd.testing.assert_frame_equal(status, before[1])
