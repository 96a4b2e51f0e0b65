"""Integration tests: imitations of each PM tool's export layout map onto work_items/allocations.

The files are written by tests/fixtures/make_corpus.py from the tools' documented column sets.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.ingest import FileReport, parse_file
from loaders.validate import Options
from tests.fixtures import make_corpus

TOOLS = [
    "ms_project_export.xlsx",
    "jira_export.csv",
    "azure_devops.csv",
    "asana_export.csv",
    "smartsheet_export.xlsx",
    "smartsheet_hierarchy.xlsx",
    "primavera_p6.xlsx",
    "wide_resource_plan.xlsx",
]


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return make_corpus.build(tmp_path_factory.mktemp("tools"), TOOLS)


def table(exports, name: str, **options):
    report: FileReport = parse_file(exports[name], Options(**options))
    assert report.status == "ok", report.message
    (sheet,) = [s for s in report.sheets if s.kind]
    assert sheet.rows_read == sheet.rows_loaded + sheet.rows_rejected + sheet.rows_ignored
    return sheet, sheet.staged.sort_values("source_row").reset_index(drop=True)


def test_ms_project_summary_tasks_parents_durations_and_milestones(exports):
    sheet, rows = table(exports, "ms_project_export.xlsx", project="PRJ-1")
    assert sheet.kind == "work_items"
    assert sheet.ignored == [
        (2, "summary task (its subtasks are loaded)"),
        (6, "summary task (its subtasks are loaded)"),
    ]
    assert rows["item_id"].tolist() == ["102", "103", "104", "106"]
    assert rows["parent"].tolist() == ["101", "101", "101", "105"]
    assert rows["project_id"].unique().tolist() == ["PRJ-1"]
    assert rows["estimate_hours"].tolist() == [40.0, 40.0, 0.0, 12.0]  # Duration, 8 h days
    assert rows["is_milestone"].tolist() == [False, False, True, False]
    assert rows["percent_complete"].tolist() == [1.0, 0.2, 0.0, 0.0]


def test_ms_project_without_project_says_how_to_load_it(exports):
    report = parse_file(exports["ms_project_export.xlsx"], Options())
    assert report.status == "failed" and "--project ID" in report.message


def test_jira_cloud_csv(exports):
    sheet, rows = table(exports, "jira_export.csv")
    assert sheet.columns["Issue key"] == "item_id" and sheet.columns["Summary"] == "name"
    assert sheet.columns["Custom field (Start date)"] == "start_date"
    assert rows["item_id"].tolist() == ["PAY-1", "PAY-2"]
    assert rows["project_id"].tolist() == ["PAY", "PAY"]
    assert rows["sprints"].tolist() == ["PAY Sprint 1 | PAY Sprint 2", "PAY Sprint 2"]
    assert rows["spent_hours"].tolist()[0] == 4.0  # 14,400 seconds
    assert rows["status_category"].tolist() == ["done", "doing"]
    assert str(rows["finish_date"][0].date()) == "2026-01-15"
    assert "Labels" in sheet.unmapped


def test_azure_devops_csv(exports):
    _sheet, rows = table(exports, "azure_devops.csv", project="HR-PORTAL", date_order="mdy")
    assert rows["item_id"].tolist() == ["4101", "4102"]
    assert rows["sprints"].tolist() == ["HR\\Sprint 7", "HR\\Sprint 7"]
    assert rows["status_category"].tolist() == ["doing", "done"]
    assert str(rows["finish_date"][0].date()) == "2026-01-30"


def test_asana_csv_completed_tasks_are_done(exports):
    _, rows = table(exports, "asana_export.csv")
    assert rows["project_id"].tolist() == ["Brand refresh", "Brand refresh"]
    assert rows["status_category"].tolist() == ["done", "todo"]
    assert rows["parent"].tolist()[1] == "Brief agency"


def test_smartsheet_export(exports):
    sheet, rows = table(exports, "smartsheet_export.xlsx", project="WEB")
    assert rows["name"].tolist() == ["Discovery", "Interviews", "Design"]
    assert rows["item_id"].tolist() == ["row-2", "row-3", "row-4"]
    assert rows["percent_complete"].tolist() == [1.0, 1.0, 0.3]
    assert "RAG" in sheet.unmapped


def test_smartsheet_indented_rows_give_parents_and_parent_rows_are_summaries(exports):
    sheet, rows = table(exports, "smartsheet_hierarchy.xlsx", project="WEB")
    assert rows["name"].tolist() == ["Interviews", "Coding", "Build"]
    assert rows["parent"].fillna("").tolist() == ["Discovery", "Synthesis", ""]
    summary = "summary task (its subtasks are loaded)"
    assert sorted(sheet.ignored) == [(2, summary), (4, summary), (6, "blank row")]


def test_primavera_codes_row_and_labels_row(exports):
    sheet, rows = table(exports, "primavera_p6.xlsx", project="PRJ")
    assert sheet.header_row == 1
    assert sheet.ignored == [(2, "repeated header row")]
    assert rows["item_id"].tolist() == ["A1000", "A1010"]
    assert rows["parent"].tolist() == ["PRJ.1", "PRJ.2"]
    assert rows["estimate_hours"].tolist() == [40.0, 400.0]


def test_wide_resource_plan_is_unpivoted(exports):
    sheet, rows = table(exports, "wide_resource_plan.xlsx")
    assert sheet.kind == "allocations"
    first = rows[rows["resource_id"] == "E-1"]
    assert [str(m.date()) for m in first["month"]] == [
        "2026-01-01",
        "2026-02-01",
        "2026-03-01",
        "2026-06-01",
    ]
    assert first["fte"].tolist() == [0.5, 0.5, 0.5, 1.0]
    assert len(rows[rows["resource_id"] == "E-2"]) == 6
