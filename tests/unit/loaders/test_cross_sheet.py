"""Unit tests for loaders.cross_sheet: a key on two sheets of one file is rejected on both."""

from __future__ import annotations

import pandas as pd

from loaders.cross_sheet import reject_cross_sheet_duplicates
from loaders.sheet_result import SheetResult


def register_sheet(name: str, rows: list[tuple[str, int]]) -> SheetResult:
    """A projects sheet whose staged rows are (project_id, source_row)."""
    staged = pd.DataFrame(
        {
            "project_id": pd.array([p for p, _ in rows], dtype="string"),
            "source_row": [r for _, r in rows],
        }
    )
    return SheetResult(
        sheet=name,
        kind="projects",
        header_row=1,
        rows_read=len(rows),
        rows_loaded=len(rows),
        staged=staged,
    )


def test_a_key_on_two_sheets_is_rejected_on_both_and_the_counts_follow():
    north = register_sheet("North", [("P-1", 2), ("P-2", 3)])
    south = register_sheet("South", [("P-3", 2), ("P-1", 4)])
    reject_cross_sheet_duplicates([north, south])
    assert list(north.staged["project_id"]) == ["P-2"]
    assert list(south.staged["project_id"]) == ["P-3"]
    assert (north.rows_loaded, north.rows_rejected) == (1, 1)
    assert (south.rows_loaded, south.rows_rejected) == (1, 1)
    (mine,) = north.rejects
    assert (mine.row, mine.column, mine.value, mine.rule) == (
        2,
        "project_id",
        "P-1",
        "duplicate key",
    )
    assert mine.reason == "duplicate key in file (P-1) on sheet 'North' row 2, sheet 'South' row 4"
    assert south.rejects[0].row == 4 and south.rejects[0].reason == mine.reason


def test_distinct_keys_and_a_single_sheet_change_nothing():
    north = register_sheet("North", [("P-1", 2)])
    south = register_sheet("South", [("P-2", 2)])
    alone = register_sheet("Alone", [("P-1", 2), ("P-1", 3)])
    reject_cross_sheet_duplicates([north, south])
    reject_cross_sheet_duplicates([alone])  # twice on one sheet is validate's duplicate rule
    for sheet in (north, south):
        assert sheet.rejects == [] and sheet.rows_loaded == 1
    assert alone.rejects == [] and len(alone.staged) == 2
