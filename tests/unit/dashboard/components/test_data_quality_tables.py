"""Unit tests of dashboard/components/data_quality_tables.py - no browser, no database."""

from __future__ import annotations

from types import SimpleNamespace

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from dashboard.components import data_quality_tables as tables
from dashboard.formats import GRAPH_CONFIG
from dashboard.services import data_quality as services
from tests.conftest import find
from tests.unit.dashboard.conftest import staleness_health as health


def test_rejected_count_text():
    assert tables.rejected_count_text(20, 20) == "20 rejected rows"
    assert tables.rejected_count_text(4, 20) == "4 of 20 rejected rows"
    assert tables.rejected_count_text(1, 1) == "1 rejected row"
    assert "first 1,000" in tables.rejected_count_text(5000, 9000)


def test_orphans_section_says_all_clear_when_there_are_none():
    empty = pd.DataFrame({c: [] for c in services.ORPHAN_COLUMNS})
    section = tables.orphans_section(empty, grid_id="g")
    assert "No orphans" in section.children
    rows = pd.DataFrame(
        {
            "source_table": ["milestones"],
            "project_id": ["<img src=x onerror=alert(1)>"],
            "load_id": [3],
            "source_file": ["m.csv"],
            "source_sheet": [None],
            "source_row": [7],
        }
    )
    grid = find(tables.orphans_section(rows, grid_id="g"), "g")
    assert grid.rowData[0]["project_id"] == "<img src=x onerror=alert(1)>"
    assert all("cellRenderer" not in c for c in grid.columnDefs)


def test_data_quality_kpis_show_counts_in_words():
    summary = {
        "loads": 241,
        "failed_loads": 0,
        "rejected_rows": 20,
        "rejected_files": 1,
        "orphan_rows": 0,
        "orphan_projects": 0,
        "late_reports": 10,
        "stopped_reporting": 7,
        "average_score": 96.8,
        "projects": 126,
    }
    text = str(tables.data_quality_kpis(summary))
    assert "Rejected rows" in text and "7 stopped reporting" in text and "97 / 100" in text


def test_limit_note_only_when_rows_are_cut():
    assert tables.limit_note(10, "projects") is None
    assert isinstance(tables.limit_note(tables.GRID_ROW_LIMIT + 1, "projects"), html.Small)


def test_milestone_findings_section_lists_each_finding_or_says_none():
    findings = pd.DataFrame(
        {
            "project_id": ["P1"],
            "milestone": ["Design"],
            "baseline_date": pd.to_datetime(["2025-10-01"]),
            "forecast_date": pd.to_datetime([None]),
            "later_achieved": ["Build"],
            "finding": ["..."],
            "name": ["Alpha"],
            "division": ["Ops"],
        }
    )
    heading, wrapper = tables.milestone_findings_section(findings, grid_id="g")
    assert "Milestones without an actual date" in str(heading)
    assert find(wrapper, "g").rowData == [
        {
            "project_id": "P1",
            "name": "Alpha",
            "milestone": "Design",
            "baseline_date": "2025-10-01",
            "later_achieved": "Build",
        }
    ]
    _, empty = tables.milestone_findings_section(findings.iloc[0:0], grid_id="g")
    assert isinstance(empty, dbc.Alert) and empty.id == "g"


def test_every_chart_of_the_page_has_the_one_graph_config():
    reporting = SimpleNamespace(cadence_days=14, stale_red_days=42)
    ids = SimpleNamespace(FRESHNESS_CHART="chart", FRESHNESS_GRID="grid")
    block = tables.freshness_block(services.freshness_table(health(), 14), reporting, ids)
    assert find(html.Div(block), "chart").config is GRAPH_CONFIG
