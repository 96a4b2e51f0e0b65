"""Merge validated rows into a canonical table, keeping every previous version of a record.

A record is identified by its table's natural key. A reloaded key whose business columns are
unchanged (same ``row_hash``) writes nothing; a changed one closes the current version
(``valid_to`` = the new load's as-of date) and inserts the new one (``valid_from`` = that date).
So "as of D" is a plain filter and "what changed since the last review" is a query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from loaders.kinds import PROVENANCE, TableSpec


@dataclass(frozen=True)
class MergeResult:
    """What a merge did to one table."""

    inserted: int
    changed: int
    unchanged: int


class OlderThanCurrent(ValueError):
    """The rows describe an earlier state than the one already loaded (INPUT_CASES #57)."""


def row_hashes(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    """A 64-bit hash per row of ``columns`` (vectorised; equal typed values give equal hashes)."""
    return pd.util.hash_pandas_object(frame[columns], index=False).astype("uint64")


def merge_rows(
    con: duckdb.DuckDBPyConnection, spec: TableSpec, rows: pd.DataFrame, *, as_of: date
) -> MergeResult:
    """Apply ``rows`` (business columns + provenance + ``row_hash``) to ``spec.name``.

    Args:
        con: Connection inside the load's transaction.
        spec: The table.
        rows: Validated rows, keys unique within the frame.
        as_of: The load's as-of date; becomes ``valid_from`` of new versions.

    Returns:
        Counts of new keys, changed keys and unchanged keys.
    """
    columns = [*spec.business_columns, *PROVENANCE, "row_hash"]
    # Identifiers below come from kinds.TABLES, never from user input; values are bound.
    table = spec.name
    join = " AND ".join(f"c.{k} IS NOT DISTINCT FROM s.{k}" for k in spec.key)
    con.register("staged_rows", rows[columns])
    try:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE incoming AS "  # noqa: S608
            f"SELECT s.*, c.row_hash AS old_hash, c.valid_from AS old_from FROM staged_rows s "
            f"LEFT JOIN {table} c ON c.valid_to IS NULL AND {join}"
        )
    finally:
        con.unregister("staged_rows")
    inserted, changed, unchanged = con.execute(
        "SELECT count(*) FILTER (old_hash IS NULL), "
        "count(*) FILTER (old_hash IS NOT NULL AND old_hash <> row_hash), "
        "count(*) FILTER (old_hash = row_hash) FROM incoming"
    ).fetchone()
    if changed:
        keys = " AND ".join(f"{table}.{k} IS NOT DISTINCT FROM i.{k}" for k in spec.key)
        con.execute(
            f"UPDATE {table} SET valid_to = ? FROM incoming i "  # noqa: S608
            f"WHERE {table}.valid_to IS NULL AND {keys} "
            "AND i.old_hash IS NOT NULL AND i.old_hash <> i.row_hash",
            [as_of],
        )
    if inserted or changed:
        names = ", ".join(columns)
        con.execute(
            f"INSERT INTO {table} ({names}, valid_from, valid_to) "  # noqa: S608
            f"SELECT {names}, ?, NULL FROM incoming "
            "WHERE old_hash IS NULL OR old_hash <> row_hash",
            [as_of],
        )
    con.execute("DROP TABLE incoming")
    return MergeResult(int(inserted), int(changed), int(unchanged))


def check_not_older(
    con: duckdb.DuckDBPyConnection, spec: TableSpec, rows: pd.DataFrame, *, as_of: date
) -> None:
    """Refuse rows that would replace versions loaded as of a later date (INPUT_CASES #57).

    Called for every sheet of a file before any of them is merged, so a file is all or nothing.

    Raises:
        OlderThanCurrent: Some key of ``rows`` has a current version newer than ``as_of`` whose
            values differ.
    """
    table = spec.name
    join = " AND ".join(f"c.{k} IS NOT DISTINCT FROM s.{k}" for k in spec.key)
    con.register("staged_rows", rows[[*spec.key, "row_hash"]])
    try:
        newest = con.execute(
            f"SELECT max(c.valid_from) FROM staged_rows s JOIN {table} c "  # noqa: S608
            f"ON c.valid_to IS NULL AND {join} "
            "WHERE c.valid_from > ? AND c.row_hash <> s.row_hash",
            [as_of],
        ).fetchone()[0]
    finally:
        con.unregister("staged_rows")
    if newest is not None:
        raise OlderThanCurrent(
            f"older than the data already loaded (as of {newest.isoformat()}); "
            f"this file is as of {as_of.isoformat()}: nothing of it was loaded"
        )
