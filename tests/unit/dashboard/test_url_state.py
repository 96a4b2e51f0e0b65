"""Unit tests of the URL filter state: allowlists, as-of parsing, round trips - no browser."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

from dashboard.analytics.filters import FilterState
from dashboard.url_state import (
    CARRIED_KEYS,
    FilterOptions,
    ViewState,
    carried_query,
    parse_view,
    query_from_search,
    view_query,
    with_filters,
)

TODAY = date(2026, 11, 26)
OPTIONS = FilterOptions(
    divisions=("Finance", "Operations"),
    portfolios=("Change",),
    stages=("Execution",),
    managers=("Ann Lee",),
)


def test_parse_view_keeps_only_known_values():
    query = {
        "division": ["Finance", "x' OR '1'='1", "Nowhere"],
        "stage": "Execution",
        "health": ["red", "purple"],
        "manager": "Ann Lee",
    }
    state = parse_view(query, OPTIONS, TODAY)
    assert state.filters == FilterState(
        divisions=("Finance",), stages=("Execution",), managers=("Ann Lee",), health=("red",)
    )
    assert state.as_of == TODAY


def test_parse_view_reads_as_of_and_never_goes_past_today():
    assert parse_view({"as_of": "2026-10-31"}, OPTIONS, TODAY).as_of == date(2026, 10, 31)
    assert parse_view({"as_of": "2030-01-01"}, OPTIONS, TODAY).as_of == TODAY
    assert parse_view({"as_of": "31/10/2026"}, OPTIONS, TODAY).as_of == TODAY


def test_view_query_round_trips_through_the_search_string():
    state = ViewState(
        FilterState(divisions=("Finance", "Operations"), health=("red",)), date(2026, 10, 31)
    )
    search = view_query(state, TODAY)
    assert search == "?division=Finance&division=Operations&health=red&as_of=2026-10-31"
    assert parse_view(query_from_search(search), OPTIONS, TODAY) == state


def test_view_query_is_empty_for_the_default_view():
    assert view_query(ViewState(FilterState(), TODAY), TODAY) == ""
    assert query_from_search("") == {}


def test_links_carry_only_the_global_filters_re_encoded():
    query = {
        "division": ["Finance", "R&D"],
        "as_of": "2026-10-31",
        "from": "2026-09-30",  # the review's own key stays on its page
        "health": "red",
    }
    assert carried_query(query) == ("?division=Finance&division=R%26D&health=red&as_of=2026-10-31")
    assert with_filters("/", query).startswith("/?division=Finance&")
    assert with_filters("/capacity", {}) == "/capacity"
    assert carried_query({"to": "2026-11-26"}) == ""


def test_the_browser_carries_the_same_keys_as_the_server():
    script = (Path(__file__).resolve().parents[3] / "dashboard" / "assets" / "pmo.js").read_text()
    carried = json.loads(re.search(r"CARRIED_KEYS: (\[.*?\])", script)[1])
    assert carried == list(CARRIED_KEYS)
