"""Unit tests of dashboard/figures/data_quality.py: trace data, never pixels - no browser, no
database."""

from __future__ import annotations

import pandas as pd

from dashboard.figures import data_quality as figures
from dashboard.figures.theme import RAG_COLOURS
from dashboard.services import data_quality as services
from tests.unit.dashboard.conftest import staleness_health as health


def league() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "rank": [1, 2, 2],
            "division": ["Ops", "Finance", "IT"],
            "projects": [3, 4, 2],
            "average_score": [97.5, 80.0, 80.0],
            "fully_compliant": [2, 1, 0],
            "fully_compliant_share": [2 / 3, 0.25, 0.0],
            "most_failed_check": ["", "status_within_cadence", "raid_maintained"],
        }
    )


def test_compliance_league_bar_puts_the_best_division_on_top_with_rank_labels():
    fig = figures.compliance_league_bar(league(), title="League")
    bar = fig.data[0]
    # Plotly draws horizontal categories bottom-up: the last one is at the top.
    assert list(bar.y) == ["IT", "Finance", "Ops"]
    assert list(bar.x) == [80.0, 80.0, 97.5]
    assert list(bar.text)[-1] == "#1 · 98"
    assert fig.layout.xaxis.title.text == "Average compliance score (0–100)"
    assert fig.layout.title.text == "League"
    assert bar.customdata[-1][2] == "none"


def test_freshness_bar_colours_by_staleness_in_words_and_marks_the_cadence():
    table = services.freshness_table(health(), cadence_days=14)
    fig = figures.freshness_bar(table, cadence_days=14, stale_red_days=42, title="Fresh")
    by_name = {t.name: list(t.x) for t in fig.data}
    assert by_name == {"Stopped reporting": [86.0], "Late": [25.0], "On time": [6.0]}
    assert [t.marker.color for t in fig.data] == [RAG_COLOURS[k] for k in ("red", "amber", "green")]
    assert {s.x0 for s in fig.layout.shapes} == {14, 42}
    assert "days" in fig.layout.xaxis.title.text


def test_freshness_bar_with_no_reports_is_an_empty_chart():
    table = services.freshness_table(health().iloc[[2, 4]], cadence_days=14)
    fig = figures.freshness_bar(table, cadence_days=14, stale_red_days=42, title="Fresh")
    assert list(fig.data) == []


def test_figures_do_not_mutate_input():
    frame, table = league(), services.freshness_table(health(), cadence_days=14)
    before, table_before = frame.copy(), table.copy()
    figures.compliance_league_bar(frame, title="x")
    figures.freshness_bar(table, cadence_days=14, stale_red_days=42, title="x")
    pd.testing.assert_frame_equal(frame, before)
    pd.testing.assert_frame_equal(table, table_before)
