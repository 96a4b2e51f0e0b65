"""Where the table sits on a sheet: header row, two-row headers, merged cells, non-data sheets.

A register exported by a PMO tool rarely starts in A1: title rows, an export date, blank rows and
a header split over two rows (a group label above ``Start``/``Finish``) come first, and merged
cells leave every cell of a range but the first empty. This module finds the header row among
the first rows, builds one header name per column, fills merged ranges, and says in the user's
words why a sheet holds no table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from loaders import distinct
from loaders.guards import column_letters
from loaders.headers import HEADER_SCAN_ROWS, find_header_row, normalise
from loaders.read import RawSheet
from loaders.user_mapping import UserMapping

__all__ = [
    "fill_merged",
    "find_header_row",
    "header_names",
    "is_pivot",
    "preview",
    "structure_rows",
    "subitems",
    "why_no_table",
]

_INSTRUCTIONS = re.compile(r"instruction|read\s*me|guidance|notes|help|about|cover", re.I)
_PIVOT_NAME = re.compile(r"pivot|summary|dashboard|chart", re.I)
_LOOKUP_NAME = re.compile(r"lookup|list|reference|config|settings|drop\s*down|validation", re.I)
_PIVOT_CELLS = re.compile(r"^(row labels|column labels|grand total|(sum|count|average) of )", re.I)
_PIVOT_MARKS = re.compile(r"^(row labels|column labels|(sum|count|average|max|min) of \S)", re.I)
#: One-cell lines under a table that are not data: copyright, confidentiality, page footers.
_FOOTER_RE2 = (
    r"(?i)(©|\(c\)\s*\d{4}|copyright|all rights reserved|confidential|proprietary|"
    r"^\s*page\s+\d+(\s+of\s+\d+)?\s*$|generated (by|on|with)|exported (by|on|from)|"
    r"powered by|do not (edit|distribute)|template v(ersion)?\s*\d|^\s*source\s*:|"
    r"^\s*end of report)"
)


def preview(sheet: RawSheet, rows: int = HEADER_SCAN_ROWS + 10) -> list[list[str | None]]:
    """The first rows of the grid as Python lists of stripped text (None for empty cells)."""
    head = sheet.grid.head(rows)
    out = []
    for record in head.itertuples(index=False, name=None):
        cells = []
        for value in record:
            text = None if value is None or value is pd.NA else str(value).strip()
            cells.append(text or None)
        out.append(cells)
    return out


def fill_merged(sheet: RawSheet) -> list[tuple[int, int, int, int]]:
    """Copy each merged range's value into all its cells; return the ranges that were filled.

    Excel keeps the value of a merged range in its top-left cell only, so a division merged
    down B5:B9 would otherwise load as one row with a division and four without.
    """
    filled = []
    grid = sheet.grid
    height, width = grid.shape
    for top, left, bottom, right in sheet.merged:
        if top >= height or left >= width or left < 0:
            continue
        bottom, right = min(bottom, height - 1), min(right, width - 1)
        value = grid.iloc[top, left]
        if value is pd.NA or value is None or (bottom == top and right == left):
            continue
        for column in range(left, right + 1):
            grid.iloc[top : bottom + 1, column] = value
        filled.append((top, left, bottom, right))
    return filled


def describe_ranges(sheet: RawSheet, ranges: list[tuple[int, int, int, int]]) -> str:
    """``B5:B9, D12:E12`` in the spreadsheet's own coordinates."""
    shown = []
    for top, left, bottom, right in ranges[:5]:
        first = f"{column_letters(left + sheet.first_column)}{sheet.row_numbers[top]}"
        last = f"{column_letters(right + sheet.first_column)}{sheet.row_numbers[bottom]}"
        shown.append(f"{first}:{last}")
    more = f" and {len(ranges) - 5} more" if len(ranges) > 5 else ""
    return ", ".join(shown) + more


def header_names(
    head: list[list[str | None]], index: int, user: UserMapping | None = None
) -> list[str]:
    """One name per column from the header row, completed by a group row above it.

    A two-row header such as ``Baseline`` over ``Start | Finish`` gives ``Baseline Start`` and
    ``Baseline Finish`` when the combination is a known header and the lower cell alone is not
    more specific; a column named only in the upper row takes that name.
    """
    from loaders.headers import _ALL_HEADERS  # the union of every kind's synonyms

    known = set(_ALL_HEADERS) | (user.all_headers() if user else set())
    names = [cell or "" for cell in head[index]]
    if index == 0:
        return names
    above = head[index - 1] + [None] * max(0, len(names) - len(head[index - 1]))
    group_row = sum(1 for cell in above if cell) >= 2
    for position, name in enumerate(names):
        group = above[position]
        if not group or not group_row:
            continue
        if not name:
            names[position] = group
            continue
        combined = f"{group} {name}"
        if normalise(combined) in known and normalise(name) != normalise(group):
            names[position] = combined
    return names


