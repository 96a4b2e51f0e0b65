"""Unit tests for loaders.project_names: rows that name their project get the register's id."""

from __future__ import annotations

import pandas as pd

from loaders.ingest_report import FileReport
from loaders.project_names import resolve_project_names
from loaders.sheet_result import SheetResult

REGISTER = [("P-1", "Payroll Upgrade"), ("P-2", "Warehouse Move")]


def status_file(projects: list[str]) -> tuple[FileReport, SheetResult]:
    """A file with one status sheet whose rows give these project values."""
    staged = pd.DataFrame({"project_id": pd.array(projects, dtype="string")})
    sheet = SheetResult(sheet="Status", kind="status_reports", header_row=1, staged=staged)
    return FileReport(file="status.csv", status="ok", message="", sheets=[sheet]), sheet


def test_names_become_ids_and_misspelt_names_get_the_closest_register_names():
    report, sheet = status_file(["payroll upgrade", "P-2", "Warehouse Mvoe", "Unknown thing"])
    resolve_project_names(REGISTER, [report])
    assert list(sheet.staged["project_id"]) == ["P-1", "P-2", "Warehouse Mvoe", "Unknown thing"]
    notes = (
        "project names matched to register ids: 'payroll upgrade' -> 'P-1'; "
        "not in the register: 'Warehouse Mvoe' (closest: 'Warehouse Move')"
    )
    assert sheet.message == notes
    assert report.message == "sheet 'Status': " + notes


def test_no_register_leaves_the_rows_as_they_are():
    report, sheet = status_file(["Payroll Upgrade"])
    resolve_project_names([], [report])
    assert list(sheet.staged["project_id"]) == ["Payroll Upgrade"]
    assert sheet.message == "" and report.message == ""


def test_a_register_sheet_in_the_same_batch_counts():
    report, sheet = status_file(["Payroll Upgrade"])
    register = pd.DataFrame(
        {
            "project_id": pd.array(["P-9"], dtype="string"),
            "name": pd.array(["Payroll Upgrade"], dtype="string"),
        }
    )
    report.sheets.append(
        SheetResult(sheet="Register", kind="projects", header_row=1, staged=register)
    )
    resolve_project_names([], [report])
    assert list(sheet.staged["project_id"]) == ["P-9"]
