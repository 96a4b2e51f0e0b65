"""Unit tests of computed health: entry points, overall, trend, summary - hand-computed, no db."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.analytics.health import assess_health, health_trend, summarise_portfolio
from dashboard.analytics.rag import RAG_DTYPE
from tests.unit.dashboard.analytics.health_cases import (
    AS_OF,
    D,
    T,
    assess,
    fresh_report,
    milestones,
    one,
    projects,
    raid,
    reports,
)


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
