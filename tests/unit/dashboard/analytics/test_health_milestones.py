"""Unit tests of the milestones dimension of health and milestone findings - hand-computed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.analytics.health_milestones import milestone_findings
from dashboard.standards import HealthThresholds
from tests.unit.dashboard.analytics.health_cases import (
    AS_OF,
    D,
    assess,
    milestones,
    one,
    projects,
)


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
