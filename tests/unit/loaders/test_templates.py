"""Unit tests of loaders.templates: the workbook a template is, and how its marker is read."""

from __future__ import annotations

import io
from datetime import date

import numpy as np
import openpyxl
import pandas as pd
import pytest

from loaders import templates
from loaders.read import RawFile, RawSheet

TODAY = date(2026, 12, 2)
LISTS = templates.TemplateLists.from_values(
    divisions=["Operations", "Finance", "Finance", " ", None],
    portfolios=["Run"],
    stages=["Delivery", "Closed"],
    closed_stages=["closed", "cancelled"],
    project_ids=[f"PRJ-{n:03d}" for n in range(1, 301)],
)


def open_template(kind: str, lists: templates.TemplateLists = LISTS) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(templates.build_template(kind, lists, TODAY)))


def rule_for(sheet, column: str):
    return next(
        r for r in sheet.data_validations.dataValidation if str(r.sqref).startswith(f"{column}2:")
    )


def test_from_values_keeps_distinct_non_blank_values_sorted_and_adds_closed_stages():
    assert LISTS.divisions == ("Finance", "Operations")
    # "closed" is already there as "Closed"; "cancelled" is added.
    assert LISTS.stages == ("Closed", "Delivery", "cancelled")


def test_status_report_template_marks_required_columns_and_hints_every_header():
    sheet = open_template("status_reports").worksheets[0]
    headers = {c.value: c for c in sheet[1]}

    assert list(headers)[:3] == ["Project ID", "Report date", "Overall RAG"]
    assert headers["Report date"].comment.text.startswith("Required. The date the report describes")
    assert headers["Summary"].comment.text == "What happened since the last report."
    assert headers["Overall RAG"].fill.fgColor.rgb.endswith("1F4E79")
    assert headers["Summary"].fill.fgColor.rgb.endswith("D9E1F2")
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].number_format == "yyyy-mm-dd"
    assert sheet.column_dimensions["H"].number_format == "0%"


def test_drop_downs_point_at_the_hidden_lists_sheet():
    book = open_template("status_reports")
    sheet = book.worksheets[0]
    lists = book[templates.LISTS_SHEET]

    projects = rule_for(sheet, "A")
    rag = rule_for(sheet, "C")

    assert lists.sheet_state == "hidden"
    # 300 ids are far past Excel's 255-character inline list: a range on the lists sheet.
    assert projects.formula1 == "'_pmo_lists'!$A$2:$A$301"
    assert projects.errorStyle == "warning"  # a new project id may be typed
    assert rag.errorStyle == "stop"
    column = rag.formula1.split("!")[1].replace("$", "")
    assert [c[0].value for c in lists[column]] == ["Green", "Amber", "Red"]
    assert str(rag.sqref) == f"C2:C{templates.INPUT_ROWS + 1}"


def test_number_limits_are_the_loaders_own():
    people = open_template("resources").worksheets[0]
    fte = next(c.column_letter for c in people[1] if c.value == "FTE")
    rule = rule_for(people, fte)
    assert (rule.type, rule.formula1, rule.formula2) == ("decimal", "0", "1")
    requests = open_template("requests").worksheets[0]
    urgency = next(c.column_letter for c in requests[1] if c.value == "Urgency")
    score = rule_for(requests, urgency)
    assert (score.type, score.formula1, score.formula2) == ("whole", "1", "5")


def test_a_list_with_no_values_gets_no_drop_down():
    sheet = open_template("projects", templates.TemplateLists()).worksheets[0]
    division = next(c.column_letter for c in sheet[1] if c.value == "Division")
    assert not [
        r for r in sheet.data_validations.dataValidation if str(r.sqref).startswith(division)
    ]


def test_resource_plan_has_a_column_per_month_for_twelve_months_from_today():
    columns = templates.template_columns("allocations", LISTS, date(2026, 12, 31))
    months = [c.header for c in columns if c.column == "fte"]
    assert months == ["2026-12", *(f"2027-{m:02d}" for m in range(1, 12))]
    assert [c.header for c in columns[:4]] == ["Project ID", "Request ID", "Resource ID", "Role"]
    assert "Fill one of Project ID or Request ID." in columns[0].hint


def test_marker_sheet_names_kind_version_and_data_sheet():
    book = open_template("raid")
    marker = book[templates.MARKER_SHEET]
    values = {row[0]: row[1] for row in marker.iter_rows(values_only=True)}
    assert marker.sheet_state == "hidden"
    assert values["kind"] == "raid"
    assert values["version"] == templates.CURRENT_VERSION
    assert values["data_sheet"] == book.worksheets[0].title == "RAID log"
    assert values["generated"] == "2026-12-02"


@pytest.mark.parametrize(
    ("kind", "version"),
    [("budgets", templates.CURRENT_VERSION), ("raid", 99), ("work_items", 1)],
)
def test_build_template_refuses_unknown_kinds_and_versions(kind, version):
    with pytest.raises(ValueError, match=r"never issued|no template"):
        templates.build_template(kind, LISTS, TODAY, version=version)


def raw_file(cells: list[list[str | None]], *, names=("Status report",)) -> RawFile:
    grid = pd.DataFrame(cells, dtype="string")
    sheets = [RawSheet(name=n, grid=pd.DataFrame(), row_numbers=np.empty(0)) for n in names]
    marker = RawSheet(
        name=templates.MARKER_SHEET, grid=grid, row_numbers=np.arange(1, len(cells) + 1)
    )
    return RawFile(path=None, file_format="xlsx", sheets=[*sheets, marker])


def test_find_marker_reads_kind_version_and_sheet():
    cells = [["kind", "status_reports"], ["version", "1"], ["data_sheet", "Status report"]]
    found = templates.find_marker(raw_file(cells))
    assert found == templates.Marker("status_reports", 1, "Status report")
    assert found.label == "PMO Lens template status_reports v1"


@pytest.mark.parametrize(
    "cells",
    [
        [["kind", "budgets"], ["version", "1"], ["data_sheet", "Status report"]],
        [["kind", "raid"], ["version", "one"], ["data_sheet", "Status report"]],
        [["kind", "raid"], ["version", "1"], ["data_sheet", "Renamed"]],
        [["kind", "raid"]],
    ],
)
def test_find_marker_distrusts_a_damaged_marker(cells):
    assert templates.find_marker(raw_file(cells)) is None


def test_version_note_says_when_a_template_is_outdated(monkeypatch):
    monkeypatch.setattr(templates, "CURRENT_VERSION", 3)
    old = templates.Marker("raid", 2, "RAID log")
    assert templates.version_note(old) == (
        "PMO Lens template raid v2 (outdated: the current template is v3)"
    )
    assert templates.version_note(templates.Marker("raid", 3, "RAID log")) == (
        "PMO Lens template raid v3"
    )


def test_template_filename_names_kind_version_and_day():
    assert templates.template_filename("status_reports", TODAY) == (
        f"pmo-template-status-reports-v{templates.CURRENT_VERSION}-2026-12-02.xlsx"
    )
