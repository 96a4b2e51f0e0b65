"""Integration tests for issue 10 patterns 6 and 7: files -> ingest -> DuckDB. No browser.

Working days by hand, 2026: March has 22 (it starts on a Sunday), April 22 (starts on a
Wednesday), May 21 (starts on a Friday). 16-31 March holds 12 of them, 1-15 May 11.
"""

from __future__ import annotations

from datetime import date, datetime

import openpyxl
import pytest

from loaders.ingest import ingest
from loaders.validate import Options
from tests.fixtures.store import query

TODAY = date(2026, 11, 26)


def test_a_month_column_of_dec_26_loads_as_months(tmp_path, data_dir):
    path = tmp_path / "plan.csv"
    path.write_text(
        "Project ID,Resource,Role,Month,FTE\n"
        "P-1,ana,Developer,Dec-26,0.5\n"
        "P-1,ana,Developer,Jan-27,0.25\n"
        "P-1,bob,Tester,2026/12,1\n"
        "P-1,cy,Analyst,December 2026,0.2\n"
        "P-1,dee,PM,Q4,0.2\n",
        encoding="utf-8",
    )
    report = ingest([path], data_dir, Options(), today=TODAY)
    (sheet,) = report.files[0].sheets
    assert sheet.kind == "allocations"
    assert (sheet.rows_read, sheet.rows_loaded, sheet.rows_rejected) == (5, 4, 1)
    assert sheet.rejects[0].row == 6 and sheet.rejects[0].column == "Month"
    assert sheet.rejects[0].reason.startswith("'Q4' is not a month (e.g. 2026-12, Dec-26")
    assert query(
        data_dir, "SELECT resource_id, month, fte FROM allocations ORDER BY resource_id, month"
    ) == [
        ("ana", date(2026, 12, 1), 0.5),
        ("ana", date(2027, 1, 1), 0.25),
        ("bob", date(2026, 12, 1), 1.0),
        ("cy", date(2026, 12, 1), 0.2),
    ]


def test_from_to_allocation_sheet_loads_monthly_fte(tmp_path, data_dir):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Allocations"
    sheet.append(["Project", "Resource", "Role", "From", "To", "% Allocation"])
    # Typed date cells in one row, day-first text in the other (16/03 decides the column).
    sheet.append(["P-1", "ana", "Developer", datetime(2026, 3, 16), datetime(2026, 5, 15), 0.5])
    sheet.append(["P-2", "bob", "Tester", "01/04/2026", "30/04/2026", 1])
    sheet.append(["P-2", "cy", "Tester", "16/03/2026", "01/03/2026", 1])
    path = tmp_path / "ranges.xlsx"
    book.save(path)
    report = ingest([path], data_dir, Options(), today=TODAY)
    (result,) = report.files[0].sheets
    assert result.kind == "allocations"
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (3, 2, 1)
    assert result.rejects[0].row == 4 and result.rejects[0].reason == "'To' is before 'From'"
    assert "spread over their months by working days" in result.message
    rows = query(
        data_dir,
        "SELECT project_id, resource_id, month, fte, source_row FROM allocations "
        "ORDER BY project_id, month",
    )
    assert [r[:3] for r in rows] == [
        ("P-1", "ana", date(2026, 3, 1)),
        ("P-1", "ana", date(2026, 4, 1)),
        ("P-1", "ana", date(2026, 5, 1)),
        ("P-2", "bob", date(2026, 4, 1)),
    ]
    assert [r[3] for r in rows] == pytest.approx([0.5 * 12 / 22, 0.5, 0.5 * 11 / 21, 1.0])
    assert [r[4] for r in rows] == [2, 2, 2, 3]


def test_a_tracker_with_status_words_and_a_timeline_loads(tmp_path, data_dir):
    path = tmp_path / "board.csv"
    path.write_text(
        "Name,Owner,Progress,Timeline,Baseline Finish\n"
        "Design,ana,Done,2026-03-03 - 2026-04-10,TBD\n"
        "Build,bob,Working on it,Mon 2 Mar 2026 - Fri 10 Apr 2026,1970-01-01\n"
        "Test,cy,Not started,,00/00/0000\n",
        encoding="utf-8",
    )
    report = ingest([path], data_dir, Options(project="P-1"), today=TODAY)
    (sheet,) = report.files[0].sheets
    assert sheet.kind == "work_items" and sheet.rows_loaded == 3 and not sheet.rejects
    assert "holds status words (Done, Working on it, Not started)" in sheet.message
    assert query(
        data_dir,
        "SELECT name, status, status_category, start_date, finish_date, baseline_finish "
        "FROM work_items ORDER BY source_row",
    ) == [
        ("Design", "Done", "done", date(2026, 3, 3), date(2026, 4, 10), None),
        ("Build", "Working on it", "doing", date(2026, 3, 2), date(2026, 4, 10), None),
        ("Test", "Not started", "todo", None, None, None),
    ]


def test_dotted_wbs_codes_from_a_workbook(tmp_path, data_dir):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["WBS", "Task Name"])
    # Text cells keep 1.10; a number cell holding 1.10 is the number 1.1 in the file.
    for code, name in (("1.1", "a"), ("1.10", "b"), ("2.3.1", "c"), (1.2, "d"), (1.20, "e")):
        sheet.append([code, name])
    path = tmp_path / "plan.xlsx"
    book.save(path)
    report = ingest([path], data_dir, Options(project="P-1"), today=TODAY)
    (result,) = report.files[0].sheets
    assert (result.rows_loaded, result.rows_rejected) == (3, 2)
    assert "repeats dotted codes (1.2)" in result.message
    assert query(data_dir, "SELECT item_id FROM work_items ORDER BY source_row") == [
        ("1.1",),
        ("1.10",),
        ("2.3.1",),
    ]
