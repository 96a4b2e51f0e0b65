"""Unit tests of the one vocabulary and the one formatter - no browser."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard import formats, vocabulary


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


@pytest.mark.parametrize(
    ("value", "text"),
    [(2614000, "£2,614,000"), (-1500.4, "-£1,500"), (None, "–"), (math.nan, "–")],
)
def test_money_has_its_currency_and_no_pence(value, text):
    assert formats.money(value, "GBP") == text


def test_money_short_and_unknown_currency():
    assert formats.money_short(1_500_000, "EUR") == "€1.50m"
    assert formats.money_short(250_000, "GBP") == "£250k"
    assert formats.money(12, "CHF") == "CHF 12"


def test_percent_and_day():
    assert formats.percent(0.456) == "46%"
    assert formats.day(pd.Timestamp("2026-11-26 00:00")) == "2026-11-26"
    assert formats.day(None) == "–"


def test_grid_and_xlsx_money_formats_name_the_currency():
    assert "'£'" in formats.grid_money("GBP")["function"]
    assert formats.xlsx_money("GBP") == '"£"#,##0;-"£"#,##0'
