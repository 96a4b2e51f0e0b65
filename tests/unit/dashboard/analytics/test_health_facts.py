"""Unit tests of health's effective inputs and earned-value facts - hand-computed expectations."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from tests.unit.dashboard.analytics.health_cases import (
    D,
    assess,
    fresh_report,
    milestones,
    one,
    projects,
    reports,
)


def test_latest_report_overrides_register_field_by_field():
    status = reports(
        {
            "project_id": "P1",
            "report_date": D(2026, 1, 1),
            "overall_rag": "red",
            "actual_cost": 1.0,
        },
        {
            "project_id": "P1",
            "report_date": D(2026, 2, 22),
            "overall_rag": "amber",
            "percent_complete": 0.4,
            "forecast_cost": 1200.0,
        },
        {"project_id": "P1", "report_date": D(2026, 3, 2), "overall_rag": "green"},
    )
    row = one(assess(status=status))
    assert row["percent_complete"] == 0.4  # from the latest report
    assert row["progress_source"] == "status_report"
    assert row["actual_cost"] == 500.0  # latest report has none: register (not the older report)
    assert row["forecast_cost"] == 1200.0
    assert row["reported_rag"] == "amber"  # the report after AS_OF is ignored
    assert row["last_report_date"] == pd.Timestamp(2026, 2, 22)


def test_reported_rag_falls_back_to_register():
    row = one(assess(projects(reported_rag="Amber"), status=reports()))
    assert row["reported_rag"] == "amber"
    assert row["reported_source"] == "register"


def test_progress_and_milestones_derived_from_work_items():
    items = pd.DataFrame(
        {
            "project_id": ["P1"] * 5,
            "item_id": ["1", "2", "3", "4", "5"],
            "status_category": ["done", "done", "doing", "todo", "todo"],
            "is_milestone": [False, False, False, False, True],
            "finish_date": [None, None, None, None, D(2026, 2, 1)],
            "baseline_finish": [None, None, None, None, D(2026, 1, 20)],
        }
    )
    empty = milestones().iloc[0:0]
    row = one(assess(projects(percent_complete=None), miles=empty, work_items=items))
    assert row["percent_complete"] == 0.5  # 2 done of 4 non-milestone items
    assert row["progress_source"] == "work_items"
    assert row["milestones_total"] == 1
    assert row["milestones_overdue"] == 1
    assert row["milestone_worst_slip_days"] == 40  # 20 Jan -> 1 Mar


def test_reported_progress_beats_work_items():
    items = pd.DataFrame(
        {"project_id": ["P1"], "status_category": ["todo"], "is_milestone": [False]}
    )
    row = one(assess(work_items=items))
    assert row["percent_complete"] == 0.5
    assert row["progress_source"] == "register"


def test_too_early_for_earned_value_judges_on_forecasts_only():
    # 9 of 365 planned days elapsed (2 %) < 10 %: 0 % complete is no verdict on day 9.
    project = projects(
        start_date=D(2026, 2, 20),
        baseline_finish=D(2027, 2, 20),
        forecast_finish=D(2027, 2, 20),
        percent_complete=0.0,
        actual_cost=50.0,
    )
    row = one(assess(project))
    assert np.isnan(row["spi"])
    assert np.isnan(row["cpi"])
    assert row["evm_too_early"]
    why = "too early for earned value (2% of the planned duration elapsed < 10%)"
    assert row["schedule_rag"] == "green"
    assert row["schedule_reason"] == (
        f"forecast finish 0 days after baseline ≤ 14 days → green; SPI not judged: {why}"
    )
    assert row["cost_rag"] == "green"
    assert row["cost_reason"].endswith("CPI not judged: too early for earned value")
    assert not row["watermelon"]


def test_too_early_without_a_forecast_is_unknown_not_red():
    project = projects(
        start_date=D(2026, 2, 20),
        baseline_finish=D(2027, 2, 20),
        forecast_finish=None,
        percent_complete=0.0,
    )
    row = one(assess(project))
    assert pd.isna(row["schedule_rag"])
    assert row["schedule_reason"] == (
        "unknown: too early for earned value (2% of the planned duration elapsed < 10%); "
        "no forecast finish"
    )


@pytest.mark.parametrize(("start", "judged"), [(D(2026, 2, 19), True), (D(2026, 2, 20), False)])
def test_earned_value_threshold_edge(start, judged):
    # 100-day plan: 10 days elapsed = 10 % (judged), 9 days = 9 % (not yet).
    project = projects(
        start_date=start,
        baseline_finish=start + dt.timedelta(days=100),
        forecast_finish=start + dt.timedelta(days=100),
        percent_complete=0.0,
    )
    row = one(assess(project))
    assert (row["spi"] == 0.0) if judged else np.isnan(row["spi"])
    assert row["schedule_rag"] == ("red" if judged else "green")


def test_on_hold_planned_value_stops_at_the_pause_date():
    # Paused on 1 Sep 2025: 184 of 730 days had elapsed, so PV share = 0.2521, not 0.5.
    project = projects(stage="ON HOLD", percent_complete=0.25, on_hold_since=D(2025, 9, 1))
    row = one(assess(project))
    assert row["planned_share"] == pytest.approx(184 / 730)
    assert row["spi"] == pytest.approx(0.25 / (184 / 730))
    assert row["schedule_rag"] == "green"  # SPI 0.99
    running = one(assess(projects(percent_complete=0.25)))
    assert running["schedule_rag"] == "red"  # the same numbers while running: SPI 0.50


@pytest.mark.parametrize(
    ("register_date", "percent_complete", "source", "reported"),
    [
        (D(2026, 2, 25), 0.5, "register", "amber"),  # register loaded after the 22 Feb report
        (D(2026, 2, 22), 0.4, "status_report", "green"),  # same day: the report wins
        (D(2026, 2, 1), 0.4, "status_report", "green"),  # report newer
        (D(2026, 3, 10), 0.4, "status_report", "green"),  # stand-in from after as_of: undated
    ],
)
def test_newest_source_wins(register_date, percent_complete, source, reported):
    project = projects(valid_from=register_date, reported_rag="amber")
    status = fresh_report(percent_complete=0.4, actual_cost=400.0)
    row = one(assess(project, status=status))
    assert row["percent_complete"] == percent_complete
    assert row["actual_cost"] == (500.0 if source == "register" else 400.0)
    assert row["progress_source"] == source
    assert row["reported_rag"] == reported
