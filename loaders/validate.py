"""Turn one raw sheet into typed rows of a canonical table, accounting for every source row.

Every data row below the header ends in exactly one of three places: loaded, rejected (with the
column, the value and a reason in the user's words) or ignored (blank, totals, repeated header);
see ``loaders.sheet_result``. The steps live in their own modules: ``row_kinds`` (which rows are
data), ``coerce_columns`` (text to typed values), ``row_rules`` (rules on typed rows) and
``row_errors`` (the one shape every problem takes).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from loaders import content, derive, distinct, layout, row_kinds, spread
from loaders.cells import is_missing, nonblank
from loaders.coerce_columns import canonical_dtype, coerce_columns, coerce_value, unpivot_plan
from loaders.guards import column_letters
from loaders.headers import find_header_row, pick_contested
from loaders.kinds import RAID_KINDS, TABLES, TableSpec
from loaders.mapping import Hints, KindGuess, detect_kind, near_miss
from loaders.options import Options
from loaders.read import RawSheet
from loaders.row_errors import concat_errors
from loaders.row_rules import (
    RAID_STATUSES,
    SEVERITIES,
    apply_rules,
    duplicate_keys,
    missing_columns,
    uncached_errors,
    writable,
)
from loaders.sheet_result import Reject, SheetResult, finish, rejects_json

__all__ = [
    "RAID_STATUSES",
    "SEVERITIES",
    "Options",
    "Reject",
    "SheetResult",
    "canonical_dtype",
    "coerce_value",
    "process_sheet",
    "rejects_json",
]


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
    header_row = int(raw.row_numbers[header_index])
    result = SheetResult(sheet=raw.name, kind=guess.kind, header_row=header_row)
    table = _map_columns(raw, header_index, headers, guess, options, notes, result)
    return _process_table(raw, table, options, notes, result)


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


@dataclass
class _Table:
    """A sheet's table once its columns are mapped: what every later step reads."""

    spec: TableSpec
    guess: KindGuess
    headers: list[str]
    shown: list[str]
    labels: list[str]
    body: pd.DataFrame
    numbers: pd.Series
    used: set[int]


def _process_table(
    raw: RawSheet, table: _Table, options: Options, notes: list[str], result: SheetResult
) -> SheetResult:
    """Classify the mapped table's rows, coerce and check them, and finish the sheet's result."""
    spec = table.spec
    rows = row_kinds.classify_rows(raw, table.body, table.numbers, table.guess, spec, options)
    result.ignored.extend(rows.ignored)
    notes.extend(rows.notes)
    problems = missing_columns(spec, table.guess, options)
    if problems:
        reason = "; ".join(problems)
        raws = _raw_rows(table.shown, rows.body)
        for i in rows.body.index:
            result.rejects.append(
                Reject(int(rows.numbers[i]), None, None, "missing column", reason, raws[i])
            )
        result.fatal = reason
        return finish(result, None, reason)
    typed, errors = _typed_rows(raw, table, rows, options, notes, result)
    _reject(result, errors, table, rows)
    good = _loaded(result, typed, raw, table, rows, notes)
    return finish(result, good, "; ".join(notes))


def _map_columns(
    raw: RawSheet,
    header_index: int,
    headers: list[str],
    guess: KindGuess,
    options: Options,
    notes: list[str],
    result: SheetResult,
) -> _Table:
    """Settle contested headers, route columns by content, record the mapping and rows read."""
    spec = TABLES[guess.kind]
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
    rejects_after = [r for r in raw.structural_rejects if r[0] > int(raw.row_numbers[header_index])]
    result.rows_read = len(body) + len(rejects_after)
    for row, reason, text in rejects_after:
        result.rejects.append(Reject(row, None, text[:200], "structure", reason, {"line": text}))
    return _Table(spec, guess, headers, shown, labels, body, numbers, used)


