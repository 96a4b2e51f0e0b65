"""Unit tests of dashboard/components/tables.py and the column sets built with it - no browser."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.components import (
    capacity_panels,
    data_quality_tables,
    health_tables,
    intake_panels,
    project_grids,
    tables,
)
from tests.conftest import find

COLUMN_SETS = {
    "health": health_tables.health_columns("GBP"),
    "watermelons": health_tables.WATERMELON_COLUMNS,
    "milestones": project_grids.MILESTONE_COLUMNS,
    "raid": project_grids.RAID_COLUMNS,
    "loads": data_quality_tables.LOAD_COLUMNS,
    "freshness": data_quality_tables.FRESHNESS_COLUMNS,
    "feedback": data_quality_tables.FEEDBACK_COLUMNS,
    "ranking": intake_panels.RANKING_COLUMNS,
    "selection": intake_panels.SELECTION_COLUMNS,
    "people": capacity_panels.PEOPLE_COLUMNS,
    "impact": capacity_panels.IMPACT_COLUMNS,
}


@pytest.mark.parametrize("name", sorted(COLUMN_SETS))
def test_every_class_rule_is_a_function_dash_ag_grid_35_applies(name):
    rules = [c["cellClassRules"] for c in COLUMN_SETS[name] if "cellClassRules" in c]
    for rule in rules:
        for css, condition in rule.items():
            # A bare string such as "x == 'red'" is silently ignored by dash-ag-grid 35.
            assert isinstance(condition, dict) and set(condition) == {"function"}, (css, condition)


@pytest.mark.parametrize("name", ["health", "watermelons", "freshness", "feedback"])
def test_project_ids_and_names_are_links(name):
    linked = {c["field"] for c in COLUMN_SETS[name] if c.get("cellRenderer") == "ProjectLink"}
    assert linked == {"project_id", "name"}


def test_rag_columns_are_badges_with_the_vocabulary_words():
    overall = next(c for c in COLUMN_SETS["health"] if c["field"] == "overall")
    assert overall["cellRenderer"] == "RagBadge"
    assert overall["cellRendererParams"]["labels"]["red"] == "Red"
    assert overall["cellClassRules"]["rag-cell-red"] == {"function": 'valueIn(params, ["red"])'}


def test_health_grid_puts_who_and_how_before_the_money():
    fields = [c["field"] for c in COLUMN_SETS["health"]]
    assert fields[:5] == ["project_id", "name", "overall", "reported_rag", "trend"]
    assert fields.index("overall_reason") < fields.index("budget")


def test_data_grid_wraps_headers_and_never_squeezes_columns():
    frame = pd.DataFrame({"project_id": ["P1"], "name": ["<b>x</b>"], "budget": [1.0]})
    box = tables.data_grid(frame, COLUMN_SETS["health"], grid_id="g")
    grid = find(box, "g")
    assert box.className == "pmo-grid-scroll"
    assert grid.defaultColDef["wrapHeaderText"] and grid.dashGridOptions["headerHeight"] == 52
    assert [c["field"] for c in grid.columnDefs] == ["project_id", "name", "budget"]
    assert grid.style["minWidth"] == f"{100 + 220 + 125 + 20}px"
    assert grid.rowData == [{"project_id": "P1", "name": "<b>x</b>", "budget": 1.0}]
    assert not getattr(grid, "dangerously_allow_code", False)
