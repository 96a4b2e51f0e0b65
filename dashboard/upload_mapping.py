"""The Upload page's mapping step: what each sheet maps to, the user's changes, mapping profiles.

The dry run reports for each sheet the headers it saw, its header row and, per kind, the column
each header would map to (``loaders.profiles.describe``). A PMO user may change the kind, the
header row and any column. Those changes come back from the browser, so they are untrusted:
each is checked here against the canonical column allowlist before it is written as a mapping
file (TOML, never code) in the upload folder and handed to the sandboxed loader with
``--mapping`` (docs/loaders.md, "Mapping step and mapping profiles"). After a confirmed load
the mapping is saved as a named profile, which the loader then applies by itself to the next
file with the same headers. Only the PMO role may preview, save, rename or delete mappings
(checked here, on the server).
"""

from __future__ import annotations

import contextlib
import logging
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from dashboard import uploads
from dashboard.config import Settings
from dashboard.scope import current_scope
from loaders import profiles
from loaders.kinds import TABLES
from loaders.mapping import HEADER_SCAN_ROWS, MULTI_VALUED, MappingError, UserMapping

LOG = logging.getLogger("pmo.uploads")

MAX_SHEETS = 20
MAX_HEADERS = 200
HEADER_CHARS = 200
DRAFT_FOLDER = "mappings"
_FINGERPRINT = re.compile(r"^[0-9a-f]{16}$")
NOT_LOADED = "not loaded"
#: What a select sends for "nothing chosen" (a select showing "" would look blank).
UNSET = "-"
PMO_ONLY = "Only the PMO can change mappings."
PREVIEW_FIRST = "The mapping changed since the preview: preview again before loading."


class MappingRefused(ValueError):
    """A mapping from the browser that cannot be used; the message is for the user."""


# --------------------------------------------------------------------------- what the loader saw
def sheet_descriptors(result: uploads.LoaderResult | None) -> list[dict[str, Any]]:
    """One entry per sheet the mapping step can show: headers, header row, guesses, profile.

    The loader's report is parsed loader output built from file contents, so every text is cut
    to size and every column name is checked against the canonical tables before the page
    keeps it. Files already loaded (replays) have nothing to map.
    """
    found: list[dict[str, Any]] = []
    if result is None or not result.ok:
        return found
    for outcome in result.files:
        if outcome.replay_of is not None:
            continue
        for sheet in outcome.sheets:
            info = sheet.mapping or {}
            headers = _unique_headers(info.get("headers"))
            row = info.get("header_row")
            if len(headers) < 2 or not isinstance(row, int) or len(found) >= MAX_SHEETS:
                continue
            kind = sheet.kind if sheet.kind in TABLES else None
            guesses = info.get("guesses") if isinstance(info.get("guesses"), dict) else {}
            stem = Path(outcome.file).stem
            found.append(
                {
                    "file": outcome.file,
                    "sheet": sheet.sheet,
                    "kind": kind,
                    "header_row": row,
                    "fingerprint": _fingerprint(info.get("fingerprint")),
                    "headers": headers,
                    "columns": {
                        h: c
                        for h, c in sheet.columns.items()
                        if h in headers and (c.startswith("month ") or _allowed(kind, c))
                    },
                    "guesses": {
                        k: {h: c for h, c in (guesses.get(k) or {}).items() if h in headers}
                        for k in TABLES
                        if isinstance(guesses.get(k), dict)
                    },
                    "kind_guess": info.get("kind_guess")
                    if info.get("kind_guess") in TABLES
                    else None,
                    "profile": str(info["profile"])[:100] if info.get("profile") else None,
                    "applied": str(info["applied"])[:200] if info.get("applied") else None,
                    # A mapping applied keeps its name: saving again updates that profile.
                    "name": str(info["profile"])[:100]
                    if info.get("profile")
                    else (f"{stem} {sheet.sheet}" if sheet.sheet else stem),
                }
            )
    return found


