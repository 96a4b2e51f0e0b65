"""Unit tests of project filters - no browser required."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.analytics.filters import FilterState, apply_filters


@pytest.fixture
def projects() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "project_id": ["P1", "P2", "P3", "P4"],
            "division": ["Finance", "Finance", "Ops", None],
            "portfolio": ["Change", "Run", "Change", "Run"],
            "stage": ["Execution", "Planning", "Execution", "Execution"],
            "project_manager": ["Ann", "Bob", "Ann", "Cy"],
            "overall": pd.Categorical(["red", "green", None, "amber"]),
        }
    )


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (FilterState(), ["P1", "P2", "P3", "P4"]),
        (FilterState(divisions=("Finance",)), ["P1", "P2"]),
        (FilterState(divisions=("Finance", "Ops"), stages=("Execution",)), ["P1", "P3"]),
        (FilterState(managers=("Ann",), portfolios=("Change",)), ["P1", "P3"]),
        (FilterState(health=("unknown",)), ["P3"]),
        (FilterState(health=("red", "amber")), ["P1", "P4"]),
        (FilterState(divisions=("Nowhere",)), []),
        (FilterState(divisions=("x' OR '1'='1",)), []),
    ],
)
def test_apply_filters_keeps_matching_projects(projects, state, expected):
    assert apply_filters(projects, state)["project_id"].tolist() == expected


def test_apply_filters_does_not_mutate_input(projects):
    before = projects.copy()
    apply_filters(projects, FilterState(divisions=("Finance",), health=("red",)))
    pd.testing.assert_frame_equal(projects, before)


def test_apply_filters_names_missing_columns(projects):
    with pytest.raises(ValueError, match="division"):
        apply_filters(projects.drop(columns="division"), FilterState())


def test_filter_state_is_empty():
    assert FilterState().is_empty
    assert not FilterState(health=("red",)).is_empty
