"""Row rules: category words, required fields, value ranges, date order, unique keys.

Each rule adds its problems to the errors frame (``loaders.row_errors``); the sheet rejects a row
with its first problem (docs/loaders.md, "Every message").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from loaders import derive
from loaders.hashing import CELL_HASH_PREFIX, combine
from loaders.headers import normalise
from loaders.kinds import TableSpec
from loaders.mapping import KindGuess
from loaders.options import Options
from loaders.read import RawSheet
from loaders.row_errors import concat_errors, error_frame
from loaders.synonyms import SYNONYMS

REQUEST_STATUSES = {
    "submitted": "submitted",
    "new": "submitted",
    "draft": "draft",
    "proposed": "submitted",
    "underreview": "under_review",
    "inreview": "under_review",
    "review": "under_review",
    "assessing": "under_review",
    "inassessment": "under_review",
    "pending": "under_review",
    "approved": "approved",
    "accepted": "approved",
    "rejected": "rejected",
    "declined": "rejected",
    "deferred": "deferred",
    "onhold": "deferred",
    "parked": "deferred",
}


RAID_TYPES = {
    "risk": "risk",
    "risks": "risk",
    "r": "risk",
    "assumption": "assumption",
    "assumptions": "assumption",
    "a": "assumption",
    "issue": "issue",
    "issues": "issue",
    "i": "issue",
    "dependency": "dependency",
    "dependencies": "dependency",
    "d": "dependency",
    "decision": "decision",
    "decisions": "decision",
    "impediment": "issue",
    "impediments": "issue",
    "blocker": "issue",
    "blockers": "issue",
}


SEVERITIES = {
    "low": "low",
    "l": "low",
    "minor": "low",
    "medium": "medium",
    "med": "medium",
    "m": "medium",
    "moderate": "medium",
    "high": "high",
    "h": "high",
    "major": "high",
    "critical": "critical",
    "veryhigh": "critical",
    "severe": "critical",
    "c": "critical",
}


OPEN_WORDS = {"open", "active", "inprogress", "new", "monitoring", "escalated", "live"}


CLOSED_WORDS = {"closed", "resolved", "done", "mitigated", "complete", "completed", "retired"}


RAID_STATUSES = dict.fromkeys(OPEN_WORDS, "open") | dict.fromkeys(CLOSED_WORDS, "closed")


DONE_WORDS = {"done", "closed", "resolved", "complete", "completed", "finished", "released"}


TODO_WORDS = {"todo", "open", "new", "backlog", "notstarted", "planned", "ready"}


_DONE_PARTS = ("closed", "complete", "done", "resolved", "finished", "cancel")


_DOING_PARTS = ("inprogress", "working", "active", "review", "testing", "blocked", "stuck")


DOING_WORDS = {
    "inprogress",
    "doing",
    "active",
    "inreview",
    "review",
    "testing",
    "started",
    "indevelopment",
    "blocked",
}


def apply_rules(
    typed: pd.DataFrame,
    errors: pd.DataFrame,
    spec: TableSpec,
    options: Options,
    notes: list[str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fill overrides, normalise categories and check required fields and value ranges.

    A category value that is not an allowed word but is close to one (``Hgh``, ``Mitgated``)
    takes the nearest allowed value, and ``notes`` says so.
    """
    notes = notes if notes is not None else []
    categories = _CATEGORIES.get(spec.name, ())
    typed = writable(
        typed,
        *(["project_id"] if options.project and "project_id" in spec.columns else []),
        *(["item_id", "status_category"] if spec.name == "work_items" else []),
        *(column for column, _, _ in categories),
    )
    if options.project and "project_id" in spec.columns:
        typed["project_id"] = typed["project_id"].fillna(options.project)
    if spec.name == "work_items":
        _work_item_defaults(typed)
    frames = [errors]
    for column, allowed, label in categories:
        frames.append(_category(typed, column, allowed, label, notes))
    frames.append(_required(typed, errors, spec))
    frames.append(_out_of_range(typed, RANGES.get(spec.name, ())))
    frames.append(_out_of_order(typed, _ORDERED.get(spec.name, ())))
    return typed, concat_errors(frames)


def _work_item_defaults(typed: pd.DataFrame) -> None:
    """A task without an id is named by its row; its category comes from its status words."""
    missing_id = typed["item_id"].isna()
    typed.loc[missing_id, "item_id"] = "row-" + typed.loc[missing_id, "source_row"].astype(str)
    derived = by_distinct(typed["status"], status_category)
    own = by_distinct(typed["status_category"], status_category)
    typed["status_category"] = own.fillna(derived).astype("string")


