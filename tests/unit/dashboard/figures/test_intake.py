"""Unit tests of the intake figure builders: trace data and labels, never pixels."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.figures import intake as figures


def frontier() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "budget": [100.0, 200.0, 300.0, 400.0],
            "value": [np.nan, 80.0, 150.0, 150.0],
            "cost": [np.nan, 180.0, 290.0, 290.0],
            "selected_count": [0, 1, 2, 2],
            "selected_ids": ["", "R1", "R1, R2", "R1, R2"],
            "added_ids": ["", "R1", "R2", ""],
            "status": ["infeasible", "optimal", "node_limit", "optimal"],
        }
    )


def test_frontier_chart_steps_through_feasible_budgets_and_marks_the_choice():
    fig = figures.frontier_chart(
        frontier(),
        budget=250.0,
        chosen_value=80.0,
        chosen_cost=180.0,
        currency="GBP",
        title="Frontier",
    )
    line, choice = fig.data
    assert list(line.x) == [200.0, 300.0, 400.0]  # the infeasible level is left out
    assert list(line.y) == [80.0, 150.0, 150.0]
    assert line.line.shape == "hv"
    # A level where the search was capped is drawn open and says so on hover.
    assert list(line.marker.symbol) == ["circle", "circle-open", "circle"]
    assert [c[2] for c in line.customdata] == ["optimal", "best found", "optimal"]
    assert list(choice.x) == [250.0] and list(choice.y) == [80.0]
    assert choice.text[0] == "Your budget £250: 80 points"
    assert fig.layout.shapes[0].x0 == 250.0
    assert fig.layout.xaxis.title.text == "Budget (GBP)"
    assert fig.layout.yaxis.title.text == "Total weighted score of the set (points)"
    assert fig.layout.title.text == "Frontier"


def test_score_breakdown_stacks_each_criterions_points_for_the_best_requests():
    ranked = pd.DataFrame(
        {
            "request_id": ["R1", "R2", "R3"],
            "score": [100.0, 60.0, np.nan],
            "urgency_points": [70.0, 20.0, np.nan],
            "risk_points": [30.0, 40.0, np.nan],
        }
    )
    criteria = [
        {"column": "urgency", "label": "Urgency"},
        {"column": "risk", "label": "Risk"},
        {"column": "reach", "label": "Reach"},  # not weighted: no points column, no trace
    ]
    fig = figures.score_breakdown(ranked, criteria, title="Breakdown", top_n=5)
    assert [t.name for t in fig.data] == ["Urgency", "Risk"]
    # Best at the top of a horizontal bar chart = last in the category order.
    assert list(fig.data[0].y) == ["R2", "R1"]
    assert list(fig.data[0].x) == [20.0, 70.0]
    assert fig.layout.barmode == "stack"
    assert fig.layout.xaxis.title.text == "Weighted score (points, best request = 100)"