def editor_state(descriptor: dict[str, Any]) -> dict[str, Any]:
    """What the editor shows for a sheet before the user changes anything."""
    kind = descriptor["kind"]
    reported = descriptor["columns"]
    return {
        "kind": kind or "",
        "header_row": descriptor["header_row"],
        "columns": {
            h: (reported.get(h, "") if kind else "")
            for h in descriptor["headers"]
            if not reported.get(h, "").startswith("month ")
        },
        "name": descriptor["name"],
    }


def column_options(kind: str | None) -> list[dict[str, str]]:
    """The canonical columns of ``kind`` (required ones marked), and "not loaded"."""
    options = [{"label": NOT_LOADED, "value": UNSET}]
    if kind in TABLES:
        spec = TABLES[kind]
        options += [
            {"label": c + (" (required)" if c in spec.required else ""), "value": c}
            for c in spec.columns
        ]
    return options


def column_guesses(descriptor: dict[str, Any], kind: str) -> dict[str, str]:
    """Header -> column for ``kind``: what the loader reported for it, else its guesses."""
    if kind and kind == descriptor["kind"]:
        return dict(descriptor["columns"])
    return dict(descriptor["guesses"].get(kind, {}))


# --------------------------------------------------------------------------- the user's changes
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
        if kind and _allowed(kind, value):
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
        print_ = _fingerprint(edit.get("fingerprint"))
        if print_ is None:
            raise MappingRefused(f"{where}: the sheet has too few headers to be mapped here.")
        columns = edit.get("columns")
        if not isinstance(columns, dict) or len(columns) > MAX_HEADERS:
            raise MappingRefused(f"{where}: the column mapping was not recognised.")
        targets: dict[str, str] = {}
        for header, column in columns.items():
            if not isinstance(header, str) or len(header) > HEADER_CHARS:
                raise MappingRefused(f"{where}: the column mapping was not recognised.")
            if column != "" and not _allowed(kind, column):
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
                headers=tuple(_unique_headers(edit.get("headers"))),
            )
        )
    return checked


# --------------------------------------------------------------------------- loader runs
def preview_mapped(tokens: object, edits: object, settings: Settings) -> uploads.UploadCheck:
    """Dry-run the stored files again with the user's mappings (the "preview again" button).

    Raises:
        MappingRefused: Not the PMO, files not recognised, or a mapping off the allowlist.
    """
    saved = _stored(tokens, settings)
    mapped = checked_edits(edits, {u.name for u in saved})
    with _drafts(mapped, settings.data_dir) as paths:
        result = uploads.run_loader(
            [u.path for u in saved],
            settings.data_dir,
            dry_run=True,
            standards=settings.standards,
            mappings=paths,
        )
    return uploads.UploadCheck(saved=saved, result=result)


def confirm_mapped(
    pending: object, edits: object, settings: Settings
) -> tuple[uploads.LoadOutcome, list[str]]:
    """Load the previewed files with the user's mappings, then save each mapping as a profile.

    Returns:
        The load outcome and one message per profile saved.

    Raises:
        MappingRefused: Not the PMO, or a mapping off the allowlist.
    """
    if not current_scope().can_upload:
        raise MappingRefused(PMO_ONLY)
    items = pending if isinstance(pending, list) else []
    files = {t.get("name") for t in items if isinstance(t, dict)}
    files = {f for f in files if isinstance(f, str)}
    # A mapped file that still cannot be loaded is not pending: its mapping is not used.
    wanted = (
        [e for e in edits if isinstance(e, dict) and e.get("file") in files]
        if isinstance(edits, list)
        else edits
    )
    mapped = checked_edits(wanted or [], files)
    with _drafts(mapped, settings.data_dir) as paths:
        outcome = uploads.confirm_upload(pending, settings, mappings=paths)
    loaded = {
        f.file
        for f in outcome.result.files
        if f.status == "ok" and outcome.result.ok and not outcome.refused
    }
    messages = []
    for edit, profile in zip(wanted or [], mapped, strict=True):
        if edit["file"] not in loaded:
            continue
        before = profiles.find_profile(settings.data_dir, profile.name)
        saved = profiles.save_profile(settings.data_dir, profile)
        LOG.info("mapping profile %s saved by %s", ascii(saved.name), current_scope().user or "-")
        replaced = (
            f" (it replaces the earlier profile '{before.name}')"
            if before is not None and before.fingerprint != saved.fingerprint
            else ""
        )
        messages.append(
            f"Mapping profile '{saved.name}' saved{replaced}: files with these headers will load "
            "with it."
        )
    return outcome, messages