def why_no_table(sheet: RawSheet, head: list[list[str | None]]) -> str:
    """The reason a sheet holds no table, in the words a PMO analyst would use."""
    name = sheet.name or ""
    cells = [cell for row in head for cell in row if cell]
    if sheet.grid.empty or (not cells and sheet.grid.isna().all(axis=None)):
        return "the sheet is empty"
    if any(_PIVOT_CELLS.match(cell) for cell in cells) or _PIVOT_NAME.search(name):
        return "pivot table or summary, not data"
    if _INSTRUCTIONS.search(name):
        return "instructions, not data"
    if _LOOKUP_NAME.search(name):
        return "lookup lists, not data"
    return f"no header found in the first {HEADER_SCAN_ROWS} rows (no known column names)"


def unnamed(position: int, sheet: RawSheet) -> str:
    """How a column without a header is named in messages: ``column E (no header)``."""
    return f"column {column_letters(position + sheet.first_column)} (no header)"


def header_row_index(head: list[list[Any]], user: UserMapping | None) -> int | None:
    """Index of the header row among the preview rows (see :func:`find_header_row`)."""
    return find_header_row(head, user)


def is_pivot(sheet: RawSheet, head: list[list[str | None]]) -> bool:
    """Whether a sheet is a pivot table: ``Row Labels`` or ``Sum of …`` headers, or the name.

    A pivot's rows are sums of other rows, with ``Grand Total`` lines and cached ``#DIV/0!``:
    structure, not data (``docs/loaders.md``, "Structure, not data").
    """
    if re.search(r"pivot", sheet.name or "", re.I):
        return True
    return any(cell and _PIVOT_MARKS.match(cell) for row in head for cell in row)


def structure_rows(
    body: pd.DataFrame,
    skipped: pd.Series,
    repeated: pd.Series,
    encodings: dict[int, Any] | None = None,
) -> dict[str, pd.Series]:
    """Lines of one cell that belong to the layout, not the data, by reason.

    - ``group title row``: a board groups its items under a title line followed by the header
      again (monday.com exports every group this way);
    - ``footer line``: copyright, confidentiality or page lines under the table (also under an
      empty template).

    Only rows with exactly one filled cell are candidates, so a data row is never taken for
    either; rows already ``skipped`` (blank, repeated header, totals) are left alone.
    """
    out: dict[str, pd.Series] = {}
    if body.shape[1] < 3 or not len(body):
        return out
    single = _one_cell_rows(body, skipped.to_numpy(dtype=bool), encodings or {})
    if not single.any():
        return out
    positions = np.flatnonzero(single)
    filled = np.flatnonzero(~skipped.to_numpy(dtype=bool) | repeated.to_numpy(dtype=bool))
    after = np.searchsorted(filled, positions, side="right")
    nxt = np.where(after < len(filled), filled[np.minimum(after, len(filled) - 1)], -1)
    is_title = (nxt >= 0) & repeated.to_numpy(dtype=bool)[np.maximum(nxt, 0)]
    titles = np.zeros(len(body), dtype=bool)
    titles[positions[is_title]] = True
    text = body.iloc[positions].bfill(axis=1).iloc[:, 0].astype("string")
    footer_hit = pc.match_substring_regex(
        pa.array(text.fillna("").to_numpy(dtype=object), pa.string()), _FOOTER_RE2
    ).to_numpy(zero_copy_only=False)
    footers = np.zeros(len(body), dtype=bool)
    footers[positions[footer_hit & ~is_title]] = True
    if titles.any():
        out["group title row"] = pd.Series(titles, index=body.index)
    if footers.any():
        out["footer line"] = pd.Series(footers, index=body.index)
    return out


