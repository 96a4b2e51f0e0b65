"""assess_health_at_dates equals assess_health run once per date (dashboard/analytics/health.py).

The multi-date pass exists for speed only (docs/performance.md): a project page's 12-date health
history was 12 calls of ``assess_health``. Reasons hold absolute dates and counts, so the check
is exact equality of the whole frame (values, reasons, dtypes, order) with the per-date loop, on
the demo store (every project at six dates, and project histories through ``health_history``)
and on a synthetic case built to hit every date-dependent rule.
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import numpy as np
import pandas as pd
import pytest

from dashboard import config, db
from dashboard.analytics import history
from dashboard.analytics.health import assess_health
from dashboard.analytics.health_dates import HealthSnapshot, assess_health_at_dates
from dashboard.standards import HealthThresholds
from tests.conftest import DEMO_TODAY

T = pd.Timestamp
RULES = HealthThresholds()  # cadence 14 days, stale red 28; milestone slip amber 14 red 45


def per_date(snapshots: list[HealthSnapshot], reports: pd.DataFrame, rules) -> pd.DataFrame:
    """The reference: one ``assess_health`` per date, concatenated."""
    return pd.concat(
        [
            assess_health(
                s.projects,
                reports,
                s.milestones,
                s.raid,
                rules,
                as_of=s.as_of,
                work_items=s.work_items,
            )
            for s in snapshots
        ],
        ignore_index=True,
    )


def reference_history(project, reports, milestones, raid, rules, dates, work_items=None):
    """``health_history`` as it was before the one-pass computation (a loop over dates)."""
    open_rules = dataclasses.replace(rules, closed_stages=())
    earliest = history.earliest_state(project)
    snapshots = []
    for stamp in sorted({T(d) for d in dates}):
        register = history.rows_as_of(project, stamp)
        snapshots.append(
            HealthSnapshot(
                as_of=stamp,
                projects=register if len(register) else earliest,
                milestones=history.rows_as_of(milestones, stamp),
                raid=history.rows_as_of(raid, stamp),
                work_items=None if work_items is None else history.rows_as_of(work_items, stamp),
            )
        )
    return per_date(snapshots, reports, open_rules)


# -- synthetic ------------------------------------------------------------------------------


def synthetic() -> tuple[list[HealthSnapshot], pd.DataFrame]:
    """Three projects whose health changes between the dates for date-dependent reasons."""
    projects, milestones, raid = synthetic_register(), synthetic_milestones(), synthetic_raid()
    work_items = synthetic_work_items()
    dates = [T("2026-03-15"), T("2026-05-04"), T("2026-05-31"), T("2026-06-30"), T("2026-09-30")]
    snapshots = [
        HealthSnapshot(
            as_of=d,
            projects=projects,
            # Milestones and RAID as known then: R2 was logged with its raising.
            milestones=milestones,
            raid=raid if d >= T("2026-06-01") else raid.iloc[[0, 2, 3]],
            # Work items arrived with the June load: earlier dates have none.
            work_items=work_items if d >= T("2026-06-01") else None,
        )
        for d in dates
    ]
    return snapshots, synthetic_reports()


def synthetic_register() -> pd.DataFrame:
    """A, B (on hold), C (no budget, work items only) and D (closed)."""
    return pd.DataFrame(
        {
            "project_id": ["A", "B", "C", "D"],
            "name": ["Alpha", "Beta", "Gamma", "Delta"],
            "division": ["Ops", "IT", "IT", "Ops"],
            "stage": ["Execution", "On hold", "Execution", "Closed"],
            "start_date": [T("2026-01-01"), T("2026-02-01"), T("2026-05-20"), T("2025-01-01")],
            "baseline_finish": [T("2026-12-31"), T("2026-10-01"), T("2027-05-01"), pd.NaT],
            "forecast_finish": [T("2027-02-15"), pd.NaT, T("2027-05-01"), pd.NaT],
            "budget": [1000.0, 500.0, np.nan, 100.0],
            "actual_cost": [400.0, 100.0, np.nan, 90.0],
            "forecast_cost": [1150.0, 480.0, np.nan, 95.0],
            "percent_complete": [0.3, 0.2, np.nan, 1.0],
            "reported_rag": ["green", "amber", None, "green"],
            # B's register row was loaded on 2026-05-10: a report before it loses to it.
            "valid_from": [T("2026-01-01"), T("2026-05-10"), T("2026-01-01"), T("2026-01-01")],
            "on_hold_since": [pd.NaT, T("2026-04-01"), pd.NaT, pd.NaT],
        }
    )


def synthetic_reports() -> pd.DataFrame:
    """A's and B's reports, with a tie, an undated one and an unknown project."""
    return pd.DataFrame(
        {
            "project_id": ["A", "A", "A", "A", "B", "B", "Z"],
            "report_date": [
                T("2026-03-02"),
                T("2026-05-04"),
                T("2026-05-04"),  # a tie: the first row of the day wins
                T("2026-06-29"),
                T("2026-04-20"),
                pd.NaT,  # no date: ignored
                T("2026-04-01"),  # a project not in the register
            ],
            "overall_rag": ["green", "amber", "red", "green", "green", "red", "red"],
            "percent_complete": [0.1, 0.25, 0.9, 0.5, 0.3, 0.9, 0.1],
            "actual_cost": [100.0, 300.0, 900.0, 450.0, np.nan, 1.0, 1.0],
            "forecast_finish": [pd.NaT, T("2027-03-01"), pd.NaT, pd.NaT, pd.NaT, pd.NaT, pd.NaT],
            "forecast_cost": [np.nan, 1300.0, np.nan, 1010.0, np.nan, np.nan, np.nan],
        }
    )


def synthetic_milestones() -> pd.DataFrame:
    """Milestones of A and B (and of a project not in the register)."""
    return pd.DataFrame(
        {
            "project_id": ["A", "A", "A", "B", "Z"],
            "milestone": ["Design", "Build", "Test", "Pilot", "Ghost"],
            "baseline_date": [
                T("2026-03-01"),
                T("2026-05-01"),
                T("2026-09-01"),
                T("2026-04-15"),
                T("2026-01-01"),
            ],
            "forecast_date": [pd.NaT, T("2026-06-15"), pd.NaT, pd.NaT, pd.NaT],
            # Design never got an actual date but Build did: a data gap once Build is achieved.
            "actual_date": [pd.NaT, T("2026-06-10"), pd.NaT, pd.NaT, pd.NaT],
        }
    )


def synthetic_raid() -> pd.DataFrame:
    """Critical and high items of A and C, one past its due date."""
    return pd.DataFrame(
        {
            "raid_id": ["R1", "R2", "R3", "R4"],
            "project_id": ["A", "A", "C", "C"],
            "raid_type": ["risk", "issue", "issue", "risk"],
            "severity": ["critical", "high", "critical", "high"],
            "status": ["open", "open", "open", "closed"],
            "raised_date": [T("2026-02-01"), T("2026-06-01"), T("2026-05-25"), T("2026-05-25")],
            "due_date": [T("2026-05-15"), pd.NaT, T("2026-07-01"), pd.NaT],
        }
    )


def synthetic_work_items() -> pd.DataFrame:
    """C has no milestone rows: its work items flagged as milestones stand in."""
    # 1 of 2 tasks done.
    return pd.DataFrame(
        {
            "project_id": ["C", "C", "C"],
            "name": ["Kick-off", "Task 1", "Task 2"],
            "status_category": ["todo", "done", "doing"],
            "is_milestone": [True, False, False],
            "finish_date": [T("2026-06-10"), T("2026-06-01"), T("2026-07-01")],
            "baseline_finish": [T("2026-06-01"), pd.NaT, pd.NaT],
        }
    )


def test_synthetic_case_equals_the_per_date_loop() -> None:
    snapshots, reports = synthetic()
    expected = per_date(snapshots, reports, RULES)
    got = assess_health_at_dates(snapshots, reports, RULES)
    pd.testing.assert_frame_equal(got, expected)
    # The case is not trivial: health and its reasons move between the dates.
    b = got.loc[got["project_id"] == "B"]
    assert list(b["overall"]) == ["red", "green", "amber", "red", "red"]
    a = got.loc[got["project_id"] == "A"]
    assert len(set(a["overall_reason"])) == len(a)
    # D is closed: left out at every date, as assess_health does; 3 open projects x 5 dates.
    assert len(got) == 15 and "D" not in set(got["project_id"])


def test_synthetic_reasons_and_values_by_hand() -> None:
    snapshots, reports = synthetic()
    got = assess_health_at_dates(snapshots, reports, RULES).set_index(["project_id", "as_of"])
    # A on 2026-05-04: of the two reports that day the first (amber, 25 %) is the latest.
    row = got.loc[("A", T("2026-05-04"))]
    assert row["reported_rag"] == "amber" and row["percent_complete"] == 0.25
    assert row["days_since_report"] == 0
    # A on 2026-05-31: 27 days after its 05-04 report -> staleness amber (> 14, <= 28).
    assert got.loc[("A", T("2026-05-31")), "staleness_reason"] == (
        "last report 27 days old > 14 days → amber"
    )
    # Critical risk R1 due 2026-05-15: not overdue on 05-04, overdue on 05-31.
    assert got.loc[("A", T("2026-05-04")), "raid_overdue_critical"] == 0
    assert got.loc[("A", T("2026-05-31")), "raid_overdue_critical"] == 1
    # B: its 04-20 report is older than the register row loaded 05-10, so from 05-10 the
    # register's amber wins; on 05-04 the register row's date is ahead (no date) -> report.
    assert got.loc[("B", T("2026-05-04")), "reported_source"] == "status_report"
    assert got.loc[("B", T("2026-05-31")), "reported_source"] == "register"
    # C: the work-item milestone counts only from the June snapshot (1 overdue on 06-30:
    # forecast 06-10 passed, slip 06-30 - 06-01 = 29 days); progress from tasks: 1 of 2 done.
    assert got.loc[("C", T("2026-05-31")), "milestones_total"] == 0
    assert got.loc[("C", T("2026-06-30")), "milestones_overdue"] == 1
    assert got.loc[("C", T("2026-06-30")), "milestone_worst_slip_days"] == 29
    assert got.loc[("C", T("2026-06-30")), "progress_source"] == "work_items"


def test_one_snapshot_equals_assess_health() -> None:
    snapshots, reports = synthetic()
    one = snapshots[2]
    expected = assess_health(
        one.projects, reports, one.milestones, one.raid, RULES, as_of=one.as_of
    )
    pd.testing.assert_frame_equal(
        assess_health_at_dates([dataclasses.replace(one, work_items=None)], reports, RULES),
        expected,
    )


def test_history_of_a_versioned_project_equals_the_loop() -> None:
    snapshots, reports = synthetic()
    base = snapshots[0].projects.iloc[[0]].drop(columns="valid_from")
    # Two register versions: budget raised on 2026-05-01.
    project = pd.concat([base, base.assign(budget=1500.0)], ignore_index=True).assign(
        valid_from=[T("2026-02-01"), T("2026-05-01")],
        valid_to=[T("2026-05-01"), pd.NaT],
        first_state=[False, False],
    )
    milestones = snapshots[0].milestones.assign(valid_from=T("2026-01-01"), valid_to=pd.NaT)
    raid = snapshots[-1].raid.assign(
        valid_from=[T("2026-01-01"), T("2026-06-01"), T("2026-01-01"), T("2026-01-01")],
        valid_to=pd.NaT,
    )
    dates = [T("2026-01-15"), T("2026-03-02"), T("2026-05-04"), T("2026-06-30")]
    a_reports = reports.loc[reports["project_id"] == "A"]
    got = history.health_history(project, a_reports, milestones, raid, RULES, dates=dates)
    expected = reference_history(project, a_reports, milestones, raid, RULES, dates)
    pd.testing.assert_frame_equal(got, expected)
    # Before the register knew it (2026-01-15) its earliest row stands in (budget 1000).
    assert list(got["budget"]) == [1000.0, 1000.0, 1500.0, 1500.0]


def test_no_snapshots_is_a_clear_error() -> None:
    _, reports = synthetic()
    with pytest.raises(ValueError, match="at least one snapshot"):
        assess_health_at_dates([], reports, RULES)


# -- demo store -----------------------------------------------------------------------------


@pytest.fixture
def demo(app_settings):
    with db.snapshot() as snap:
        yield snap


def test_demo_portfolio_at_six_dates_equals_the_loop(demo) -> None:
    rules = config.get_standards().health
    dates = [DEMO_TODAY - timedelta(days=d) for d in (0, 14, 31, 61, 92, 180)]
    snapshots = [
        HealthSnapshot(
            as_of=d,
            projects=demo.projects(d),
            milestones=demo.milestones(d),
            raid=demo.raid(d),
            work_items=demo.work_items(d),
        )
        for d in dates
    ]
    reports = demo.status_reports(DEMO_TODAY)
    expected = per_date(snapshots, reports, rules)
    got = assess_health_at_dates(snapshots, reports, rules)
    pd.testing.assert_frame_equal(got, expected)
    assert len(got) > 6 * 100 and got["overall"].nunique() == 3


def test_demo_project_histories_equal_the_loop(demo) -> None:
    rules = config.get_standards().health
    ids = sorted(demo.projects(DEMO_TODAY)["project_id"])
    with_items = set(demo.work_items(DEMO_TODAY)["project_id"])
    # Every 15th project, and one with work items when the demo has any.
    chosen = ids[::15] + sorted(with_items)[:1]
    assert len(chosen) >= 10
    for pid in chosen:
        register = demo.project_versions("projects", pid)
        reports = demo.status_reports(DEMO_TODAY, pid)
        milestones = demo.project_versions("milestones", pid)
        raid = demo.project_versions("raid", pid)
        items = demo.project_versions("work_items", pid)
        items = items if len(items) else None
        dates = history.history_dates(reports["report_date"], as_of=DEMO_TODAY)
        got = history.health_history(
            register, reports, milestones, raid, rules, dates=dates, work_items=items
        )
        expected = reference_history(register, reports, milestones, raid, rules, dates, items)
        pd.testing.assert_frame_equal(got, expected, obj=pid)
        assert len(got) == len(dates)
