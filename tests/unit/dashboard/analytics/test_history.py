"""Unit tests of dashboard.analytics.history (one project over time) - no browser, no database.

Every expected number is worked out by hand in the comment beside it.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashboard.analytics import history
from tests.unit.dashboard.analytics.history_cases import (
    THRESHOLDS,
    T,
    project,
    reports,
    versions,
)


def no_milestones() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "project_id": pd.Series(dtype="str"),
            "milestone": pd.Series(dtype="str"),
            "baseline_date": pd.Series(dtype="datetime64[ns]"),
            "forecast_date": pd.Series(dtype="datetime64[ns]"),
            "actual_date": pd.Series(dtype="datetime64[ns]"),
        }
    )


def raid(*rows: dict) -> pd.DataFrame:
    base = {
        "raid_id": "R",
        "project_id": "P1",
        "raid_type": "risk",
        "severity": "low",
        "status": "open",
        "raised_date": pd.NaT,
        "due_date": pd.NaT,
    }
    if not rows:
        return pd.DataFrame({k: pd.Series(dtype="object") for k in base})
    return pd.DataFrame([{**base, **r} for r in rows])


def versioned_rows() -> pd.DataFrame:
    frame = pd.DataFrame({"project_id": ["P1", "P1"], "budget": [100.0, 200.0]})
    # A: the table's first state (loaded 2026-05-01), replaced on 2026-07-01 by B.
    return versions(frame, [("2026-05-01", "2026-07-01", True), ("2026-07-01", None, False)])


@pytest.mark.parametrize(
    ("as_of", "budgets"),
    [
        ("2026-01-01", [100.0]),  # before the first load: the first state stands in
        ("2026-06-30", [100.0]),
        ("2026-07-01", [200.0]),  # valid_to is exclusive, valid_from inclusive
        ("2027-01-01", [200.0]),
    ],
)
def test_rows_as_of_follows_the_read_side_rule(as_of, budgets):
    assert history.rows_as_of(versioned_rows(), date.fromisoformat(as_of))["budget"].tolist() == (
        budgets
    )


def test_rows_as_of_without_first_state_has_nothing_before_the_first_load():
    frame = versioned_rows().drop(columns="first_state")
    assert history.rows_as_of(frame, date(2026, 1, 1)).empty


def test_rows_as_of_takes_an_unversioned_frame_whole():
    frame = pd.DataFrame({"budget": [1.0, 2.0]})
    assert history.rows_as_of(frame, date(2026, 1, 1))["budget"].tolist() == [1.0, 2.0]


def test_rows_as_of_does_not_mutate_input():
    frame = versioned_rows()
    before = frame.copy()
    history.rows_as_of(frame, date(2026, 6, 1))
    pd.testing.assert_frame_equal(frame, before)


def test_history_dates_drops_future_and_duplicate_dates_then_ends_on_as_of():
    dates = history.history_dates(
        [T("2026-03-01"), T("2026-01-01"), T("2026-03-01"), None, T("2026-12-01")],
        as_of=date(2026, 6, 1),
    )
    assert dates == [T("2026-01-01"), T("2026-03-01"), T("2026-06-01")]


def test_history_dates_does_not_repeat_as_of_when_it_is_a_report_date():
    dates = history.history_dates([T("2026-06-01")], as_of=date(2026, 6, 1))
    assert dates == [T("2026-06-01")]


def test_history_dates_thins_to_max_points_keeping_first_and_latest_report():
    fortnights = pd.date_range("2025-01-03", periods=40, freq="14D")
    as_of = fortnights[-1] + pd.Timedelta(days=3)
    dates = history.history_dates(fortnights, as_of=as_of, max_points=24)
    # 23 evenly spaced report dates (first and 40th included) + as_of = 24.
    assert len(dates) == 24
    assert dates[0] == fortnights[0] and dates[-2] == fortnights[-1] and dates[-1] == as_of
    assert dates == sorted(set(dates))


def test_history_dates_for_a_closed_project_stops_at_its_reports():
    dates = history.history_dates(
        [T("2026-01-01"), T("2026-02-01"), T("2026-03-01")],
        as_of=date(2026, 6, 1),
        max_points=2,
        include_as_of=False,
    )
    assert dates == [T("2026-01-01"), T("2026-03-01")]


def test_history_dates_needs_room_for_two_points():
    with pytest.raises(ValueError, match="max_points"):
        history.history_dates([], as_of=date(2026, 6, 1), max_points=1)


def test_history_dates_does_not_mutate_input():
    given = [T("2026-03-01"), T("2026-01-01")]
    history.history_dates(given, as_of=date(2026, 6, 1))
    assert given == [T("2026-03-01"), T("2026-01-01")]


def two_reports() -> pd.DataFrame:
    return reports(("2026-03-01", 0.2, 200.0, "green"), ("2026-06-01", 0.3, 500.0, "green"))


def test_health_history_computes_each_date_beside_the_reported_rag():
    result = history.health_history(
        project(),
        two_reports(),
        no_milestones(),
        raid(),
        THRESHOLDS,
        dates=[T("2026-06-01"), T("2026-03-01"), T("2026-03-01")],
    )
    # 2026-03-01: planned share 59/304 = 0.194, SPI 0.2/0.194 = 1.03 green; CPI 200/200 = 1.
    # 2026-06-01: planned share 151/304 = 0.497, SPI 0.3/0.497 = 0.60 red; CPI 300/500 = 0.6 red.
    assert result["as_of"].tolist() == [T("2026-03-01"), T("2026-06-01")]
    assert result["overall"].astype(str).tolist() == ["green", "red"]
    assert result["reported_rag"].astype(str).tolist() == ["green", "green"]
    assert result["watermelon"].tolist() == [False, True]
    assert result["spi"].round(3).tolist() == [
        round(0.2 / (59 / 304), 3),
        round(0.3 / (151 / 304), 3),
    ]
    assert result["cpi"].tolist() == pytest.approx([1.0, 0.6])


def test_health_history_reads_register_and_raid_as_known_on_each_date():
    register = versions(
        pd.concat([project(budget=1000.0), project(budget=2000.0)], ignore_index=True),
        [("2026-05-01", "2026-07-01", True), ("2026-07-01", None, False)],
    )
    log = versions(
        raid(
            {"raid_id": "R1", "raid_type": "issue", "severity": "critical", "status": "open"},
            {"raid_id": "R1", "raid_type": "issue", "severity": "critical", "status": "closed"},
        ),
        [("2026-05-01", "2026-07-01", True), ("2026-07-01", None, False)],
    )
    result = history.health_history(
        register,
        two_reports(),
        no_milestones(),
        log,
        THRESHOLDS,
        dates=[T("2026-03-01"), T("2026-08-01")],
    )
    # Before the first load the first state (budget 1000, issue open) stands in; by August the
    # budget is 2000 and the issue is closed.
    assert result["budget"].tolist() == [1000.0, 2000.0]
    # One open critical item is amber by default (red needs two, or one past its due date).
    assert result["raid_rag"].astype(str).tolist() == ["amber", "green"]
    assert result["raid_reason"].iloc[0] == "1 open high/critical ≥ 1 → amber"


def test_health_history_assesses_a_closed_project_as_if_open():
    result = history.health_history(
        project(stage="Closed"),
        two_reports(),
        no_milestones(),
        raid(),
        THRESHOLDS,
        dates=[T("2026-03-01")],
    )
    assert result["overall"].astype(str).tolist() == ["green"]


def test_health_history_uses_the_earliest_register_row_before_the_project_was_registered():
    register = versions(project(budget=500.0), [("2026-05-01", None, False)])
    result = history.health_history(
        register, two_reports(), no_milestones(), raid(), THRESHOLDS, dates=[T("2026-03-01")]
    )
    assert result["budget"].tolist() == [500.0]


def test_health_history_without_dates_is_empty_with_the_same_columns():
    full = history.health_history(
        project(), two_reports(), no_milestones(), raid(), THRESHOLDS, dates=[T("2026-03-01")]
    )
    empty = history.health_history(
        project(), two_reports(), no_milestones(), raid(), THRESHOLDS, dates=[]
    )
    assert empty.empty and list(empty.columns) == list(full.columns)


def test_health_history_needs_exactly_one_project():
    two = pd.concat([project(), project(project_id="P2")], ignore_index=True)
    with pytest.raises(ValueError, match="exactly one project"):
        history.health_history(
            two, two_reports(), no_milestones(), raid(), THRESHOLDS, dates=[T("2026-03-01")]
        )


def test_health_history_does_not_mutate_input():
    inputs = [project(), two_reports(), no_milestones(), raid({"raid_id": "R1"})]
    before = [f.copy() for f in inputs]
    history.health_history(*inputs, THRESHOLDS, dates=[T("2026-03-01"), T("2026-06-01")])
    for frame, copy in zip(inputs, before, strict=True):
        pd.testing.assert_frame_equal(frame, copy)


def milestones() -> pd.DataFrame:
    rows = [
        ("M1", "2026-03-01", "2026-03-05", "2026-03-20"),  # achieved 19 days late
        ("M2", "2026-05-01", None, None),  # overdue: slips to as_of
        ("M3", "2026-07-01", "2026-09-01", None),  # upcoming, forecast 62 days late
        ("M4", "2026-08-01", None, None),  # upcoming, on baseline
        ("M5", "2026-01-01", "2026-02-01", None),  # overdue since February
        ("M6", "2026-05-20", "2026-06-10", "2026-06-15"),  # actual after as_of: not yet achieved
    ]
    return pd.DataFrame(
        {
            "project_id": "P1",
            "milestone": [r[0] for r in rows],
            "baseline_date": [T(r[1]) for r in rows],
            "forecast_date": [T(r[2]) if r[2] else pd.NaT for r in rows],
            "actual_date": [T(r[3]) if r[3] else pd.NaT for r in rows],
        }
    )


def test_milestone_timeline_gives_status_slip_and_rag_per_milestone():
    result = history.milestone_timeline(milestones(), THRESHOLDS, as_of=date(2026, 6, 1))
    by = result.set_index("milestone")
    assert result["milestone"].tolist() == ["M5", "M1", "M2", "M6", "M3", "M4"]  # by baseline
    assert by["status"].to_dict() == {
        "M1": "achieved",
        "M2": "overdue",
        "M3": "upcoming",
        "M4": "upcoming",
        "M5": "overdue",
        "M6": "upcoming",
    }
    # M1 20 Mar - 1 Mar = 19; M2 1 Jun - 1 May = 31; M3 1 Sep - 1 Jul = 62; M4 0;
    # M5 1 Jun - 1 Jan = 151; M6 10 Jun - 20 May = 21.
    assert by["slip_days"].to_dict() == {
        "M1": 19.0,
        "M2": 31.0,
        "M3": 62.0,
        "M4": 0.0,
        "M5": 151.0,
        "M6": 21.0,
    }
    # > 14 amber, > 45 red; overdue at least amber (M2 is 31 days: amber anyway).
    assert by["slip_rag"].astype(str).to_dict() == {
        "M1": "amber",
        "M2": "amber",
        "M3": "red",
        "M4": "green",
        "M5": "red",
        "M6": "amber",
    }
    assert by.loc["M2", "slip_to"] == T("2026-06-01")
    assert by.loc["M3", "slip_to"] == T("2026-09-01")
    assert by.loc["M1", "expected_date"] == T("2026-03-20")


def test_milestone_timeline_overdue_but_barely_late_is_amber():
    frame = milestones().iloc[[1]].assign(baseline_date=T("2026-05-25"))
    result = history.milestone_timeline(frame, THRESHOLDS, as_of=date(2026, 6, 1))
    # 7 days late would be green by slip, but an overdue milestone is at least amber.
    assert result["slip_days"].tolist() == [7.0]
    assert result["slip_rag"].astype(str).tolist() == ["amber"]


def test_milestone_timeline_falls_back_to_work_items_flagged_as_milestones():
    work_items = pd.DataFrame(
        {
            "project_id": ["P1", "P1"],
            "name": ["Go-live", "Write tests"],
            "is_milestone": [True, False],
            "status_category": ["doing", "done"],
            "finish_date": [T("2026-07-10"), T("2026-05-01")],
            "baseline_finish": [T("2026-07-01"), pd.NaT],
        }
    )
    result = history.milestone_timeline(
        milestones().iloc[0:0], THRESHOLDS, as_of=date(2026, 6, 1), work_items=work_items
    )
    assert result["milestone"].tolist() == ["Go-live"]
    assert result["status"].tolist() == ["upcoming"]
    assert result["slip_days"].tolist() == [9.0]  # forecast 10 Jul vs baseline 1 Jul


def test_milestone_timeline_does_not_mutate_input():
    frame = milestones()
    before = frame.copy()
    history.milestone_timeline(frame, THRESHOLDS, as_of=date(2026, 6, 1))
    pd.testing.assert_frame_equal(frame, before)


def raid_items() -> pd.DataFrame:
    return raid(
        {"raid_id": "R1", "severity": "low"},
        {"raid_id": "R2", "raid_type": "issue", "severity": "critical", "status": "closed"},
        {"raid_id": "R3", "severity": "high", "due_date": T("2026-05-01")},
        {
            "raid_id": "R4",
            "raid_type": "issue",
            "severity": "critical",
            "due_date": T("2026-07-01"),
        },
        {"raid_id": "R5", "severity": "High", "status": "OPEN", "due_date": T("2026-06-15")},
        {"raid_id": "R6", "severity": "critical", "raised_date": T("2026-07-01")},
        {"raid_id": "R7", "severity": "medium", "status": None},
    )


def test_raid_log_puts_open_items_first_most_severe_and_soonest_due_first():
    result = history.raid_log(raid_items(), as_of=date(2026, 6, 1))
    # R6 was raised after the as-of date; R2 is closed, so last.
    assert result["raid_id"].tolist() == ["R4", "R3", "R5", "R7", "R1", "R2"]
    assert result["is_open"].tolist() == [True, True, True, True, True, False]
    # Only R3 is open with a due date before 1 June.
    assert result.loc[result["overdue"], "raid_id"].tolist() == ["R3"]


def test_raid_log_of_an_empty_log_is_empty():
    result = history.raid_log(raid(), as_of=date(2026, 6, 1))
    assert result.empty and {"is_open", "overdue"} <= set(result.columns)


def test_raid_log_does_not_mutate_input():
    frame = raid_items()
    before = frame.copy()
    history.raid_log(frame, as_of=date(2026, 6, 1))
    pd.testing.assert_frame_equal(frame, before)
