"""Unit tests of the Monthly review's charts - no browser, no database."""

from __future__ import annotations

import pandas as pd

from dashboard.figures import review as figures
from dashboard.figures.theme import RAG_COLOURS


def health(overall: list) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "project_id": ["P1", "P2", "P3"],
            "name": ["Alpha", "Beta", "Gamma"],
            "division": ["Finance", "Finance", "Operations"],
            "overall": pd.Categorical(overall, categories=["green", "amber", "red"]),
        }
    )


def test_division_health_comparison_puts_both_dates_side_by_side():
    before = health(["red", "amber", None])
    after = health(["red", "red", "green"])
    fig = figures.division_health_comparison(
        before, after, before_label="31 Oct", after_label="26 Nov", title="Health"
    )
    red = next(t for t in fig.data if t.name == "Red")
    pairs = dict(zip(zip(*red.y, strict=True), red.x, strict=True))
    assert pairs[("Finance", "31 Oct")] == 1 and pairs[("Finance", "26 Nov")] == 2
    assert pairs[("Operations", "26 Nov")] == 0
    assert red.marker.color == RAG_COLOURS["red"]
    assert {t.name for t in fig.data} == {"Green", "Amber", "Red", "Unknown"}
    assert fig.layout.xaxis.title.text == "Open projects (count)"
    assert fig.layout.title.text == "Health"


def test_division_health_comparison_does_not_mutate_input():
    before = health(["red", "amber", None])
    copy = before.copy()
    figures.division_health_comparison(before, before, before_label="a", after_label="b", title="t")
    pd.testing.assert_frame_equal(before, copy)
