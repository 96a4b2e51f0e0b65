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
import pandas as pd

from loaders.kinds import PROVENANCE, TableSpec


@dataclass
class MergeResult:
    """What a merge did, for one load."""

    inserted: int = 0
    changed: int = 0
    unchanged: int = 0


def row_hashes(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    """A 64-bit hash per row of ``columns`` (vectorised; equal typed values give equal hashes)."""
    return pd.util.hash_pandas_object(frame[columns], index=False).astype("uint64")


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
    ordered = rows.sort_values(["valid_from", "load_id"], kind="stable")
    waves = ordered.groupby(list(spec.key), dropna=False, sort=False).cumcount()
    for wave in range(int(waves.max()) + 1 if len(waves) else 0):
        for load_id, counts in _merge_wave(con, spec, ordered[waves == wave]).items():
            total = results.setdefault(load_id, MergeResult())
            total.inserted += counts[0]
            total.changed += counts[1]
            total.unchanged += counts[2]
    return results


def older_than_current(
    con: duckdb.DuckDBPyConnection, spec: TableSpec, rows: pd.DataFrame
) -> dict[int, str]:
    """Loads whose rows would replace a version loaded as of a later date (INPUT_CASES #57).

    Checked for every table before anything is merged, so a file is all or nothing.

    Returns:
        load_id -> the as-of date of the newer data already loaded, for each offending load.
    """
    table = spec.name
    join = " AND ".join(f"c.{k} IS NOT DISTINCT FROM s.{k}" for k in spec.key)
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
    """One merge where every key occurs at most once."""
    columns = [*spec.business_columns, *PROVENANCE, "row_hash", "valid_from"]
    # Identifiers below come from kinds.TABLES, never from user input.
    table = spec.name
    join = " AND ".join(f"c.{k} IS NOT DISTINCT FROM s.{k}" for k in spec.key)
    con.register("staged_rows", rows[columns])
    try:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE incoming AS "  # noqa: S608
            f"SELECT s.*, c.row_hash AS old_hash FROM staged_rows s "
            f"LEFT JOIN {table} c ON c.valid_to IS NULL AND {join}"
        )
    finally:
        con.unregister("staged_rows")
    counts = con.execute(
        "SELECT load_id, count(*) FILTER (old_hash IS NULL), "
        "count(*) FILTER (old_hash IS NOT NULL AND old_hash <> row_hash), "
        "count(*) FILTER (old_hash = row_hash) FROM incoming GROUP BY load_id"
    ).fetchall()
    if any(changed for _, _, changed, _ in counts):
        keys = " AND ".join(f"{table}.{k} IS NOT DISTINCT FROM i.{k}" for k in spec.key)
        con.execute(
            f"UPDATE {table} SET valid_to = i.valid_from FROM incoming i "  # noqa: S608
            f"WHERE {table}.valid_to IS NULL AND {keys} "
            "AND i.old_hash IS NOT NULL AND i.old_hash <> i.row_hash"
        )
    if any(new or changed for _, new, changed, _ in counts):
        names = ", ".join(columns)
        con.execute(
            f"INSERT INTO {table} ({names}, valid_to) "  # noqa: S608
            f"SELECT {names}, NULL FROM incoming WHERE old_hash IS NULL OR old_hash <> row_hash"
        )
    con.execute("DROP TABLE incoming")
    return {int(load_id): (new, changed, same) for load_id, new, changed, same in counts}