def _one_cell_rows(
    body: pd.DataFrame, skipped: np.ndarray, encodings: dict[int, Any]
) -> np.ndarray:
    """Rows (not skipped) with exactly one non-blank cell; rows with two drop out early."""
    candidates = np.flatnonzero(~skipped)
    counts = np.zeros(len(candidates), dtype=np.int8)
    for position in body.columns:
        if not len(candidates):
            break
        column = body[position]
        if not isinstance(column.dtype, pd.StringDtype):
            column = column.astype("string[pyarrow]")
        encoded = encodings.get(position)
        if encoded is not None and len(candidates) == len(body):
            filled = distinct.cell_mask(column, _has_text, encoded)
        else:
            filled = distinct.cell_mask(column.iloc[candidates], _has_text, None)
        counts += filled
        keep = counts < 2
        candidates, counts = candidates[keep], counts[keep]
    single = np.zeros(len(body), dtype=bool)
    single[candidates[counts == 1]] = True
    return single


def _has_text(arr: pa.Array) -> pa.Array:
    return pc.and_(pc.greater(pc.utf8_length(arr), 0), pc.invert(pc.utf8_is_space(arr)))


_SUBITEMS_RE2 = r"(?i)^\s*sub-?items?\s*$"


@dataclass
class Subitems:
    """monday.com subitems found under their items (see :func:`subitems`).

    Attributes:
        body: The sheet's cells with every subitem row moved into the item columns.
        headers: The subitems header rows (structure, ignored with a reason).
        parents: Body index of each subitem row -> its item (the item's id, else its name).
    """

    body: pd.DataFrame
    headers: pd.Series
    parents: dict[Any, str]


def subitems(body: pd.DataFrame, guess: Any, lookup: dict[str, str]) -> Subitems | None:
    """Subitems of a monday.com board export, re-read as work items under their items.

    monday.com writes an item's subitems right under it, one column to the right, after a
    header line of their own (``Subitems | Owner | Status | Date``): the subitem's name sits
    under ``Subitems`` and its other cells under their own headers. Each subitem row is moved
    into the item columns with the same canonical meaning, and gets its item as parent.

    Returns:
        None when the sheet has no subitems header line (the usual case, checked cheaply on the
        first columns only).
    """
    width = min(body.shape[1], 4)
    hits: list[tuple[int, int]] = []
    for position in range(1, width):
        column = body[position]
        if not isinstance(column.dtype, pd.StringDtype):
            column = column.astype("string[pyarrow]")
        mask = distinct.cell_mask(column, lambda a: pc.match_substring_regex(a, _SUBITEMS_RE2))
        hits += [(int(r), position) for r in np.flatnonzero(mask)]
    if not hits:
        return None
    first = body[0]
    id_at = next((p for p, c in guess.columns.items() if c == "item_id"), None)
    name_at = next((p for p, c in guess.columns.items() if c == "name"), None)
    if name_at is None:
        return None
    where = {c: p for p, c in guess.columns.items()}
    body = body.copy()
    headers = np.zeros(len(body), dtype=bool)
    parents: dict[Any, str] = {}
    for row, offset in sorted(hits):
        if not _blank(first.iloc[row]):
            continue  # a "Subitems" cell in an item row is the item's own summary column
        header = body.iloc[row]
        moves = {offset: name_at}
        for q in range(offset + 1, body.shape[1]):
            column = lookup.get(_key(header.iloc[q]))
            if column in where and column not in ("item_id", "name"):
                moves[q] = where[column]
        item = _item_above(body, row, id_at, name_at)
        headers[row] = True
        below = row + 1
        while below < len(body) and _blank(first.iloc[below]):
            cells = body.iloc[below]
            if all(_blank(v) for v in cells):
                break
            moved = pd.Series(pd.NA, index=body.columns, dtype="object")
            for q, p in moves.items():
                moved[p] = cells.iloc[q]
            body.iloc[below] = moved.astype("string").to_numpy()
            if item is not None:
                parents[body.index[below]] = item
            below += 1
    if not headers.any():
        return None
    return Subitems(body, pd.Series(headers, index=body.index), parents)


def _item_above(body: pd.DataFrame, row: int, id_at: int | None, name_at: int) -> str | None:
    for above in range(row - 1, -1, -1):
        cells = body.iloc[above]
        if not _blank(cells.iloc[0]):
            label = cells.iloc[id_at] if id_at is not None else cells.iloc[name_at]
            return None if _blank(label) else str(label).strip()
    return None


def _key(cell: Any) -> str:
    return "" if _blank(cell) else normalise(cell)


def _blank(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, str) and not value.strip())
