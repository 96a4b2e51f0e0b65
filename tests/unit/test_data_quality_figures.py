"""Unit tests of the Data & compliance page's figures, components and service helpers - no
browser, no database."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
import pytest
from dash import html

from dashboard.components import data_quality_tables as tables
from dashboard.figures import data_quality as figures
from dashboard.figures.theme import RAG_COLOURS
from dashboard.services import data_quality as services
from tests.conftest import find


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


def health() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "project_id": ["P1", "P2", "P3", "P4", "P5"],
            "name": ["Alpha", "Beta", "=cmd()", "Delta", "Echo"],
            "division": ["Ops", "Ops", "IT", "IT", "IT"],
            "project_manager": ["Ann", "Bob", "Cy", "Di", "Ed"],
            "last_report_date": pd.to_datetime(
                ["2026-11-20", "2026-09-01", None, "2026-11-01", None]
            ),
            "days_since_report": [6.0, 86.0, None, 25.0, None],
            "staleness_rag": pd.Categorical(
                # P5's first report is not due yet: staleness unknown (NA), not green.
                ["green", "red", "red", "amber", None],
                categories=["green", "amber", "red"],
            ),
            "staleness_reason": ["ok", "old", "no report", "late", "not due"],
        }
    )


def runs() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "load_id": [1, 2, 3, 4],
            "file_name": ["plan.xlsx", "plan.xlsx", "status.csv", "plan.xlsx"],
            "status": ["committed", "committed", "committed", "failed"],
            "finished_at": pd.to_datetime(
                ["2026-11-01 09:00", "2026-11-20 10:30", "2026-11-21 08:15", "2026-11-22 07:00"]
            ),
        }
    )


def rejected() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "load_id": [1, 2, 2, 3],
            "source_file": ["plan.xlsx", "plan.xlsx", "plan.xlsx", "status.csv"],
            "source_sheet": ["Plan", "Plan", "Plan", None],
            "source_row": [5, 9, 7, 3],
            "column_name": ["Role", "Role", "FTE", "Report Date"],
            "value": ["", "", "x", "=1+2"],
            "rule": ["required", "required", "not a number", "not a date"],
            "reason": ["row 5 ...", "row 9 ...", "row 7 ...", "row 3 ..."],
            "raw_json": ["{}", "{}", "{}", "{}"],
        }
    )


# ---------------------------------------------------------------------------- figures


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


# ---------------------------------------------------------------------------- services


def test_freshness_table_puts_stopped_reporting_first_and_not_yet_due_last():
    table = services.freshness_table(health(), cadence_days=14)
    assert table["project_id"].tolist() == ["P3", "P2", "P4", "P1", "P5"]
    labels = dict(zip(table["project_id"], table["freshness_label"], strict=True))
    assert labels == {
        "P3": "No report received",
        "P2": "Stopped reporting",
        "P4": "Late",
        "P5": "First report not due yet",
        "P1": "On time",
    }
    overdue = dict(zip(table["project_id"], table["days_overdue"], strict=True))
    assert overdue["P2"] == 72 and overdue["P1"] == 0 and pd.isna(overdue["P3"])


def test_freshness_table_does_not_mutate_input():
    frame = health()
    before = frame.copy()
    services.freshness_table(frame, cadence_days=14)
    pd.testing.assert_frame_equal(frame, before)


def test_current_rejections_keep_only_each_files_latest_committed_load():
    current = services.current_rejections(rejected(), runs())
    # plan.xlsx load 4 failed, so load 2 is its latest committed load; load 1 is superseded.
    assert current[["load_id", "source_row"]].values.tolist() == [[2, 7], [2, 9], [3, 3]]


@pytest.mark.parametrize(
    ("files", "rules", "rows"),
    [
        (None, None, 4),
        ([], [], 4),
        (["plan.xlsx"], None, 3),
        (["plan.xlsx"], ["required"], 2),
        (None, ["not a date"], 1),
        (["x' OR 1=1 --"], [42], 4),
        (["plan.xlsx", "../etc/passwd"], None, 3),
    ],
)
def test_filter_rejected_uses_only_allowlisted_values(files, rules, rows):
    assert len(services.filter_rejected(rejected(), files, rules)) == rows


def test_load_history_lists_newest_first_with_the_kinds_loaded():
    sheets = pd.DataFrame(
        {
            "load_id": [1, 1, 2, 3],
            "sheet_no": [1, 2, 1, 1],
            "kind": [None, "allocations", "allocations", "status_reports"],
        }
    )
    history = services.load_history(runs(), sheets)
    assert history["load_id"].tolist() == [4, 3, 2, 1]
    assert history["kinds"].tolist() == ["", "status_reports", "allocations", "allocations"]
    assert history["loaded_at"].tolist()[-1] == "2026-11-01 09:00"


def test_with_filter_columns_and_worst_first_order():
    checked = pd.DataFrame(
        {
            "project_id": ["P1", "P2", "P3"],
            "division": ["Ops", "Ops", "IT"],
            "score": [100.0, 62.5, 62.5],
            "days_since_report": [3.0, 20.0, 90.0],
        }
    )
    extra = pd.DataFrame(
        {
            "project_id": ["P1", "P2"],
            "portfolio": ["A", "B"],
            "stage": ["Execution", "Planning"],
            "project_manager": ["Ann", "Bob"],
            "overall": ["green", "red"],
        }
    )
    merged = services.with_filter_columns(checked, extra)
    assert merged["portfolio"].tolist()[:2] == ["A", "B"] and pd.isna(merged["overall"].iloc[2])
    ordered = services.worst_compliance_first(merged)
    assert ordered["project_id"].tolist() == ["P3", "P2", "P1"]


def test_rejected_export_has_readable_headers_and_keeps_raw_text():
    frame = services.rejected_export(rejected())
    assert list(frame.columns)[:3] == ["File", "Sheet", "Row"]
    assert frame["Value"].tolist()[-1] == "=1+2"  # neutralised by exports.download, not here


# ---------------------------------------------------------------------------- components


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
