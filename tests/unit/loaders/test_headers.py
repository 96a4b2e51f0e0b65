"""Unit tests for loaders.headers: normalising, ranking synonyms, contested columns, months."""

from __future__ import annotations

from datetime import date

import pytest

from loaders.headers import normalise, parse_month_header, pick_contested, resolve_headers


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("Budget (£)", "budget"),
        ("% Complete", "percentcomplete"),
        ("Percent_Complete", "percentcomplete"),
        ("Custom field (Story Points)", "storypoints"),
        ("  PROJECT_ID ", "projectid"),
        (None, ""),
    ],
)
def test_normalise(header, key):
    assert normalise(header) == key


def test_better_synonym_wins_whatever_the_column_order():
    found = resolve_headers(["Actual Start", "Project ID", "Start Date"], "projects")
    assert found.columns == {1: "project_id", 2: "start_date"}


def test_ms_project_name_beats_summary_which_becomes_a_flag():
    found = resolve_headers(["Unique ID", "Summary", "Name", "Outline Level"], "work_items")
    assert found.columns == {0: "item_id", 2: "name"}
    assert found.aux == {1: "is_summary", 3: "outline_level"}


def test_repeated_header_is_contested_unless_multi_valued():
    found = resolve_headers(["Status", "x", "Status"], "projects")
    assert [c.position for c in found.contested["stage"]] == [0, 2]
    assert found.columns == {0: "stage"}
    found = resolve_headers(["Issue key", "Summary", "Sprint", "Sprint"], "work_items")
    assert found.contested == {} and list(found.columns.values()).count("sprints") == 2


def test_rollup_ranks_below_its_own_value_whatever_the_order():
    found = resolve_headers(["Σ Original Estimate", "Summary", "Original estimate"], "work_items")
    assert found.columns[2] == "estimate_hours"
    ordered = found.contested["estimate_hours"]
    assert [(c.position, c.rollup) for c in ordered] == [(2, False), (0, True)]


@pytest.mark.parametrize(
    ("data", "winner", "why"),
    [
        ({0: True, 2: True}, 0, "same"),  # both filled: the first
        ({0: False, 2: True}, 2, "empty"),  # the one with data
    ],
)
def test_pick_contested_prefers_data_then_the_first(data, winner, why):
    found = resolve_headers(["Status", "x", "Status"], "projects")
    winners, passed = pick_contested(found.contested, data.__getitem__)
    assert winners == {"stage": winner}
    assert [(p.position, p.winner, p.why) for p in passed] == [(2 - winner, winner, why)]


def test_exact_name_beats_a_synonym_with_data():
    found = resolve_headers(["State", "Status"], "work_items")
    winners, passed = pick_contested(found.contested, {0: True, 1: False}.__getitem__)
    assert winners == {"status": 1} and passed[0].why == "synonym"


@pytest.mark.parametrize(
    ("cell", "month"),
    [
        ("Jan-26", date(2026, 1, 1)),
        ("2026-03", date(2026, 3, 1)),
        ("2026-03-01 00:00:00", date(2026, 3, 1)),
        ("Sept 2026", date(2026, 9, 1)),
        ("Budget", None),
    ],
)
def test_parse_month_header(cell, month):
    assert parse_month_header(cell) == month
