"""The Upload page's mapping step, what the loader saw: each sheet's headers, kind and columns.

The dry run reports for each sheet the headers it saw, its header row and, per kind, the column
each header would map to (``loaders.profiles.describe``). That report is loader output built
from file contents, so it is cut to size and checked against the canonical column allowlist
here (docs/loaders.md, "Mapping step and mapping profiles").
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from dashboard import uploads
from loaders.kinds import TABLES

MAX_SHEETS = 20
MAX_HEADERS = 200
HEADER_CHARS = 200
_FINGERPRINT = re.compile(r"^[0-9a-f]{16}$")
NOT_LOADED = "not loaded"
#: What a select sends for "nothing chosen" (a select showing "" would look blank).
UNSET = "-"
PMO_ONLY = "Only the PMO can change mappings."
PREVIEW_FIRST = "The mapping changed since the preview: preview again before loading."


class MappingRefused(ValueError):
    """A mapping from the browser that cannot be used; the message is for the user."""


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
            headers = unique_headers(info.get("headers"))
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
                    "fingerprint": checked_fingerprint(info.get("fingerprint")),
                    "headers": headers,
                    "columns": {
                        h: c
                        for h, c in sheet.columns.items()
                        if h in headers and (c.startswith("month ") or allowed_column(kind, c))
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


def allowed_column(kind: str | None, column: object) -> bool:
    """Whether ``column`` is a canonical column of table ``kind`` (the allowlist)."""
    return isinstance(column, str) and kind in TABLES and column in TABLES[kind].columns


def checked_fingerprint(value: object) -> str | None:
    """The header fingerprint if it has the loader's shape (16 hex digits), else ``None``."""
    return value if isinstance(value, str) and _FINGERPRINT.match(value) else None


def unique_headers(values: object) -> list[str]:
    """Non-empty header texts, first of each, cut to size (a header is user text)."""
    if not isinstance(values, list):
        return []
    seen: dict[str, None] = {}
    for value in values[:MAX_HEADERS]:
        if isinstance(value, str) and value.strip():
            seen.setdefault(value[:HEADER_CHARS], None)
    return list(seen)
