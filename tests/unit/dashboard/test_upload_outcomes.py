"""Unit tests of dashboard/upload_outcomes.py: display names and preview rows - no browser."""

from __future__ import annotations

from dashboard import uploads
from dashboard.uploads import (
    FileOutcome,
    LoaderResult,
    Reject,
    SheetOutcome,
)


def test_display_name_drops_control_characters_and_truncates():
    assert uploads.display_name("a\x00b\u202ec.csv") == "abc.csv"
    assert len(uploads.display_name("x" * 500)) == 120


def test_preview_and_reject_rows():
    sheet = SheetOutcome(
        "Data", "projects", 4, 10, 7, 2, 1, {}, tuple(Reject(i, "Budget", "bad") for i in range(15))
    )
    result = LoaderResult(True, (FileOutcome("r.xlsx", "ok", "", (sheet,)),))
    assert uploads.preview_rows(result) == [
        {
            "file": "r.xlsx",
            "sheet": "Data",
            "kind": "projects",
            "header_row": 4,
            "read": 10,
            "loaded": 7,
            "rejected": 2,
            "ignored": 1,
        }
    ]
    assert len(uploads.reject_rows(result)) == uploads.REJECTS_SHOWN
