"""Turn one raw sheet into typed rows of a canonical table, accounting for every source row.

Every data row below the header ends in exactly one of three places: loaded, rejected (with the
column, the value and a reason in the user's words) or ignored (blank, totals, repeated header).
``rows_read == rows_loaded + rows_rejected + rows_ignored`` holds for every sheet (INPUT_CASES I1).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from loaders import coerce
from loaders.kinds import (
    BOOL,
    DATE,
    HOURS,
    ID,
    INT,
    MONEY,
    NUMBER,
    PERCENT,
    RAG,
    SCORE,
    TABLES,
    TEXT,
    TableSpec,
)
from loaders.mapping import (
    SYNONYMS,
    KindGuess,
    UserMapping,
    detect_kind,
    find_header_row,
    normalise,
)
from loaders.read import RawSheet

_TOTALS = re.compile(r"^\s*(grand\s+|sub\s*-?)?totals?\b|^\s*sum\s*$", re.IGNORECASE)
_INSTRUCTIONS = re.compile(r"instruction|read\s*me|guidance|notes|help|about|cover", re.IGNORECASE)
_PIVOT = re.compile(r"pivot|summary|dashboard|chart|lookup|list", re.IGNORECASE)

REQUEST_STATUSES = {
    "submitted": "submitted",
    "new": "submitted",
    "draft": "submitted",
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
    rejects: list[Reject] = field(default_factory=list)
    ignored: list[tuple[int, str]] = field(default_factory=list)
    staged: pd.DataFrame | None = None
    message: str = ""


@dataclass(frozen=True)
class Options:
    """How to read values: the PMO's date order, overrides from the command line."""

    date_order: str = "auto"
    kind: str | None = None
    project: str | None = None
    user_mapping: UserMapping | None = None


def process_sheet(raw: RawSheet, options: Options) -> SheetResult:
    """Find the header, detect the kind, coerce and validate every row of one sheet."""
    grid = raw.grid
    head = grid.head(40).to_numpy().tolist()
    header_index = find_header_row(head, options.user_mapping)
    if header_index is None and options.kind is not None and len(grid):
        header_index = 0
    if header_index is None:
        return _ignored_sheet(raw, _why_no_header(raw), header_index=None)
    headers = [_header_text(h) for h in head[header_index]]
    guess = detect_kind(
        headers, forced=options.kind, project=options.project, user=options.user_mapping
    )
    if guess is None:
        return _ignored_sheet(raw, _why_unknown_kind(raw, headers), header_index=header_index)
    return _process_table(raw, header_index, headers, guess, options)


