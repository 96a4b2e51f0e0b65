"""Unit tests for loaders.load_records: bookkeeping rows go in one checked insert."""

from __future__ import annotations

import duckdb
import pytest

from loaders.load_records import bulk_insert


def test_bulk_insert_writes_every_row_in_one_statement():
    con = duckdb.connect()
    con.execute("CREATE TABLE ignored_rows (load_id INT, source_row INT, reason TEXT)")
    rows = [{"load_id": 7, "source_row": n, "reason": "blank row"} for n in (3, 5)]
    bulk_insert(con, "ignored_rows", rows)
    bulk_insert(con, "ignored_rows", [])  # nothing to write: no statement
    assert con.execute("SELECT * FROM ignored_rows ORDER BY source_row").fetchall() == [
        (7, 3, "blank row"),
        (7, 5, "blank row"),
    ]


@pytest.mark.parametrize(
    ("table", "column"),
    [("projects", "load_id"), ("ignored_rows", "reason); DROP TABLE x; --")],
)
def test_bulk_insert_refuses_other_tables_and_odd_column_names(table, column):
    con = duckdb.connect()
    with pytest.raises(ValueError, match="not a bookkeeping insert"):
        bulk_insert(con, table, [{column: 1}])
