"""Unit tests of data/sample/demo_project_state.py: a project's numbers and RAG at a date.

The expectations are worked out by hand from one small project: started 1 Jan 2026, baseline
finish 1 Jan 2027 (365 days), a 20-day slip known from 1 Apr 2026, budget 100,000, CPI 0.8.
"""

from __future__ import annotations

import importlib
from datetime import date
from types import ModuleType

import pytest


@pytest.fixture(scope="module")
def state(gen: ModuleType) -> ModuleType:
    return importlib.import_module("demo_project_state")


@pytest.fixture
def project(gen: ModuleType):
    records = importlib.import_module("demo_records")
    p = records.Project(
        key=0,
        division="Finance",
        stage="Execution",
        start=date(2026, 1, 1),
        init_end=date(2026, 2, 1),
        plan_end=date(2026, 3, 1),
        closing_start=date(2026, 12, 1),
        forecast_final=date(2027, 1, 21),
    )
    p.baseline = date(2027, 1, 1)
    p.slip1, p.slip1_date = 20, date(2026, 4, 1)
    p.budget0, p.cpi = 100_000.0, 0.8
    return p


def test_the_forecast_moves_from_the_day_the_slip_is_known(state, project):
    assert state.forecast_at(project, date(2026, 3, 31)) == date(2027, 1, 1)
    assert state.forecast_at(project, date(2026, 4, 1)) == date(2027, 1, 21)


def test_progress_runs_linearly_to_the_forecast_finish(state, project):
    # 1 Jul 2026 is day 181 of the 385 days to 21 Jan 2027: 0.47
    assert state.pct_complete(project, date(2026, 7, 1)) == 0.47
    assert state.pct_complete(project, date(2025, 12, 1)) == 0.0
    assert state.pct_complete(project, date(2027, 6, 1)) == 0.97  # never 100 % before finishing


def test_money_follows_cpi(state, project):
    d = date(2026, 7, 1)
    assert state.actual_cost_at(project, d) == 58_800.0  # 100,000 x 0.47 / 0.8, to the 100
    assert state.eac_at(project, d) == 125_000.0  # 100,000 / 0.8
    assert state.budget_at(project, d) == 100_000.0


def test_an_eac_25_percent_over_is_red_and_a_20_day_slip_amber(state, project):
    # cost: CPI 0.8 is amber (red below 0.8) but the EAC 25 % over budget is red (> 10 %);
    # schedule: SPI 0.47 / (181 / 365) = 0.95 is green, the 20-day slip amber (> 14)
    overall, schedule, cost, scope, resources = state.rag_at(project, date(2026, 7, 1))
    assert cost == "Red"
    assert schedule == "Amber"
    assert (scope, resources) == ("Green", "Green")
    assert overall == "Red"


def test_stages_follow_the_timeline(state, project):
    assert state.stage_at(project, date(2026, 1, 15)) == "Initiation"
    assert state.stage_at(project, date(2026, 2, 15)) == "Planning"
    assert state.stage_at(project, date(2026, 7, 1)) == "Execution"
    assert state.stage_at(project, date(2026, 12, 15)) == "Closing"


def test_worse_of_two_rag_words(state):
    assert state.worse("Green", "Amber") == "Amber"
    assert state.worse("Red", "Amber") == "Red"