def _typed_rows(
    raw: RawSheet,
    table: _Table,
    rows: row_kinds.DataRows,
    options: Options,
    notes: list[str],
    result: SheetResult,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Coerce the data rows, derive what the sheet leaves implicit, and apply the row rules."""
    spec, guess, headers = table.spec, table.guess, table.headers
    if spec.name == "raid":
        rows.body, rows.encodings = _raid_scales(rows.body, guess, rows.encodings, notes)
    body, numbers = rows.body, rows.numbers
    if guess.month_columns:
        typed, errors = unpivot_plan(body, guess, numbers, options)
    elif spread.is_spread_plan(guess, headers):
        notes.extend([spread.NOTE] if spread.is_range_plan(guess, headers) else [])
        typed, errors = spread.spread_plan(
            body, guess, headers, numbers, order=options.date_order, date1904=options.date1904
        )
    else:
        typed, errors = coerce_columns(body, guess, spec, options, rows.encodings)
        typed["source_row"] = numbers
    if rows.parents is not None:
        typed = _fill_parents(typed, rows.parents, body)
    typed = _apply_aux(typed, body, guess)
    typed = derive.fill_derived(typed, body, guess, _hints(raw, options), notes, raw.name, headers)
    typed, errors = apply_rules(typed, errors, spec, options, notes)
    formulas = uncached_errors(rows.uncached, raw, guess, table.shown, numbers)
    errors = concat_errors([errors, formulas])
    if spec.name == "timesheets":
        typed, result.folded_rows = derive.fold_timesheets(typed, errors.index)
        if result.folded_rows:
            n = len(result.folded_rows)
            notes.append(
                f"{n} time {'entry' if n == 1 else 'entries'} added to another entry of the "
                "same person, project and day"
            )
    errors = duplicate_keys(typed, errors, spec, one_per_row=not guess.month_columns)
    return typed, errors


def _reject(
    result: SheetResult, errors: pd.DataFrame, table: _Table, rows: row_kinds.DataRows
) -> None:
    """Reject each row with a problem: its first problem, and how many more it has."""
    if not len(errors):
        return
    body = rows.body
    raws = _raw_rows(table.shown, body.loc[body.index.intersection(errors.index.unique())])
    for idx, problems in errors.groupby(level=0, sort=True):
        first = problems.iloc[0]
        more = len(problems) - 1
        reason = first["reason"] + (f" (and {more} more problem{'s' * (more > 1)})" if more else "")
        result.rejects.append(
            Reject(
                int(rows.numbers[idx]),
                _source_header(result.columns, first["column"]),
                first["value"],
                first["rule"],
                reason,
                raws.get(idx, {}),
            )
        )


def _loaded(
    result: SheetResult,
    typed: pd.DataFrame,
    raw: RawSheet,
    table: _Table,
    rows: row_kinds.DataRows,
    notes: list[str],
) -> pd.DataFrame:
    """The rows that load (none rejected), with notes on hidden rows and unknown columns."""
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
    headers, shown = table.headers, table.shown
    unknown = [
        shown[i]
        for i in range(len(headers))
        if i not in table.used
        and table.labels[i] not in result.passed_over
        and (headers[i] or rows.body[i].notna().any())
    ]
    if unknown:
        notes.append("ignored columns: " + ", ".join(unknown[:20]))
    return good


def _fill_parents(typed: pd.DataFrame, parents: pd.Series, body: pd.DataFrame) -> pd.DataFrame:
    derived = parents.reindex(typed["_src"]).to_numpy()
    typed = writable(typed, "parent")
    typed["parent"] = typed["parent"].fillna(pd.Series(derived, index=typed.index, dtype="string"))
    return typed


def _apply_aux(typed: pd.DataFrame, body: pd.DataFrame, guess: KindGuess) -> pd.DataFrame:
    """Asana marks a finished task by its completion date: such a task is done."""
    position = next((p for p, c in guess.aux.items() if c == "completed_at"), None)
    if position is None or "status_category" not in typed:
        return typed
    done = pd.Series(nonblank(body[position]), index=body.index).reindex(typed["_src"])
    typed = writable(typed, "status_category")
    typed.loc[done.to_numpy(dtype=bool), "status_category"] = "done"
    return typed


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
        guess.contested, lambda p: p < body.shape[1] and bool(nonblank(body[p]).any())
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
    nonblank = ~row_kinds.blank_rows(grid).to_numpy(dtype=bool) if len(grid) else np.zeros(0, bool)
    rows = [int(n) for n in raw.row_numbers[nonblank]]
    result.rows_read = len(rows) + len(raw.structural_rejects)
    result.ignored = [(n, f"sheet ignored: {reason}") for n in rows]
    for row, why, line in raw.structural_rejects:
        result.rejects.append(Reject(row, None, line[:200], "structure", why, {"line": line}))
    if fatal:
        result.fatal = reason
    return finish(result, None, reason)


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


def _raw_rows(shown: list[str], frame: pd.DataFrame) -> dict[int, dict[str, Any]]:
    """The source cells of rejected rows, header -> text, for ``rejected_rows.raw_json``."""
    out: dict[int, dict[str, Any]] = {}
    for index, record in zip(frame.index, frame.itertuples(index=False, name=None), strict=True):
        out[index] = {
            (shown[p] if p < len(shown) else f"column {p + 1}"): ("" if is_missing(v) else v)
            for p, v in enumerate(record)
        }
    return out


def _source_header(columns: dict[str, str], canonical: str | None) -> str | None:
    for header, column in columns.items():
        if column == canonical:
            return header
    return canonical