def _process_table(
    raw: RawSheet, header_index: int, headers: list[str], guess: KindGuess, options: Options
) -> SheetResult:
    spec = TABLES[guess.kind]
    result = SheetResult(sheet=raw.name, kind=spec.name, header_row=raw.row_numbers[header_index])
    result.columns = {headers[i]: c for i, c in guess.columns.items()}
    result.columns.update({headers[i]: f"month {m:%Y-%m}" for i, m in guess.month_columns.items()})
    mapped_positions = set(guess.columns) | set(guess.month_columns)
    result.unmapped = [h for i, h in enumerate(headers) if i not in mapped_positions and h]

    body = raw.grid.iloc[header_index + 1 :]
    numbers = pd.Series(raw.row_numbers[header_index + 1 :], index=body.index)
    result.rows_read = len(body) + len(raw.structural_rejects)
    for row, reason, text in raw.structural_rejects:
        result.rejects.append(Reject(row, None, text[:200], "structure", reason, {"line": text}))

    text = body.map(_cell_text)
    blank = (text == "").all(axis=1)
    header_norm = [normalise(h) for h in headers]
    repeated = pd.Series(False, index=body.index)
    if guess.columns:
        cols = list(guess.columns)
        repeated = (
            text[cols]
            .apply(lambda s: s.map(normalise))
            .eq([header_norm[i] for i in cols])
            .all(axis=1)
            & ~blank
        )
    totals = _totals_rows(text, guess, spec) & ~blank & ~repeated
    for mask, reason in (
        (blank, "blank row"),
        (repeated, "repeated header row"),
        (totals, "totals row"),
    ):
        result.ignored.extend((int(numbers[i]), reason) for i in body.index[mask])
    keep = ~(blank | repeated | totals)
    body, numbers, text = body[keep], numbers[keep], text[keep]

    missing = _missing_columns(spec, guess, options)
    if missing:
        reason = "; ".join(missing)
        for i in body.index:
            result.rejects.append(
                Reject(
                    int(numbers[i]),
                    None,
                    None,
                    "missing column",
                    reason,
                    _raw_row(headers, body.loc[i]),
                )
            )
        return _finish(result, None, "; ".join(missing))

    if guess.month_columns:
        typed, errors = _unpivot_plan(body, guess, numbers)
    else:
        typed, errors = _coerce_columns(body, guess, spec, options)
        typed["source_row"] = numbers
    typed, errors = _apply_rules(typed, errors, spec, options)
    errors = _duplicate_keys(typed, errors, spec)
    # Error frames are indexed by the grid row they came from (unique per source row).
    for idx, problems in errors.groupby(level=0, sort=True):
        first = problems.iloc[0]
        more = len(problems) - 1
        reason = first["reason"] + (f" (and {more} more problem{'s' * (more > 1)})" if more else "")
        result.rejects.append(
            Reject(
                int(numbers[idx]),
                _source_header(result.columns, first["column"]),
                first["value"],
                first["rule"],
                reason,
                _raw_row(headers, raw.grid.loc[idx]),
            )
        )
    rejected_rows = {r.row for r in result.rejects}
    good = typed[~typed["source_row"].isin(rejected_rows)].drop(columns=["_src"], errors="ignore")
    note = f"{len(raw.hidden_rows)} hidden row(s) loaded" if raw.hidden_rows else ""
    return _finish(result, good, note)


def _finish(result: SheetResult, staged: pd.DataFrame | None, message: str) -> SheetResult:
    result.rejects.sort(key=lambda r: r.row)
    rejected = {r.row for r in result.rejects}
    result.rows_rejected = len(rejected)
    result.rows_ignored = len(result.ignored)
    result.staged = staged
    result.rows_loaded = 0 if staged is None else int(staged["source_row"].nunique())
    result.message = message
    balance = result.rows_loaded + result.rows_rejected + result.rows_ignored
    if balance != result.rows_read:  # the accounting invariant; a bug here must be loud
        raise AssertionError(
            f"row accounting broke on sheet {result.sheet!r}: read {result.rows_read}, "
            f"loaded+rejected+ignored {balance}"
        )
    return result


def _coerce_columns(
    body: pd.DataFrame, guess: KindGuess, spec: TableSpec, options: Options
) -> tuple[pd.DataFrame, pd.DataFrame]:
    typed = pd.DataFrame(index=body.index)
    error_frames = []
    sprint_positions = [i for i, c in guess.columns.items() if c == "sprints"]
    for position, column in guess.columns.items():
        if column == "sprints" and position != sprint_positions[0]:
            continue
        raw = body[position]
        if column == "sprints" and len(sprint_positions) > 1:
            raw = body[sprint_positions].apply(
                lambda r: " | ".join(str(v).strip() for v in r if _cell_text(v)), axis=1
            )
        coerced = coerce_value(raw, spec.columns[column], options)
        typed[column] = coerced.values
        bad = coerced.errors.dropna()
        if len(bad):
            error_frames.append(
                pd.DataFrame(
                    {
                        "column": column,
                        "value": raw[bad.index].map(_cell_text),
                        "rule": "invalid value",
                        "reason": bad,
                    },
                    index=bad.index,
                )
            )
    for column in spec.columns:
        if column not in typed:
            typed[column] = pd.Series(None, index=body.index, dtype=canonical_dtype(spec, column))
    typed = typed[list(spec.columns)]
    typed["_src"] = body.index
    return typed, _concat_errors(error_frames)


def coerce_value(raw: pd.Series, value_type: str, options: Options) -> coerce.Coerced:
    """Coerce one column of raw cells to the canonical type ``value_type``."""
    return _COERCERS[value_type](raw, options)


