"""Unit tests of dashboard/components/filter_bar.py - no browser."""

from __future__ import annotations

from datetime import date

from dashboard.analytics.filters import FilterState
from dashboard.components.filter_bar import active_filter_count, filter_bar, summary_text
from dashboard.ids import FilterIds
from dashboard.url_state import FilterOptions, ViewState
from tests.conftest import find

TODAY = date(2026, 11, 26)


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
