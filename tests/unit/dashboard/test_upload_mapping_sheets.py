"""Unit tests of dashboard/upload_mapping_sheets.py: the loader's report checked and cut to size."""

from __future__ import annotations

from dashboard import upload_mapping_sheets as um
from dashboard.uploads import FileOutcome, LoaderResult, SheetOutcome


def test_descriptors_keep_only_allowlisted_columns_and_cut_user_text():
    sheet = SheetOutcome(
        sheet=None,
        kind="projects",
        header_row=1,
        rows_read=1,
        rows_loaded=1,
        rows_rejected=0,
        rows_ignored=0,
        columns={"Ref": "project_id", "Title": "'; DROP", "Jan-26": "month 2026-01"},
        rejects=(),
        mapping={
            "headers": ["Ref", "Title", "", "Ref", "x" * 500, "Jan-26"],
            "header_row": 1,
            "fingerprint": "../../etc",
            "guesses": {"projects": {"Ref": "project_id"}, "evil": {"Ref": "x"}},
            "kind_guess": "<script>",
            "profile": None,
        },
    )
    result = LoaderResult(False, files=(FileOutcome("a.csv", "ok", "", (sheet,)),))
    (d,) = um.sheet_descriptors(result)
    assert d["headers"] == ["Ref", "Title", "x" * um.HEADER_CHARS, "Jan-26"]  # deduplicated
    assert d["columns"] == {"Ref": "project_id", "Jan-26": "month 2026-01"}
    assert d["fingerprint"] is None and d["kind_guess"] is None
    assert set(d["guesses"]) == {"projects"}
    state = um.editor_state(d)
    assert "Jan-26" not in state["columns"]  # a month of a wide plan is not a choice