def _coerce_whole(raw: pd.Series, _options: Options) -> coerce.Coerced:
    result = coerce.coerce_number(raw)
    values = result.values
    fractional = values.notna() & (values != values.round())
    errors = result.errors.copy()
    errors[fractional & errors.isna()] = raw[fractional].map(
        lambda v: f"'{v}' is not a whole number"
    )
    return coerce.Coerced(values.where(~fractional).round().astype("Int64"), errors)


_COERCERS: dict[str, Callable[[pd.Series, Options], coerce.Coerced]] = {
    ID: lambda s, o: coerce.coerce_id(s),
    TEXT: lambda s, o: coerce.coerce_text(s),
    DATE: lambda s, o: coerce.coerce_date(s, order=o.date_order),
    MONEY: lambda s, o: coerce.coerce_money(s),
    NUMBER: lambda s, o: coerce.coerce_number(s),
    PERCENT: lambda s, o: coerce.coerce_percent(s),
    RAG: lambda s, o: coerce.coerce_rag(s),
    BOOL: lambda s, o: coerce.coerce_bool(s),
    SCORE: lambda s, o: coerce.coerce_int_scale(s, 1, 5),
    HOURS: lambda s, o: coerce.coerce_duration_hours(s),
    INT: _coerce_whole,
}


