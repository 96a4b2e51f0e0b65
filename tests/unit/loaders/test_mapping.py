"""Unit tests for loaders.mapping: normalising, ranking synonyms, kinds, months."""

from __future__ import annotations

from datetime import date

import pytest

from loaders.mapping import (
    detect_kind,
    near_miss,
    normalise,
    parse_month_header,
    resolve_headers,
)


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


def test_repeated_header_is_a_duplicate_unless_multi_valued():
    assert resolve_headers(["Status", "x", "Status"], "projects").duplicates == {"stage": [0, 2]}
    found = resolve_headers(["Issue key", "Summary", "Sprint", "Sprint"], "work_items")
    assert found.duplicates == {} and list(found.columns.values()).count("sprints") == 2


def test_detect_kind_and_forced_kind():
    headers = ["Project Code", "Report Date", "RAG", "Summary"]
    assert detect_kind(headers).kind == "status_reports"
    assert detect_kind(["Task Name", "Start"], project="P-1").kind == "work_items"
    assert detect_kind(["Task Name", "Start"]) is None
    assert detect_kind(["anything"], forced="raid").kind == "raid"


def test_near_miss_names_the_missing_column():
    assert near_miss(["Task Name", "Start", "Finish", "% Complete"]) == (
        "work_items",
        ["project_id"],
    )


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
