"""Unit tests of the project page's plotly figures: trace data and labels, never pixels."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from dashboard.analytics.rag import RAG_DTYPE
from dashboard.figures import project as figures
from dashboard.figures.theme import RAG_COLOURS

T = pd.Timestamp


def health_history() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "as_of": [T("2026-03-01"), T("2026-06-01"), T("2026-07-01")],
            "reported_rag": pd.Categorical(["green", "green", None], dtype=RAG_DTYPE),
            "overall": pd.Categorical(["green", "red", "amber"], dtype=RAG_DTYPE),
            "overall_reason": ["all fine", "cost: CPI 0.60 < 0.80 → red", "schedule: amber"],
            "watermelon": [False, True, False],
        }
    )


def test_rag_history_chart_plots_reported_and_computed_on_a_worded_axis():
    fig = figures.rag_history_chart(health_history(), title="RAG over time")
    reported, computed, melon = fig.data
    off = figures.OFFSET
    assert reported.name == "Reported by the team"
    # Green = 0, Amber = 1, Red = 2; reported just above the line, computed just below;
    # an unknown reported RAG leaves a gap.
    assert list(reported.y) == [0 + off, 0 + off, None]
    assert list(computed.y) == [0 - off, 2 - off, 1 - off]
    assert list(computed.marker.color) == [RAG_COLOURS[k] for k in ("green", "red", "amber")]
    assert list(computed.text) == ["Green", "Red", "Amber"]
    assert list(reported.text) == ["Green", "Green", "Unknown"]
    assert list(computed.customdata)[1] == "cost: CPI 0.60 < 0.80 → red"
    assert melon.name.startswith("Watermelon") and list(melon.x) == [T("2026-06-01")]
    assert list(fig.layout.yaxis.ticktext) == ["Green", "Amber", "Red"]
    assert fig.layout.yaxis.title.text == "RAG"
    assert fig.layout.title.text == "RAG over time"


def test_rag_history_chart_without_watermelons_has_no_watermelon_trace():
    frame = health_history().assign(watermelon=False)
    fig = figures.rag_history_chart(frame, title="x")
    assert [t.name for t in fig.data] == ["Reported by the team", "Computed from the numbers"]


def earned_value() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "date": [T("2026-01-01"), T("2026-01-11"), T("2026-01-21"), T("2026-01-31")],
            "point": ["start", "report", "report", "baseline finish"],
            "budget": 3000.0,
            "planned_share": [0.0, 1 / 3, 2 / 3, 1.0],
            "planned_value": [0.0, 1000.0, 2000.0, 3000.0],
            "percent_complete": [np.nan, 0.25, 0.5, np.nan],
            "earned_value": [np.nan, 750.0, 1500.0, np.nan],
            "actual_cost": [np.nan, 1000.0, np.nan, np.nan],
            "spi": [np.nan, 0.75, 0.75, np.nan],
            "cpi": [np.nan, 0.75, np.nan, np.nan],
        }
    )


def test_earned_value_chart_draws_pv_over_the_plan_and_ev_ac_at_reports():
    fig = figures.earned_value_chart(
        earned_value(), budget=3000.0, eac=3500.0, currency="GBP", title="EVM"
    )
    pv, ev, ac = fig.data
    assert list(pv.y) == [0.0, 1000.0, 2000.0, 3000.0]
    assert list(ev.x) == [T("2026-01-11"), T("2026-01-21")]
    assert list(ev.y) == [750.0, 1500.0]
    first, second = ac.y
    assert first == 1000.0 and np.isnan(second)
    assert [s.y0 for s in fig.layout.shapes] == [3000.0, 3500.0]
    assert [a.text for a in fig.layout.annotations] == ["Budget (BAC) £3,000", "EAC £3,500"]
    assert fig.layout.yaxis.title.text == "Cumulative cost (GBP)"
    assert fig.layout.xaxis.title.text == "Date"


def test_earned_value_chart_leaves_out_missing_reference_lines():
    fig = figures.earned_value_chart(
        earned_value(), budget=None, eac=np.nan, currency="EUR", title="x"
    )
    assert len(fig.layout.shapes) == 0


def timeline() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "milestone": ["Design", "Go-live", "Go-live"],
            "baseline_date": [T("2026-03-01"), T("2026-05-01"), T("2026-07-01")],
            "expected_date": [T("2026-03-20"), T("2026-05-01"), T("2026-09-01")],
            "slip_to": [T("2026-03-20"), T("2026-06-01"), T("2026-09-01")],
            "status": ["achieved", "overdue", "upcoming"],
            "slip_days": [19.0, 31.0, 62.0],
            "slip_rag": pd.Categorical(["amber", "amber", "red"], dtype=RAG_DTYPE),
        }
    )


def test_milestone_chart_joins_baseline_to_where_the_slip_runs_and_says_it_in_words():
    fig = figures.milestone_chart(timeline(), as_of=date(2026, 6, 1), title="Milestones")
    by_name = {t.name: t for t in fig.data}
    assert list(by_name["Baseline"].x) == [T("2026-03-01"), T("2026-05-01"), T("2026-07-01")]
    amber, red = by_name["Slip: Amber"], by_name["Slip: Red"]
    # A repeated name gets its row number, so both Go-lives get their own line.
    assert list(amber.y) == ["Design", "Go-live (2)"]
    assert list(amber.x) == [T("2026-03-20"), T("2026-06-01")]  # overdue: runs to as-of
    assert list(amber.text) == ["+19 d · Amber", "+31 d · Amber · overdue"]
    assert list(red.text) == ["+62 d · Red · upcoming"]
    assert amber.marker.color == RAG_COLOURS["amber"]
    assert list(fig.layout.yaxis.categoryarray) == ["Go-live (3)", "Go-live (2)", "Design"]
    assert fig.layout.shapes[0].x0 == "2026-06-01"
    assert fig.layout.annotations[0].text == "as of 2026-06-01"
    assert fig.layout.xaxis.title.text.startswith("Date")


def test_milestone_chart_of_no_milestones_still_builds():
    fig = figures.milestone_chart(timeline().iloc[0:0], as_of=date(2026, 6, 1), title="None")
    assert fig.layout.title.text == "None"


def test_figures_do_not_mutate_input():
    frames = [health_history(), earned_value(), timeline()]
    before = [f.copy() for f in frames]
    figures.rag_history_chart(frames[0], title="x")
    figures.earned_value_chart(frames[1], budget=1.0, eac=2.0, currency="GBP", title="x")
    figures.milestone_chart(frames[2], as_of=date(2026, 6, 1), title="x")
    for frame, copy in zip(frames, before, strict=True):
        pd.testing.assert_frame_equal(frame, copy)
