"""The Upload page's mapping step, the user's changes: editor values -> checked mapping profiles.

The changes come back from the browser, so they are untrusted: each is checked against the
canonical column allowlist before it becomes a mapping profile (docs/loaders.md, "Mapping step
and mapping profiles").
"""

from __future__ import annotations

from typing import Any

from dashboard import uploads
from dashboard.upload_mapping_sheets import (
    HEADER_CHARS,
    MAX_HEADERS,
    MAX_SHEETS,
    UNSET,
    MappingRefused,
    allowed_column,
    checked_fingerprint,
    column_guesses,
    column_options,
    editor_state,
    unique_headers,
)
from loaders import profiles
from loaders.kinds import TABLES
from loaders.mapping import HEADER_SCAN_ROWS, MULTI_VALUED, MappingError, UserMapping


def editor_states(
    sheets: list[dict[str, Any]] | None,
    kinds: list | None,
    rows: list | None,
    columns: list | None,
    column_ids: list | None,
    names: list | None,
) -> dict[int, dict[str, Any]]:
    """The editor's values per sheet index, from the page's pattern-matching states.

    ``kinds``, ``rows`` and ``names`` come in sheet order (the order of the cards); a column's
    id carries its sheet and its header's position.
    """
    sheets = sheets or []
    states: dict[int, dict[str, Any]] = {}
    for index, (kind, row, name) in enumerate(
        zip(kinds or [], rows or [], names or [], strict=False)
    ):
        if index >= len(sheets):
            break
        if isinstance(row, float) and row.is_integer():
            row = int(row)
        kind = kind if kind in TABLES else ""
        states[index] = {"kind": kind, "header_row": row, "columns": {}, "name": name}
    for value, ident in zip(columns or [], column_ids or [], strict=False):
        if not isinstance(ident, dict):
            continue
        sheet, position = ident.get("sheet"), ident.get("column")
        if sheet not in states or not isinstance(position, int):
            continue
        headers = sheets[sheet]["headers"]
        if 0 <= position < len(headers):
            states[sheet]["columns"][headers[position]] = "" if value in (None, UNSET) else value
    return states


def columns_for_kind(
    sheets: list[dict[str, Any]] | None,
    index: object,
    kind: str | None,
    values: list,
    column_ids: list,
) -> tuple[list[dict[str, str]], list[str]]:
    """Column choices for a sheet whose table changed, and a choice per header.

    A header keeps its current choice when it fits the new table, else takes what the loader
    reported or guessed for that table.
    """
    kind = kind if kind in TABLES else None
    if not isinstance(index, int) or not sheets or not 0 <= index < len(sheets):
        return column_options(kind), [UNSET for _ in values]
    descriptor = sheets[index]
    guesses = column_guesses(descriptor, kind) if kind else {}
    chosen = []
    for value, ident in zip(values, column_ids, strict=False):
        position = ident.get("column") if isinstance(ident, dict) else None
        header = descriptor["headers"][position] if isinstance(position, int) else None
        if kind and allowed_column(kind, value):
            chosen.append(value)
        else:
            chosen.append((guesses.get(header) if header else None) or UNSET)
    return column_options(kind), chosen


