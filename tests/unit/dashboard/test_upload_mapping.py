"""Unit tests for dashboard.upload_mapping: the mapping step's state, no loader and no browser."""

from __future__ import annotations

from dashboard import upload_mapping as um
from dashboard.ids import UploadMappingIds as MAP
from dashboard.uploads import FileOutcome, LoaderResult, SheetOutcome

HEADERS = ["Ref", "Title", "Area", "Notes"]


def descriptor(kind: str | None = None, columns: dict | None = None) -> dict:
    return {
        "file": "a.csv",
        "sheet": None,
        "kind": kind,
        "header_row": 1,
        "fingerprint": "0123456789abcdef",
        "headers": HEADERS,
        "columns": columns or {},
        "guesses": {"projects": {"Ref": "project_id", "Title": "name"}, "raid": {"Title": "title"}},
        "kind_guess": "projects",
        "profile": None,
        "applied": None,
        "name": "a",
    }


def column_ids(n: int = len(HEADERS)) -> list[dict]:
    return [{"type": MAP.MAP_COLUMN, "sheet": 0, "column": j} for j in range(n)]


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


def test_editor_states_read_pattern_matching_values_in_sheet_order():
    values = ["project_id", um.UNSET, None, "division"]
    states = um.editor_states([descriptor()], ["projects"], [2.0], values, column_ids(), ["n"])
    assert states == {
        0: {
            "kind": "projects",
            "header_row": 2,
            "columns": {"Ref": "project_id", "Title": "", "Area": "", "Notes": "division"},
            "name": "n",
        }
    }
    forged = um.editor_states([descriptor()], ["../x"], [1], ["a"], [{"sheet": 9, "column": 0}], [])
    assert forged == {}  # no name list: no state; an id of another sheet is ignored


def test_switching_the_table_keeps_fitting_choices_and_fills_guesses():
    options, chosen = um.columns_for_kind(
        [descriptor()], 0, "projects", ["division", um.UNSET, um.UNSET, "title"], column_ids()
    )
    assert options[0] == {"label": "not loaded", "value": um.UNSET}
    assert {"label": "name (required)", "value": "name"} in options
    # "division" fits projects; "title" does not (a RAID column) and takes the guess: none.
    assert chosen == ["division", "name", um.UNSET, um.UNSET]
    _, chosen = um.columns_for_kind([descriptor()], 0, um.UNSET, ["division"] * 4, column_ids())
    assert chosen == [um.UNSET] * 4


def test_only_changed_or_previously_mapped_sheets_become_edits():
    detected = descriptor("projects", {"Ref": "project_id", "Title": "name"})
    unchanged = um.editor_state(detected)
    assert um.collect_edits([detected], {0: unchanged}) == []
    changed = {**unchanged, "columns": {**unchanged["columns"], "Title": "", "Area": "division"}}
    (edit,) = um.collect_edits([detected], {0: changed})
    # "" is kept only where the loader would have mapped the header (an explicit "not loaded").
    assert edit["columns"] == {"Ref": "project_id", "Title": "", "Area": "division"}
    again = um.collect_edits([detected], {0: unchanged}, previous=[edit])
    assert len(again) == 1 and um.same_edits(again, [{**edit, "columns": again[0]["columns"]}])
    assert not um.same_edits(again, [edit])
    no_table = descriptor()
    assert um.collect_edits([no_table], {0: {**um.editor_state(no_table), "header_row": 3}}) == []
