"""Unit tests of the lookups the review's rules share - no database."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.analytics import review_lookup as lookup


def test_by_id_keys_by_text_and_the_last_row_of_a_repeated_id_wins():
    frame = pd.DataFrame({"project_id": [1, "P2", 1], "stage": ["a", "b", "c"]})
    series = lookup.by_id(frame, "project_id", frame["stage"])
    assert series.to_dict() == {"1": "c", "P2": "b"}


def test_column_by_id_is_empty_without_the_column():
    frame = pd.DataFrame({"project_id": ["P1"], "division": ["IT"]})
    assert lookup.column_by_id(frame, "project_id", "division").to_dict() == {"P1": "IT"}
    assert lookup.column_by_id(frame, "project_id", "name").empty


def test_project_names_prefer_the_first_frame_and_skip_blanks():
    after = pd.DataFrame({"project_id": ["P1", "P2"], "name": ["Alpha 2", None]})
    before = pd.DataFrame({"project_id": ["P1", "P2", "P3"], "name": ["Alpha", "Beta", ""]})
    names = lookup.project_names(after, before)
    assert names == {"P1": "Alpha 2", "P2": "Beta"}
    assert lookup.project_label("P1", names) == "P1 Alpha 2"
    assert lookup.project_label("P3", names) == "P3"


def test_money_by_id_prefers_the_computed_eac_and_keeps_the_register_budget():
    projects = pd.DataFrame(
        {"project_id": ["P1", "P2"], "budget": [100, "n/a"], "forecast_cost": [110.0, 220.0]}
    )
    health = pd.DataFrame({"project_id": ["P1"], "forecast_cost": [150.0], "budget": [999.0]})
    eac = lookup.money_by_id(health, projects, "forecast_cost")
    assert eac.to_dict() == {"P1": 150.0, "P2": 220.0}
    budget = lookup.money_by_id(health, projects, "budget")
    assert budget["P1"] == 100.0 and np.isnan(budget["P2"])  # the register's, text as missing
    no_health = lookup.money_by_id(health[["project_id"]], projects, "forecast_cost")
    assert no_health.to_dict() == {"P1": 110.0, "P2": 220.0}
