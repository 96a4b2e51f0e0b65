"""Unit tests of dashboard/upload_mapping_edits.py: the editor's values become edits."""

from __future__ import annotations

from dashboard import upload_mapping_edits as edits
from dashboard.ids import UploadMappingIds as MAP
from dashboard.upload_mapping_sheets import UNSET, editor_state

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


def test_editor_states_read_pattern_matching_values_in_sheet_order():
    values = ["project_id", UNSET, None, "division"]
    states = edits.editor_states([descriptor()], ["projects"], [2.0], values, column_ids(), ["n"])
    assert states == {
        0: {
            "kind": "projects",
            "header_row": 2,
            "columns": {"Ref": "project_id", "Title": "", "Area": "", "Notes": "division"},
            "name": "n",
        }
    }
    forged = edits.editor_states(
        [descriptor()], ["../x"], [1], ["a"], [{"sheet": 9, "column": 0}], []
    )
    assert forged == {}  # no name list: no state; an id of another sheet is ignored


def test_switching_the_table_keeps_fitting_choices_and_fills_guesses():
    options, chosen = edits.columns_for_kind(
        [descriptor()], 0, "projects", ["division", UNSET, UNSET, "title"], column_ids()
    )
    assert options[0] == {"label": "not loaded", "value": UNSET}
    assert {"label": "name (required)", "value": "name"} in options
    # "division" fits projects; "title" does not (a RAID column) and takes the guess: none.
    assert chosen == ["division", "name", UNSET, UNSET]
    _, chosen = edits.columns_for_kind([descriptor()], 0, UNSET, ["division"] * 4, column_ids())
    assert chosen == [UNSET] * 4


def test_only_changed_or_previously_mapped_sheets_become_edits():
    detected = descriptor("projects", {"Ref": "project_id", "Title": "name"})
    unchanged = editor_state(detected)
    assert edits.collect_edits([detected], {0: unchanged}) == []
    changed = {**unchanged, "columns": {**unchanged["columns"], "Title": "", "Area": "division"}}
    (edit,) = edits.collect_edits([detected], {0: changed})
    # "" is kept only where the loader would have mapped the header (an explicit "not loaded").
    assert edit["columns"] == {"Ref": "project_id", "Title": "", "Area": "division"}
    again = edits.collect_edits([detected], {0: unchanged}, previous=[edit])
    assert len(again) == 1 and edits.same_edits(again, [{**edit, "columns": again[0]["columns"]}])
    assert not edits.same_edits(again, [edit])
    no_table = descriptor()
    assert edits.collect_edits([no_table], {0: {**editor_state(no_table), "header_row": 3}}) == []
