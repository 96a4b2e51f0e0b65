"""Unit tests of plotly figure builders: trace data and labels, never pixels."""

from __future__ import annotations

import pandas as pd

from dashboard.figures import portfolio as figures
from dashboard.figures.theme import RAG_COLOURS


def health() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "project_id": ["P1", "P2", "P3", "P4"],
            "name": ["A", "B", "C", "D"],
            "division": ["Finance", "Finance", "Ops", "Ops"],
            "overall": pd.Categorical(["red", "green", "red", None]),
            "strategic_alignment": [5, 3, None, 1],
            "raid_open_high": [2, 0, 1, 0],
            "raid_open_critical": [1, 0, 0, 0],
            "budget": [100.0, 50.0, None, 10.0],
        }
    )


def test_division_rag_bar_counts_each_rag_per_division():
    fig = figures.division_rag_bar(health(), "overall", title="Health")
    by_name = {trace.name: dict(zip(trace.y, trace.x, strict=True)) for trace in fig.data}
    assert by_name == {
        "Green": {"Ops": 0, "Finance": 1},
        "Red": {"Ops": 1, "Finance": 1},
        "Unknown": {"Ops": 1, "Finance": 0},
    }
    assert [t.marker.color for t in fig.data] == [
        RAG_COLOURS[k] for k in ("green", "red", "unknown")
    ]
    assert fig.layout.xaxis.title.text == "Projects (count)"
    assert fig.layout.title.text == "Health"


def test_value_risk_bubble_places_projects_by_alignment_and_open_risks():
    fig = figures.value_risk_bubble(health(), title="Value vs risk")
    red = next(t for t in fig.data if t.name == "Red")
    assert list(red.y) == [3.0, 1.0]
    assert list(red.x)[:1] == [5.0]
    assert [row[0] for row in red.customdata] == ["P1", "P3"]
    assert "Strategic alignment" in fig.layout.xaxis.title.text


def test_figures_do_not_mutate_input():
    frame = health()
    before = frame.copy()
    figures.division_rag_bar(frame, "overall", title="x")
    figures.value_risk_bubble(frame, title="x")
    pd.testing.assert_frame_equal(frame, before)
