"""Columns whose values, not their headers, say what they hold.

Why: a header maps a column, but exports reuse names loosely. Smartsheet and hand-made trackers
call a column of ``Not started``/``In progress``/``Done`` "Progress", which the header maps to
``percent_complete``: read as percentages every row would be rejected. monday.com's ``Timeline``
(and hand-made "Dates" columns) hold a start and a finish in one cell. This module looks at a
mapped column's values and routes it where they belong, before coercion
(docs/loaders.md, "Values decided by content").

Cheap on long columns: one Arrow pass decides whether a column needs a closer look, and only
its distinct values are then read in Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Final

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from loaders.coerce_cells import NULL_TOKENS
from loaders.coerce_dates import coerce_date, split_date_range
from loaders.headers import lookup_for, normalise
from loaders.kinds import TableSpec
from loaders.mapping import KindGuess

#: Progress words (normalised: lower case, letters and digits only) that say a state, not an
#: amount: Smartsheet, Asana, monday.com and hand-made trackers.
STATUS_WORDS: Final = frozenset(
    normalise(word)
    for word in (
        "not started",
        "not yet started",
        "to do",
        "todo",
        "open",
        "new",
        "planned",
        "backlog",
        "in progress",
        "started",
        "doing",
        "ongoing",
        "active",
        "underway",
        "wip",
        "working on it",
        "blocked",
        "stuck",
        "on hold",
        "waiting",
        "paused",
        "in review",
        "review",
        "testing",
        "done",
        "complete",
        "completed",
        "finished",
        "closed",
        "resolved",
        "cancelled",
        "canceled",
        "deferred",
        "delayed",
        "late",
        "overdue",
    )
)
#: A column with more distinct words than this is free text, not a set of states.
MAX_STATES: Final[int] = 50
#: Columns that read a progress amount; a column of status words mapped here is rerouted.
PROGRESS_COLUMNS: Final = frozenset({"percent_complete"})
#: Start/finish pairs per table: a one-cell range in either fills both.
DATE_PAIRS: Final[dict[str, tuple[tuple[str, str], ...]]] = {
    "work_items": (("start_date", "finish_date"), ("baseline_start", "baseline_finish")),
    "projects": (("start_date", "forecast_finish"),),
    "resources": (("start_date", "end_date"),),
}
#: Key columns that hold dotted outline codes (WBS 1.1, 1.10, 2.3.1), kept as text.
DOTTED_KEYS: Final = frozenset({"item_id"})
#: The helper label a split range column keeps (read, never stored), so it is not "ignored".
RANGE_AUX: Final[str] = "date_range"


@dataclass(frozen=True)
class Routed:
    """A sheet's mapping after its values were looked at.

    Attributes:
        guess: The mapping, with rerouted columns.
        body: The data rows; a split range adds a start and a finish column at the end.
        shown: Header names by position, including the added columns.
        notes: One sentence per rerouted column, for the sheet's message.
    """

    guess: KindGuess
    body: pd.DataFrame
    shown: list[str]
    notes: list[str]


def route_by_content(
    guess: KindGuess, body: pd.DataFrame, shown: list[str], spec: TableSpec, order: str = "auto"
) -> Routed:
    """Reroute mapped columns whose values contradict their header.

    - A progress column (``percent_complete``) whose values are all status words becomes the
      table's ``status`` (or ``status_category``) when that is not mapped already; otherwise it
      is not loaded, and the note says why.
    - A start or finish date column holding one-cell ranges (``03/03/2026 - 10/04/2026``) is
      split: the start feeds the start column and the finish the finish column (the partner
      only when no other column feeds it). Cells that are a single date stay where they were.
    - A work-item id column that repeats a dotted code (``1.1`` twice) gets a note: Excel may
      have stored ``1.10`` as the number 1.1 (the copies are rejected as duplicate keys).

    Args:
        guess: The sheet's kind and mapping.
        body: Data rows, columns by position (text cells).
        shown: Header names by position.
        spec: The table the sheet loads into.
        order: Day/month order for slash dates (pmo.toml ``date_order``); with ``auto`` both
            ends of every range and the column's single dates decide it together.

    Returns:
        The possibly changed mapping, body and headers, and a note per change.
    """
    routed = Routed(guess, body, list(shown), [])
    lookup = lookup_for(spec.name)
    taken = set(guess.columns) | set(guess.aux) | set(guess.month_columns)
    for position, column in enumerate(_header_columns(shown, lookup, guess)):
        # A progress header that lost its column to a better one (% Complete) is looked at too.
        if column in PROGRESS_COLUMNS and (position not in taken or guess.columns.get(position)):
            routed = _route_status_words(routed, position, spec)
    for start, finish in DATE_PAIRS.get(spec.name, ()):
        for position, column in list(routed.guess.columns.items()):
            if column in (start, finish):
                routed = _split_ranges(routed, position, start, finish, order)
    for position, column in routed.guess.columns.items():
        if column in DOTTED_KEYS and (note := dotted_code_clash(routed.body[position])):
            routed = replace(
                routed, notes=[*routed.notes, f"column '{routed.shown[position]}' {note}"]
            )
    return routed


def dotted_code_clash(cells: pd.Series) -> str | None:
    """A warning when a column of dotted codes repeats one that Excel may have shortened.

    Excel stores a WBS code typed as ``1.10`` in a General cell as the number 1.1: the workbook
    then holds 1.1 twice and nothing can tell which was 1.10 (the reader gets the value, not
    what the cell showed). Such copies are rejected as duplicate keys; this says why.

    Args:
        cells: One key column of text cells.

    Returns:
        The warning (after the column name), or None when no dotted code repeats.
    """
    if not isinstance(cells.dtype, pd.StringDtype) or not _any_match(cells, _DOTTED_RE2):
        return None
    texts = _texts(cells)
    if texts is None:
        return None
    dotted = texts.filter(pc.match_substring_regex(texts, _DOTTED_RE2))
    if not len(dotted):
        return None
    counts = pc.value_counts(dotted)
    repeated = counts.filter(pc.greater(counts.field("counts"), 1)).field("values").to_pylist()
    if not repeated:
        return None
    shown = ", ".join(repeated[:3]) + (" …" if len(repeated) > 3 else "")
    return (
        f"repeats dotted codes ({shown}): Excel may have stored 1.10 as the number 1.1, which "
        "cannot be told apart; format the column as Text in Excel and export again"
    )


def status_words_in(cells: pd.Series) -> list[str] | None:
    """The distinct status words of a column when that is all it holds, else None.

    A column qualifies when every non-empty cell has a letter (no ``45%``), it has at most
    :data:`MAX_STATES` distinct values, and at least half of them are :data:`STATUS_WORDS`
    (a tracker's own states, ``Waiting on client``, may sit beside them).

    Args:
        cells: One column of text cells.
    """
    for part in (cells.iloc[:_SAMPLE], cells) if len(cells) > _SAMPLE else (cells,):
        # The leading cells settle a column of numbers (the usual case) in one cheap look.
        texts = _texts(part)
        letters = pc.match_substring_regex(texts, r"[^\W\d_]") if texts is not None else None
        if letters is None or not pc.all(letters, min_count=0).as_py():
            return None
    if not len(texts):
        return None
    distinct = pc.unique(texts)
    if len(distinct) > MAX_STATES:
        return None
    words = distinct.to_pylist()
    known = [w for w in words if normalise(w) in STATUS_WORDS]
    return words if 2 * len(known) >= len(words) else None


def _header_columns(shown: list[str], lookup: dict[str, str], guess: KindGuess) -> list[str | None]:
    """The column each header feeds, or would feed by its name alone."""
    return [guess.columns.get(p) or lookup.get(normalise(h)) for p, h in enumerate(shown)]


def _route_status_words(routed: Routed, position: int, spec: TableSpec) -> Routed:
    words = status_words_in(routed.body[position])
    if words is None:
        return routed
    guess = routed.guess
    mapped = set(guess.columns.values())
    target = next(
        (c for c in ("status", "status_category") if c in spec.columns and c not in mapped), None
    )
    columns = dict(guess.columns)
    mapped_here = position in columns
    examples = ", ".join(words[:3]) + (" …" if len(words) > 3 else "")
    said = f"column '{routed.shown[position]}' holds status words ({examples}), not percentages"
    if target is None:
        if not mapped_here:
            return routed  # already not loaded; nothing to change
        del columns[position]
        why = (
            "the status comes from another column"
            if "status" in mapped or "status_category" in mapped
            else f"{spec.name.replace('_', ' ')} have no status column"
        )
        note = f"{said}: not loaded ({why})"
    else:
        columns[position] = target
        note = f"{said}: loaded as {target.replace('_', ' ')}"
    return replace(
        routed,
        guess=replace(guess, columns=dict(sorted(columns.items()))),
        notes=[*routed.notes, note],
    )


def _split_ranges(routed: Routed, position: int, start: str, finish: str, order: str) -> Routed:
    cells = routed.body[position]
    if not isinstance(cells.dtype, pd.StringDtype) or not _any_match(cells, _RANGE_RE2):
        return routed
    texts = _texts(cells, keep_positions=True)
    if texts is None:
        return routed
    encoded = pc.dictionary_encode(texts)
    distinct = encoded.dictionary
    candidates = _flags(pc.match_substring_regex(distinct, _RANGE_RE2))
    splits = {
        k: parts
        for k in np.flatnonzero(candidates)
        if (parts := split_date_range(distinct[int(k)].as_py())) is not None
    }
    if not splits:
        return routed
    own_is_start = routed.guess.columns[position] == start
    words = distinct.to_pylist()
    per_start = [
        splits[k][0] if k in splits else (w if own_is_start else None) for k, w in enumerate(words)
    ]
    per_finish = [
        splits[k][1] if k in splits else (None if own_is_start else w) for k, w in enumerate(words)
    ]
    per_start, per_finish = _settle_parts(per_start, per_finish, order)
    guess = routed.guess
    mapped = set(guess.columns.values()) - {guess.columns[position]}
    columns = {p: c for p, c in guess.columns.items() if p != position}
    body = routed.body.copy(deep=False)
    shown = list(routed.shown)
    header = shown[position]
    fed = []
    for part, column, per_value in (("start", start, per_start), ("finish", finish, per_finish)):
        if column in mapped:
            continue
        cells = pa.array(per_value, pa.large_string()).take(encoded.indices)
        new = len(shown)
        body[new] = pd.Series(pd.arrays.ArrowStringArray(cells), index=body.index)
        shown.append(f"{header} ({part})")
        columns[new] = column
        fed.append(column.replace("_", " "))
    example = distinct[int(next(iter(splits)))].as_py()
    note = f"column '{header}' holds date ranges (e.g. '{example}'): read as {' and '.join(fed)}"
    return Routed(
        replace(
            guess, columns=dict(sorted(columns.items())), aux={**guess.aux, position: RANGE_AUX}
        ),
        body,
        shown,
        [*routed.notes, note],
    )


def _settle_parts(
    starts: list[str | None], finishes: list[str | None], order: str
) -> tuple[list[str | None], list[str | None]]:
    """The column's dates as ISO text, read with one day/month order for every value.

    Why: in ``03/04/2026 - 13/04/2026`` only the finish shows that the column is day-first;
    read apart, the start column would call 03/04/2026 (or a single 05/03/2026 below it)
    ambiguous. Every value of the column votes. Serial numbers keep their text: only the
    normal reading knows the workbook's 1900/1904 date system; so do cells that are not dates.
    """
    texts = [*starts, *finishes]
    read = coerce_date(pd.Series(texts, dtype=object), order=order).values
    iso = [
        text if pd.isna(day) or _SERIAL.fullmatch(text) else day.strftime("%Y-%m-%d")
        for text, day in zip(texts, read, strict=True)
    ]
    return iso[: len(starts)], iso[len(starts) :]


def _any_match(cells: pd.Series, pattern: str) -> bool:
    """Whether any cell matches an RE2 pattern (one Arrow pass, no copies)."""
    column = pa.array(cells.array)
    return bool(pc.any(pc.match_substring_regex(column, pattern)).as_py())


def _flags(values: pa.Array) -> np.ndarray:
    return np.asarray(pc.fill_null(values, False).to_numpy(zero_copy_only=False), dtype=bool)


def _texts(cells: pd.Series, *, keep_positions: bool = False) -> pa.Array | None:
    """A column's cells as trimmed Arrow text; empty and "no value" cells dropped (or null)."""
    try:
        column = pa.array(cells.astype("string[pyarrow]").array)
    except (pa.ArrowException, TypeError, ValueError):
        return None
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    trimmed = pc.utf8_trim_whitespace(column)
    empty = pc.or_kleene(
        pc.is_in(pc.utf8_lower(trimmed), value_set=_NULL_TOKENS), pc.is_null(trimmed)
    )
    if keep_positions:
        return pc.if_else(empty, pa.scalar(None, trimmed.type), trimmed)
    return trimmed.filter(pc.invert(pc.fill_null(empty, True)))


_NULL_TOKENS: Final = pa.array(sorted(NULL_TOKENS))
_SAMPLE: Final[int] = 2_000
_SERIAL: Final = re.compile(r"[0-9]{1,5}(?:\.[0-9]+)?")
_DOTTED_RE2: Final[str] = r"^\s*[0-9]+\.[0-9]+\s*$"
# A cell that may hold a range: something on each side of a spaced hyphen, a dash or a word.
_RANGE_RE2: Final[str] = (
    r"(?i)[0-9a-z.,]\s*(?:\s-\s|\x{2013}|\x{2014}|\sto\s|\suntil\s|\still\s|\sbis\s|\sau\s)"
    r"\s*[0-9a-z]"
)
