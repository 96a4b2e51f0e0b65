"""Merge validated rows into a canonical table, keeping every previous version of a record.

A record is identified by its table's natural key. A reloaded key whose business columns are
unchanged (same ``row_hash``) writes nothing; a changed one closes the current version
(``valid_to`` = the new load's as-of date) and inserts the new one (``valid_from`` = that date).
So "as of D" is a plain filter and "what changed since the last review" is a query.

Rows of many files are merged in one statement per table (a demo of 240 files costs a handful of
statements, not thousands). When several files of one batch carry the same key, their rows are
applied in waves ordered by as-of date, so the result is the same as loading them one by one
in date order.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from loaders.kinds import PROVENANCE, TABLES, TableSpec


@dataclass
class MergeResult:
    """What a merge did, for one load."""

    inserted: int = 0
    changed: int = 0
    unchanged: int = 0


def merge_rows(
    con: duckdb.DuckDBPyConnection, spec: TableSpec, rows: pd.DataFrame
) -> dict[int, MergeResult]:
    """Apply ``rows`` to ``spec.name`` and return what happened per ``load_id``.

    Args:
        con: Connection inside the load's transaction.
        spec: The table.
        rows: Validated rows: business columns, provenance, ``row_hash`` and ``valid_from``
            (the as-of date of the load each row comes from). Keys are unique per load.

    Returns:
        Counts of new, changed and unchanged keys for each load id.
    """
    results: dict[int, MergeResult] = {}
    load_ids = rows["load_id"].to_numpy()
    if not len(load_ids) or (load_ids == load_ids[0]).all():  # one load: unique keys, one wave
        waves_of = [rows] if len(rows) else []
    else:
        ordered = rows.sort_values(["valid_from", "load_id"], kind="stable")
        waves = ordered.groupby(list(spec.key), dropna=False, sort=False).cumcount()
        waves_of = [ordered[waves == wave] for wave in range(int(waves.max()) + 1)]
    for wave_rows in waves_of:
        for load_id, counts in _merge_wave(con, spec, wave_rows).items():
            total = results.setdefault(load_id, MergeResult())
            total.inserted += counts[0]
            total.changed += counts[1]
            total.unchanged += counts[2]
    return results


def older_than_current(
    con: duckdb.DuckDBPyConnection, spec: TableSpec, rows: pd.DataFrame
) -> dict[int, str]:
    """Loads whose rows would replace a version loaded as of a later date.

    Such a file fails whole (docs/architecture.md §5.5; docs/loaders.md, "Policies").

    Checked for every table before anything is merged, so a file is all or nothing.

    Returns:
        load_id -> the as-of date of the newer data already loaded, for each offending load.
    """
    table, join = _table_sql(spec)
    con.register("staged_rows", rows[[*spec.key, "row_hash", "valid_from", "load_id"]])
    try:
        found = con.execute(
            f"SELECT s.load_id, max(c.valid_from) FROM staged_rows s JOIN {table} c "  # noqa: S608
            f"ON c.valid_to IS NULL AND {join} "
            "WHERE c.valid_from > s.valid_from AND c.row_hash <> s.row_hash GROUP BY s.load_id"
        ).fetchall()
    finally:
        con.unregister("staged_rows")
    return {int(load_id): newest.isoformat() for load_id, newest in found}


def _merge_wave(
    con: duckdb.DuckDBPyConnection, spec: TableSpec, rows: pd.DataFrame
) -> dict[int, tuple[int, int, int]]:
    """One merge where every key occurs at most once.

    Only the key columns meet the table in a join; the wide rows go from Arrow straight into
    the table. Handing DuckDB a pandas frame, or materialising the join as a temp table, costs
    twice as much on a million-row file (benchmarks/bench_loaders.py). The Arrow columns are
    made contiguous first: text columns straight from the CSV reader come in blocks, and DuckDB
    then spends ~0.4 s more committing a million rows.
    """
    columns = [*spec.business_columns, *PROVENANCE, "row_hash", "valid_from"]
    table, _ = _table_sql(spec)
    hashes = rows["row_hash"].to_numpy(dtype="uint64")
    old = _current_hashes(con, spec, rows)
    matched = old is not None and old.notna().to_numpy()
    new = ~matched if old is not None else np.ones(len(rows), dtype=bool)
    changed = np.zeros(len(rows), dtype=bool)
    if old is not None:
        changed[matched] = old[matched].to_numpy(dtype="uint64") != hashes[matched]
    same = ~new & ~changed
    load_ids = rows["load_id"].to_numpy()
    counts = (
        pd.DataFrame({"load_id": load_ids, "new": new, "changed": changed, "same": same})
        .groupby("load_id", sort=True)[["new", "changed", "same"]]
        .sum()
    )
    if changed.any():
        keys = " AND ".join(f"{table}.{k} IS NOT DISTINCT FROM i.{k}" for k in spec.key)
        con.register("changed_rows", rows.loc[changed, [*spec.key, "valid_from"]])
        try:
            con.execute(
                f"UPDATE {table} SET valid_to = i.valid_from FROM changed_rows i "  # noqa: S608
                f"WHERE {table}.valid_to IS NULL AND {keys}"
            )
        finally:
            con.unregister("changed_rows")
    write = new | changed
    if write.any():
        chosen = rows[columns] if write.all() else rows.loc[write, columns]
        staged = pa.Table.from_pandas(chosen, preserve_index=False).combine_chunks()
        names = ", ".join(columns)
        con.register("staged_rows", staged)
        try:
            con.execute(
                f"INSERT INTO {table} ({names}, valid_to) "  # noqa: S608
                f"SELECT {names}, NULL FROM staged_rows"
            )
        finally:
            con.unregister("staged_rows")
    return {
        int(load_id): (int(r.new), int(r.changed), int(r.same)) for load_id, r in counts.iterrows()
    }


def _table_sql(spec: TableSpec) -> tuple[str, str]:
    """``spec``'s table name and its key join (``c.k IS NOT DISTINCT FROM s.k AND …``).

    Identifiers cannot be bound as parameters, so statements are built only from the names of
    a canonical table (kinds.TABLES): any other spec is refused before SQL is written with it.
    """
    if TABLES.get(spec.name) != spec:
        raise ValueError(f"not a canonical table: {spec.name!r}")
    return spec.name, " AND ".join(f"c.{k} IS NOT DISTINCT FROM s.{k}" for k in spec.key)


def _current_hashes(
    con: duckdb.DuckDBPyConnection, spec: TableSpec, rows: pd.DataFrame
) -> pd.Series | None:
    """The current version's ``row_hash`` for each row's key (NA for a new key).

    None when the table holds no current version at all (a first load): every row is new and
    the join is skipped.
    """
    table, join = _table_sql(spec)
    if con.execute(f"SELECT count(*) FROM {table} WHERE valid_to IS NULL").fetchall()[0][0] == 0:  # noqa: S608
        return None
    keys = pa.Table.from_pandas(rows[list(spec.key)], preserve_index=False).append_column(
        "position", pa.array(np.arange(len(rows), dtype=np.int64))
    )
    con.register("staged_keys", keys)
    try:
        found = con.execute(
            f"SELECT s.position, c.row_hash FROM staged_keys s JOIN {table} c "  # noqa: S608
            f"ON c.valid_to IS NULL AND {join}"
        ).fetchnumpy()
    finally:
        con.unregister("staged_keys")
    old = pd.Series(pd.NA, index=range(len(rows)), dtype="UInt64")
    old.iloc[np.asarray(found["position"], dtype=np.int64)] = np.asarray(
        found["row_hash"], dtype=np.uint64
    )
    return old
