"""Unit tests of computed project health - hand-computed expectations, no database."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from dashboard.analytics.health import (
    assess_health,
    health_trend,
    latest_status,
    milestone_findings,
    summarise_portfolio,
)
from dashboard.analytics.rag import RAG_DTYPE
from dashboard.standards import HealthThresholds

D = dt.date
AS_OF = D(2026, 3, 1)
# Explicit thresholds so the tests do not move when pmo.toml is tuned.
T = HealthThresholds(
    cadence_days=14,
    stale_red_days=42,
    closed_stages=("closed", "cancelled"),
    spi_amber=0.95,
    spi_red=0.85,
    cpi_amber=0.95,
    cpi_red=0.85,
    eac_overrun_amber_pct=5.0,
    eac_overrun_red_pct=10.0,
    finish_slip_amber_days=14,
    finish_slip_red_days=30,
    milestone_slip_amber_days=7,
    milestone_slip_red_days=30,
    milestone_overdue_red=1,
    raid_amber_open_high=1,
    raid_red_open_high=3,
    raid_red_open_critical=1,
)


def projects(**overrides) -> pd.DataFrame:
    """One all-green project at AS_OF: planned share 0.5, SPI 1.0, CPI 1.0, EAC = budget."""
    row = {
        "project_id": "P1",
        "name": "Alpha",
        "division": "Ops",
        "stage": "Delivery",
        "start_date": D(2025, 3, 1),
        "baseline_finish": D(2027, 3, 1),  # 730 days: on AS_OF 365 have elapsed = 0.5
        "forecast_finish": D(2027, 3, 1),
        "actual_finish": None,
        "budget": 1000.0,
        "actual_cost": 500.0,
        "forecast_cost": 1000.0,
        "percent_complete": 0.5,
        "reported_rag": "green",
    }
    row.update(overrides)
    return pd.DataFrame([row])


def reports(*rows: dict) -> pd.DataFrame:
    columns = [
        "project_id",
        "report_date",
        "overall_rag",
        "percent_complete",
        "actual_cost",
        "forecast_finish",
        "forecast_cost",
    ]
    base = dict.fromkeys(columns)
    return pd.DataFrame([{**base, **r} for r in rows], columns=columns)


def fresh_report(**overrides) -> pd.DataFrame:
    return reports(
        {"project_id": "P1", "report_date": D(2026, 2, 22), "overall_rag": "green", **overrides}
    )


def milestones(*rows: tuple) -> pd.DataFrame:
    return pd.DataFrame(
        rows or [("P1", "Design", D(2026, 6, 1), D(2026, 6, 1), None)],
        columns=["project_id", "milestone", "baseline_date", "forecast_date", "actual_date"],
    )


def raid(*rows: tuple) -> pd.DataFrame:
    return pd.DataFrame(
        list(rows),
        columns=["raid_id", "project_id", "raid_type", "severity", "status", "raised_date"],
    )


def assess(
    project: pd.DataFrame | None = None,
    status: pd.DataFrame | None = None,
    miles: pd.DataFrame | None = None,
    risks: pd.DataFrame | None = None,
    thresholds: HealthThresholds = T,
    as_of: dt.date = AS_OF,
    **kwargs,
) -> pd.DataFrame:
    return assess_health(
        projects() if project is None else project,
        fresh_report() if status is None else status,
        milestones() if miles is None else miles,
        raid() if risks is None else risks,
        thresholds,
        as_of=as_of,
        **kwargs,
    )


def one(frame: pd.DataFrame) -> pd.Series:
    assert len(frame) == 1
    return frame.iloc[0]


def test_healthy_project_is_green_on_every_dimension():
    row = one(assess())
    for dim in ("schedule", "cost", "milestones", "raid", "staleness"):
        assert row[f"{dim}_rag"] == "green", dim
    assert row["overall"] == "green"
    assert row["spi"] == 1.0
    assert row["cpi"] == 1.0
    assert row["schedule_reason"] == (
        "SPI 1.00 ≥ 0.95 → green; forecast finish 0 days after baseline ≤ 14 days → green"
    )
    assert row["cost_reason"] == "CPI 1.00 ≥ 0.95 → green; EAC 0.0% over budget ≤ 5.0% → green"
    assert row["unknown_dimensions"] == ""
    assert not row["watermelon"]


def test_output_columns_and_dtypes():
    result = assess()
    for dim in ("schedule", "cost", "milestones", "raid", "staleness"):
        for suffix in ("rag", "value", "threshold", "metric", "reason"):
            assert f"{dim}_{suffix}" in result.columns
        assert result[f"{dim}_rag"].dtype == RAG_DTYPE
    assert result["overall"].dtype == RAG_DTYPE
    assert result["reported_rag"].dtype == RAG_DTYPE
    assert result["watermelon"].dtype == bool
    assert result["stale"].dtype == bool


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
    ("forecast", "rag", "value"),
    [
        (D(2026, 6, 1), "green", 0),
        (D(2026, 6, 8), "green", 7),  # exactly the amber threshold
        (D(2026, 6, 9), "amber", 8),
        (D(2026, 7, 1), "amber", 30),  # exactly the red threshold
        (D(2026, 7, 2), "red", 31),
    ],
)
def test_milestone_slip_band_edges(forecast, rag, value):
    row = one(assess(miles=milestones(("P1", "Go live", D(2026, 6, 1), forecast, None))))
    assert row["milestones_metric"] == "worst milestone slip (days)"
    assert row["milestones_value"] == value
    assert row["milestones_rag"] == rag


def test_overdue_milestone_is_red_and_slip_runs_to_as_of():
    miles = milestones(("P1", "Design", D(2026, 2, 1), None, None))
    row = one(assess(miles=miles))
    assert row["milestones_overdue"] == 1
    assert row["milestone_worst_slip_days"] == 28  # 1 Feb -> 1 Mar
    assert row["milestones_rag"] == "red"
    assert row["milestones_reason"] == "1 overdue milestone(s) ≥ 1 → red"


def test_one_overdue_milestone_is_amber_when_red_needs_two():
    miles = milestones(("P1", "Design", D(2026, 2, 25), None, None))
    row = one(assess(miles=miles, thresholds=HealthThresholds(milestone_overdue_red=2)))
    assert row["milestones_rag"] == "amber"
    assert row["milestones_overdue"] == 1
    assert row["milestones_reason"] == "1 overdue milestone(s) ≥ 1 → amber"


def test_milestone_due_on_as_of_is_not_overdue():
    row = one(assess(miles=milestones(("P1", "Design", AS_OF, None, None))))
    assert row["milestones_overdue"] == 0
    assert row["milestones_rag"] == "green"


def test_achieved_milestones_do_not_count_even_if_late():
    miles = milestones(("P1", "Design", D(2025, 6, 1), D(2025, 9, 1), D(2025, 10, 1)))
    row = one(assess(miles=miles))
    assert row["milestones_rag"] == "green"
    assert row["milestones_reason"] == "all milestones achieved → green"


def test_milestone_achieved_after_as_of_is_still_open():
    miles = milestones(("P1", "Design", D(2026, 2, 1), None, D(2026, 3, 5)))
    row = one(assess(miles=miles))
    assert row["milestones_overdue"] == 1


def test_no_milestones_is_unknown():
    empty = milestones().iloc[0:0]
    row = one(assess(miles=empty))
    assert pd.isna(row["milestones_rag"])
    assert row["milestones_reason"] == "unknown: no milestones"


@pytest.mark.parametrize(
    ("items", "rag", "critical"),
    [
        ([], "green", 0),
        ([("R1", "P1", "risk", "high", "open", D(2026, 1, 1))], "amber", 0),
        (
            [("R1", "P1", "risk", "high", "open", None)] * 2
            + [("R3", "P1", "issue", "high", "Open", D(2026, 1, 1))],
            "red",
            0,
        ),
        ([("R1", "P1", "issue", "critical", "open", D(2026, 1, 1))], "red", 1),
        ([("R1", "P1", "risk", "high", "closed", D(2026, 1, 1))], "green", 0),
        ([("R1", "P1", "risk", "medium", "open", D(2026, 1, 1))], "green", 0),
        ([("R1", "P1", "assumption", "high", "open", None)], "green", 0),
        ([("R1", "P1", "risk", "high", "open", D(2026, 3, 2))], "green", 0),
        ([("R1", "P1", "risk", "high", None, None)], "amber", 0),
    ],
)
def test_raid_rules(items, rag, critical):
    row = one(assess(risks=raid(*items)))
    assert row["raid_rag"] == rag
    assert row["raid_metric"] == "open critical"  # one meaning: value = open critical items
    assert row["raid_value"] == critical
    assert row["raid_threshold"] == 1


def test_raid_reason():
    row = one(assess(risks=raid(("R1", "P1", "issue", "critical", "open", None))))
    assert row["raid_reason"] == "1 open critical ≥ 1 → red"


@pytest.mark.parametrize(
    ("report_date", "rag", "stale"),
    [
        (D(2026, 2, 22), "green", False),
        (D(2026, 2, 15), "green", False),  # exactly cadence (14) days
        (D(2026, 2, 14), "amber", True),  # 15 days
        (D(2026, 1, 18), "amber", True),  # exactly 42 days
        (D(2026, 1, 17), "red", True),  # 43 days
    ],
)
def test_staleness_band_edges(report_date, rag, stale):
    row = one(assess(status=fresh_report(report_date=report_date)))
    assert row["days_since_report"] == (AS_OF - report_date).days
    assert row["staleness_rag"] == rag
    assert row["stale"] == stale


def test_no_status_report_is_red_and_stale():
    row = one(assess(status=reports()))
    assert row["staleness_rag"] == "red"
    assert row["staleness_reason"] == "no status report received → red"
    assert row["stale"]
    assert np.isnan(row["days_since_report"])


def test_first_report_not_due_yet_is_unknown_not_green():
    # Started 9 days before AS_OF with a 14-day cadence: the first report is due 6 March.
    row = one(assess(projects(start_date=D(2026, 2, 20)), status=reports()))
    assert pd.isna(row["staleness_rag"])
    assert row["staleness_reason"] == (
        "unknown: no status report yet; the first is due by 2026-03-06"
    )
    assert not row["stale"]
    assert row["first_report_due"]
    assert "staleness" in row["unknown_dimensions"]


def test_first_report_due_exactly_at_cadence_is_still_unknown_then_red_a_day_later():
    on_day = one(assess(projects(start_date=D(2026, 2, 15)), status=reports()))
    after = one(assess(projects(start_date=D(2026, 2, 14)), status=reports()))
    assert pd.isna(on_day["staleness_rag"])  # 14 days after start: due today, not late
    assert after["staleness_rag"] == "red"  # 15 days: late
    assert after["staleness_reason"] == "no status report received → red"


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


@pytest.mark.parametrize(
    ("reported", "budget", "watermelon"),
    [
        ("green", 800.0, True),  # computed red (CPI 0.80)
        ("amber", 800.0, True),
        ("red", 800.0, False),
        ("green", 900.0, False),  # computed amber only
        (None, 800.0, False),
    ],
)
def test_watermelon_flag(reported, budget, watermelon):
    status = fresh_report(overall_rag=reported)
    project = projects(budget=budget, forecast_cost=budget, reported_rag=None)
    row = one(assess(project, status=status))
    assert row["watermelon"] == watermelon


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


def test_closed_projects_are_left_out():
    register = pd.concat(
        [
            projects(),
            projects(project_id="P2", stage="Closed"),
            projects(project_id="P3", stage=None),
        ],
        ignore_index=True,
    )
    result = assess(register)
    assert result["project_id"].tolist() == ["P1", "P3"]


def test_overall_is_worst_known_dimension_with_reasons():
    row = one(assess(projects(budget=800.0), status=fresh_report(report_date=D(2026, 2, 1))))
    assert row["cost_rag"] == "red"
    assert row["staleness_rag"] == "amber"
    assert row["overall"] == "red"
    assert row["overall_reason"] == (
        "cost: CPI 0.80 < 0.85 → red; EAC 25.0% over budget > 10.0% → red"
    )


def test_overall_ignores_unknown_dimensions():
    row = one(assess(projects(budget=None)))
    assert pd.isna(row["cost_rag"])
    assert row["overall"] == "green"
    assert row["unknown_dimensions"] == "cost"


def test_project_with_no_data_is_red_for_missing_report():
    bare = projects(
        start_date=None,
        baseline_finish=None,
        forecast_finish=None,
        budget=None,
        actual_cost=None,
        forecast_cost=None,
        percent_complete=None,
        reported_rag=None,
    )
    row = one(assess(bare, status=reports(), miles=milestones().iloc[0:0]))
    assert row["unknown_dimensions"] == "schedule, cost, milestones"
    assert row["overall"] == "red"


def test_object_dates_and_datetime64_give_the_same_result():
    as_objects = assess()
    frame = projects()
    for column in ("start_date", "baseline_finish", "forecast_finish"):
        frame[column] = pd.to_datetime(frame[column])
    as_datetimes = assess(frame)
    pd.testing.assert_series_equal(as_objects["overall"], as_datetimes["overall"])
    pd.testing.assert_series_equal(as_objects["spi"], as_datetimes["spi"])


def test_missing_columns_are_listed():
    with pytest.raises(ValueError, match="assess_health: missing required columns: budget, stage"):
        assess(projects().drop(columns=["budget", "stage"]))


def test_as_of_is_required():
    with pytest.raises(ValueError, match="as_of is required"):
        assess(as_of=None)


def test_assess_health_does_not_mutate_input():
    inputs = (
        projects(),
        fresh_report(),
        milestones(),
        raid(("R1", "P1", "risk", "high", "open", None)),
    )
    copies = [frame.copy() for frame in inputs]
    assess_health(*inputs, T, as_of=AS_OF)
    for frame, copy in zip(inputs, copies, strict=True):
        pd.testing.assert_frame_equal(frame, copy)


# latest_status -------------------------------------------------------------------------------


def test_latest_status_picks_newest_report_on_or_before_as_of():
    status = reports(
        {"project_id": "P2", "report_date": D(2026, 2, 1), "overall_rag": "red"},
        {"project_id": "P1", "report_date": D(2026, 2, 1), "overall_rag": "red"},
        {"project_id": "P1", "report_date": D(2026, 3, 1), "overall_rag": "green"},
        {"project_id": "P1", "report_date": D(2026, 3, 2), "overall_rag": "amber"},
        {"project_id": "P3", "report_date": None, "overall_rag": "amber"},
    )
    latest = latest_status(status, AS_OF)
    assert latest["project_id"].tolist() == ["P1", "P2"]
    assert latest["overall_rag"].tolist() == ["green", "red"]
    assert latest["report_date"].tolist() == [pd.Timestamp(2026, 3, 1), pd.Timestamp(2026, 2, 1)]


def test_latest_status_tie_keeps_first_row():
    status = reports(
        {"project_id": "P1", "report_date": D(2026, 2, 1), "overall_rag": "red"},
        {"project_id": "P1", "report_date": D(2026, 2, 1), "overall_rag": "green"},
    )
    assert latest_status(status, AS_OF)["overall_rag"].tolist() == ["red"]


def test_latest_status_with_nothing_reported_yet():
    status = reports({"project_id": "P1", "report_date": D(2026, 4, 1), "overall_rag": "red"})
    latest = latest_status(status, AS_OF)
    assert latest.empty
    assert list(latest.columns) == list(status.columns)


def test_latest_status_does_not_mutate_input():
    status = fresh_report()
    before = status.copy()
    latest_status(status, AS_OF)
    pd.testing.assert_frame_equal(status, before)


# trend and summary ---------------------------------------------------------------------------


def health_frame(pairs: list[tuple[str, str | None]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "project_id": [p for p, _ in pairs],
            "overall": pd.Categorical([r for _, r in pairs], dtype=RAG_DTYPE),
        }
    )


def test_health_trend_compares_with_previous_period():
    current = health_frame(
        [("P1", "red"), ("P2", "green"), ("P3", "amber"), ("P4", "red"), ("P5", None)]
    )
    previous = health_frame([("P1", "amber"), ("P2", "amber"), ("P3", "amber"), ("P5", "red")])
    result = health_trend(current, previous)
    assert result["trend"].astype("object").where(result["trend"].notna(), None).tolist() == [
        "worsening",
        "improving",
        "steady",
        None,
        None,
    ]
    assert result["previous_overall"].tolist()[:3] == ["amber", "amber", "amber"]
    assert pd.isna(result["previous_overall"].iloc[3])


def test_health_trend_does_not_mutate_input():
    current = health_frame([("P1", "red")])
    previous = health_frame([("P1", "green")])
    before = (current.copy(), previous.copy())
    health_trend(current, previous)
    pd.testing.assert_frame_equal(current, before[0])
    pd.testing.assert_frame_equal(previous, before[1])


def test_summarise_portfolio_counts():
    health = pd.DataFrame(
        {
            "overall": pd.Categorical(["red", "red", "green", None], dtype=RAG_DTYPE),
            "reported_rag": pd.Categorical(["green", "red", "green", "amber"], dtype=RAG_DTYPE),
            "watermelon": [True, False, False, False],
            "stale": [True, False, False, False],
            "budget": [100.0, 200.0, None, 100.0],
            "forecast_cost": [150.0, None, 50.0, 100.0],
        }
    )
    summary = summarise_portfolio(health)
    assert summary["projects"] == 4
    assert summary["overall"] == {"green": 1, "amber": 0, "red": 2, "unknown": 1}
    assert summary["reported"] == {"green": 2, "amber": 1, "red": 1, "unknown": 0}
    assert summary["watermelons"] == 1
    assert summary["stale"] == 1
    assert summary["reporting_on_time_share"] == 0.75
    assert summary["total_budget"] == 400.0
    assert summary["total_eac"] == 450.0  # 150 + 200 (budget stands in) + 100
    assert summary["eac_vs_budget_pct"] == 12.5
    assert summary["projects_without_budget"] == 1


def test_summarise_empty_portfolio():
    empty = assess(projects(stage="closed"))
    summary = summarise_portfolio(empty)
    assert summary["projects"] == 0
    assert summary["reporting_on_time_share"] is None
    assert summary["eac_vs_budget_pct"] is None


def test_summarise_portfolio_does_not_mutate_input():
    health = assess()
    before = health.copy()
    summarise_portfolio(health)
    pd.testing.assert_frame_equal(health, before)


# --------------------------------------------------------------------------------------------
# Issue 16: unknown is not red, the value users see decides, worse of two measures, newest source


def raid_due(*rows: tuple) -> pd.DataFrame:
    return pd.DataFrame(
        list(rows),
        columns=["raid_id", "project_id", "raid_type", "severity", "status", "due_date"],
    )


ROUNDING = HealthThresholds(spi_amber=0.95, spi_red=0.8, cpi_amber=0.95, cpi_red=0.8)


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


def test_milestone_missing_actual_before_an_achieved_one_is_not_a_slip():
    miles = milestones(
        ("P1", "Design", D(2025, 10, 1), None, None),
        ("P1", "Build", D(2026, 1, 1), D(2026, 1, 1), D(2026, 1, 5)),
        ("P1", "Go live", D(2026, 6, 1), D(2026, 6, 1), None),
    )
    row = one(assess(miles=miles))
    assert row["milestones_overdue"] == 0
    assert row["milestones_missing_actual"] == 1
    assert row["milestone_worst_slip_days"] == 0  # only Go live is judged
    assert row["milestones_rag"] == "green"
    assert row["milestones_reason"] == (
        "worst open milestone slip 0 days ≤ 7 days → green; "
        "1 without an actual date left to Data & compliance"
    )


def test_only_milestone_left_open_missing_its_actual_is_not_judged():
    miles = milestones(
        ("P1", "Design", D(2025, 10, 1), None, None),
        ("P1", "Build", D(2026, 1, 1), D(2026, 1, 1), D(2026, 1, 5)),
    )
    row = one(assess(miles=miles))
    assert row["milestones_rag"] == "green"
    assert np.isnan(row["milestones_value"])
    assert row["milestones_reason"] == (
        "no open milestone to judge → green; 1 without an actual date left to Data & compliance"
    )


def test_milestone_missing_actual_with_nothing_later_achieved_is_overdue():
    miles = milestones(
        ("P1", "Design", D(2025, 10, 1), None, None),
        ("P1", "Build", D(2026, 1, 1), D(2026, 1, 1), None),
    )
    row = one(assess(miles=miles))
    assert row["milestones_missing_actual"] == 0
    assert row["milestones_overdue"] == 2
    assert row["milestone_worst_slip_days"] == 151  # 1 Oct 2025 -> 1 Mar 2026
    assert row["milestones_rag"] == "red"


def test_milestone_findings_list_what_to_fill_in():
    miles = milestones(
        ("P1", "Design", D(2025, 10, 1), D(2025, 10, 8), None),
        ("P1", "Build", D(2026, 1, 1), D(2026, 1, 1), D(2026, 1, 5)),
        ("P1", "Test", D(2026, 2, 1), D(2026, 2, 1), D(2026, 2, 3)),
        ("P2", "Design", D(2025, 10, 1), None, None),
        ("P3", "Design", D(2025, 10, 1), None, None),
        ("P3", "Build", D(2026, 1, 1), None, D(2026, 3, 2)),  # achieved after AS_OF
    )
    found = milestone_findings(miles, AS_OF)
    assert found["project_id"].tolist() == ["P1"]
    assert found.loc[0, "later_achieved"] == "Test"
    assert found.loc[0, "finding"] == (
        "'Design' (baseline 2025-10-01) has no actual date, but the later milestone 'Test' "
        "is achieved: record the actual date"
    )


def test_on_hold_with_unknown_pause_date_does_not_judge_spi():
    # SPI would be 0.3 / 0.5 = 0.60 (red) if planned value kept accruing while paused.
    row = one(assess(projects(stage="On Hold", percent_complete=0.3, forecast_cost=1000.0)))
    assert row["on_hold"]
    assert np.isnan(row["spi"])
    assert row["schedule_rag"] == "green"
    assert row["schedule_reason"].endswith(
        "SPI not judged: on hold since an unknown date (no planned value while paused)"
    )


def test_on_hold_planned_value_stops_at_the_pause_date():
    # Paused on 1 Sep 2025: 184 of 730 days had elapsed, so PV share = 0.2521, not 0.5.
    project = projects(stage="ON HOLD", percent_complete=0.25, on_hold_since=D(2025, 9, 1))
    row = one(assess(project))
    assert row["planned_share"] == pytest.approx(184 / 730)
    assert row["spi"] == pytest.approx(0.25 / (184 / 730))
    assert row["schedule_rag"] == "green"  # SPI 0.99
    running = one(assess(projects(percent_complete=0.25)))
    assert running["schedule_rag"] == "red"  # the same numbers while running: SPI 0.50


def test_on_hold_open_milestone_without_forecast_is_not_overdue():
    miles = milestones(("P1", "Build", D(2026, 2, 1), None, None))
    paused = one(assess(projects(stage="On Hold"), miles=miles))
    running = one(assess(miles=miles))
    assert paused["milestones_overdue"] == 0
    assert paused["milestones_rag"] == "green"
    assert paused["milestones_reason"] == (
        "open milestones await a new forecast while on hold → green"
    )
    assert running["milestones_overdue"] == 1


@pytest.mark.parametrize(
    ("items", "rag", "reason"),
    [
        (
            [("R1", "P1", "issue", "critical", "open", D(2026, 6, 1))],
            "amber",
            "1 open high/critical ≥ 1 → amber",
        ),
        (
            [("R1", "P1", "issue", "critical", "open", D(2026, 6, 1))] * 2,
            "red",
            "2 open critical ≥ 2 → red",
        ),
        (
            [("R1", "P1", "risk", "critical", "open", D(2026, 2, 28))],
            "red",
            "1 open critical past due date ≥ 1 → red",
        ),
        (
            [("R1", "P1", "risk", "high", "open", D(2026, 2, 1))] * 5,
            "amber",  # red by count of high items is off by default
            "5 open high/critical ≥ 1 → amber",
        ),
        (
            [("R1", "P1", "risk", "critical", "closed", D(2026, 2, 1))],
            "green",
            "0 open high/critical < 1 → green",
        ),
    ],
)
def test_raid_default_escalation(items, rag, reason):
    row = one(assess(risks=raid_due(*items), thresholds=HealthThresholds()))
    assert row["raid_rag"] == rag
    assert row["raid_reason"] == reason


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
