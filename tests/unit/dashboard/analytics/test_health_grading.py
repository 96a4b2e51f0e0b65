"""Unit tests of the grading shared by the health dimensions - hand-computed, no database."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.analytics.health_grading import as_shown, count, grade, grade_ratio, joined, worst_of


@pytest.mark.parametrize(
    ("direction", "values", "codes"),
    [
        # amber 1, red 3: on a threshold is the better colour.
        ("above", [0.0, 1.0, 1.5, 3.0, 3.5, np.nan], [0, 0, 1, 1, 2, -1]),
        ("at_least", [0.0, 1.0, 2.0, 3.0, np.nan], [0, 1, 1, 2, -1]),
    ],
)
def test_grade_codes_by_direction(direction, values, codes):
    graded = grade(np.array(values), 1, 3, direction, str, count, 0)
    assert graded["rag"].tolist() == codes
    assert graded["rag"].dtype == np.int8


def test_grade_below_words_the_value_against_the_threshold_it_crossed():
    graded = grade_ratio(np.array([0.96, 0.9, 0.79, np.nan]), "SPI", 0.95, 0.85)
    assert graded["rag"].tolist() == [0, 1, 2, -1]
    assert graded["reason"].tolist() == [
        "SPI 0.96 ≥ 0.95 → green",
        "SPI 0.90 < 0.95 → amber",
        "SPI 0.79 < 0.85 → red",
        "",
    ]
    # The threshold shown is the one that decided: amber's line, red's line, none when unknown.
    assert graded["threshold"][:3].tolist() == [0.95, 0.95, 0.85]
    assert np.isnan(graded["threshold"][3])


def test_as_shown_rounds_like_the_printed_text():
    # Printed to 2 dp: 0.795 reads "0.80" (stored as 0.79500000000000004), 2.675 reads "2.67"
    # (stored as 2.67499999999999982), 0.8449 reads "0.84"; the comparison uses those values.
    shown = as_shown(np.array([0.795, 2.675, 0.8449, np.nan]), 2)
    assert shown[:3].tolist() == [0.8, 2.67, 0.84]
    assert np.isnan(shown[3])
    assert as_shown(np.array([14.96]), 1).tolist() == [15.0]


def test_worst_of_names_the_worst_measure_and_what_was_not_judged():
    first = {"rag": np.array([2, -1, -1], dtype="int8"), "reason": np.array(["a red", "", ""])}
    second = {
        "rag": np.array([0, 1, -1], dtype="int8"),
        "reason": np.array(["b ok", "b amber", ""]),
    }
    result = worst_of(
        [
            ("A", first, np.array(["", "no A", "no data"])),
            ("B", second, np.array(["", "", "no data"])),
        ],
        metric="A",
        value=np.array([1.0, np.nan, np.nan]),
        threshold=0.8,
    )
    assert result["rag"].tolist() == [2, 1, -1]
    assert result["reason"].tolist() == [
        "a red",
        "b amber; A not judged: no A",
        "unknown: no data",  # the same reason from two measures is said once
    ]
    assert result["threshold"].tolist() == [0.8, 0.8, 0.8]


def test_joined_skips_empty_sides():
    left = np.array(["a", "", "c", ""], dtype=object)
    right = np.array(["x", "y", "", ""], dtype=object)
    assert joined(left, right).tolist() == ["a; x", "y", "c", ""]
