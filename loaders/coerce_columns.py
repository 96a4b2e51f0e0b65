"""Coerce a sheet's mapped columns to their canonical types, once per distinct value.

Every column arrives as text (see ``loaders.read``); each coercer in ``loaders.coerce`` decides
per column from the set of values (date order, percentage scale), so coercing each distinct
value once and spreading it back gives the same result, cheaper (docs/loaders.md, "Values").
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from loaders import coerce, distinct, months
from loaders.cells import is_missing
from loaders.hashing import CELL_HASH_PREFIX, spread_hashes
from loaders.headers import MULTI_VALUED
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
    SCORE,
    TABLES,
    TEXT,
    TableSpec,
)
from loaders.mapping import KindGuess
from loaders.options import Options
from loaders.read import STRING
from loaders.row_errors import concat_errors, invalid_cells


def coerce_columns(
    body: pd.DataFrame,
    guess: KindGuess,
    spec: TableSpec,
    options: Options,
    encodings: dict[int, distinct.Encoded | None],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Coerce every mapped column of ``body``: typed values, their cell hashes, their errors.

    Repeated multi-valued columns (Jira's ``Sprint``) are joined into one value first. Long
    sheets coerce two columns at a time: Arrow and numpy kernels release the GIL.
    """
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
        error_frames.append(invalid_cells(column, raw, coerced.errors))
        if cell_hashes is not None:
            hashes[CELL_HASH_PREFIX + column] = cell_hashes
    for column in spec.columns:
        if column not in typed:
            typed[column] = pd.Series(None, index=body.index, dtype=canonical_dtype(spec, column))
    typed = typed[list(spec.columns)]
    typed["_src"] = body.index
    for name, cell_hashes in hashes.items():
        typed[name] = cell_hashes
    return typed, concat_errors(error_frames)


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
    convert = COERCERS[value_type]
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


COERCERS: dict[str, Callable[[pd.Series, Options], coerce.Coerced]] = {
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


def unpivot_plan(
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
            error_frames.append(invalid_cells(column, body[position], coerced.errors))
    frames = []
    for position, month in guess.month_columns.items():
        cells = body[position]
        coerced = coerce.coerce_number(cells)
        error_frames.append(invalid_cells(f"month {month:%Y-%m}", cells, coerced.errors))
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
    return long, concat_errors(error_frames)


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


def _join_columns(body: pd.DataFrame, positions: list[int]) -> pd.Series:
    """Repeated columns (Jira's ``Sprint``) joined into one value, empty cells left out."""
    frame = body[positions].astype(object)
    joined = frame.apply(
        lambda row: " | ".join(str(v).strip() for v in row if not is_missing(v)), axis=1
    )
    return joined.astype(STRING)
