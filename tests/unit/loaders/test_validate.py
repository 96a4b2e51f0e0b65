"""Unit tests for loaders.validate: accounting, structural rows, distinct-value coercion."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from loaders import distinct
from loaders.hashing import hidden_columns, row_hashes
from loaders.kinds import TABLES
from loaders.read import STRING, RawSheet
from loaders.validate import Options, canonical_dtype, coerce_value, process_sheet


def sheet_of(rows: list[list], name: str | None = None, **extra) -> RawSheet:
    grid = pd.DataFrame(rows, dtype=STRING)
    grid.columns = range(grid.shape[1])
    return RawSheet(name, grid, np.arange(1, len(rows) + 1), **extra)


HEADER = ["Project ID", "Project Name", "Division", "Budget"]


def test_blank_totals_and_repeated_header_rows_are_ignored_and_accounted():
    rows = [
        HEADER,
        ["P-1", "A", "Ops", "10"],
        ["  ", None, "", None],
        ["project id", "Project name", "DIVISION", "Budget"],
        [None, "Grand Total", None, "10"],
        ["P-2", "B", None, "x"],
    ]
    result = process_sheet(sheet_of(rows), Options())
    assert result.ignored == [(3, "blank row"), (4, "repeated header row"), (5, "totals row")]
    assert result.rows_loaded == 1 and [r.row for r in result.rejects] == [6]
    assert "(and 1 more problem)" in result.rejects[0].reason
    assert result.rows_read == 5


def test_an_invalid_required_value_is_one_problem_not_also_an_empty_cell():
    rows = [["Project ID", "Report Date", "Overall RAG"], ["P-1", "31/02/2026", "Green"]]
    result = process_sheet(sheet_of(rows), Options(kind="status_reports"))
    assert [r.row for r in result.rejects] == [2]
    reason = result.rejects[0].reason
    assert result.rejects[0].column == "Report Date" and "31/02/2026" in reason
    assert "more problem" not in reason


def test_merged_range_fills_the_data_area_and_says_so():
    rows = [HEADER, ["P-1", "A", "Ops", "1"], ["P-2", "B", None, "2"]]
    raw = sheet_of(rows, "S", merged=[(1, 2, 2, 2)])
    result = process_sheet(raw, Options())
    assert result.staged["division"].tolist() == ["Ops", "Ops"]
    assert "merged cells filled down: C2:C3" in result.message


def test_two_row_header_combines_group_labels():
    rows = [
        [None, None, "Baseline", "Baseline"],
        ["Project ID", "Project Name", "Start", "Finish"],
        ["P-1", "A", "2026-01-01", "2026-02-01"],
    ]
    result = process_sheet(sheet_of(rows), Options(kind="projects"))
    assert result.header_row == 2
    assert result.columns["Baseline Finish"] == "baseline_finish"


@pytest.mark.parametrize("value_type", ["date", "rag", "percent", "id", "text", "money"])
def test_distinct_value_coercion_matches_direct_coercion(value_type):
    rng = np.random.default_rng(0)
    pools = {
        "date": ["2026-01-05", "05/03/2026", "TBD", "", "45356"],
        "rag": ["G", "Amber", "red", "Purple", None],
        "percent": ["45", "0.5", "100%", "x", ""],
        "id": ["P-1", "P\u2011001", " 00123", "", None],
        "text": ["a", " b ", "#REF!", "N/A", None],
        "money": ["£1,200", "(500)", "1.2k", "", "7"],
    }
    raw = pd.Series(rng.choice(pools[value_type], 30_000).tolist(), dtype=STRING)
    fast = coerce_value(raw, value_type, Options(date_order="dmy"))
    from loaders.coerce_columns import COERCERS

    direct = COERCERS[value_type](raw, Options(date_order="dmy"))
    pd.testing.assert_series_equal(fast.values, direct.values, check_dtype=False)
    pd.testing.assert_series_equal(fast.errors, direct.errors.dropna(), check_index_type=False)


def test_sheet_without_known_headers_ignores_every_row_with_the_reason():
    result = process_sheet(sheet_of([["Alpha", "Beta"], ["1", "2"]], "S"), Options())
    assert result.kind is None and result.message.startswith("no header found")
    reason = f"sheet ignored: {result.message}"
    assert result.ignored == [(1, reason), (2, reason)]


def test_near_miss_is_fatal_with_a_hint():
    rows = [["Task Name", "Start", "Finish", "% Complete"], ["Design", "2026-01-01", "", "0"]]
    result = process_sheet(sheet_of(rows, "S"), Options())
    assert result.fatal and "--project ID" in result.message


def _long_status_sheet() -> RawSheet:
    """25,000 status rows drawn from small pools (so every column is encoded).

    With the rows the layout checks must catch (repeated headers, blank and totals rows) and
    values coercion must reject.
    """
    rng = np.random.default_rng(5)
    n = 25_000
    dates = [f"2026-{m:02d}-{d:02d}" for m in (1, 2, 3) for d in (2, 16)]
    pools = {
        "Project Code": [" P-0007 ", "", "P\u20110009"],  # odd spellings, drawn now and then
        "Report Date": ["31/02/2026", "TBD", ""],
        "Overall RAG": ["Green", "amber", "R", "Purple", "", " Red "],
        "% Complete": ["45%", "0.5", "100", "x", ""],
        "Actual Cost": ["1200", "£1,250", "(500)", "1.2k", ""],
        "Summary": ["On plan", "  padded  ", "#REF!", "N/A", ""],
    }
    header = list(pools)
    rows = [header]
    for i in range(n):
        if i % 997 == 5:
            rows.append(header)  # a repeated header row
        elif i % 1009 == 7:
            rows.append(["", "", "", "", "", ""])  # a blank row
        elif i % 1013 == 9:
            rows.append(["Total", "", "", "", "99", ""])  # a totals row
        else:
            row = [rng.choice(pools[h]) for h in header]
            if rng.random() > 0.01:  # mostly a unique key: project x date
                row[0], row[1] = f"P-{i // len(dates):04d}", dates[i % len(dates)]
            rows.append(row)
    return sheet_of(rows, "Status")


def test_a_long_sheet_validates_the_same_with_and_without_distinct_value_encoding(monkeypatch):
    # The per-distinct-value paths must give exactly what the per-cell paths give.
    sheet = _long_status_sheet()

    assert all(distinct.encode(sheet.grid[c].iloc[1:]) is not None for c in sheet.grid.columns)
    encoded = process_sheet(sheet, Options(date_order="dmy"))
    monkeypatch.setattr(distinct, "MIN_ROWS", 10**9)
    direct = process_sheet(sheet, Options(date_order="dmy"))

    assert encoded.rows_rejected > 0 and len(encoded.ignored) > 0 and encoded.rows_loaded > 0
    assert (encoded.rows_read, encoded.rows_loaded, encoded.rows_rejected) == (
        direct.rows_read,
        direct.rows_loaded,
        direct.rows_rejected,
    )
    assert encoded.ignored == direct.ignored
    assert [(r.row, r.column, r.value, r.reason) for r in encoded.rejects] == [
        (r.row, r.column, r.value, r.reason) for r in direct.rejects
    ]
    business = list(direct.staged.columns)
    pd.testing.assert_frame_equal(
        encoded.staged[business].reset_index(drop=True),
        direct.staged.reset_index(drop=True),
        check_dtype=False,
    )
    # The encoded run hands on cell hashes computed once per distinct value; the row hashes
    # stored from them must be pandas' own hashes of the rows, as the direct run computes them.
    assert hidden_columns(encoded.staged) and not hidden_columns(direct.staged)
    spec = TABLES["status_reports"]
    expected = pd.util.hash_pandas_object(
        as_stored(direct.staged)[list(spec.business_columns)], index=False
    )
    np.testing.assert_array_equal(
        row_hashes(as_stored(encoded.staged), list(spec.business_columns)).to_numpy(),
        expected.to_numpy(),
    )


def as_stored(staged: pd.DataFrame) -> pd.DataFrame:
    """The staged rows in their canonical dtypes, as ingest hashes and stores them."""
    spec = TABLES["status_reports"]
    return staged.astype({c: canonical_dtype(spec, c) for c in spec.columns})


def long_sheet(header: list[str], pools: dict[str, list], n: int = 25_000) -> RawSheet:
    """``n`` rows drawn from small pools (every column repetitive), ``{i}`` filled in per row."""
    rng = np.random.default_rng(9)
    rows = [header]
    for i in range(n):
        rows.append([str(rng.choice(pools[h])).replace("{i}", str(i)) for h in header])
    return sheet_of(rows, "Long")


@pytest.mark.parametrize(
    ("kind", "sheet", "options"),
    [
        (  # project filled from --project, ids made up, status categories derived: rewritten
            "work_items",
            long_sheet(
                [
                    "Project Key",
                    "ID",
                    "Task Name",
                    "Status",
                    "Status Category",
                    "Assignee",
                    "Start",
                ],
                {
                    "Project Key": ["WEB", "APP", ""],
                    "ID": ["T-{i}", ""],
                    "Status Category": ["Done", "In Progress", ""],
                    "Task Name": ["Design", "Build", "Test", ""],
                    "Status": ["Done", "In Progress", "To Do", "Blocked"],
                    "Assignee": ["ann", "bo", ""],
                    "Start": ["2026-01-05", "2026-02-02", "TBD"],
                },
            ),
            Options(kind="work_items", project="WEB"),
        ),
        (  # type, severity and status normalised to categories: rewritten
            "raid",
            long_sheet(
                ["RAID ID", "Project ID", "Type", "Title", "Severity", "Status", "Owner"],
                {
                    "RAID ID": ["R-{i}"],
                    "Project ID": ["P-001", "P-002", " P-003"],
                    "Type": ["Risk", "issue", "A", "Dependency", "Nonsense"],
                    "Title": ["Vendor late", "Budget cut"],
                    "Severity": ["High", "med", "L", "Critical", ""],
                    "Status": ["Open", "closed", "Monitoring"],
                    "Owner": ["ann", "bo"],
                },
            ),
            Options(),
        ),
    ],
)
def test_stored_row_hashes_are_pandas_hashes_whatever_validation_rewrote(kind, sheet, options):
    result = process_sheet(sheet, options)
    assert result.kind == kind and result.rows_loaded > 1000
    assert hidden_columns(result.staged)  # the fast path was taken for some columns
    spec = TABLES[kind]
    stored = result.staged.astype({c: canonical_dtype(spec, c) for c in spec.columns})
    business = list(spec.business_columns)
    np.testing.assert_array_equal(
        row_hashes(stored, business).to_numpy(),
        pd.util.hash_pandas_object(stored[business], index=False).to_numpy(),
    )


# ------------------------------------------------------------------ issue 10: structure rows


def test_footer_lines_are_structure_but_a_one_cell_data_row_is_not():
    rows = [
        HEADER,
        ["P-1", "A", "Ops", "10"],
        ["P-2", None, None, None],  # one cell, not a footer: data (rejected: no name)
        ["© 2026 Contoso. Confidential", None, None, None],
        [None, None, "Page 2 of 3", None],
    ]
    result = process_sheet(sheet_of(rows), Options())
    assert result.ignored == [(4, "footer line"), (5, "footer line")]
    assert [r.row for r in result.rejects] == [3] and result.rows_loaded == 1


def test_group_title_needs_the_header_again_below_it():
    rows = [
        HEADER,
        ["P-1", "A", "Ops", "10"],
        ["Second group", None, None, None],
        ["Project ID", "Project Name", "Division", "Budget"],
        ["P-2", "B", "Ops", "20"],
        ["Lonely label", None, None, None],  # no header after it: a data row
    ]
    result = process_sheet(sheet_of(rows), Options())
    assert result.ignored == [(3, "group title row"), (4, "repeated header row")]
    assert [r.row for r in result.rejects] == [6] and result.rows_loaded == 2


def test_pivot_sheet_is_ignored_even_with_known_headers():
    rows = [["Division", "Sum of Budget"], ["Ops", "10"], ["Grand Total", "#DIV/0!"]]
    result = process_sheet(sheet_of(rows, "Sheet2"), Options())
    assert result.kind is None and result.fatal is None
    assert result.message == "pivot table or summary, not data" and result.rows_ignored == 3


def test_contested_columns_never_fail_and_the_one_with_data_loads():
    rows = [
        ["Project ID", "Project Name", "Division", "Budget", "Budget (£)"],
        ["P-1", "A", "Ops", None, "10"],
        ["P-2", "B", "Ops", None, "20"],
    ]
    result = process_sheet(sheet_of(rows, "S"), Options())
    assert result.fatal is None and result.rows_loaded == 2
    assert result.staged["budget"].tolist() == [10.0, 20.0]
    assert result.passed_over == {"Budget": "empty; 'Budget (£)' loaded as budget"}


def test_misspelt_category_takes_the_nearest_allowed_value_with_a_note():
    rows = [
        ["ID", "Project ID", "Type", "Title", "Severity", "Status"],
        ["R-1", "P-1", "Rsk", "A", "Hgh", "Clsed"],
        ["R-2", "P-1", "Risk", "B", "banana", "Open"],
    ]
    result = process_sheet(sheet_of(rows, "S"), Options())
    assert result.staged["severity"].tolist() == ["high"]
    assert result.staged["status"].tolist() == ["closed"]
    assert [r.row for r in result.rejects] == [3]
    assert "'banana' is not a severity" in result.rejects[0].reason
    assert "severity read as the nearest allowed value: 'Hgh' as 'high'" in result.message