def _unpivot_plan(
    body: pd.DataFrame, guess: KindGuess, numbers: pd.Series
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A wide plan (one column per month) becomes one allocation row per non-empty cell."""
    spec = TABLES["allocations"]
    ids = {}
    error_frames = []
    for position, column in guess.columns.items():
        if column in ("project_id", "request_id", "resource_id", "role"):
            coerced = coerce_value(body[position], spec.columns[column], Options())
            ids[column] = coerced.values
            bad = coerced.errors.dropna()
            if len(bad):
                error_frames.append(_error_frame(column, body[position], bad))
    frames = []
    for position, month in guess.month_columns.items():
        cells = body[position]
        coerced = coerce.coerce_number(cells)
        bad = coerced.errors.dropna()
        if len(bad):
            error_frames.append(_error_frame(f"month {month:%Y-%m}", cells, bad))
        present = coerced.values.notna() & (coerced.values != 0)
        frames.append(
            pd.DataFrame(
                {
                    "_src": body.index[present],
                    "month": pd.Timestamp(month),
                    "fte": coerced.values[present].to_numpy(),
                }
            )
        )
    long = (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame({"_src": [], "month": [], "fte": []})
    )
    for column in ("project_id", "request_id", "resource_id", "role"):
        source = ids.get(column, pd.Series(pd.NA, index=body.index, dtype="string"))
        long[column] = source.reindex(long["_src"]).to_numpy()
    long["hours"] = float("nan")
    long["source_row"] = numbers.reindex(long["_src"]).to_numpy()
    long["month"] = long["month"].astype("datetime64[ms]")
    long = long.set_index("_src", drop=False)
    long.index.name = None
    # Rows with no demand in any month are recorded but carry nothing to load.
    return long, _concat_errors(error_frames)


def _apply_rules(
    typed: pd.DataFrame, errors: pd.DataFrame, spec: TableSpec, options: Options
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fill overrides, normalise categories and check required fields and value ranges."""
    typed = typed.copy()
    frames = [errors]
    if options.project and "project_id" in spec.columns:
        typed["project_id"] = typed["project_id"].fillna(options.project)
    if spec.name == "work_items":
        missing_id = typed["item_id"].isna()
        typed.loc[missing_id, "item_id"] = "row-" + typed.loc[missing_id, "source_row"].astype(str)
        derived = typed["status"].map(_status_category, na_action="ignore")
        typed["status_category"] = (
            typed["status_category"].map(_status_category, na_action="ignore").fillna(derived)
        )
    for column, allowed, label in _CATEGORIES.get(spec.name, ()):
        values = typed[column]
        mapped = values.map(lambda v, a=allowed: a.get(normalise(v)), na_action="ignore")
        bad = values.notna() & mapped.isna()
        if bad.any():
            choices = "/".join(sorted(set(allowed.values())))
            frames.append(
                pd.DataFrame(
                    {
                        "column": column,
                        "value": values[bad].astype(str),
                        "rule": "invalid value",
                        "reason": values[bad].map(
                            lambda v, c=choices, lb=label: f"'{v}' is not a {lb} (expected {c})"
                        ),
                    }
                )
            )
        typed[column] = mapped
    for column in spec.required:
        empty = typed[column].isna()
        if empty.any():
            frames.append(
                pd.DataFrame(
                    {
                        "column": column,
                        "value": "",
                        "rule": "required",
                        "reason": f"'{column}' is empty: a {spec.name} row needs it",
                    },
                    index=typed.index[empty],
                )
            )
    for group in spec.one_of:
        empty = typed[list(group)].isna().all(axis=1)
        if empty.any():
            frames.append(
                pd.DataFrame(
                    {
                        "column": group[0],
                        "value": "",
                        "rule": "required",
                        "reason": f"one of {', '.join(group)} is needed",
                    },
                    index=typed.index[empty],
                )
            )
    for column, low, high, unit in _RANGES.get(spec.name, ()):
        values = typed[column]
        bad = values.notna() & ((values < low) | (values > high))
        if bad.any():
            frames.append(
                pd.DataFrame(
                    {
                        "column": column,
                        "value": values[bad].astype(str),
                        "rule": "out of range",
                        "reason": values[bad].map(
                            lambda v, lo=low, hi=high, u=unit: f"{v:g} is outside {lo:g}–{hi:g}{u}"
                        ),
                    }
                )
            )
    for start, end in _ORDERED.get(spec.name, ()):
        bad = typed[start].notna() & typed[end].notna() & (typed[end] < typed[start])
        if bad.any():
            frames.append(
                pd.DataFrame(
                    {
                        "column": end,
                        "value": typed.loc[bad, end].astype(str),
                        "rule": "date order",
                        "reason": f"'{end}' is before '{start}'",
                    }
                )
            )
    return typed, _concat_errors(frames)


def _duplicate_keys(typed: pd.DataFrame, errors: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    """Reject every copy of a key that appears more than once in the file (INPUT_CASES #30).

    Wide resource plans repeat a source row once per month, so copies are counted per source
    row: one plan row never collides with itself.
    """
    key = list(spec.key)
    valid = typed[~typed.index.isin(errors.index)]
    per_row = valid.drop_duplicates(subset=[*key, "source_row"])
    dup = per_row.duplicated(subset=key, keep=False)
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
    frame = pd.DataFrame(
        {
            "column": key[0],
            "value": first[key[0]].astype("string").fillna("").to_numpy(),
            "rule": "duplicate key",
            "reason": [bad_rows[int(r)] for r in first["source_row"]],
        },
        index=first.index,
    )
    return _concat_errors([errors, frame])


def _totals_rows(text: pd.DataFrame, guess: KindGuess, spec: TableSpec) -> pd.Series:
    """Rows that a spreadsheet adds for totals: a 'Total'/'Sum' label and no key of their own.

    Only the leading columns and the key/name columns are searched: that is where a totals
    label sits, and searching every column of a wide sheet is needlessly slow.
    """
    labels = {"name", "title", "milestone", *spec.key}
    columns = sorted(
        {*list(text.columns[:3]), *(i for i, c in guess.columns.items() if c in labels)}
    )
    label_hit = pd.Series(False, index=text.index)
    for column in columns:
        label_hit |= text[column].str.match(_TOTALS).fillna(False).astype(bool)
    key_cols = [i for i, c in guess.columns.items() if c in spec.key]
    if not key_cols or not label_hit.any():
        return label_hit
    key_plain = pd.Series(False, index=text.index)
    for column in key_cols:
        cells = text[column]
        key_plain |= ~(cells.eq("") | cells.str.match(_TOTALS).fillna(False).astype(bool))
    return label_hit & ~key_plain


def _missing_columns(spec: TableSpec, guess: KindGuess, options: Options) -> list[str]:
    present = set(guess.columns.values())
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
            problems.append(f"no column for '{column}' (expected a header like {examples})")
    for group in spec.one_of:
        if not present.intersection(group):
            problems.append(f"no column for any of {', '.join(group)}")
    return problems


def _ignored_sheet(raw: RawSheet, reason: str, header_index: int | None) -> SheetResult:
    result = SheetResult(sheet=raw.name, kind=None, header_row=None)
    text = raw.grid.map(_cell_text)
    nonblank = ~(text == "").all(axis=1)
    rows = [n for n, keep in zip(raw.row_numbers, nonblank, strict=True) if keep]
    result.rows_read = len(rows) + len(raw.structural_rejects)
    result.ignored = [(n, f"sheet ignored: {reason}") for n in rows]
    for row, why, line in raw.structural_rejects:
        result.rejects.append(Reject(row, None, line[:200], "structure", why, {"line": line}))
    return _finish(result, None, reason)


def _why_no_header(raw: RawSheet) -> str:
    name = raw.name or ""
    if _INSTRUCTIONS.search(name):
        return "instructions, not data"
    if _PIVOT.search(name):
        return "pivot table or summary, not data"
    if raw.grid.empty or (raw.grid.map(_cell_text) == "").all(axis=None):
        return "the sheet is empty"
    return "no header found in the first 30 rows (no known column names)"


def _why_unknown_kind(raw: RawSheet, headers: list[str]) -> str:
    shown = ", ".join(f"'{h}'" for h in headers if h)[:200]
    return (
        f"could not tell what the sheet holds from its headers ({shown}); "
        "use --kind or a mapping file"
    )


def _join(numbers: list[int]) -> str:
    return ", ".join(map(str, numbers))


def _status_category(value: Any) -> str:
    key = normalise(value)
    if key in DONE_WORDS:
        return "done"
    if key in DOING_WORDS:
        return "doing"
    return "todo"


def _header_text(cell: Any) -> str:
    return _cell_text(cell)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        return f"{value:g}" if value != int(value) else str(int(value))
    return str(value).strip()


def _raw_row(headers: list[str], row: pd.Series) -> dict[str, Any]:
    out = {}
    for position, value in row.items():
        header = (
            headers[position]
            if position < len(headers) and headers[position]
            else (f"column {position + 1}")
        )
        out[header] = _cell_text(value)
    return out


def _source_header(columns: dict[str, str], canonical: str | None) -> str | None:
    for header, column in columns.items():
        if column == canonical:
            return header
    return canonical


def _error_frame(column: str, raw: pd.Series, bad: pd.Series) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "column": column,
            "value": raw[bad.index].map(_cell_text),
            "rule": "invalid value",
            "reason": bad,
        },
        index=bad.index,
    )


def _concat_errors(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame({"column": [], "value": [], "rule": [], "reason": []}, dtype=object)
    return pd.concat(frames).astype(object)


def canonical_dtype(spec: TableSpec, column: str) -> str:
    """The pandas dtype a canonical column is held in (stable, so row hashes are too)."""
    value_type = spec.columns[column]
    if value_type == DATE:
        return "datetime64[ms]"
    if value_type in (MONEY, NUMBER, PERCENT, HOURS):
        return "float64"
    if value_type in (SCORE, INT):
        return "Int64"
    if value_type == BOOL:
        return "boolean"
    return "string"


def rejects_json(reject: Reject) -> str:
    """The raw source row of a reject, as stored in ``rejected_rows.raw_json``."""
    return json.dumps(reject.raw, ensure_ascii=False, default=str)


_CATEGORIES: dict[str, tuple[tuple[str, dict[str, str], str], ...]] = {
    "requests": (("status", REQUEST_STATUSES, "request status"),),
    "raid": (
        ("raid_type", RAID_TYPES, "RAID type"),
        ("severity", SEVERITIES, "severity"),
        ("status", RAID_STATUSES, "RAID status"),
    ),
}
_RANGES: dict[str, tuple[tuple[str, float, float, str], ...]] = {
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
