"""Turn one raw sheet into typed rows of a canonical table, accounting for every source row.

Every data row below the header ends in exactly one of three places: loaded, rejected (with the
column, the value and a reason in the user's words) or ignored (blank, totals, repeated header).
``rows_read == rows_loaded + rows_rejected + rows_ignored`` holds for every sheet (INPUT_CASES I1).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from loaders import coerce, content, derive, distinct, layout, months, spread
from loaders.guards import column_letters
from loaders.hashing import CELL_HASH_PREFIX, combine, spread_hashes
from loaders.kinds import (
    BOOL,
    DATE,
    HOURS,
    ID,
    INT,
    MONEY,
    MONTH,
    NUMBER,
    PERCENT,
    RAG,
    RAID_KINDS,
    SCORE,
    TABLES,
    TEXT,
    TableSpec,
)
from loaders.mapping import (
    MULTI_VALUED,
    SYNONYMS,
    Hints,
    KindGuess,
    UserMapping,
    detect_kind,
    find_header_row,
    lookup_for,
    near_miss,
    normalise,
    pick_contested,
)
from loaders.read import STRING, RawSheet

_TOTALS_RE2 = r"(?i)^\s*((grand\s+|sub\s*-?)?totals?\b|sum\s*$)"

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


@dataclass(frozen=True)
class Options:
    """How to read values: the PMO's date order, overrides from the command line.

    Attributes:
        date_order: ``auto``, ``dmy`` or ``mdy`` for slash dates (pmo.toml ``[loading]``).
        kind: Load every sheet into this table (``--kind``), skipping detection; a RAID type
            in the plural (``risks``, see :data:`loaders.kinds.RAID_KINDS`) loads into ``raid``
            with that type.
        project: Project id for rows without one (``--project``, single-project exports).
        user_mapping: Extra header mappings (``--mapping``).
        date1904: The workbook counts serial dates from 1904 (set per file by the reader).
        division: Division for register rows without one (``--division``, else
            ``[loading].default_division``).
        file_stem: The file's name without extension (set per file): a RAID log called
            ``Risks.xlsx`` holds risks.
    """

    date_order: str = "auto"
    kind: str | None = None
    project: str | None = None
    user_mapping: UserMapping | None = None
    date1904: bool = False
    division: str | None = None
    file_stem: str | None = None


def process_sheet(raw: RawSheet, options: Options) -> SheetResult:
    """Find the header, detect the kind, coerce and validate every row of one sheet."""
    if raw.skip_reason:
        return _ignored_sheet(raw, raw.skip_reason, fatal=raw.unreadable)
    filled = layout.fill_merged(raw) if raw.merged else []
    head = layout.preview(raw)
    header_index = find_header_row(head, options.user_mapping)
    if header_index is None and options.kind is not None and len(raw.grid):
        header_index = _first_nonblank(head)
    if header_index is None:
        return _ignored_sheet(raw, layout.why_no_table(raw, head))
    if layout.is_pivot(raw, head):
        return _ignored_sheet(raw, "pivot table or summary, not data")
    headers = layout.header_names(head, header_index, options.user_mapping)
    hints = _hints(raw, options)
    forced = "raid" if options.kind in RAID_KINDS else options.kind
    guess = detect_kind(headers, forced=forced, user=options.user_mapping, hints=hints)
    if guess is None:
        return _ignored_sheet(raw, _why_unknown_kind(headers, options, hints), fatal=True)
    notes = list(raw.notes)
    data_merges = [r for r in filled if r[2] > header_index]
    if data_merges:
        notes.append(
            f"merged cells filled down: {layout.describe_ranges(raw, data_merges)} (each cell "
            "of a merged range took its value)"
        )
    return _process_table(raw, header_index, headers, guess, options, notes)


def _hints(raw: RawSheet, options: Options) -> Hints:
    """What the sheet name, the file name and the command line say about the sheet."""
    raid_type = (
        RAID_KINDS.get(options.kind or "")
        or derive.raid_type_from_name(raw.name)
        or derive.raid_type_from_name(options.file_stem)
    )
    return Hints(
        project=options.project,
        raid_type=raid_type,
        division=options.division,
        raid_from_kind=options.kind in RAID_KINDS,
    )


def _process_table(
    raw: RawSheet,
    header_index: int,
    headers: list[str],
    guess: KindGuess,
    options: Options,
    notes: list[str],
) -> SheetResult:
    spec = TABLES[guess.kind]
    header_row = int(raw.row_numbers[header_index])
    result = SheetResult(sheet=raw.name, kind=spec.name, header_row=header_row)
    shown = [h or layout.unnamed(i, raw) for i, h in enumerate(headers)]
    body = raw.grid.iloc[header_index + 1 :].reset_index(drop=True)
    numbers = pd.Series(raw.row_numbers[header_index + 1 :], dtype="int64")
    labels = _labels(shown, raw)
    guess = _settle_contested(guess, body, labels, result)
    if result.passed_over:
        notes.append(
            "columns not loaded: "
            + "; ".join(f"'{h}': {why}" for h, why in list(result.passed_over.items())[:10])
        )
    routed = content.route_by_content(guess, body, shown, spec, options.date_order)
    guess, body, shown = routed.guess, routed.body, routed.shown
    notes.extend(routed.notes)
    result.columns = {shown[i]: c for i, c in guess.columns.items()}
    result.columns.update({shown[i]: f"month {m:%Y-%m}" for i, m in guess.month_columns.items()})
    used = set(guess.columns) | set(guess.month_columns) | set(guess.aux)
    result.unmapped = [
        shown[i]
        for i in range(len(headers))
        if i not in used and (headers[i] or body[i].notna().any())
    ]
    rejects_after = [r for r in raw.structural_rejects if r[0] > header_row]
    result.rows_read = len(body) + len(rejects_after)
    for row, reason, text in rejects_after:
        result.rejects.append(Reject(row, None, text[:200], "structure", reason, {"line": text}))

    sub = None
    if spec.name == "work_items":
        sub = layout.subitems(body, guess, lookup_for(spec.name, options.user_mapping))
        if sub is not None:
            body = sub.body
            notes.append(
                f"{len(sub.parents)} subitem(s) loaded under their items (monday.com layout)"
            )
    encodings = distinct.encode_all(body)
    uncached = _uncached_rows(raw, guess, numbers)
    blank = _blank_rows(body, encodings) & ~uncached.astype(bool)
    repeated = _repeated_headers(body, guess, options, encodings) & ~blank
    totals = _totals_rows(body, guess, spec, encodings) | _subtotal_rows(
        raw, body, numbers, guess, spec
    )
    totals &= ~blank & ~repeated
    skip = blank | repeated | totals
    structure = layout.structure_rows(body, skip, repeated, encodings)
    if sub is not None:
        structure["subitems header row"] = sub.headers & ~skip
        skip |= structure["subitems header row"]
    for mask, reason in (
        (blank, "blank row"),
        (repeated, "repeated header row"),
        (totals, "totals row"),
        *((mask, reason) for reason, mask in structure.items()),
    ):
        result.ignored.extend((int(n), reason) for n in numbers[mask])
        skip |= mask
    outline = _sheet_outline(raw, guess, numbers) if spec.name == "work_items" else None
    summary = _summary_tasks(body, guess, outline, ~skip) & ~skip
    result.ignored.extend(
        (int(n), "summary task (its subtasks are loaded)") for n in numbers[summary]
    )
    keep = ~(skip | summary)
    parents = _outline_parents(body, guess, numbers, outline) if spec.name == "work_items" else None
    if sub is not None:
        sub_parents = pd.Series(sub.parents, index=body.index, dtype="string")
        parents = sub_parents if parents is None else parents.fillna(sub_parents)
    if not keep.all():  # (filtering a million-row frame that loses nothing is a full copy)
        body, numbers, uncached = body[keep], numbers[keep], uncached[keep]
        rows = keep.to_numpy(dtype=bool)
        encodings = {p: None if e is None else e.take(rows) for p, e in encodings.items()}

    problems = _missing_columns(spec, guess, options)
    if problems:
        reason = "; ".join(problems)
        raws = _raw_rows(shown, body)
        for i in body.index:
            result.rejects.append(
                Reject(int(numbers[i]), None, None, "missing column", reason, raws[i])
            )
        result.fatal = reason
        return _finish(result, None, reason)

    if spec.name == "raid":
        body, encodings = _raid_scales(body, guess, encodings, notes)
    if guess.month_columns:
        typed, errors = _unpivot_plan(body, guess, numbers, options)
    elif spread.is_spread_plan(guess, headers):
        notes.extend([spread.NOTE] if spread.is_range_plan(guess, headers) else [])
        typed, errors = spread.spread_plan(
            body, guess, headers, numbers, order=options.date_order, date1904=options.date1904
        )
    else:
        typed, errors = _coerce_columns(body, guess, spec, options, encodings)
        typed["source_row"] = numbers
    if parents is not None:
        typed = _fill_parents(typed, parents, body)
    typed = _apply_aux(typed, body, guess)
    typed = derive.fill_derived(typed, body, guess, _hints(raw, options), notes, raw.name, headers)
    typed, errors = _apply_rules(typed, errors, spec, options, notes)
    errors = _concat_errors([errors, _uncached_errors(uncached, raw, guess, shown, numbers)])
    if spec.name == "timesheets":
        typed, result.folded_rows = derive.fold_timesheets(typed, errors.index)
        if result.folded_rows:
            n = len(result.folded_rows)
            notes.append(
                f"{n} time {'entry' if n == 1 else 'entries'} added to another entry of the "
                "same person, project and day"
            )
    errors = _duplicate_keys(typed, errors, spec, one_per_row=not guess.month_columns)
    if len(errors):
        raws = _raw_rows(shown, body.loc[body.index.intersection(errors.index.unique())])
        for idx, problems_ in errors.groupby(level=0, sort=True):
            first = problems_.iloc[0]
            more = len(problems_) - 1
            reason = first["reason"] + (
                f" (and {more} more problem{'s' * (more > 1)})" if more else ""
            )
            result.rejects.append(
                Reject(
                    int(numbers[idx]),
                    _source_header(result.columns, first["column"]),
                    first["value"],
                    first["rule"],
                    reason,
                    raws.get(idx, {}),
                )
            )
    rejected_rows = {r.row for r in result.rejects}
    if rejected_rows:
        typed = typed[~typed["source_row"].isin(rejected_rows)]
    good = typed.drop(columns=["_src"], errors="ignore")
    hidden = (
        sorted(set(raw.hidden_rows) & set(good["source_row"].astype(int)))
        if raw.hidden_rows
        else []
    )
    if hidden:
        listed = ", ".join(map(str, hidden[:10])) + (" …" if len(hidden) > 10 else "")
        notes.append(f"{len(hidden)} hidden row(s) loaded (rows {listed})")
    unknown = [
        shown[i]
        for i in range(len(headers))
        if i not in used
        and labels[i] not in result.passed_over
        and (headers[i] or body[i].notna().any())
    ]
    if unknown:
        notes.append("ignored columns: " + ", ".join(unknown[:20]))
    return _finish(result, good, "; ".join(notes))


def _finish(result: SheetResult, staged: pd.DataFrame | None, message: str) -> SheetResult:
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


def _coerce_columns(
    body: pd.DataFrame,
    guess: KindGuess,
    spec: TableSpec,
    options: Options,
    encodings: dict[int, distinct.Encoded | None],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    sprint_positions = [i for i, c in guess.columns.items() if c in MULTI_VALUED]
    jobs: dict[str, pd.Series] = {}
    encoded: dict[str, distinct.Encoded | None] = {}
    for position, column in guess.columns.items():
        if column in MULTI_VALUED and position != sprint_positions[0]:
            continue
        raw = body[position]
        encoded[column] = encodings.get(position)
        if column in MULTI_VALUED and len(sprint_positions) > 1:
            raw = _join_columns(body, sprint_positions)
            encoded[column] = None
        jobs[column] = raw

    def run(item: tuple[str, pd.Series]) -> tuple[coerce.Coerced, np.ndarray | None]:
        column, raw = item
        dtype = canonical_dtype(spec, column)
        return _coerce(raw, spec.columns[column], options, encoded[column], hash_as=dtype)

    # Arrow and numpy kernels release the GIL: two columns at a time use both cores.
    if len(body) >= _PARALLEL_MIN and len(jobs) > 1:
        with ThreadPoolExecutor(max_workers=2) as pool:
            results = list(pool.map(run, jobs.items()))
    else:
        results = [run(item) for item in jobs.items()]
    typed = pd.DataFrame(index=body.index)
    error_frames = []
    hashes = {}
    for (column, raw), (coerced, cell_hashes) in zip(jobs.items(), results, strict=True):
        typed[column] = coerced.values
        bad = coerced.errors.dropna()
        if len(bad):
            error_frames.append(_error_frame(column, raw, bad))
        if cell_hashes is not None:
            hashes[CELL_HASH_PREFIX + column] = cell_hashes
    for column in spec.columns:
        if column not in typed:
            typed[column] = pd.Series(None, index=body.index, dtype=canonical_dtype(spec, column))
    typed = typed[list(spec.columns)]
    typed["_src"] = body.index
    for name, cell_hashes in hashes.items():
        typed[name] = cell_hashes
    return typed, _concat_errors(error_frames)


def coerce_value(
    raw: pd.Series,
    value_type: str,
    options: Options,
    encoded: distinct.Encoded | None = None,
) -> coerce.Coerced:
    """Coerce one column of raw cells to the canonical type ``value_type``.

    Long columns with few distinct values (RAG, dates, names) are coerced once per distinct
    value and spread back: every coercer decides per column from the set of values (date order,
    percentage scale), so the result is the same, and a million-row status file gets cheaper.
    ``encoded`` is the column's encoding when the caller already has it.

    Returns:
        The values, one per cell, and the errors of the cells that have one (a Series on those
        cells' index only: most columns have none, and a million ``None`` costs memory).
    """
    return _coerce(raw, value_type, options, encoded)[0]


def _coerce(
    raw: pd.Series,
    value_type: str,
    options: Options,
    encoded: distinct.Encoded | None,
    *,
    hash_as: str | None = None,
) -> tuple[coerce.Coerced, np.ndarray | None]:
    """:func:`coerce_value`, plus the cells' row-hash parts when they come cheap.

    With ``hash_as`` (the column's canonical dtype), a column coerced once per distinct value is
    also hashed once per distinct value (see loaders.hashing); otherwise the hashes are None and
    the row hash hashes the column itself.
    """
    convert = _COERCERS[value_type]
    if encoded is None:
        encoded = distinct.encode(raw)
    if encoded is None:
        result = convert(raw, options)
        return coerce.Coerced(result.values, result.errors.dropna()), None
    once = convert(pd.Series(pd.arrays.ArrowStringArray(encoded.values)), options)
    if _unchanged_text(once.values, encoded):
        values = raw.array  # clean text or IDs already: the cells are their own values
    else:
        values = encoded.spread_values(once.values).array
    bad_codes = np.flatnonzero(once.errors.notna().to_numpy())
    bad = np.flatnonzero(np.isin(encoded.codes, bad_codes)) if len(bad_codes) else []
    errors = once.errors.to_numpy(dtype=object)[encoded.codes[bad]] if len(bad) else []
    hashes = None if hash_as is None else spread_hashes(once.values.astype(hash_as), encoded.codes)
    coerced = coerce.Coerced(
        pd.Series(values, index=raw.index, name=raw.name),
        pd.Series(errors, index=raw.index[bad], name=raw.name, dtype=object),
    )
    return coerced, hashes


def _unchanged_text(values: pd.Series, encoded: distinct.Encoded) -> bool:
    """Whether coercion gave every distinct text back as it was (no null, no change)."""
    if not isinstance(values.array, pd.arrays.ArrowStringArray) or values.hasnans:
        return False
    return bool(pc.all(pc.equal(distinct.flat(values), encoded.values)).as_py())


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
    DATE: lambda s, o: coerce.coerce_date(s, order=o.date_order, date1904=o.date1904),
    MONEY: lambda s, o: coerce.coerce_money(s),
    NUMBER: lambda s, o: coerce.coerce_number(s),
    PERCENT: lambda s, o: coerce.coerce_percent(s),
    RAG: lambda s, o: coerce.coerce_rag(s),
    BOOL: lambda s, o: coerce.coerce_bool(s),
    SCORE: lambda s, o: coerce.coerce_int_scale(s, 1, 5),
    HOURS: lambda s, o: coerce.coerce_duration_hours(s),
    INT: _coerce_whole,
    MONTH: lambda s, o: months.coerce_month(s, order=o.date_order, date1904=o.date1904),
}
_PARALLEL_MIN = 50_000


def _unpivot_plan(
    body: pd.DataFrame, guess: KindGuess, numbers: pd.Series, options: Options
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A wide plan (one column per month) becomes one allocation row per non-empty cell."""
    spec = TABLES["allocations"]
    ids = {}
    error_frames = []
    for position, column in guess.columns.items():
        if column in ("project_id", "request_id", "resource_id", "role"):
            coerced = coerce_value(body[position], spec.columns[column], options)
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
    typed = _writable(
        typed,
        *(["project_id"] if options.project and "project_id" in spec.columns else []),
        *(["item_id", "status_category"] if spec.name == "work_items" else []),
        *(column for column, _, _ in categories),
    )
    frames = [errors]
    if options.project and "project_id" in spec.columns:
        typed["project_id"] = typed["project_id"].fillna(options.project)
    if spec.name == "work_items":
        missing_id = typed["item_id"].isna()
        typed.loc[missing_id, "item_id"] = "row-" + typed.loc[missing_id, "source_row"].astype(str)
        derived = _by_distinct(typed["status"], _status_category)
        own = _by_distinct(typed["status_category"], _status_category)
        typed["status_category"] = own.fillna(derived).astype("string")
    for column, allowed, label in categories:
        values = typed[column]
        mapped = _by_distinct(values, lambda v, a=allowed: a.get(normalise(v)))
        guessed = derive.nearest_allowed(values[values.notna() & mapped.isna()], allowed)
        if guessed:
            mapped = mapped.where(mapped.notna(), values.map(guessed))
            shown = ", ".join(f"'{v}' as '{w}'" for v, w in list(guessed.items())[:5])
            notes.append(f"{label} read as the nearest allowed value: {shown}")
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
        typed[column] = mapped.astype("string")
    for column in spec.required:
        # A cell already rejected as an invalid value is empty now; it is one problem, not two.
        empty = typed[column].isna()
        if len(errors):
            empty &= ~typed.index.isin(errors.index[errors["column"] == column])
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


def _duplicate_keys(
    typed: pd.DataFrame, errors: pd.DataFrame, spec: TableSpec, *, one_per_row: bool
) -> pd.DataFrame:
    """Reject every copy of a key that appears more than once in the file (INPUT_CASES #30).

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


def _totals_rows(
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
        label_hit |= _matches(body[position], _TOTALS_RE2, encodings.get(position))
    key_cols = [i for i, c in guess.columns.items() if c in spec.key]
    if not key_cols or not label_hit.any():
        return pd.Series(label_hit, index=body.index)
    key_plain = np.zeros(len(body), dtype=bool)
    for position in key_cols:
        encoded = encodings.get(position)
        key_plain |= _nonblank(body[position], encoded) & ~_matches(
            body[position], _TOTALS_RE2, encoded
        )
    return pd.Series(label_hit & ~key_plain, index=body.index)


def _subtotal_rows(
    raw: RawSheet, body: pd.DataFrame, numbers: pd.Series, guess: KindGuess, spec: TableSpec
) -> pd.Series:
    """Rows computed by =SUBTOTAL()/=AGGREGATE() formulas that carry no key of their own."""
    if not raw.subtotal_rows:
        return pd.Series(False, index=body.index)
    hit = numbers.isin(raw.subtotal_rows).to_numpy(dtype=bool, copy=True)
    for position, column in guess.columns.items():
        if column in spec.key:
            hit &= ~_nonblank(body[position])
    return pd.Series(hit, index=body.index)


def _blank_rows(
    body: pd.DataFrame, encodings: dict[int, distinct.Encoded | None] | None = None
) -> pd.Series:
    """Rows with no visible character in any cell (checked column by column on what is left)."""
    candidates = np.arange(len(body))
    for position in body.columns:
        if not len(candidates):
            break
        encoded = (encodings or {}).get(position)
        if encoded is not None:
            candidates = candidates[~_nonblank(body[position], encoded)[candidates]]
            continue
        column = body[position]
        if len(candidates) < len(body):
            column = column.iloc[candidates]
        candidates = candidates[~_nonblank(column)]
    blank = np.zeros(len(body), dtype=bool)
    blank[candidates] = True
    return pd.Series(blank, index=body.index)


def _repeated_headers(
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
            _is_missing(row[p]) or lookup.get(normalise(row[p])) == c
            for p, c in guess.columns.items()
        ):
            repeated.iloc[position] = True
    return repeated


def _sheet_outline(raw: RawSheet, guess: KindGuess, numbers: pd.Series) -> pd.Series | None:
    """Task levels (1 = top) from the sheet's grouped rows, when no column states them.

    Smartsheet (and hand-made Excel plans) show the task hierarchy by indenting rows: the
    workbook stores it as each row's outline level, which the workbook guard collects.
    """
    if not raw.outline_levels or any(c == "outline_level" for c in guess.aux.values()):
        return None
    return numbers.map(raw.outline_levels).fillna(0).astype("float64") + 1


def _summary_tasks(
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


def _outline_parents(
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
        stack[depth] = None if _is_missing(label) else str(label).strip()
        for deeper in [d for d in stack if d > depth]:
            del stack[deeper]
    return pd.Series(parents, index=body.index, dtype="string")


def _fill_parents(typed: pd.DataFrame, parents: pd.Series, body: pd.DataFrame) -> pd.DataFrame:
    derived = parents.reindex(typed["_src"]).to_numpy()
    typed = _writable(typed, "parent")
    typed["parent"] = typed["parent"].fillna(pd.Series(derived, index=typed.index, dtype="string"))
    return typed


def _apply_aux(typed: pd.DataFrame, body: pd.DataFrame, guess: KindGuess) -> pd.DataFrame:
    """Asana marks a finished task by its completion date: such a task is done."""
    position = next((p for p, c in guess.aux.items() if c == "completed_at"), None)
    if position is None or "status_category" not in typed:
        return typed
    done = pd.Series(_nonblank(body[position]), index=body.index).reindex(typed["_src"])
    typed = _writable(typed, "status_category")
    typed.loc[done.to_numpy(dtype=bool), "status_category"] = "done"
    return typed


def _writable(typed: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """A copy of ``typed`` (copy-on-write, so nothing is copied yet) whose ``columns`` may change.

    Their hidden cell hashes describe the values as coerced, so they go: the row hash then
    hashes whatever the columns hold when the rows are stored. Every step that rewrites a
    coerced column takes its frame from here.
    """
    hidden = [CELL_HASH_PREFIX + c for c in columns if CELL_HASH_PREFIX + c in typed]
    return typed.drop(columns=hidden) if hidden else typed.copy(deep=False)


def _uncached_rows(raw: RawSheet, guess: KindGuess, numbers: pd.Series) -> pd.Series:
    mapped = set(guess.columns) | set(guess.month_columns)
    rows = {row for row, col in raw.uncached_formulas if col in mapped}
    return numbers.isin(rows) if rows else pd.Series(False, index=numbers.index)


def _uncached_errors(
    uncached: pd.Series,
    raw: RawSheet,
    guess: KindGuess,
    shown: list[str],
    numbers: pd.Series,
) -> pd.DataFrame:
    """Formulas saved without a value must not load as empty: the row is rejected (#32)."""
    if not uncached.any():
        return _concat_errors([])
    first_col: dict[int, int] = {}
    for row, col in sorted(raw.uncached_formulas):
        if col in guess.columns or col in guess.month_columns:
            first_col.setdefault(row, col)
    index = uncached.index[uncached.to_numpy(dtype=bool)]
    return pd.DataFrame(
        {
            "column": [guess.columns.get(first_col[int(numbers[i])], None) for i in index],
            "value": "",
            "rule": "formula without value",
            "reason": [
                f"the cell in column '{shown[first_col[int(numbers[i])]]}' holds a formula that "
                "was never calculated: open the file in Excel, save it and load it again"
                for i in index
            ],
        },
        index=index,
    )


def _missing_columns(spec: TableSpec, guess: KindGuess, options: Options) -> list[str]:
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


def _labels(shown: list[str], raw: RawSheet) -> list[str]:
    """Header names for messages; a name used twice gets its column letter (``Status (E)``)."""
    counts = pd.Series(shown).value_counts()
    return [
        f"{h} (column {column_letters(i + raw.first_column)})" if counts[h] > 1 else h
        for i, h in enumerate(shown)
    ]


def _raid_scales(
    body: pd.DataFrame,
    guess: KindGuess,
    encodings: dict[int, distinct.Encoded | None],
    notes: list[str],
) -> tuple[pd.DataFrame, dict[int, distinct.Encoded | None]]:
    """RAID logs score impact and probability in words (``High/Med/Low``): read them as numbers."""
    scales = {"impact": derive.IMPACT_WORDS, "probability": derive.PROBABILITY_WORDS}
    for position, column in guess.columns.items():
        if column not in scales:
            continue
        replaced, found = derive.word_scale(body[position], scales[column])
        if found:
            body = body.copy(deep=False)
            body[position] = replaced
            encodings = {**encodings, position: None}
            shown = ", ".join(f"'{w}' = {n:g}" for w, n in list(found.items())[:5])
            notes.append(f"{column} given in words, read as {shown}")
    return body, encodings


def _settle_contested(
    guess: KindGuess, body: pd.DataFrame, shown: list[str], result: SheetResult
) -> KindGuess:
    """Load one header of each contested column and say why the others are not loaded.

    Two headers feeding one column never fail a sheet (Jira's ``Σ Time Spent``, Asana's
    repeated custom fields, a template's second ``Status``): see ``docs/loaders.md``, "Two
    headers for one column".
    """
    if not guess.contested:
        return guess
    winners, passed = pick_contested(
        guess.contested, lambda p: p < body.shape[1] and bool(_nonblank(body[p]).any())
    )
    columns = {p: c for p, c in guess.columns.items() if c not in winners}
    columns.update({p: c for c, p in winners.items()})
    for other in passed:
        winner = f"'{shown[other.winner]}'"
        result.passed_over[shown[other.position]] = {
            "rollup": f"roll-up of {winner}, not loaded",
            "empty": f"empty; {winner} loaded as {other.column}",
            "same": f"repeats {winner} (loaded as {other.column}), not loaded",
            "synonym": f"{winner} loaded as {other.column} instead",
        }[other.why]
    return replace(guess, columns=dict(sorted(columns.items())))


def _ignored_sheet(raw: RawSheet, reason: str, *, fatal: bool = False) -> SheetResult:
    """A sheet that holds no table: each non-blank row is read and ignored with the reason."""
    result = SheetResult(sheet=raw.name, kind=None, header_row=None)
    grid = raw.grid
    nonblank = ~_blank_rows(grid).to_numpy(dtype=bool) if len(grid) else np.zeros(0, bool)
    rows = [int(n) for n in raw.row_numbers[nonblank]]
    result.rows_read = len(rows) + len(raw.structural_rejects)
    result.ignored = [(n, f"sheet ignored: {reason}") for n in rows]
    for row, why, line in raw.structural_rejects:
        result.rejects.append(Reject(row, None, line[:200], "structure", why, {"line": line}))
    if fatal:
        result.fatal = reason
    return _finish(result, None, reason)


def _why_unknown_kind(headers: list[str], options: Options, hints: Hints) -> str:
    almost = near_miss(headers, options.user_mapping, hints)
    if almost:
        kind, missing = almost
        if kind == "projects" and missing == ["division"]:
            return (
                "looks like a project register without a division column: load it with "
                "--division NAME, set [loading].default_division in pmo.toml, or add a "
                "'Division' column"
            )
        if missing == ["project_id"]:
            return (
                f"looks like {kind.replace('_', ' ')} without a project column: load it with "
                "--project ID (a single-project export) or add a 'Project ID' column"
            )
        return (
            f"looks like {kind.replace('_', ' ')} but has no column for "
            f"{', '.join(missing)}: rename the header or map it in a --mapping file"
        )
    shown = ", ".join(f"'{h}'" for h in headers if h)[:200]
    return (
        f"could not tell what the sheet holds from its headers ({shown}); "
        "use --kind or a mapping file"
    )


def _first_nonblank(head: list[list[str | None]]) -> int | None:
    return next((i for i, row in enumerate(head) if any(row)), None)


def _join(numbers: list[int]) -> str:
    return ", ".join(map(str, numbers))


def _status_category(value: Any) -> str:
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


def _by_distinct(values: pd.Series, convert: Callable[[Any], Any]) -> pd.Series:
    """``values.map(convert)`` computed once per distinct value (category columns are long)."""
    distinct = values.dropna().unique()
    table = {value: convert(value) for value in distinct}
    return values.map(table).astype(object).where(values.notna(), None)


def _join_columns(body: pd.DataFrame, positions: list[int]) -> pd.Series:
    """Repeated columns (Jira's ``Sprint``) joined into one value, empty cells left out."""
    frame = body[positions].astype(object)
    joined = frame.apply(
        lambda row: " | ".join(str(v).strip() for v in row if not _is_missing(v)), axis=1
    )
    return joined.astype(STRING)


def _is_missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, str) and not value.strip())


def _nonblank(series: pd.Series, encoded: distinct.Encoded | None = None) -> np.ndarray:
    """Cells with a visible character."""
    if not isinstance(series.dtype, pd.StringDtype):
        series = series.astype(STRING)
    return distinct.cell_mask(series, _has_text, encoded)


def _has_text(arr: pa.Array) -> pa.Array:
    return pc.and_(pc.greater(pc.utf8_length(arr), 0), pc.invert(pc.utf8_is_space(arr)))


def _matches(
    series: pd.Series, pattern: str, encoded: distinct.Encoded | None = None
) -> np.ndarray:
    """Cells matching an RE2 ``pattern``."""
    if not isinstance(series.dtype, pd.StringDtype):
        series = series.astype(STRING)
    return distinct.cell_mask(series, lambda arr: pc.match_substring_regex(arr, pattern), encoded)


def _raw_rows(shown: list[str], frame: pd.DataFrame) -> dict[int, dict[str, Any]]:
    """The source cells of rejected rows, header -> text, for ``rejected_rows.raw_json``."""
    out: dict[int, dict[str, Any]] = {}
    for index, record in zip(frame.index, frame.itertuples(index=False, name=None), strict=True):
        out[index] = {
            (shown[p] if p < len(shown) else f"column {p + 1}"): ("" if _is_missing(v) else v)
            for p, v in enumerate(record)
        }
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
            "value": raw[bad.index].astype(object).where(raw[bad.index].notna(), "").astype(str),
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
    if value_type in (DATE, MONTH):
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
