"""Unit tests for loaders.content: columns routed by their values, not their headers."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from loaders.content import status_words_in
from loaders.read import STRING, RawSheet
from loaders.validate import Options, process_sheet

D = dt.date


def sheet(rows: list[list]) -> RawSheet:
    grid = pd.DataFrame(rows, dtype=STRING)
    grid.columns = range(grid.shape[1])
    return RawSheet("Sheet", grid, np.arange(1, len(rows) + 1))


def dates(values: pd.Series) -> list:
    return [None if pd.isna(v) else v.date() for v in values]


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (
            ["Done", "In progress", None, "Not started", "Done"],
            ["Done", "In progress", "Not started"],
        ),
        (["done", " N/A ", "IN PROGRESS"], ["done", "IN PROGRESS"]),
        (["Done", "Waiting on client"], ["Done", "Waiting on client"]),  # half known is enough
        (["45%", "Done"], None),  # a number among them: a progress column with a typo
        (["Done", "Alpha", "Beta"], None),  # mostly unknown words: free text
        (["0.5", "1"], None),
        ([None, "-", ""], None),
        ([f"state {i}" for i in range(60)], None),
    ],
)
def test_status_words_in(cells, expected):
    assert status_words_in(pd.Series(cells, dtype=STRING)) == expected


def test_progress_words_become_the_work_item_status():
    rows = [
        ["Task Name", "Progress", "% Complete"],
        ["Design", "Done", "100%"],
        ["Build", "In progress", "40%"],
        ["Test", "Not started", None],
    ]
    result = process_sheet(sheet(rows), Options(project="P-1"))
    assert result.kind == "work_items" and result.rows_loaded == 3 and not result.rejects
    assert result.columns["Progress"] == "status"
    assert result.columns["% Complete"] == "percent_complete"
    staged = result.staged
    assert staged["status"].tolist() == ["Done", "In progress", "Not started"]
    assert staged["status_category"].tolist() == ["done", "doing", "todo"]
    assert staged["percent_complete"].tolist()[:2] == [1.0, 0.4]
    assert (
        "column 'Progress' holds status words (Done, In progress, Not started), not "
        "percentages: loaded as status" in result.message
    )


def test_progress_words_feed_status_category_when_status_is_taken():
    rows = [
        ["Task Name", "Status", "Progress"],
        ["Design", "Closed", "Done"],
        ["Build", "Open", "In progress"],
    ]
    result = process_sheet(sheet(rows), Options(project="P-1"))
    assert result.columns["Progress"] == "status_category"
    assert result.staged["status"].tolist() == ["Closed", "Open"]
    assert result.staged["status_category"].tolist() == ["done", "doing"]


def test_progress_words_in_a_register_are_not_loaded_with_a_reason():
    rows = [
        ["Project ID", "Project Name", "Division", "Progress"],
        ["P-1", "Apollo", "Ops", "Done"],
        ["P-2", "Zeus", "Ops", "On hold"],
    ]
    result = process_sheet(sheet(rows), Options())
    assert result.rows_loaded == 2 and not result.rejects
    assert "Progress" in result.unmapped
    assert (
        "column 'Progress' holds status words (Done, On hold), not percentages: not loaded "
        "(projects have no status column)" in result.message
    )
    assert result.staged["percent_complete"].isna().all()


def test_real_percentages_stay_percentages():
    rows = [["Task Name", "Progress"], ["Design", "100%"], ["Build", "done"]]
    result = process_sheet(sheet(rows), Options(project="P-1"))
    assert result.columns["Progress"] == "percent_complete"
    assert [r.row for r in result.rejects] == [3]


def test_a_timeline_column_feeds_start_and_finish():
    rows = [
        ["Name", "Timeline"],
        ["Design", "2026-03-03 - 2026-04-10"],
        ["Build", "Mar 3 – Apr 10, 2026"],
        ["Review", "Dec 20 – Jan 10, 2027"],
        ["Test", "2026-05-01"],
        ["Ship", None],
    ]
    result = process_sheet(sheet(rows), Options(project="P-1"))
    assert result.kind == "work_items" and result.rows_loaded == 5 and not result.rejects
    assert result.columns == {
        "Name": "name",
        "Timeline (start)": "start_date",
        "Timeline (finish)": "finish_date",
    }
    assert "Timeline" not in result.unmapped
    staged = result.staged
    assert dates(staged["start_date"]) == [
        D(2026, 3, 3),
        D(2026, 3, 3),
        D(2026, 12, 20),
        D(2026, 5, 1),
        None,
    ]
    assert dates(staged["finish_date"]) == [
        D(2026, 4, 10),
        D(2026, 4, 10),
        D(2027, 1, 10),
        None,
        None,
    ]
    assert (
        "column 'Timeline' holds date ranges (e.g. '2026-03-03 - 2026-04-10'): "
        "read as start date and finish date" in result.message
    )


def test_a_range_in_a_finish_column_keeps_the_mapped_start():
    rows = [
        ["Task Name", "Start", "End Date"],
        ["Design", "2026-03-01", "03/03/2026 - 10/04/2026"],
        ["Build", "2026-03-02", "13/04/2026"],
    ]
    result = process_sheet(sheet(rows), Options(project="P-1"))
    assert not result.rejects
    staged = result.staged
    # Start is mapped already: only the finish part is read; 13/04 makes the column day-first.
    assert dates(staged["start_date"]) == [D(2026, 3, 1), D(2026, 3, 2)]
    assert dates(staged["finish_date"]) == [D(2026, 4, 10), D(2026, 4, 13)]
    assert "read as finish date" in result.message


def test_a_range_where_no_pair_exists_is_rejected_with_a_reason():
    rows = [
        ["Project ID", "Report Date", "Overall RAG"],
        ["P-1", "03/03/2026 - 10/03/2026", "Green"],
    ]
    result = process_sheet(sheet(rows), Options())
    assert result.rejects[0].reason.endswith(
        "is a date range (a start and a finish): it fits a start or finish column, not this one"
    )


def test_plain_date_columns_are_left_alone():
    rows = [["Task Name", "Start", "Finish"], ["Design", "2026-03-01", "2026-03-05"]]
    result = process_sheet(sheet(rows), Options(project="P-1"))
    assert result.columns == {"Task Name": "name", "Start": "start_date", "Finish": "finish_date"}
    # The only note is the made-up item id; nothing about ranges or re-routed columns.
    assert result.message == "item ids made from row numbers (no id column): row-<n>"


def test_dotted_codes_stay_text_ids():
    rows = [["WBS", "Task Name"], ["1.1", "a"], ["1.10", "b"], ["1.2", "c"], ["2.3.1", "d"]]
    result = process_sheet(sheet(rows), Options(project="P-1"))
    assert result.staged["item_id"].tolist() == ["1.1", "1.10", "1.2", "2.3.1"]
    assert "dotted codes" not in result.message


def test_a_repeated_dotted_code_says_what_excel_may_have_done():
    rows = [["WBS", "Task Name"], ["1.1", "a"], ["1.2", "b"], ["1.1", "j (was 1.10)"]]
    result = process_sheet(sheet(rows), Options(project="P-1"))
    assert [r.row for r in result.rejects] == [2, 4]
    assert "duplicate key in file (P-1 / 1.1) on rows 2, 4" in result.rejects[0].reason
    assert (
        "column 'WBS' repeats dotted codes (1.1): Excel may have stored 1.10 as the number 1.1, "
        "which cannot be told apart; format the column as Text in Excel and export again"
        in result.message
    )


def test_status_words_are_judged_on_the_whole_column_not_the_first_rows():
    late_words = pd.Series([""] * 2500 + ["Done", "In progress"], dtype=STRING)
    assert status_words_in(late_words) == ["Done", "In progress"]
    late_number = pd.Series(["Done"] * 2500 + ["45%"], dtype=STRING)
    assert status_words_in(late_number) is None


def test_both_ends_of_ranges_share_one_day_month_order():
    # Only the finish 13/04/2026 is unambiguous: it makes the whole column day-first.
    rows = [["Task Name", "Timeline"], ["a", "03/04/2026 - 13/04/2026"], ["b", "05/03/2026"]]
    result = process_sheet(sheet(rows), Options(project="P-1"))
    assert not result.rejects
    assert dates(result.staged["start_date"]) == [D(2026, 4, 3), D(2026, 3, 5)]
    assert dates(result.staged["finish_date"]) == [D(2026, 4, 13), None]
    declared = process_sheet(
        sheet([["Task Name", "Timeline"], ["a", "04/03/2026 - 04/13/2026"]]),
        Options(project="P-1", date_order="mdy"),
    )
    assert dates(declared.staged["start_date"]) == [D(2026, 4, 3)]