def carried_edits(
    sheets: list[dict[str, Any]], previous: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The edits of the same sheets after a preview with ``previous``, as the editor shows them.

    That is the loader's report of each mapped sheet, under the name the user gave.
    """
    names = {(e["file"], e["sheet"]): e["name"] for e in previous}
    states = {
        i: {**editor_state(d), "name": names[(d["file"], d["sheet"])]}
        for i, d in enumerate(sheets)
        if (d["file"], d["sheet"]) in names
    }
    return collect_edits(sheets, states, previous)


def collect_edits(
    descriptors: list[dict[str, Any]],
    states: dict[int, dict[str, Any]],
    previous: list[dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """The sheets the user mapped: changed from what the loader reported, or mapped before.

    Args:
        descriptors: :func:`sheet_descriptors` of the last preview.
        states: Sheet index -> the editor's values (kind, header_row, columns, name).
        previous: The edits the last preview ran with (their sheets stay edited).

    Returns:
        One edit per mapped sheet (plain dicts: the page keeps them in a store).
    """
    before = {(e.get("file"), e.get("sheet")) for e in previous or [] if isinstance(e, dict)}
    edits = []
    for index, descriptor in enumerate(descriptors):
        state = states.get(index)
        if state is None:
            continue
        initial = editor_state(descriptor)
        key = (descriptor["file"], descriptor["sheet"])
        changed = any(state.get(k) != initial[k] for k in ("kind", "header_row", "columns"))
        if not (changed or key in before) or not state.get("kind"):
            continue
        kind = state["kind"]
        detected = column_guesses(descriptor, kind)
        columns = {
            h: column or ""
            for h, column in (state.get("columns") or {}).items()
            if column or detected.get(h)  # "" only where the loader would map the header
        }
        edits.append(
            {
                "file": descriptor["file"],
                "sheet": descriptor["sheet"],
                "fingerprint": descriptor["fingerprint"],
                "headers": descriptor["headers"],
                "kind": kind,
                "header_row": state.get("header_row"),
                "columns": columns,
                "name": state.get("name") or descriptor["name"],
            }
        )
    return edits


def same_edits(a: list[dict[str, Any]] | None, b: list[dict[str, Any]] | None) -> bool:
    """Whether two lists of edits ask for the same mapping (what the user sees of them)."""

    def view(edits: list[dict[str, Any]] | None) -> list[tuple]:
        fields = ("file", "sheet", "kind", "header_row", "columns", "name")
        return sorted(
            (repr(tuple(e.get(f) for f in fields)) for e in edits or [] if isinstance(e, dict)),
        )

    return view(a) == view(b)


def checked_edits(edits: object, files: set[str]) -> list[profiles.Profile]:
    """Turn untrusted edits into mapping profiles, refusing anything off the allowlist.

    Raises:
        MappingRefused: An edit is malformed, names an unknown file, table or column, maps two
            headers onto one column, or has no usable name.
    """
    if not isinstance(edits, list) or len(edits) > MAX_SHEETS:
        raise MappingRefused("The mapping was not recognised. Upload the files again.")
    checked = []
    for edit in edits:
        if not isinstance(edit, dict) or edit.get("file") not in files:
            raise MappingRefused("The mapping was not recognised. Upload the files again.")
        where = _where(edit)
        kind = edit.get("kind")
        if kind not in TABLES:
            raise MappingRefused(f"{where}: choose what the sheet holds.")
        row = edit.get("header_row")
        if not isinstance(row, int) or isinstance(row, bool) or not 1 <= row <= HEADER_SCAN_ROWS:
            raise MappingRefused(
                f"{where}: the header row must be a number from 1 to {HEADER_SCAN_ROWS}."
            )
        print_ = checked_fingerprint(edit.get("fingerprint"))
        if print_ is None:
            raise MappingRefused(f"{where}: the sheet has too few headers to be mapped here.")
        columns = edit.get("columns")
        if not isinstance(columns, dict) or len(columns) > MAX_HEADERS:
            raise MappingRefused(f"{where}: the column mapping was not recognised.")
        targets: dict[str, str] = {}
        for header, column in columns.items():
            if not isinstance(header, str) or len(header) > HEADER_CHARS:
                raise MappingRefused(f"{where}: the column mapping was not recognised.")
            if column != "" and not allowed_column(kind, column):
                raise MappingRefused(f"{where}: '{header}' cannot load into '{column}'.")
            if column and column not in MULTI_VALUED and column in targets:
                raise MappingRefused(
                    f"{where}: '{targets[column]}' and '{header}' both load into '{column}': "
                    "choose one."
                )
            targets.setdefault(column, header)
        try:
            name = profiles.clean_name(edit.get("name"))
        except MappingError as exc:
            raise MappingRefused(f"{where}: {exc}.") from exc
        checked.append(
            profiles.Profile(
                name=name,
                mapping=UserMapping(per_kind={kind: dict(columns)}),
                kind=kind,
                header_row=row,
                fingerprint=print_,
                headers=tuple(unique_headers(edit.get("headers"))),
            )
        )
    return checked


def _where(edit: dict[str, Any]) -> str:
    file = uploads.display_name(edit.get("file"))
    sheet = edit.get("sheet")
    return f"{file} ({uploads.display_name(sheet)})" if isinstance(sheet, str) else file
