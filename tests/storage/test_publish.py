"""Unit tests of the versioned store (loaders.publish) - in-process, no subprocesses."""

from __future__ import annotations

import json
import os
import time

import duckdb
import pytest

from loaders import publish
from loaders.kinds import HISTORY, PROVENANCE, TABLES


def write_marker_table(data_dir, value: int, *, changed: bool = True) -> None:
    with publish.transaction(data_dir, grace_seconds=3600) as txn:
        txn.con.execute("CREATE TABLE IF NOT EXISTS probe (v INTEGER)")
        txn.con.execute("INSERT INTO probe VALUES (?)", [value])
        txn.changed = changed


def read_probe(data_dir) -> list[int]:
    current = publish.current_version(data_dir)
    con = duckdb.connect(str(current.path), read_only=True)
    try:
        return [r[0] for r in con.execute("SELECT v FROM probe ORDER BY v").fetchall()]
    finally:
        con.close()


def test_first_transaction_creates_version_one_with_the_schema(data_dir):
    assert publish.current_version(data_dir) is None
    write_marker_table(data_dir, 1)
    current = publish.current_version(data_dir)
    assert current.number == 1
    assert (data_dir / "CURRENT").read_text() == "pmo-000001.duckdb\n"
    con = duckdb.connect(str(current.path), read_only=True)
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    con.close()
    assert set(TABLES) | {"load_runs", "load_sheets", "rejected_rows", "ignored_rows"} <= tables


def test_each_transaction_publishes_a_new_file_and_keeps_the_old_one_intact(data_dir):
    write_marker_table(data_dir, 1)
    first = publish.current_version(data_dir)
    write_marker_table(data_dir, 2)
    assert publish.current_version(data_dir).number == 2
    assert read_probe(data_dir) == [1, 2]
    con = duckdb.connect(str(first.path), read_only=True)
    assert con.execute("SELECT count(*) FROM probe").fetchall()[0][0] == 1
    con.close()


def test_unchanged_transaction_publishes_nothing(data_dir):
    write_marker_table(data_dir, 1)
    write_marker_table(data_dir, 2, changed=False)
    assert publish.current_version(data_dir).number == 1
    assert read_probe(data_dir) == [1]
    assert [p.name for p in data_dir.glob("*.tmp*")] == []


def test_exception_inside_transaction_rolls_back_and_cleans_up(data_dir):
    write_marker_table(data_dir, 1)
    with pytest.raises(RuntimeError), publish.transaction(data_dir) as txn:
        txn.con.execute("INSERT INTO probe VALUES (99)")
        txn.changed = True
        raise RuntimeError("disk on fire")
    assert publish.current_version(data_dir).number == 1
    assert read_probe(data_dir) == [1]
    assert [p.name for p in data_dir.iterdir() if ".tmp" in p.name] == []
    assert not (data_dir / publish.MARKER).exists()


def test_debris_of_a_killed_loader_is_removed_and_its_attempt_logged(data_dir):
    write_marker_table(data_dir, 1)
    (data_dir / "pmo-000002.duckdb.tmp").write_bytes(b"half a database")
    (data_dir / "pmo-000003.duckdb").write_bytes(b"renamed but never pointed to")
    (data_dir / publish.MARKER).write_text(json.dumps({"pid": 4242, "files": ["big.csv"]}))
    write_marker_table(data_dir, 2)
    current = publish.current_version(data_dir)
    # Numbers that were never published are free again: no reader can have opened them.
    assert current.number == 2
    assert read_probe(data_dir) == [1, 2]
    assert not (data_dir / "pmo-000002.duckdb.tmp").exists()
    assert not (data_dir / "pmo-000003.duckdb").exists()
    con = duckdb.connect(str(current.path), read_only=True)
    rows = con.execute("SELECT file_name, status, message FROM load_runs").fetchall()
    con.close()
    assert rows[0][:2] == ("big.csv", "aborted")
    assert "pid 4242" in rows[0][2]


def test_garbage_collection_keeps_current_and_recent_versions(data_dir):
    for value in range(1, 5):
        write_marker_table(data_dir, value)
    versions = publish.published_versions(data_dir)
    assert [v.number for v in versions] == [1, 2, 3, 4]
    now = time.time()
    os.utime(versions[1].path, (now - 7200, now - 7200))  # v1 superseded two hours ago
    os.utime(versions[2].path, (now - 60, now - 60))  # v2 superseded a minute ago
    removed = publish.collect_garbage(data_dir, grace_seconds=600, now=now)
    assert [p.name for p in removed] == ["pmo-000001.duckdb"]
    removed = publish.collect_garbage(data_dir, grace_seconds=0, now=now)
    assert sorted(p.name for p in removed) == ["pmo-000002.duckdb", "pmo-000003.duckdb"]
    assert [v.number for v in publish.published_versions(data_dir)] == [4]


def test_pointer_to_garbage_is_a_clear_error(data_dir):
    (data_dir / "CURRENT").write_text("../../etc/passwd\n")
    with pytest.raises(publish.PublishError, match="does not name a database version"):
        publish.current_version(data_dir)


def test_schema_sql_matches_the_table_specs(data_dir):
    write_marker_table(data_dir, 1)
    con = duckdb.connect(str(publish.current_version(data_dir).path), read_only=True)
    for spec in TABLES.values():
        columns = [
            r[0]
            for r in con.execute(
                "SELECT column_name FROM duckdb_columns() "
                "WHERE table_name = ? ORDER BY column_index",
                [spec.name],
            ).fetchall()
        ]
        assert columns == [*spec.columns, *PROVENANCE, *HISTORY], spec.name
    con.close()


def test_a_failed_pointer_switch_keeps_the_old_version(data_dir, monkeypatch):
    write_marker_table(data_dir, 1)
    real_replace = os.replace

    def failing_replace(src, dst):
        if str(dst).endswith("CURRENT"):
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(publish.os, "replace", failing_replace)
    with pytest.raises(publish.PublishError, match="No space left on device"):
        write_marker_table(data_dir, 2)
    monkeypatch.undo()
    assert publish.current_version(data_dir).number == 1
    assert read_probe(data_dir) == [1]
    write_marker_table(data_dir, 3)  # the next load cleans up and succeeds
    assert read_probe(data_dir) == [1, 3]
