"""Unit tests of the schedule and cost dimensions of health - hand-computed, no database."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from tests.unit.dashboard.analytics.health_cases import (
    ROUNDING,
    D,
    assess,
    one,
    projects,
)


@pytest.mark.parametrize(
    ("percent_complete", "rag"),
    [
        (0.5, "green"),  # SPI 1.00
        (0.475, "green"),  # SPI exactly at the amber threshold
        (0.47, "amber"),  # SPI 0.94
        (0.425, "amber"),  # SPI exactly at the red threshold
        (0.42, "red"),  # SPI 0.84
    ],
)
def test_schedule_spi_band_edges(percent_complete, rag):
    row = one(assess(projects(percent_complete=percent_complete)))
    assert row["schedule_metric"] == "SPI"
    assert row["schedule_value"] == pytest.approx(percent_complete / 0.5)
    assert row["schedule_rag"] == rag
    assert row["schedule_threshold"] == 0.85  # always the red line of the headline measure


def test_spi_reason_reads_like_a_sentence():
    row = one(assess(projects(percent_complete=0.4)))
    assert row["schedule_reason"] == "SPI 0.80 < 0.85 → red"  # the slip (0 days) is green
    assert row["earned_value"] == 400.0
    assert row["planned_value"] == 500.0


@pytest.mark.parametrize(
    ("slip_days", "rag"),
    [(0, "green"), (14, "green"), (15, "amber"), (30, "amber"), (31, "red"), (-10, "green")],
)
def test_schedule_falls_back_to_finish_slip_without_progress(slip_days, rag):
    finish = D(2027, 3, 1) + dt.timedelta(days=slip_days)
    row = one(assess(projects(percent_complete=None, forecast_finish=finish)))
    assert row["schedule_metric"] == "SPI"  # one meaning per dimension: value is the SPI...
    assert np.isnan(row["schedule_value"])  # ...which cannot be computed here
    assert row["finish_slip_days"] == slip_days
    assert row["schedule_rag"] == rag


def test_finish_slip_reason():
    row = one(assess(projects(percent_complete=None, forecast_finish=D(2027, 4, 1))))
    assert row["schedule_reason"] == (
        "forecast finish 31 days after baseline > 30 days → red; SPI not judged: no % complete"
    )


def test_actual_finish_is_used_for_the_slip_when_finished():
    row = one(
        assess(
            projects(
                percent_complete=None, forecast_finish=D(2027, 3, 1), actual_finish=D(2027, 4, 5)
            )
        )
    )
    assert row["finish_slip_days"] == 35


def test_schedule_not_started_uses_slip():
    project = projects(start_date=D(2026, 4, 1), forecast_finish=D(2027, 3, 20))
    row = one(assess(project))
    assert row["planned_share"] == 0.0
    assert np.isnan(row["spi"])
    assert row["finish_slip_days"] == 19
    assert row["schedule_rag"] == "amber"


def test_schedule_unknown_with_reason_when_nothing_to_measure():
    row = one(assess(projects(percent_complete=None, forecast_finish=None)))
    assert pd.isna(row["schedule_rag"])
    assert row["schedule_reason"] == "unknown: no % complete; no forecast finish"
    assert np.isnan(row["schedule_value"])
    assert row["schedule_threshold"] == 0.85
    assert "schedule" in row["unknown_dimensions"]


def test_schedule_unknown_without_baseline():
    row = one(assess(projects(baseline_finish=None)))
    assert pd.isna(row["schedule_rag"])
    assert row["schedule_reason"] == "unknown: no start date or baseline finish; no baseline finish"


@pytest.mark.parametrize(
    ("budget", "rag"),
    [
        (1000.0, "green"),  # CPI 1.00
        (950.0, "green"),  # CPI exactly 0.95 = amber threshold
        (940.0, "amber"),  # CPI 0.94
        (850.0, "amber"),  # CPI exactly 0.85 = red threshold
        (840.0, "red"),  # CPI 0.84
    ],
)
def test_cost_cpi_band_edges(budget, rag):
    # EV = 0.5 x budget, AC = 500: CPI = budget / 1000.
    row = one(assess(projects(budget=budget, forecast_cost=budget)))
    assert row["cost_metric"] == "CPI"
    assert row["cost_value"] == pytest.approx(budget / 1000)
    assert row["cost_rag"] == rag
    assert row["cost_threshold"] == 0.85


def test_cpi_reason_matches_the_issue_example():
    row = one(assess(projects(budget=820.0)))
    # EAC (1000) over a budget of 820 is 22 % over: red on both measures, both named.
    assert row["cost_reason"] == "CPI 0.82 < 0.85 → red; EAC 22.0% over budget > 10.0% → red"


@pytest.mark.parametrize(
    ("forecast_cost", "rag"),
    [(900.0, "green"), (1050.0, "green"), (1051.0, "amber"), (1100.0, "amber"), (1101.0, "red")],
)
def test_cost_falls_back_to_eac_overrun_without_actual_cost(forecast_cost, rag):
    row = one(assess(projects(actual_cost=None, forecast_cost=forecast_cost)))
    assert row["cost_metric"] == "CPI"
    assert np.isnan(row["cost_value"])
    assert row["eac_overrun_pct"] == pytest.approx((forecast_cost - 1000) / 10)
    assert row["cost_rag"] == rag


def test_eac_reason_says_over_or_under():
    over = one(assess(projects(actual_cost=None, forecast_cost=1120.0)))
    under = one(assess(projects(actual_cost=None, forecast_cost=900.0)))
    assert over["cost_reason"] == (
        "EAC 12.0% over budget > 10.0% → red; CPI not judged: no actual cost"
    )
    assert under["cost_reason"] == (
        "EAC 10.0% under budget ≤ 5.0% → green; CPI not judged: no actual cost"
    )


def test_zero_actual_cost_falls_back_to_eac():
    row = one(assess(projects(actual_cost=0.0, forecast_cost=1200.0)))
    assert np.isnan(row["cpi"])
    assert row["cost_rag"] == "red"


def test_missing_budget_makes_cost_unknown_with_reason():
    row = one(assess(projects(budget=None)))
    assert pd.isna(row["cost_rag"])
    assert row["cost_reason"] == "unknown: no budget"
    assert np.isnan(row["cost_value"])
    # SPI does not need the budget (it cancels out of EV / PV).
    assert row["schedule_rag"] == "green"


def test_cost_unknown_with_budget_but_no_costs():
    row = one(assess(projects(actual_cost=None, forecast_cost=None)))
    assert pd.isna(row["cost_rag"])
    assert row["cost_reason"] == "unknown: no actual cost; no forecast cost (EAC)"


@pytest.mark.parametrize(
    ("actual_cost", "shown", "rag"),
    [
        (628.0, 0.80, "amber"),  # CPI 500/628 = 0.7962 shows as 0.80: not below 0.80
        (630.0, 0.79, "red"),  # CPI 500/630 = 0.7937 shows as 0.79
    ],
)
def test_cpi_is_compared_as_shown(actual_cost, shown, rag):
    row = one(assess(projects(actual_cost=actual_cost), thresholds=ROUNDING))
    assert row["cost_rag"] == rag
    assert row["cost_value"] == shown
    assert row["cost_reason"].startswith(f"CPI {shown:.2f} ")


def test_spi_is_compared_as_shown():
    # SPI = 0.399 / 0.5 = 0.798, shown 0.80: amber (below 0.95), not red (not below 0.80).
    row = one(assess(projects(percent_complete=0.399), thresholds=ROUNDING))
    assert row["schedule_rag"] == "amber"
    assert row["schedule_reason"].startswith("SPI 0.80 < 0.95 → amber")


@pytest.mark.parametrize(
    ("forecast_cost", "rag", "text"),
    [(1100.4, "amber", "EAC 10.0% over budget > 5.0% → amber"), (1100.6, "red", "EAC 10.1%")],
)
def test_eac_overrun_is_compared_as_shown(forecast_cost, rag, text):
    row = one(assess(projects(forecast_cost=forecast_cost)))
    assert row["cost_rag"] == rag
    assert text in row["cost_reason"]


def test_on_hold_with_unknown_pause_date_does_not_judge_spi():
    # SPI would be 0.3 / 0.5 = 0.60 (red) if planned value kept accruing while paused.
    row = one(assess(projects(stage="On Hold", percent_complete=0.3, forecast_cost=1000.0)))
    assert row["on_hold"]
    assert np.isnan(row["spi"])
    assert row["schedule_rag"] == "green"
    assert row["schedule_reason"].endswith(
        "SPI not judged: on hold since an unknown date (no planned value while paused)"
    )


def test_schedule_is_the_worse_of_spi_and_forecast_finish():
    row = one(assess(projects(forecast_finish=D(2027, 4, 10))))  # SPI 1.00, 40 days late
    assert row["schedule_rag"] == "red"
    assert row["schedule_reason"] == "forecast finish 40 days after baseline > 30 days → red"
    assert row["schedule_value"] == 1.0  # the headline measure stays the SPI
    assert row["schedule_threshold"] == 0.85


def test_cost_is_the_worse_of_cpi_and_eac():
    row = one(assess(projects(forecast_cost=1200.0)))  # CPI 1.00, EAC 20 % over
    assert row["cost_rag"] == "red"
    assert row["cost_reason"] == "EAC 20.0% over budget > 10.0% → red"
