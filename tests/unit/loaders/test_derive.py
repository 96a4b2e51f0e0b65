"""Unit tests for loaders.derive: columns a sheet lacks, made from what it has."""

from __future__ import annotations

import pandas as pd
import pytest

from loaders.derive import (
    IMPACT_WORDS,
    fold_timesheets,
    nearest_allowed,
    project_id_from_name,
    raid_type_from_name,
    word_scale,
)
from loaders.validate import RAID_STATUSES, SEVERITIES


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Risks", "risk"),
        ("Issue Log", "issue"),
        ("RAID - Assumptions", "assumption"),
        ("dependencies", "dependency"),
        ("Decisions", "decision"),
        ("Impediments", "issue"),
        ("RAID Log", None),  # no single type
        ("Risks and Issues", None),  # two types
        (None, None),
    ],
)
def test_raid_type_from_name(name, kind):
    assert raid_type_from_name(name) == kind


def test_project_id_from_name_is_readable_and_stable():
    assert project_id_from_name("Website Re-design") == "WEBSITE-RE-DESIGN"
    assert project_id_from_name("  Café Wi-Fi ") == "CAFE-WI-FI"
    made = project_id_from_name("数据平台")
    assert made.startswith("P-") and len(made) == 10
    assert made == project_id_from_name("数据平台 ")  # same name, same id


def test_nearest_allowed_corrects_typos_not_abbreviations_or_nonsense():
    values = pd.Series(["Hgh", "Opne", "xyz", "R", None], dtype="string")
    assert nearest_allowed(values, SEVERITIES) == {"Hgh": "high"}
    assert nearest_allowed(values, RAID_STATUSES) == {"Opne": "open"}


def test_word_scale_replaces_only_words_and_reports_them():
    raw = pd.Series(["High", "3", "med", None, "Very High"], dtype="string")
    replaced, found = word_scale(raw, IMPACT_WORDS)
    assert replaced.tolist() == ["4", "3", "3", pd.NA, "5"]
    assert found == {"High": 4.0, "med": 3.0, "Very High": 5.0}
    untouched, none = word_scale(pd.Series(["1", "2"], dtype="string"), IMPACT_WORDS)
    assert untouched.tolist() == ["1", "2"] and none == {}


def test_fold_timesheets_adds_sessions_of_one_person_project_and_day():
    day = pd.Timestamp("2026-01-05")
    typed = pd.DataFrame(
        {
            "resource_id": ["Ana", "Ana", "Sam", "Ana", "Ana"],
            "project_id": ["P", "P", "P", "Q", "P"],
            "work_date": [day, day, day, day, day],
            "hours": [1.5, 0.75, 8.0, 2.0, 1.0],
            "source_row": [2, 3, 4, 5, 6],
        }
    )
    rejected = pd.Index([4])  # row 6 was rejected: it folds into nothing
    folded, rows = fold_timesheets(typed, rejected)
    assert rows == [3]
    assert folded["source_row"].tolist() == [2, 4, 5, 6]
    assert folded["hours"].tolist() == [2.25, 8.0, 2.0, 1.0]


def test_fold_timesheets_leaves_distinct_entries_alone():
    typed = pd.DataFrame(
        {
            "resource_id": ["Ana", "Sam"],
            "project_id": ["P", "P"],
            "work_date": pd.to_datetime(["2026-01-05", "2026-01-05"]),
            "hours": [1.0, 2.0],
            "source_row": [2, 3],
        }
    )
    folded, rows = fold_timesheets(typed, pd.Index([]))
    assert rows == [] and folded is typed
