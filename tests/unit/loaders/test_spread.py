"""Unit tests for loaders.spread: allocation ranges to fte per month - no browser.

Working days by hand, 2026 (1 Jan is a Thursday): March starts on a Sunday and has 22 working
days (2-6, 9-13, 16-20, 23-27, 30-31); April starts on a Wednesday and has 22 (1-3, 6-10, 13-17,
20-24, 27-30); May starts on a Friday and has 21 (1, 4-8, 11-15, 18-22, 25-29).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loaders.read import STRING, RawSheet
from loaders.spread import spread_months
from loaders.validate import Options, process_sheet

D = dt.date
EPOCH = D(1970, 1, 1)


def days(*dates: D) -> np.ndarray:
    return np.array([(d - EPOCH).days for d in dates], dtype=np.int64)


def sheet(rows: list[list]) -> RawSheet:
    grid = pd.DataFrame(rows, dtype=STRING)
    grid.columns = range(grid.shape[1])
    return RawSheet("Plan", grid, np.arange(1, len(rows) + 1))


def test_spread_months_by_working_days():
    pieces = spread_months(days(D(2026, 3, 16)), days(D(2026, 5, 15)))
    assert pieces["row"].tolist() == [0, 0, 0]
    assert pieces["month"].astype(str).tolist() == ["2026-03-01", "2026-04-01", "2026-05-01"]
    # 16-31 March: 12 of 22; all of April: 22 of 22; 1-15 May: 11 of 21.
    assert pieces["share"] == pytest.approx([12 / 22, 1.0, 11 / 21])
    # Of the range's 12 + 22 + 11 = 45 working days.
    assert pieces["range_share"] == pytest.approx([12 / 45, 22 / 45, 11 / 45])


def test_a_month_the_range_only_touches_on_a_weekend_gets_nothing():
    # Fri 27 Feb to Sun 1 Mar 2026: one of February's 20 working days (2-6, 9-13, 16-20,
    # 23-27); 1 March is a Sunday, so March gets no row.
    pieces = spread_months(days(D(2026, 2, 27)), days(D(2026, 3, 1)))
    assert pieces["month"].astype(str).tolist() == ["2026-02-01"]
    assert pieces["share"] == pytest.approx([1 / 20])


def test_several_ranges_keep_their_rows():
    pieces = spread_months(days(D(2026, 4, 1), D(2026, 3, 2)), days(D(2026, 4, 30), D(2026, 3, 6)))
    assert pieces["row"].tolist() == [0, 1]
    assert pieces["share"] == pytest.approx([1.0, 5 / 22])


@settings(deadline=None, max_examples=100)
@given(
    st.dates(min_value=D(2000, 1, 1), max_value=D(2040, 1, 1)),
    st.integers(min_value=0, max_value=900),
)
def test_range_shares_add_up_to_one(start, length):
    end = start + dt.timedelta(days=length)
    pieces = spread_months(days(start), days(end))
    if np.busday_count(start, end + dt.timedelta(days=1)) == 0:
        assert len(pieces["row"]) == 0
    else:
        assert pieces["range_share"].sum() == pytest.approx(1.0)
        assert ((pieces["share"] > 0) & (pieces["share"] <= 1)).all()


HEADER = ["Project", "Resource", "Role", "From", "To", "% Allocation"]


def test_a_range_plan_sheet_loads_monthly_fte():
    result = process_sheet(
        sheet(
            [
                HEADER,
                ["P-1", "ana", "Developer", "16/03/2026", "15/05/2026", "50%"],
                ["P-1", "bob", "Tester", "2026-04-01", "2026-04-30", "100"],
            ]
        ),
        Options(),
    )
    assert result.kind == "allocations"
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (2, 2, 0)
    assert "spread over their months by working days" in result.message
    staged = result.staged
    assert staged["source_row"].tolist() == [2, 2, 2, 3]
    assert staged["month"].astype(str).tolist() == [
        "2026-03-01",
        "2026-04-01",
        "2026-05-01",
        "2026-04-01",
    ]
    assert staged["fte"].tolist() == pytest.approx([0.5 * 12 / 22, 0.5, 0.5 * 11 / 21, 1.0])
    assert staged["resource_id"].tolist() == ["ana", "ana", "ana", "bob"]
    assert staged["project_id"].tolist() == ["P-1"] * 4


def test_start_end_allocation_percent_and_hours():
    rows = [
        ["Project ID", "Person", "Start", "End", "Allocation %", "Planned Hours"],
        ["P-1", "ana", "2026-03-16", "2026-05-15", "0.5", "120"],
    ]
    result = process_sheet(sheet(rows), Options())
    assert result.kind == "allocations" and result.rows_loaded == 1
    assert result.staged["fte"].tolist() == pytest.approx([12 / 44, 0.5, 11 / 42])
    # 120 hours over 45 working days: 12, 22 and 11 of them.
    assert result.staged["hours"].tolist() == pytest.approx([32.0, 120 * 22 / 45, 120 * 11 / 45])


def test_an_fte_column_is_read_as_fte():
    rows = [
        ["Project", "Resource", "From", "To", "FTE"],
        ["P-1", "ana", "2026-04-01", "2026-04-30", "0.8"],
    ]
    result = process_sheet(sheet(rows), Options())
    assert result.staged["fte"].tolist() == pytest.approx([0.8])


def test_bad_ranges_are_rejected_with_reasons_and_accounted():
    rows = [
        HEADER,
        ["P-1", "ana", "Dev", "2026-05-10", "2026-05-01", "50"],
        ["P-1", "bob", "Dev", "2026-03-07", "2026-03-08", "50"],  # a weekend
        ["P-1", "cy", "Dev", "2026-03-02", None, "50"],
        ["P-1", "dee", "Dev", None, "2026-03-02", "50"],
        ["P-1", "eve", "Dev", "2026-03-02", "2046-03-02", "50"],
        ["P-1", "fay", "Dev", "2026-03-02", "soon", "50"],
        ["P-1", "gus", "Dev", "2026-03-02", "2026-03-31", "lots"],
        ["P-1", "hal", "Dev", "2026-03-02", "2026-03-31", "50"],
    ]
    result = process_sheet(sheet(rows), Options())
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (8, 1, 7)
    reasons = {r.row: r.reason for r in result.rejects}
    assert reasons[2] == "'To' is before 'From'"
    assert reasons[3] == "the range holds no working day (Monday to Friday)"
    assert reasons[4] == "the allocation has no end ('To'): give the last day"
    assert reasons[5] == "the allocation has no start ('From'): give the first day"
    assert reasons[6] == "the range spans more than 10 years: check the years"
    assert reasons[7] == "'soon' is not a valid date"
    assert "'lots' is not a percentage" in reasons[8]
    columns = {r.row: r.column for r in result.rejects}
    assert (columns[2], columns[4], columns[5], columns[7]) == ("To", "To", "From", "To")


def test_day_first_in_either_end_decides_both():
    # 16/03 in From is only day-first, so To's 01/04 is 1 April, not 4 January.
    rows = [HEADER, ["P-1", "ana", "Dev", "16/03/2026", "01/04/2026", "100%"]]
    result = process_sheet(sheet(rows), Options())
    assert result.staged["month"].astype(str).tolist() == ["2026-03-01", "2026-04-01"]
    assert result.staged["fte"].tolist() == pytest.approx([12 / 22, 1 / 22])


def test_overlapping_ranges_for_one_person_and_project_name_both_rows():
    rows = [
        HEADER,
        ["P-1", "ana", "Dev", "2026-03-02", "2026-03-13", "50"],
        ["P-1", "ana", "Dev", "2026-03-16", "2026-04-30", "100"],
    ]
    result = process_sheet(sheet(rows), Options())
    # Both fall in March 2026: one (project, person, role, month) key from two rows.
    assert result.rows_rejected == 2
    assert all(
        "duplicate key in file" in r.reason and "rows 2, 3" in r.reason for r in result.rejects
    )


def test_a_month_column_beside_start_and_end_is_a_plain_long_plan():
    rows = [
        ["Project", "Resource", "Month", "Start", "End", "FTE"],
        ["P-1", "ana", "Dec-26", "2026-12-01", "2026-12-31", "0.5"],
    ]
    result = process_sheet(sheet(rows), Options())
    assert result.kind == "allocations" and "spread" not in result.message
    assert result.staged["month"].astype(str).tolist() == ["2026-12-01"]
    assert result.staged["fte"].tolist() == [0.5]


def test_a_request_and_role_range_plan():
    rows = [
        ["Request ID", "Role", "From", "To", "Allocation"],
        ["R-7", "Architect", "2026-04-01", "2026-04-30", "0.25"],
    ]
    result = process_sheet(sheet(rows), Options())
    assert result.kind == "allocations" and result.rows_loaded == 1
    staged = result.staged
    assert staged["request_id"].tolist() == ["R-7"] and staged["role"].tolist() == ["Architect"]
    assert staged["project_id"].isna().all() and staged["resource_id"].isna().all()
    assert staged["fte"].tolist() == pytest.approx([0.25])


def test_a_month_per_row_plan_with_a_percentage_allocation():
    rows = [
        ["Project", "Resource", "Month", "% Allocation", "Planned Hours"],
        ["P-1", "ana", "Dec-26", "50%", "80"],
        ["P-1", "bob", "2026-12", "100", None],
        ["P-1", "cy", None, "20", None],
        ["P-1", "dee", "Q4", "20", None],
    ]
    result = process_sheet(sheet(rows), Options())
    assert result.kind == "allocations" and "spread" not in result.message
    assert (result.rows_loaded, result.rows_rejected) == (2, 2)
    staged = result.staged
    assert staged["month"].astype(str).tolist() == ["2026-12-01", "2026-12-01"]
    # A whole month is the whole share: the allocation and the hours as written.
    assert staged["fte"].tolist() == pytest.approx([0.5, 1.0])
    assert staged["hours"].tolist()[0] == pytest.approx(80.0)
    reasons = {r.row: r.reason for r in result.rejects}
    assert reasons[4] == "'month' is empty: a allocations row needs it"
    assert reasons[5].startswith("'Q4' is not a month")


def test_an_allocation_column_without_a_percent_mark_is_fte():
    rows = [
        ["Project", "Resource", "From", "To", "Allocation"],
        ["P-1", "ana", "2026-04-01", "2026-04-30", "0.5"],
        ["P-1", "bob", "2026-04-01", "2026-04-30", "50"],
    ]
    result = process_sheet(sheet(rows), Options())
    assert result.staged["fte"].tolist() == pytest.approx([0.5])
    assert result.rejects[0].row == 3 and "50 is outside 0–2 FTE" in result.rejects[0].reason
