"""Unit tests of layout components: grid definitions, navbar, filter bar, notices - no browser."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashboard.analytics.filters import FilterState
from dashboard.components import (
    capacity_panels,
    data_quality_tables,
    health_tables,
    intake_panels,
    project_grids,
    tables,
)
from dashboard.components.filter_bar import active_filter_count, filter_bar, summary_text
from dashboard.components.navbar import navbar
from dashboard.components.notices import empty_state
from dashboard.ids import AppIds, FilterIds
from dashboard.url_state import FilterOptions, ViewState
from tests.conftest import find

TODAY = date(2026, 11, 26)
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


def view(**filters) -> ViewState:
    return ViewState(filters=FilterState(**filters), as_of=TODAY)


def test_filter_bar_folds_on_phones_and_offers_a_reset():
    options = FilterOptions(divisions=("Finance",), health=("red", "green"))
    bar = filter_bar(options, view(divisions=("Finance",)), today=TODAY)
    assert find(bar, FilterIds.TOGGLE).children == "Filters (1 active)"
    assert find(bar, FilterIds.RESET).disabled is False
    assert find(bar, FilterIds.COLLAPSE).className == "pmo-filter-collapse"
    health = find(bar, FilterIds.HEALTH)
    assert health.options == [
        {"label": "Red", "value": "red"},
        {"label": "Green", "value": "green"},
    ]
    idle = filter_bar(options, view(), today=TODAY)
    assert find(idle, FilterIds.RESET).disabled is True


def test_filter_summary_says_what_is_filtered():
    assert summary_text(view()) == "All projects, no filter · as of 2026-11-26"
    text = summary_text(view(divisions=("Finance", "Ops"), health=("red",)))
    assert text == "Filtered to Division: Finance, Ops; Health: Red · as of 2026-11-26"
    shifted = ViewState(filters=FilterState(stages=("Execution",)), as_of=date(2026, 10, 31))
    assert active_filter_count(shifted, TODAY) == 2
    assert active_filter_count(shifted, TODAY, visible=("division", "as_of")) == 1


def test_navbar_links_can_follow_the_url_and_collapse():
    pages = [
        {
            "name": "Portfolio",
            "path": "/",
            "relative_path": "/",
            "module": "p.portfolio",
            "order": 0,
        },
        {"name": "Capacity", "path": "/capacity", "relative_path": "/capacity", "module": "p.c"},
        {"name": "Project", "path": "/project/<id>", "relative_path": "/x", "module": "p.project"},
    ]
    bar = navbar(pages)
    ids = [
        link.id["index"]
        for link in _walk(bar)
        if isinstance(getattr(link, "id", None), dict) and link.id["type"] == AppIds.NAV_LINK
    ]
    assert ids == ["brand:/", "/", "/capacity"]
    assert find(bar, AppIds.NAV_TOGGLER) is not None
    assert find(bar, AppIds.NAV_COLLAPSE).is_open is False


def _walk(tree):
    yield tree
    children = getattr(tree, "children", None)
    if isinstance(children, list | tuple):
        for child in children:
            yield from _walk(child)
    elif children is not None and not isinstance(children, str | int | float):
        yield from _walk(children)


def test_empty_state_says_what_to_do_with_a_working_reset():
    notice = empty_state("open projects", reset_href="/", notice_id="e")
    heading, advice, reset = notice.children
    assert heading.children == "No open projects match these filters"
    assert "Widen the filters" in advice.children
    assert (reset.children, reset.href) == ("Reset filters", "/")
