"""Unit tests of the helpers of dashboard/services/data_quality.py - no browser, no database."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.services import data_quality as services
from tests.unit.dashboard.conftest import staleness_health as health


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


def test_freshness_table_sorts_a_staleness_word_it_does_not_know_last():
    frame = health()
    frame["staleness_rag"] = frame["staleness_rag"].astype("string")
    frame.loc[0, "staleness_rag"] = "grey"
    table = services.freshness_table(frame, cadence_days=14)
    assert table["project_id"].tolist() == ["P3", "P2", "P4", "P5", "P1"]
