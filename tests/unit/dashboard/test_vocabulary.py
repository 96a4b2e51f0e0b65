"""Unit tests of dashboard/vocabulary.py: one word per coded value - no browser."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard import vocabulary


@pytest.mark.parametrize(
    ("kind", "value", "word"),
    [
        ("request_status", "under_review", "Under review"),
        ("request_status", "UNDER_REVIEW", "Under review"),
        ("health", "red", "Red"),
        ("health", None, "Unknown"),
        ("health", math.nan, "Unknown"),
        ("health", pd.NA, "Unknown"),
        ("staleness", True, "Stale"),
        ("load_status", "committed", "Loaded"),
        ("status", "under_review", "Under review"),
        ("stage", "on_hold", "On hold"),  # no list: humanised the same way everywhere
        ("stage", None, ""),
    ],
)
def test_label_gives_one_word_per_value(kind, value, word):
    assert vocabulary.label(kind, value) == word


def test_label_frame_words_only_the_named_columns_and_keeps_the_input():
    frame = pd.DataFrame({"overall": ["red", None], "stale": [True, False], "name": ["red", "x"]})
    before = frame.copy()
    out = vocabulary.label_frame(frame)
    assert out["overall"].tolist() == ["Red", "Unknown"]
    assert out["stale"].tolist() == ["Stale", "On time"]
    assert out["name"].tolist() == ["red", "x"]
    pd.testing.assert_frame_equal(frame, before)


def test_label_export_reads_the_kind_from_the_header():
    frame = pd.DataFrame(
        {
            "Computed RAG": ["amber"],
            "Status": ["under_review"],
            "Severity": ["critical"],
            "Ragged title": ["red"],
        }
    )
    out = vocabulary.label_export(frame)
    assert out.iloc[0].tolist() == ["Amber", "Under review", "Critical", "red"]
