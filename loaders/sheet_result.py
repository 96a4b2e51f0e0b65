"""What became of one sheet: every data row loaded, rejected with a reason, or ignored.

``rows_read == rows_loaded + rows_rejected + rows_ignored`` holds for every sheet, and
:func:`finish` refuses to return a result that breaks it (docs/loaders.md, "Every message").
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pandas as pd


@dataclass
class Reject:
    """One rejected source row (the first problem found in it, plus a count of the others)."""

    row: int
    column: str | None
    value: str | None
    rule: str
    reason: str
    raw: dict[str, Any]


@dataclass
class SheetResult:
    """The outcome for one sheet, as the CLI and load_sheets report it."""

    sheet: str | None
    kind: str | None
    header_row: int | None
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    rows_ignored: int = 0
    columns: dict[str, str] = field(default_factory=dict)
    unmapped: list[str] = field(default_factory=list)
    passed_over: dict[str, str] = field(default_factory=dict)
    folded_rows: list[int] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    ignored: list[tuple[int, str]] = field(default_factory=list)
    staged: pd.DataFrame | None = None
    message: str = ""
    fatal: str | None = None
    mapping: dict[str, Any] | None = None  # headers and best guesses (loaders.profiles)
    template_version: int | None = None  # set when the file is a PMO Lens template


def finish(result: SheetResult, staged: pd.DataFrame | None, message: str) -> SheetResult:
    """Count the rows and check the accounting: a sheet that loses a row must fail loudly."""
    result.rejects.sort(key=lambda r: r.row)
    result.ignored.sort()
    rejected = {r.row for r in result.rejects}
    result.rows_rejected = len(rejected)
    result.rows_ignored = len(result.ignored)
    result.staged = staged
    result.rows_loaded = 0 if staged is None else int(staged["source_row"].nunique())
    result.rows_loaded += len(result.folded_rows)
    result.message = message
    balance = result.rows_loaded + result.rows_rejected + result.rows_ignored
    if balance != result.rows_read:  # the accounting invariant; a bug here must be loud
        raise AssertionError(
            f"row accounting broke on sheet {result.sheet!r}: read {result.rows_read}, "
            f"loaded+rejected+ignored {balance}"
        )
    return result


def rejects_json(reject: Reject) -> str:
    """The raw source row of a reject, as stored in ``rejected_rows.raw_json``."""
    return json.dumps(reject.raw, ensure_ascii=False, default=str)
