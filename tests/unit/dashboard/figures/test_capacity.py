"""Unit tests of the capacity figure builders: trace data and labels, never pixels."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from dashboard.figures import capacity as figures
from dashboard.standards import CapacityBands

BANDS = CapacityBands(under=0.7, ok=1.0, over=1.1)
JAN, FEB = pd.Timestamp("2027-01-01"), pd.Timestamp("2027-02-01")


def role_months() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "role": ["Tester", "Architect", "Architect", "Tester"],
            "month": [JAN, JAN, FEB, FEB],
            "supply_fte": [2.0, 5.0, 5.0, 0.0],
            "demand_fte": [1.0, 5.6, 4.0, 0.5],
            "utilisation": [0.5, 1.12, 0.8, np.inf],
            "band": pd.Categorical(
                ["under", "critical", "ok", "critical"], categories=figures.BAND_ORDER
            ),
        }
    )


@pytest.mark.parametrize(
    ("value", "label"),
    [(1.12, "112%"), (0.0, "0%"), (0.996, "100%"), (math.inf, "no supply"), (math.nan, "")],
)
def test_utilisation_label_says_percent_or_why_not(value, label):
    assert figures.utilisation_label(value) == label


@pytest.mark.parametrize(
    ("value", "label"),
    [(1.004, "100.4%"), (0.996, "99.6%"), (1.0, "100%"), (1.1, "110%"), (1.104, "110.4%"),
     (0.698, "69.8%"), (1.02, "102%")],
)  # fmt: skip
def test_utilisation_label_never_rounds_onto_a_band_limit(value, label):
    assert figures.utilisation_label(value, BANDS) == label


def test_utilisation_heatmap_labels_every_cell_and_codes_its_band():
    fig = figures.utilisation_heatmap(role_months(), BANDS, title="Utilisation")
    trace = fig.data[0]
    assert list(trace.y) == ["Architect", "Tester"]
    assert list(trace.x) == ["Jan 2027", "Feb 2027"]
    assert [list(row) for row in trace.text] == [["112%", "80%"], ["50%", "no supply"]]
    # z is the band's position + 0.5 so each band gets one step of the discrete colour scale.
    assert np.asarray(trace.z).tolist() == [[3.5, 1.5], [0.5, 3.5]]
    assert trace.texttemplate == "%{text}"
    assert fig.layout.title.text == "Utilisation"
    assert fig.layout.xaxis.title.text == "Month"
    assert fig.layout.yaxis.title.text == "Role"


def test_utilisation_heatmap_legend_names_bands_with_their_ranges():
    fig = figures.utilisation_heatmap(role_months(), BANDS, title="U")
    bar = fig.data[0].colorbar
    assert list(bar.ticktext) == [
        "under (<70%)",
        "ok (70%-100%)",
        "over (100%-110%)",
        "critical (>110%)",
    ]
    colours = [c[1] for c in fig.data[0].colorscale]
    assert colours == [figures.BAND_COLOURS[b] for b in figures.BAND_ORDER for _ in (0, 1)]


def test_utilisation_heatmap_leaves_missing_cells_blank():
    frame = role_months().iloc[:3]  # no Tester row for February
    fig = figures.utilisation_heatmap(frame, BANDS, title="U")
    assert fig.data[0].text[1][1] == ""
    assert math.isnan(fig.data[0].z[1][1])
    assert fig.data[0].customdata[1][1][2] == "no demand or supply"


def test_utilisation_heatmap_of_nothing_says_so():
    fig = figures.utilisation_heatmap(role_months().iloc[0:0], BANDS, title="U")
    assert not fig.data
    assert fig.layout.annotations[0].text == "No people or demand in this scope"


def test_demand_supply_chart_stacks_demand_by_source_under_a_supply_line():
    totals = pd.DataFrame(
        {
            "month": [JAN, FEB],
            "supply_fte": [10.0, 9.5],
            "Active projects": [8.0, 7.0],
            "Approved requests": [1.0, 0.0],
            "Pipeline (weighted)": [0.0, 0.0],
            "demand_fte": [9.0, 7.0],
        }
    )
    fig = figures.demand_supply_chart(totals, title="Demand vs supply")
    names = [t.name for t in fig.data]
    # The empty pipeline series is left out; the gap up to supply is "unplanned", stacked on
    # top of the booked demand; supply is the last trace.
    assert names == [
        "Demand: active projects",
        "Demand: approved requests",
        "Unplanned: not booked yet (not spare capacity)",
        "Supply (after leave)",
    ]
    assert list(fig.data[0].y) == [8.0, 7.0]
    assert list(fig.data[2].y) == [1.0, 2.5]  # 10 - (8 + 1), 9.5 - (7 + 0)
    assert list(fig.data[-1].y) == [10.0, 9.5]
    assert fig.layout.barmode == "stack"
    assert fig.layout.yaxis.title.text == "Full-time equivalents (FTE)"


def test_demand_supply_chart_hatches_the_pipeline_so_colour_is_not_the_only_signal():
    totals = pd.DataFrame(
        {
            "month": [JAN],
            "supply_fte": [10.0],
            "Active projects": [8.0],
            "Approved requests": [0.0],
            "Pipeline (weighted)": [0.6],
            "demand_fte": [8.6],
        }
    )
    fig = figures.demand_supply_chart(totals, title="D")
    pipeline = next(t for t in fig.data if t.name == "Demand: pipeline (weighted)")
    assert pipeline.marker.pattern.shape == "/"


def test_impact_chart_draws_before_dashed_and_after_solid_per_role():
    impact = pd.DataFrame(
        {
            "role": ["Architect", "Architect", "Tester"],
            "month": [JAN, FEB, JAN],
            "utilisation_before": [0.9, 1.0, 0.5],
            "utilisation_after": [1.2, 1.1, np.inf],
        }
    )
    fig = figures.impact_chart(impact, BANDS, title="Impact")
    assert [t.name for t in fig.data] == [
        "Architect (before)",
        "Architect (after)",
        "Tester (before)",
        "Tester (after)",
    ]
    assert [t.line.dash for t in fig.data] == ["dash", "solid", "dash", "solid"]
    assert list(fig.data[1].y) == [120.0, 110.0]
    assert math.isnan(fig.data[3].y[0])  # no supply: no point rather than an infinite one
    assert fig.layout.shapes[0].y0 == 100
    assert fig.layout.yaxis.title.text == "Utilisation of the role (%)"


def test_impact_chart_of_a_request_with_no_demand_says_so():
    empty = pd.DataFrame(columns=["role", "month", "utilisation_before", "utilisation_after"])
    fig = figures.impact_chart(empty, BANDS, title="I")
    assert fig.layout.annotations[0].text == "This request places no demand in this scope"


def test_demand_supply_chart_shades_months_whose_plans_are_missing():
    totals = pd.DataFrame(
        {"month": [JAN, FEB], "supply_fte": [10.0, 10.0], "Active projects": [12.0, 2.0]}
    )
    coverage = pd.DataFrame(
        {
            "month": [JAN, FEB],
            "running": [10, 10],
            "unplanned": [1, 6],
            "unplanned_share": [0.1, 0.6],
            "not_planned": [False, True],
        }
    )
    fig = figures.demand_supply_chart(totals, title="x", coverage=coverage)
    # Over-booked January has no "unplanned" gap (clipped at 0); February is shaded grey.
    unplanned = next(t for t in fig.data if t.name.startswith("Unplanned"))
    assert list(unplanned.y) == [0.0, 8.0]
    assert [(s.x0, s.x1) for s in fig.layout.shapes] == [(0.5, 1.5)]
    assert fig.layout.annotations[0].text == "Not yet planned →"