def _category(
    typed: pd.DataFrame, column: str, allowed: dict[str, str], label: str, notes: list[str]
) -> pd.DataFrame:
    """Map ``column``'s words to the allowed values (in place); the words that do not map."""
    values = typed[column]
    mapped = by_distinct(values, lambda v: allowed.get(normalise(v)))
    guessed = derive.nearest_allowed(values[values.notna() & mapped.isna()], allowed)
    if guessed:
        mapped = mapped.where(mapped.notna(), values.map(guessed))
        shown = ", ".join(f"'{v}' as '{w}'" for v, w in list(guessed.items())[:5])
        notes.append(f"{label} read as the nearest allowed value: {shown}")
    bad = values.notna() & mapped.isna()
    typed[column] = mapped.astype("string")
    choices = "/".join(sorted(set(allowed.values())))
    return error_frame(
        values.index[bad],
        column,
        values[bad].astype(str),
        "invalid value",
        values[bad].map(lambda v: f"'{v}' is not a {label} (expected {choices})"),
    )


def _required(typed: pd.DataFrame, errors: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    """Rows missing a required field, or every field of a one-of group."""
    frames = []
    for column in spec.required:
        # A cell already rejected as an invalid value is empty now; it is one problem, not two.
        empty = typed[column].isna()
        if len(errors):
            empty &= ~typed.index.isin(errors.index[errors["column"] == column])
        reason = f"'{column}' is empty: a {spec.name} row needs it"
        frames.append(error_frame(typed.index[empty], column, "", "required", reason))
    for group in spec.one_of:
        empty = typed[list(group)].isna().all(axis=1)
        reason = f"one of {', '.join(group)} is needed"
        frames.append(error_frame(typed.index[empty], group[0], "", "required", reason))
    return concat_errors(frames)


def _out_of_range(
    typed: pd.DataFrame, ranges: tuple[tuple[str, float, float, str], ...]
) -> pd.DataFrame:
    """Values outside their column's plausible range (a negative budget, 30 hours in a day)."""
    frames = []
    for column, low, high, unit in ranges:
        values = typed[column]
        bad = values.notna() & ((values < low) | (values > high))
        reasons = values[bad].map(
            lambda v, lo=low, hi=high, u=unit: f"{v:g} is outside {lo:g}–{hi:g}{u}"
        )
        frames.append(
            error_frame(typed.index[bad], column, values[bad].astype(str), "out of range", reasons)
        )
    return concat_errors(frames)


def _out_of_order(typed: pd.DataFrame, ordered: tuple[tuple[str, str], ...]) -> pd.DataFrame:
    """An end date before its start date: the end is at fault."""
    frames = []
    for start, end in ordered:
        bad = typed[start].notna() & typed[end].notna() & (typed[end] < typed[start])
        value = typed.loc[bad, end].astype(str)
        reason = f"'{end}' is before '{start}'"
        frames.append(error_frame(typed.index[bad], end, value, "date order", reason))
    return concat_errors(frames)


def duplicate_keys(
    typed: pd.DataFrame, errors: pd.DataFrame, spec: TableSpec, *, one_per_row: bool
) -> pd.DataFrame:
    """Reject every copy of a key that appears more than once in the file.

    Which copy is right is the user's call (docs/loaders.md, "Policies").

    Wide resource plans repeat a source row once per month (``one_per_row`` is False), so copies
    are counted per source row: one plan row never collides with itself.
    """
    key = list(spec.key)
    valid = typed[~typed.index.isin(errors.index)] if len(errors) else typed
    per_row = valid if one_per_row else valid.drop_duplicates(subset=[*key, "source_row"])
    dup = _duplicated(per_row, key)
    if not dup.any():
        return errors
    copies = per_row[dup]
    group = copies.groupby(key, dropna=False, sort=False).ngroup()
    rows = copies["source_row"].astype(int).groupby(group).agg(lambda s: _join(sorted(set(s))))
    labels = copies[key].astype("string").fillna("").agg(" / ".join, axis=1)
    reasons = [f"duplicate key in file ({key_label}) on rows {rows[g]}"
               for key_label, g in zip(labels, group, strict=True)]  # fmt: skip
    bad_rows = dict(zip(copies["source_row"].astype(int), reasons, strict=True))
    hit = valid[valid["source_row"].astype(int).isin(bad_rows)]
    first = hit[~hit.index.duplicated()]
    frame = error_frame(
        first.index,
        key[0],
        first[key[0]].astype("string").fillna("").to_numpy(),
        "duplicate key",
        [bad_rows[int(r)] for r in first["source_row"]],
    )
    return concat_errors([errors, frame])


def _duplicated(rows: pd.DataFrame, key: list[str]) -> pd.Series:
    """``rows.duplicated(subset=key, keep=False)``, narrowed first by the keys' cell hashes.

    Equal keys have equal hashes, so only rows whose combined key hash repeats can be copies;
    the exact comparison then runs on those alone (usually none).
    """
    hidden = [CELL_HASH_PREFIX + k for k in key]
    if not all(h in rows for h in hidden):
        return rows.duplicated(subset=key, keep=False)
    combined = combine([rows[h].to_numpy(dtype=np.uint64) for h in hidden], len(rows))
    maybe = pd.Series(combined).duplicated(keep=False).to_numpy()
    dup = np.zeros(len(rows), dtype=bool)
    if maybe.any():
        dup[maybe] = rows[maybe].duplicated(subset=key, keep=False).to_numpy()
    return pd.Series(dup, index=rows.index)


def uncached_errors(
    uncached: pd.Series,
    raw: RawSheet,
    guess: KindGuess,
    shown: list[str],
    numbers: pd.Series,
) -> pd.DataFrame:
    """Formulas saved without a value must not load as empty: the row is rejected.

    Loading such a cell as empty or 0 would be wrong (docs/loaders.md, "Policies").
    """
    if not uncached.any():
        return concat_errors([])
    first_col: dict[int, int] = {}
    for row, col in sorted(raw.uncached_formulas):
        if col in guess.columns or col in guess.month_columns:
            first_col.setdefault(row, col)
    index = uncached.index[uncached.to_numpy(dtype=bool)]
    return error_frame(
        index,
        [guess.columns.get(first_col[int(numbers[i])], None) for i in index],
        "",
        "formula without value",
        [
            f"the cell in column '{shown[first_col[int(numbers[i])]]}' holds a formula that "
            "was never calculated: open the file in Excel, save it and load it again"
            for i in index
        ],
    )


def missing_columns(spec: TableSpec, guess: KindGuess, options: Options) -> list[str]:
    """Why the sheet cannot load at all: required columns that no header (or option) gives."""
    present = set(guess.columns.values()) | guess.derived
    if guess.month_columns:
        present |= {"month", "fte"}
    if options.project:
        present.add("project_id")
    if spec.name == "work_items":
        present.add("item_id")
    problems = []
    for column in spec.required:
        if column not in present:
            examples = ", ".join(f"'{s.title()}'" for s in SYNONYMS[spec.name][column][:3])
            hint = " or give --project" if column == "project_id" else ""
            problems.append(f"no column for '{column}' (expected a header like {examples}{hint})")
    for group in spec.one_of:
        if not present.intersection(group):
            problems.append(f"no column for any of {', '.join(group)}")
    return problems


def writable(typed: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """A copy of ``typed`` (copy-on-write, so nothing is copied yet) whose ``columns`` may change.

    Their hidden cell hashes describe the values as coerced, so they go: the row hash then
    hashes whatever the columns hold when the rows are stored. Every step that rewrites a
    coerced column takes its frame from here.
    """
    hidden = [CELL_HASH_PREFIX + c for c in columns if CELL_HASH_PREFIX + c in typed]
    return typed.drop(columns=hidden) if hidden else typed.copy(deep=False)


def status_category(value: Any) -> str:
    """todo/doing/done from a workflow state.

    Tools decorate the words (``Closed Complete``, ``Work in Progress``, ``Working on it``), so a
    known word inside the state counts too.
    """
    key = normalise(value)
    if key in DONE_WORDS:
        return "done"
    if key in DOING_WORDS:
        return "doing"
    if key in TODO_WORDS or key.startswith("not"):
        return "todo"
    if any(word in key for word in _DONE_PARTS):
        return "done"
    if any(word in key for word in _DOING_PARTS):
        return "doing"
    return "todo"


def by_distinct(values: pd.Series, convert: Callable[[Any], Any]) -> pd.Series:
    """``values.map(convert)`` computed once per distinct value (category columns are long)."""
    distinct = values.dropna().unique()
    table = {value: convert(value) for value in distinct}
    return values.map(table).astype(object).where(values.notna(), None)


def _join(numbers: list[int]) -> str:
    return ", ".join(map(str, numbers))


_CATEGORIES: dict[str, tuple[tuple[str, dict[str, str], str], ...]] = {
    "requests": (("status", REQUEST_STATUSES, "request status"),),
    "raid": (
        ("raid_type", RAID_TYPES, "RAID type"),
        ("severity", SEVERITIES, "severity"),
        ("status", RAID_STATUSES, "RAID status"),
    ),
}


RANGES: dict[str, tuple[tuple[str, float, float, str], ...]] = {
    "projects": (
        ("budget", 0, 1e12, ""),
        ("actual_cost", 0, 1e12, ""),
        ("forecast_cost", 0, 1e12, ""),
    ),
    "status_reports": (("actual_cost", 0, 1e12, ""), ("forecast_cost", 0, 1e12, "")),
    "requests": (
        ("estimated_cost", 0, 1e12, ""),
        ("effort_person_months", 0, 10000, ""),
        ("duration_months", 0, 240, " months"),
    ),
    "resources": (("fte", 0, 1, " FTE"), ("cost_rate", 0, 1e6, "")),
    "allocations": (("fte", 0, 2, " FTE"), ("hours", 0, 744, " hours")),
    "timesheets": (("hours", 0, 24, " hours"),),
    "raid": (("impact", 1, 5, ""),),
}


_ORDERED: dict[str, tuple[tuple[str, str], ...]] = {
    "projects": (("start_date", "baseline_finish"), ("start_date", "actual_finish")),
    "resources": (("start_date", "end_date"),),
    "work_items": (("start_date", "finish_date"),),
}