# --------------------------------------------------------------------------- profiles
def profile_rows(settings: Settings) -> list[dict[str, Any]]:
    """The saved profiles for the page's list, newest first."""
    found, problems = profiles.list_profiles(settings.data_dir)
    for problem in problems:
        LOG.warning("%s", problem)
    return [
        {
            "name": p.name,
            "kind": p.kind or "",
            "headers": ", ".join(p.headers[:8]) + (" …" if len(p.headers) > 8 else ""),
            "saved_at": (p.saved_at or "").replace("T", " "),
        }
        for p in found
    ]


def rename_profile(old: object, new: object, settings: Settings) -> str:
    """Rename a profile (PMO only); the message says what happened or why not."""
    if not current_scope().can_upload:
        return PMO_ONLY
    if not isinstance(old, str) or old in ("", UNSET):
        return "Choose a profile first."
    try:
        renamed = profiles.rename_profile(settings.data_dir, old, str(new or ""))
    except MappingError as exc:
        return f"Not renamed: {exc}."
    LOG.info("mapping profile %s renamed to %s", ascii(old), ascii(renamed.name))
    return f"Mapping profile '{old}' renamed to '{renamed.name}'."


def delete_profile(name: object, settings: Settings) -> str:
    """Delete a profile (PMO only); the message says what happened or why not."""
    if not current_scope().can_upload:
        return PMO_ONLY
    if not isinstance(name, str) or name in ("", UNSET):
        return "Choose a profile first."
    try:
        gone = profiles.delete_profile(settings.data_dir, name)
    except MappingError as exc:
        return f"Not deleted: {exc}."
    LOG.info("mapping profile %s deleted by %s", ascii(gone.name), current_scope().user or "-")
    return f"Mapping profile '{gone.name}' deleted."


# --------------------------------------------------------------------------- helpers
def _stored(tokens: object, settings: Settings) -> list[uploads.SavedUpload]:
    if not current_scope().can_upload:
        raise MappingRefused(PMO_ONLY)
    items = tokens if isinstance(tokens, list) else []
    saved = [uploads.resolve_pending(t, settings.data_dir) for t in items[: uploads.MAX_FILES]]
    if not items or any(s is None for s in saved):
        raise MappingRefused("The files were not recognised. Upload them again.")
    return [s for s in saved if s is not None]


@contextlib.contextmanager
def _drafts(mapped: list[profiles.Profile], data_dir: Path) -> Iterator[tuple[Path, ...]]:
    """Mapping files for one loader run in ``<data>/uploads/mappings``, removed afterwards."""
    paths: list[Path] = []
    try:
        if mapped:
            folder = uploads.upload_root(data_dir) / DRAFT_FOLDER
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            for profile in mapped:
                path = folder / f"{uuid.uuid4().hex}.toml"  # a server-made name, never user text
                path.write_text(profiles.dumps(profile), encoding="utf-8")
                paths.append(path)
        yield tuple(paths)
    finally:
        for path in paths:
            with contextlib.suppress(OSError):
                path.unlink()


def _allowed(kind: str | None, column: object) -> bool:
    return isinstance(column, str) and kind in TABLES and column in TABLES[kind].columns


def _fingerprint(value: object) -> str | None:
    return value if isinstance(value, str) and _FINGERPRINT.match(value) else None


def _unique_headers(values: object) -> list[str]:
    """Non-empty header texts, first of each, cut to size (a header is user text)."""
    if not isinstance(values, list):
        return []
    seen: dict[str, None] = {}
    for value in values[:MAX_HEADERS]:
        if isinstance(value, str) and value.strip():
            seen.setdefault(value[:HEADER_CHARS], None)
    return list(seen)


def _where(edit: dict[str, Any]) -> str:
    file = uploads.display_name(edit.get("file"))
    sheet = edit.get("sheet")
    return f"{file} ({uploads.display_name(sheet)})" if isinstance(sheet, str) else file
