"""Integration tests: imitations of real exports (issue 10) load on the first try.

One case per file of tests/fixtures/exports.py: the detected kind, the header row, the
accounting (read = loaded + rejected + ignored), the key column mappings and the messages that
say what the loader decided. Expected values are worked out by hand from the fixture rows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from loaders.__main__ import main
from loaders.ingest import FileReport, ingest, parse_file
from loaders.settings import load_settings
from loaders.validate import Options, SheetResult
from tests.fixtures import exports
from tests.fixtures.store import query

TODAY = date(2026, 2, 1)


@dataclass(frozen=True)
class Case:
    """What one export must come out as."""

    file: str
    kind: str
    header_row: int
    counts: tuple[int, int, int, int]  # read, loaded, rejected, ignored
    columns: dict[str, str]
    messages: tuple[str, ...] = ()
    options: dict = field(default_factory=dict)
    ignored: tuple[tuple[int, str], ...] = ()
    values: dict[str, list] = field(default_factory=dict)
    sheet: str | None = None


CASES = [
    Case(
        "jira_all_fields.csv",
        "work_items",
        1,
        (3, 3, 0, 0),
        {
            "Issue key": "item_id",
            "Summary": "name",
            "Project key": "project_id",
            "Original estimate": "estimate_hours",
            "Time Spent": "spent_hours",
        },
        (
            "'Σ Original Estimate': roll-up of 'Original estimate', not loaded",
            "'Σ Time Spent': roll-up of 'Time Spent', not loaded",
            "'Project name': 'Project key' loaded as project_id instead",
        ),
        # 57,600 s = 16 h; the epic's own estimate is empty and its roll-up is not used
        values={"estimate_hours": [math.nan, 16.0, 16.0], "spent_hours": [math.nan, 8.0, math.nan]},
    ),
    Case(
        "jira_current_fields.csv",
        "work_items",
        1,
        (2, 2, 0, 0),
        {"Issue key": "item_id", "Project": "project_id"},
        values={"status_category": ["todo", "done"], "project_id": ["Ops Tooling"] * 2},
    ),
    Case(
        "jira_worklogs.csv",
        "timesheets",
        1,
        (4, 4, 0, 0),
        {"Author": "resource_id", "Started": "work_date", "Time Spent": "hours"},
        (
            "project taken from the issue key",
            "1 time entry added to another entry of the same person, project and day",
        ),
        # Ana's two sessions on PAY on 5 January: 7,200 s + 3,600 s = 3 h
        values={
            "resource_id": ["Ana Diaz", "Sam Lee", "Kim Park"],
            "project_id": ["PAY", "PAY", "OPS"],
            "hours": [3.0, 4.0, 0.5],
        },
    ),
    Case(
        "smartsheet_project.xlsx",
        "work_items",
        1,
        (3, 3, 0, 0),
        {"Task Name": "name", "Assigned To": "assignee", "Baseline Finish": "baseline_finish"},
        ("item ids made from row numbers (no id column)",),
        {"project": "WEB"},
        values={"item_id": ["row-2", "row-3", "row-4"], "estimate_hours": [80.0, 112.0, 0.0]},
        sheet="Website Redesign",
    ),
    Case(
        "smartsheet_tasks.csv",
        "work_items",
        1,
        (2, 2, 0, 0),
        {"Tasks": "name", "Finish": "finish_date"},
        ("item ids made from row numbers",),
        {"project": "VEN", "date_order": "mdy"},
        values={"percent_complete": [1.0, 0.25]},
    ),
    Case(
        "asana_custom_fields.csv",
        "work_items",
        1,
        (2, 2, 0, 0),
        {"Task ID": "item_id", "Type (1210558)": "item_type", "Projects": "project_id"},
        ("'Type (1207341)': empty; 'Type (1210558)' loaded as item_type",),
        values={"item_type": ["Milestone", "Task"], "status_category": ["done", "doing"]},
    ),
    Case(
        "monday_board.xlsx",
        "work_items",
        4,
        (6, 3, 0, 3),
        {"Name": "name", "Person": "assignee", "Date": "finish_date", "Item ID": "item_id"},
        options={"project": "MKT"},
        ignored=((7, "blank row"), (8, "group title row"), (9, "repeated header row")),
        values={"item_id": ["90001", "90002", "90003"], "status_category": ["done", "doing", None]},
    ),
    Case(
        "monday_subitems.xlsx",
        "work_items",
        3,
        (5, 4, 0, 1),
        {"Name": "name", "Owner": "assignee", "Due date": "finish_date"},
        ("2 subitem(s) loaded under their items (monday.com layout)",),
        {"project": "LAUNCH"},
        ignored=((5, "subitems header row"),),
        values={
            "name": ["Prepare press kit", "Draft copy", "Photos", "Book studio"],
            "parent": [None, "Prepare press kit", "Prepare press kit", None],
            "assignee": ["Ana Diaz", "Sam Lee", None, "Kim Park"],
            "status_category": ["doing", "done", "doing", None],
            "finish_date": [
                date(2026, 3, 1),
                date(2026, 2, 20),
                date(2026, 2, 25),
                date(2026, 3, 5),
            ],
        },
    ),
    Case(
        "msproject_task_table.xlsx",
        "work_items",
        1,
        (4, 3, 0, 1),
        {"ID": "item_id", "Name": "name", "Resource Names": "assignee"},
        ("'Outline Number': 'ID' loaded as item_id instead",),
        {"project": "MIG"},
        ignored=((2, "summary task (its subtasks are loaded)"),),
        values={"item_id": ["2", "3", "4"], "parent": ["1", "1", None]},
        sheet="Task_Table",
    ),
    Case(
        "planner_tasks.xlsx",
        "work_items",
        5,
        (2, 2, 0, 0),
        {"Task ID": "item_id", "Task Name": "name", "Due Date": "finish_date"},
        options={"project": "MOVE", "date_order": "mdy"},
        values={"status_category": ["done", None]},  # done: it has a Completed Date
    ),
    Case(
        "trello_board.csv",
        "work_items",
        1,
        (3, 3, 0, 0),
        {"Card ID": "item_id", "List Name": "status", "Board Name": "project_id"},
        values={"status_category": ["doing", "todo", "done"]},
    ),
    Case(
        "clickup_tasks.csv",
        "work_items",
        1,
        (2, 2, 0, 0),
        {"Time Estimated": "estimate_hours", "Time Logged": "spent_hours"},
        ("'List Name': 'Status' loaded as status instead",),
        {"project": "PLAT"},
        values={"estimate_hours": [16.0, 8.0], "spent_hours": [6.5, math.nan]},
    ),
    Case(
        "wrike_tasks.xlsx",
        "work_items",
        1,
        (2, 2, 0, 0),
        {"ID": "item_id", "Title": "name", "Duration": "estimate_hours"},
        options={"project": "LAUNCH"},
        values={"estimate_hours": [40.0, 40.0], "status_category": ["done", "doing"]},
    ),
    Case(
        "notion_tasks.csv",
        "work_items",
        1,
        (2, 2, 0, 0),
        {"Name": "name", "Due": "finish_date", "Project": "project_id"},
        ("item ids made from row numbers",),
        values={"item_id": ["row-2", "row-3"]},
    ),
    Case(
        "servicenow_project_tasks.csv",
        "work_items",
        1,
        (2, 2, 0, 0),
        {"Number": "item_id", "Short description": "name", "State": "status"},
        options={"project": "NET"},
        values={"status_category": ["done", "doing"], "percent_complete": [1.0, 0.3]},
    ),
    Case(
        "p6_activities.xlsx",
        "work_items",
        1,
        (2, 2, 0, 0),
        {"Activity ID": "item_id", "WBS Code": "parent", "Activity % Complete": "percent_complete"},
        options={"project": "BRG"},
        values={"percent_complete": [1.0, 0.4]},
    ),
    Case(
        "harvest_time.csv",
        "timesheets",
        1,
        (3, 3, 0, 0),
        {"Date": "work_date", "Project": "project_id", "Hours": "hours"},
        (
            "person taken from First Name + Last Name",
            "'Project Code': empty; 'Project' loaded as project_id",
        ),
        values={"resource_id": ["Ana Diaz", "Ana Diaz", "Sam Lee"], "hours": [3.5, 1.0, 6.25]},
    ),
    Case(
        "toggl_detailed.csv",
        "timesheets",
        1,
        (4, 3, 0, 1),
        {"User": "resource_id", "Start date": "work_date", "Duration": "hours"},
        ("'Email': 'User' loaded as resource_id instead", "1 time entry added"),
        ignored=((5, "totals row"),),
        values={"hours": [2.25, 8.0]},  # 1:30:00 + 0:45:00
    ),
    Case(
        "clockify_detailed.csv",
        "timesheets",
        1,
        (2, 2, 0, 0),
        {"User": "resource_id", "Duration (h)": "hours", "Start Date": "work_date"},
        ("'Duration (decimal)': repeats 'Duration (h)' (loaded as hours), not loaded",),
        {"date_order": "mdy"},
        values={"hours": [2.25, 1.0]},
    ),
    Case(
        "tempo_worklogs.xlsx",
        "timesheets",
        1,
        (2, 2, 0, 0),
        {"Username": "resource_id", "Project Key": "project_id", "Work date": "work_date"},
        ("'Full name': 'Username' loaded as resource_id instead",),
        values={"hours": [2.5, 4.0]},
    ),
    Case(
        "register_names_only.xlsx",
        "projects",
        4,
        (3, 3, 0, 0),
        {"Project Name": "name", "Budget": "budget"},
        (
            "project ids made from the project names (no id column), "
            "e.g. 'Website Redesign' -> 'WEBSITE-REDESIGN'",
            "division 'Corporate' (--division / [loading].default_division) given to 3 row(s)",
        ),
        {"division": "Corporate"},
        values={"project_id": ["WEBSITE-REDESIGN", "DATA-PLATFORM", "CAFE-WI-FI"]},
    ),
    Case(
        "register_footer.xlsx",
        "projects",
        1,
        (5, 2, 0, 3),
        {"Project ID": "project_id", "RAG Status": "reported_rag"},
        ignored=((4, "blank row"), (5, "footer line"), (6, "footer line")),
    ),
    Case(
        "status_log.csv",
        "status_reports",
        1,
        (3, 3, 0, 0),
        {"Project": "project_id", "Overall RAG": "overall_rag"},
    ),
    Case(
        "raid_log.xlsx",
        "raid",
        1,
        (2, 2, 0, 0),
        {"#": "raid_id", "Impact (High/Med/Low)": "impact", "Likelihood": "probability"},
        (
            "RAID type 'risk' taken from the sheet 'Risks'",
            "RAID ids made from the project, the type and its '#', e.g. 'P-101-R1'",
            "impact given in words, read as 'High' = 4, 'Med' = 3",
            "RAID status read as the nearest allowed value: 'Opne' as 'open'",
        ),
        values={"raid_id": ["P-101-R1", "P-101-R2"], "probability": [0.3, 0.5]},
        sheet="Risks",
    ),
    Case(
        "Impediments.csv",
        "raid",
        1,
        (2, 2, 0, 0),
        {"Impediment": "title", "Raised": "raised_date"},
        (
            "RAID type 'issue' taken from the file name",
            "RAID ids made from the project, the type and the row number (no id column)",
        ),
        values={"raid_id": ["P-101-I2", "P-101-I3"], "status": ["open", "closed"]},
    ),
    Case(
        "raid_log_single_sheet.xlsx",
        "raid",
        1,
        (3, 3, 0, 0),
        {"Type": "raid_type", "Severity": "severity"},
        (
            "RAID type read as the nearest allowed value: 'Dependancy' as 'dependency'",
            "severity read as the nearest allowed value: 'Hgh' as 'high'",
        ),
        values={"severity": ["high", "critical", "low"]},
        sheet="RAID Log",
    ),
    Case(
        "resource_plan.xlsx",
        "allocations",
        1,
        (3, 2, 0, 1),
        {"Resource": "resource_id", "Jan-26": "month 2026-01"},
        ("ignored columns: Total",),
        ignored=((4, "totals row"),),
    ),
    Case(
        "resource_list.csv",
        "resources",
        1,
        (2, 2, 0, 0),
        {"Job Title": "role", "Department": "division", "Day Rate": "cost_rate"},
        values={"cost_rate": [550.0, 600.0]},
    ),
    Case(
        "intake_form.xlsx",
        "requests",
        1,
        (2, 2, 0, 0),
        {"Request Title": "title", "Requested By": "sponsor", "Department": "division"},
        ("request status read as the nearest allowed value: 'Aproved' as 'approved'",),
        values={"status": ["under_review", "approved"]},
    ),
    Case(
        "ms_forms_intake.csv",
        "requests",
        1,
        (2, 2, 0, 0),
        {"ID": "request_id", "Project title": "title", "Completion time": "submitted_date"},
        ("'Name': 'Project title' loaded as title instead",),
        {"date_order": "mdy"},
        values={
            "title": ["Self-service portal", "Contract archive"],
            "submitted_date": [date(2026, 1, 12), date(2026, 1, 13)],
        },
    ),
    Case(
        "milestone_tracker.csv",
        "milestones",
        1,
        (2, 2, 0, 0),
        {"Milestone": "milestone", "Forecast Date": "forecast_date"},
        ("'Forecast Date (column D)': empty; 'Forecast Date (column E)' loaded as forecast_date",),
        values={"forecast_date": [date(2026, 2, 8), date(2026, 6, 30)]},
    ),
    Case(
        "register_with_pivot.xlsx",
        "projects",
        1,
        (2, 2, 0, 0),
        {"Project ID": "project_id"},
        sheet="Data",
    ),
    Case(
        "workbook_bad_sibling.xlsx",
        "projects",
        1,
        (1, 1, 0, 0),
        {"Project ID": "project_id"},
        sheet="Register",
    ),
]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return exports.build(tmp_path_factory.mktemp("exports"))


def the_sheet(report: FileReport, name: str | None) -> SheetResult:
    tables = [s for s in report.sheets if s.kind and (name is None or s.sheet == name)]
    assert len(tables) == 1, [(s.sheet, s.kind, s.message) for s in report.sheets]
    return tables[0]


def test_the_corpus_is_large_enough_and_every_file_has_a_case():
    assert len(exports.BUILDERS) >= 30
    covered = {c.file for c in CASES} | {"empty_template.xlsx"}
    assert covered == set(exports.BUILDERS)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.file)
def test_export_loads_as_expected(files, case: Case):
    report = parse_file(files[case.file], Options(**case.options))
    assert report.status == "ok", report.message
    for sheet in report.sheets:  # the accounting holds on every sheet, tables or not
        assert sheet.rows_read == sheet.rows_loaded + sheet.rows_rejected + sheet.rows_ignored
    sheet = the_sheet(report, case.sheet)
    assert sheet.kind == case.kind
    assert sheet.header_row == case.header_row
    counts = (sheet.rows_read, sheet.rows_loaded, sheet.rows_rejected, sheet.rows_ignored)
    assert counts == case.counts, [(r.row, r.reason) for r in sheet.rejects]
    assert {h: sheet.columns.get(h) for h in case.columns} == case.columns
    for text in case.messages:
        assert text in sheet.message
    if case.ignored:
        assert sheet.ignored == list(case.ignored)
    rows = sheet.staged.sort_values("source_row")
    for column, expected in case.values.items():
        got = [None if _missing(v) else v for v in rows[column].tolist()]
        got = [v.date() if hasattr(v, "date") else v for v in got]
        want = [None if _missing(v) else v for v in expected]
        assert got == want, column


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def test_every_raid_sheet_takes_its_type_from_its_name(files):
    report = parse_file(files["raid_log.xlsx"], Options())
    by_sheet = {s.sheet: s.staged for s in report.sheets}
    assert by_sheet["Risks"]["raid_type"].tolist() == ["risk", "risk"]
    assert by_sheet["Issues"]["raid_id"].tolist() == ["P-102-I1"]
    assert by_sheet["Issues"]["status"].tolist() == ["closed"]  # 'Mitgated' -> mitigated
    assert by_sheet["Decisions"]["raid_type"].tolist() == ["decision"]
    assert by_sheet["Risks"]["impact"].tolist() == [4.0, 3.0]


def test_register_without_division_says_how_to_give_one(files):
    report = parse_file(files["register_names_only.xlsx"], Options())
    assert report.status == "failed"
    assert "without a division column: load it with --division NAME" in report.message


def test_empty_template_with_a_footer_has_no_data_rows(files):
    report = parse_file(files["empty_template.xlsx"], Options())
    assert report.status == "failed" and "the file has no data rows" in report.message
    (sheet,) = report.sheets
    assert sheet.ignored == [(2, "blank row"), (3, "blank row"), (4, "footer line")]


def test_pivot_sheet_is_structure_and_never_fails_the_register(files):
    report = parse_file(files["register_with_pivot.xlsx"], Options())
    pivot = next(s for s in report.sheets if s.sheet == "Pivot")
    assert pivot.kind is None and pivot.rows_rejected == 0
    assert {why for _, why in pivot.ignored} == {"sheet ignored: pivot table or summary, not data"}
    assert pivot.rows_ignored == 4


def test_a_sheet_that_cannot_be_classified_never_fails_its_sibling(files):
    report = parse_file(files["workbook_bad_sibling.xlsx"], Options())
    assert report.status == "ok"
    assert "sheet 'Milestones' not loaded: looks like milestones but has no column for " in (
        report.message
    )
    assert "baseline_date" in report.message


def test_a_table_sheet_missing_a_column_fails_alone_and_its_rows_are_rejected(files):
    # --kind projects forces both sheets: the milestone sheet lacks a name and a division.
    report = parse_file(files["workbook_bad_sibling.xlsx"], Options(kind="projects"))
    assert report.status == "ok", report.message
    register = next(s for s in report.sheets if s.sheet == "Register")
    milestones = next(s for s in report.sheets if s.sheet == "Milestones")
    assert register.rows_loaded == 1
    assert milestones.rows_rejected == 2 and milestones.rows_loaded == 0
    assert "sheet 'Milestones' not loaded (no column for 'name'" in report.message


# ------------------------------------------------------------------ through the database


def test_project_names_resolve_to_register_ids_and_the_rest_are_orphans(files, tmp_path):
    data_dir = tmp_path / "data"
    ingest([files["register_footer.xlsx"]], data_dir, today=TODAY)
    dry = ingest([files["status_log.csv"]], data_dir, today=TODAY, dry_run=True)
    assert "'Website Redesign' -> 'P-101'" in dry.files[0].message  # a dry run says so too
    report = ingest([files["status_log.csv"], files["harvest_time.csv"]], data_dir, today=TODAY)
    status, harvest = report.files
    assert status.status == "ok" and harvest.status == "ok"
    assert "project names matched to register ids: 'Website Redesign' -> 'P-101', " in (
        status.message
    )
    assert "'data platform' -> 'P-102'" in status.message
    assert "not in the register: 'Websit Redesgn' (closest: 'Website Redesign')" in status.message
    assert "1 row(s) refer to a project not in the register" in status.message
    rows = query(data_dir, "SELECT project_id, report_date FROM status_reports ORDER BY 2, 1")
    assert rows == [
        ("Websit Redesgn", date(2026, 1, 23)),
        ("P-101", date(2026, 1, 30)),
        ("P-102", date(2026, 1, 30)),
    ]
    hours = query(data_dir, "SELECT resource_id, project_id, hours FROM timesheets ORDER BY hours")
    assert hours == [
        ("Ana Diaz", "P-102", 1.0),
        ("Ana Diaz", "P-101", 3.5),
        ("Sam Lee", "P-101", 6.25),
    ]


def test_ids_made_from_names_are_stable_across_loads(files, tmp_path):
    data_dir = tmp_path / "data"
    options = Options(division="Corporate")
    first = ingest([files["register_names_only.xlsx"]], data_dir, options, today=TODAY)
    assert first.files[0].message.startswith("3 new, 0 changed, 0 unchanged records")
    copy = tmp_path / "register again.xlsx"  # other bytes, same rows
    exports.BUILDERS["register_names_only.xlsx"](tmp_path)
    (tmp_path / "register_names_only.xlsx").rename(copy)
    again = ingest([copy], data_dir, options, today=TODAY)
    assert again.files[0].message.startswith("0 new, 0 changed, 3 unchanged records")
    assert query(data_dir, "SELECT DISTINCT division FROM projects") == [("Corporate",)]


def test_cli_division_flag_and_pmo_toml_default(files, tmp_path, capsys):
    standards = tmp_path / "pmo.toml"
    standards.write_text('[loading]\ndate_order = "dmy"\ndefault_division = "Group PMO"\n')
    assert load_settings(str(tmp_path / "d"), str(standards)).default_division == "Group PMO"
    data_dir = tmp_path / "data"
    path = str(files["register_names_only.xlsx"])
    common = ["--data-dir", str(data_dir), "--standards", str(standards), "--json"]
    assert main(["ingest", path, *common, "--division", "Shared Services"]) == 0
    capsys.readouterr()
    assert query(data_dir, "SELECT DISTINCT division FROM projects") == [("Shared Services",)]
    other = tmp_path / "other"
    assert main(["ingest", path, "--data-dir", str(other), "--standards", str(standards)]) == 0
    assert query(other, "SELECT DISTINCT division FROM projects") == [("Group PMO",)]


def test_kind_risks_gives_the_raid_type_when_no_name_says_it(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("Title,Project ID,Owner,Probability\nSupplier late,P-101,Ana,40%\n")
    # nothing in the file or its name says these are risks: read as tasks
    assert parse_file(path, Options()).sheets[0].kind == "work_items"
    report = parse_file(path, Options(kind="risks"))
    (sheet,) = report.sheets
    assert report.status == "ok" and sheet.kind == "raid"
    assert sheet.staged["raid_type"].tolist() == ["risk"]
    assert sheet.staged["raid_id"].tolist() == ["P-101-R2"]
    assert "RAID type 'risk' taken from --kind" in sheet.message


def test_a_sheet_that_cannot_be_read_fails_alone(tmp_path):
    from tests.fixtures.xlsx_parts import write_xlsx

    path = tmp_path / "book.xlsx"
    sheets = [
        ("Register", [["Project ID", "Project Name", "Division"], ["P-1", "A", "Ops"]]),
        ("Broken", [["x"]]),
    ]
    write_xlsx(path, sheets, extra_parts={"xl/worksheets/sheet2.xml": b"<worksheet><sheetData"})
    report = parse_file(path, Options())
    assert report.status == "ok" and report.totals() == (1, 1, 0, 0)
    assert "sheet 'Broken' not loaded: the sheet cannot be read: the workbook is corrupt" in (
        report.message
    )
    alone = tmp_path / "alone.xlsx"
    write_xlsx(alone, sheets[1:], extra_parts={"xl/worksheets/sheet1.xml": b"<worksheet><sh"})
    report = parse_file(alone, Options())  # nothing else to load: the file fails
    assert report.status == "failed" and report.message.startswith("sheet 'Broken': the workbook")
