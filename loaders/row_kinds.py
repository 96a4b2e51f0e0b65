"""Which body rows are data: blank, repeated-header, totals, structure and summary rows are not.

Each such row is ignored with its reason, so the row accounting still holds (docs/loaders.md,
"How a sheet is understood").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from loaders import coerce, distinct, layout
from loaders.cells import is_missing, matches, nonblank
from loaders.headers import lookup_for, normalise
from loaders.kinds import TableSpec
from loaders.mapping import KindGuess
from loaders.options import Options
from loaders.read import STRING, RawSheet


@dataclass
class DataRows:
    """The body rows that carry data, and what the later steps need to know about them."""

    body: pd.DataFrame
    numbers: pd.Series
    encodings: dict[int, distinct.Encoded | None]
    uncached: pd.Series
    parents: pd.Series | None
    ignored: list[tuple[int, str]]
    notes: list[str]


def classify_rows(
    raw: RawSheet,
    body: pd.DataFrame,
    numbers: pd.Series,
    guess: KindGuess,
    spec: TableSpec,
    options: Options,
) -> DataRows:
    """Set aside the rows that are not data, each with its reason, and keep the rest.

    ``body`` holds the rows below the header and ``numbers`` their source row numbers; ``raw``
    adds what the workbook knows (outline levels, subtotal and uncalculated formulas).
    """
    notes: list[str] = []
    sub = None
    if spec.name == "work_items":
        sub = layout.subitems(body, guess, lookup_for(spec.name, options.user_mapping))
        if sub is not None:
            body = sub.body
            notes.append(
                f"{len(sub.parents)} subitem(s) loaded under their items (monday.com layout)"
            )
    encodings = distinct.encode_all(body)
    uncached = uncached_rows(raw, guess, numbers)
    blank = blank_rows(body, encodings) & ~uncached.astype(bool)
    repeated = repeated_headers(body, guess, options, encodings) & ~blank
    totals = totals_rows(body, guess, spec, encodings) | subtotal_rows(
        raw, body, numbers, guess, spec
    )
    totals &= ~blank & ~repeated
    skip = blank | repeated | totals
    structure = layout.structure_rows(body, skip, repeated, encodings)
    if sub is not None:
        structure["subitems header row"] = sub.headers & ~skip
        skip |= structure["subitems header row"]
    ignored: list[tuple[int, str]] = []
    for mask, reason in (
        (blank, "blank row"),
        (repeated, "repeated header row"),
        (totals, "totals row"),
        *((mask, reason) for reason, mask in structure.items()),
    ):
        ignored.extend((int(n), reason) for n in numbers[mask])
        skip |= mask
    outline = sheet_outline(raw, guess, numbers) if spec.name == "work_items" else None
    summary = summary_tasks(body, guess, outline, ~skip) & ~skip
    ignored.extend((int(n), "summary task (its subtasks are loaded)") for n in numbers[summary])
    keep = ~(skip | summary)
    parents = outline_parents(body, guess, numbers, outline) if spec.name == "work_items" else None
    if sub is not None:
        sub_parents = pd.Series(sub.parents, index=body.index, dtype="string")
        parents = sub_parents if parents is None else parents.fillna(sub_parents)
    if not keep.all():  # (filtering a million-row frame that loses nothing is a full copy)
        body, numbers, uncached = body[keep], numbers[keep], uncached[keep]
        rows = keep.to_numpy(dtype=bool)
        encodings = {p: None if e is None else e.take(rows) for p, e in encodings.items()}
    return DataRows(body, numbers, encodings, uncached, parents, ignored, notes)


_TOTALS_RE2 = r"(?i)^\s*((grand\s+|sub\s*-?)?totals?\b|sum\s*$)"


def totals_rows(
    body: pd.DataFrame,
    guess: KindGuess,
    spec: TableSpec,
    encodings: dict[int, distinct.Encoded | None],
) -> pd.Series:
    """Rows that a spreadsheet adds for totals: a 'Total'/'Sum' label and no key of their own.

    Only the leading columns and the key/name columns are searched: that is where a totals
    label sits, and searching every column of a wide sheet is needlessly slow.
    """
    labels = {"name", "title", "milestone", *spec.key}
    positions = sorted(
        {*list(body.columns[:3]), *(i for i, c in guess.columns.items() if c in labels)}
    )
    label_hit = np.zeros(len(body), dtype=bool)
    for position in positions:
        label_hit |= matches(body[position], _TOTALS_RE2, encodings.get(position))
    key_cols = [i for i, c in guess.columns.items() if c in spec.key]
    if not key_cols or not label_hit.any():
        return pd.Series(label_hit, index=body.index)
    key_plain = np.zeros(len(body), dtype=bool)
    for position in key_cols:
        encoded = encodings.get(position)
        key_plain |= nonblank(body[position], encoded) & ~matches(
            body[position], _TOTALS_RE2, encoded
        )
    return pd.Series(label_hit & ~key_plain, index=body.index)


def subtotal_rows(
    raw: RawSheet, body: pd.DataFrame, numbers: pd.Series, guess: KindGuess, spec: TableSpec
) -> pd.Series:
    """Rows computed by =SUBTOTAL()/=AGGREGATE() formulas that carry no key of their own."""
    if not raw.subtotal_rows:
        return pd.Series(False, index=body.index)
    hit = numbers.isin(raw.subtotal_rows).to_numpy(dtype=bool, copy=True)
    for position, column in guess.columns.items():
        if column in spec.key:
            hit &= ~nonblank(body[position])
    return pd.Series(hit, index=body.index)


def blank_rows(
    body: pd.DataFrame, encodings: dict[int, distinct.Encoded | None] | None = None
) -> pd.Series:
    """Rows with no visible character in any cell (checked column by column on what is left)."""
    candidates = np.arange(len(body))
    for position in body.columns:
        if not len(candidates):
            break
        encoded = (encodings or {}).get(position)
        if encoded is not None:
            candidates = candidates[~nonblank(body[position], encoded)[candidates]]
            continue
        column = body[position]
        if len(candidates) < len(body):
            column = column.iloc[candidates]
        candidates = candidates[~nonblank(column)]
    blank = np.zeros(len(body), dtype=bool)
    blank[candidates] = True
    return pd.Series(blank, index=body.index)


def repeated_headers(
    body: pd.DataFrame,
    guess: KindGuess,
    options: Options,
    encodings: dict[int, distinct.Encoded | None],
) -> pd.Series:
    """Rows that repeat the header (a pasted second header, page breaks in an export)."""
    repeated = pd.Series(False, index=body.index)
    if not guess.columns or not len(body):
        return repeated
    lookup = lookup_for(guess.kind, options.user_mapping)
    first, column = next(iter(guess.columns.items()))
    keys = pa.array(sorted(k for k, c in lookup.items() if c == column))

    def names_a_header(arr: pa.Array) -> pa.Array:
        rough = pc.replace_substring_regex(
            pc.utf8_lower(pc.replace_substring(arr, "%", "percent")), r"[^0-9a-z]+", ""
        )
        return pc.is_in(rough, keys)

    column_cells = body[first]
    if not isinstance(column_cells.dtype, pd.StringDtype):
        column_cells = column_cells.astype(STRING)
    hits = np.flatnonzero(distinct.cell_mask(column_cells, names_a_header, encodings.get(first)))
    for position in hits:
        row = body.iloc[position]
        if all(
            is_missing(row[p]) or lookup.get(normalise(row[p])) == c
            for p, c in guess.columns.items()
        ):
            repeated.iloc[position] = True
    return repeated


def sheet_outline(raw: RawSheet, guess: KindGuess, numbers: pd.Series) -> pd.Series | None:
    """Task levels (1 = top) from the sheet's grouped rows, when no column states them.

    Smartsheet (and hand-made Excel plans) show the task hierarchy by indenting rows: the
    workbook stores it as each row's outline level, which the workbook guard collects.
    """
    if not raw.outline_levels or any(c == "outline_level" for c in guess.aux.values()):
        return None
    return numbers.map(raw.outline_levels).fillna(0).astype("float64") + 1


def summary_tasks(
    body: pd.DataFrame, guess: KindGuess, outline: pd.Series | None, data: pd.Series
) -> pd.Series:
    """Summary tasks, whose subtasks carry the work.

    MS Project says so (``Summary = Yes``); in an indented sheet (Smartsheet), or an MS Project
    "Save As" with ``Outline Level`` but no ``Summary`` column, a summary is a data row that the
    next data row is indented under (blank and totals rows do not count).
    """
    position = next((p for p, c in guess.aux.items() if c == "is_summary"), None)
    level_at = next((p for p, c in guess.aux.items() if c == "outline_level"), None)
    if position is None and outline is None and level_at is not None:
        outline = coerce.coerce_number(body[level_at]).values
    if position is None and outline is not None:
        levels = outline[data.to_numpy(dtype=bool)]
        parent = (levels.shift(-1) > levels).fillna(False).astype(bool)
        return parent.reindex(body.index, fill_value=False)
    if position is None:
        return pd.Series(False, index=body.index)
    flags = coerce.coerce_bool(body[position]).values
    return pd.Series(flags.fillna(False).to_numpy(dtype=bool), index=body.index)


def outline_parents(
    body: pd.DataFrame, guess: KindGuess, numbers: pd.Series, outline: pd.Series | None
) -> pd.Series | None:
    """Each task's parent from outline levels (an MS Project column, or indented rows).

    The parent is the nearest task above with a level one less, named by its id when the sheet
    has ids, else by its name.
    """
    level_at = next((p for p, c in guess.aux.items() if c == "outline_level"), None)
    if level_at is None and outline is None:
        return None
    levels = outline if level_at is None else coerce.coerce_number(body[level_at]).values
    id_at = next((p for p, c in guess.columns.items() if c == "item_id"), None)
    name_at = next((p for p, c in guess.columns.items() if c == "name"), None)
    label_at = id_at if id_at is not None else name_at
    labels = body[label_at] if label_at is not None else numbers.map(lambda n: f"row-{n}")
    stack: dict[int, str] = {}
    parents: list[str | None] = []
    for level, label in zip(levels.tolist(), labels.tolist(), strict=True):
        if level != level or level is None:
            parents.append(None)
            continue
        depth = int(level)
        parents.append(stack.get(depth - 1))
        stack[depth] = None if is_missing(label) else str(label).strip()
        for deeper in [d for d in stack if d > depth]:
            del stack[deeper]
    return pd.Series(parents, index=body.index, dtype="string")


def uncached_rows(raw: RawSheet, guess: KindGuess, numbers: pd.Series) -> pd.Series:
    """Rows with a formula saved without its value in a mapped column (rejected later)."""
    mapped = set(guess.columns) | set(guess.month_columns)
    rows = {row for row, col in raw.uncached_formulas if col in mapped}
    return numbers.isin(rows) if rows else pd.Series(False, index=numbers.index)
