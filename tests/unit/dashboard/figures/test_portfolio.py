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
    # P3 has no alignment score, so no x: only P1 (alignment 5, 2 high + 1 critical) is drawn,
    # shifted right of the alignment line by the red offset.
    assert list(red.y) == [3.0]
    assert list(red.x) == [5.0 + figures.RAG_OFFSETS["red"]]
    assert red.customdata[0][0] == "P1"  # one project: the click opens it
    assert "Strategic alignment" in fig.layout.xaxis.title.text


def crowd(n: int) -> pd.DataFrame:
    """``n`` red projects on one point (alignment 3, 1 open high RAID item)."""
    return pd.DataFrame(
        {
            "project_id": [f"P{i:05d}" for i in range(n)],
            "name": [f"Project <b>{i}</b>" for i in range(n)],
            "overall": ["red"] * n,
            "strategic_alignment": [3] * n,
            "raid_open_high": [1] * n,
            "raid_open_critical": [0] * n,
            "budget": [10.0] * n,
        }
    )


def test_projects_on_one_point_are_one_bubble_whose_hover_lists_them():
    points = figures.value_risk_points(crowd(3))
    assert len(points) == 1
    row = points.iloc[0]
    assert (row["projects"], row["budget"], row["first_id"]) == (3, 30.0, "")
    # Every project is named, its text escaped (plotly would read <b> as markup).
    assert row["names"] == "<br>".join(f"P{i:05d} Project &lt;b&gt;{i}&lt;/b&gt;" for i in range(3))


def test_ten_thousand_projects_stay_one_bubble_per_point_with_a_bounded_hover():
    fig = figures.value_risk_bubble(crowd(10_000), title="x")
    assert len(fig.data) == 1 and len(fig.data[0].x) == 1
    names = fig.data[0].customdata[0][2]
    assert names.count("<br>") == figures.HOVER_LIST_LIMIT
    assert names.endswith(f"… and {10_000 - figures.HOVER_LIST_LIMIT} more: filter or see the grid")


def test_health_colours_at_one_score_sit_side_by_side():
    frame = pd.concat([crowd(2), crowd(1).assign(project_id="G1", overall="green")])
    fig = figures.value_risk_bubble(frame, title="x")
    xs = {t.name: float(t.x[0]) for t in fig.data}
    assert xs == {"Green": 3 - 0.27, "Red": 3 + 0.09}


def test_figures_do_not_mutate_input():
    frame = health()
    before = frame.copy()
    figures.division_rag_bar(frame, "overall", title="x")
    figures.value_risk_bubble(frame, title="x")
    pd.testing.assert_frame_equal(frame, before)
