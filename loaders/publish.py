"""The single writer: each load becomes a new immutable database version behind data/CURRENT.

Why versions: DuckDB allows one read-write process *or* many read-only ones per file, and an open
reader blocks a writer in another process. So the app only ever opens published files read-only,
and a load never touches a published file: it copies the current version to a temporary file,
applies everything in one transaction, checkpoints, closes, renames the file to its version name
and then atomically replaces the small pointer file ``CURRENT``. A loader killed at any instant
leaves ``CURRENT`` naming a complete version; the next loader removes the debris it left.

A lock file (``fcntl.flock`` on ``loader.lock``) serialises loaders across processes; a second
loader simply waits for the first. Versions that stopped being current more than a grace period
ago are deleted (on Linux an open reader keeps a deleted file readable until it closes it).
"""

from __future__ import annotations

import contextlib
import fcntl
import itertools
import json
import os
import re
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from loaders.exception_text import first_line

SCHEMA_VERSION = 1
SCHEMA_SQL = Path(__file__).with_name("schema.sql")
POINTER = "CURRENT"
LOCK = "loader.lock"
MARKER = "loading.json"
VERSION_RE = re.compile(r"^pmo-(\d{6})\.duckdb$")
DEFAULT_GRACE_SECONDS = 600.0
# Per-connection caps so a loader next to the app cannot take the whole machine.
WRITER_CONFIG = {"threads": 2, "memory_limit": "2GB"}


class PublishError(RuntimeError):
    """Publishing could not complete; the published data is unchanged."""


@dataclass(frozen=True)
class Version:
    """A published database version."""

    number: int
    path: Path


@dataclass
class Transaction:
    """An open write transaction on the next version; ``changed`` decides whether to publish."""

    con: duckdb.DuckDBPyConnection
    number: int
    base: Version | None
    changed: bool = False
    notes: list[str] = field(default_factory=list)


def version_path(data_dir: Path, number: int) -> Path:
    """File name of version ``number`` inside ``data_dir``."""
    return data_dir / f"pmo-{number:06d}.duckdb"


def current_version(data_dir: Path) -> Version | None:
    """The version ``CURRENT`` names, or None before the first load.

    The pointer is replaced with ``os.replace``, so a reader sees the old or the new name whole.
    """
    try:
        name = (data_dir / POINTER).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    match = VERSION_RE.match(name)
    if not match:
        raise PublishError(f"{data_dir / POINTER} does not name a database version: {name!r}")
    return Version(int(match.group(1)), data_dir / name)


def published_versions(data_dir: Path) -> list[Version]:
    """Every version file in ``data_dir``, oldest first."""
    found = []
    for path in data_dir.glob("pmo-*.duckdb"):
        match = VERSION_RE.match(path.name)
        if match:
            found.append(Version(int(match.group(1)), path))
    return sorted(found, key=lambda v: v.number)


@contextlib.contextmanager
def loader_lock(data_dir: Path) -> Iterator[None]:
    """Hold the cross-process loader lock; blocks until the previous loader finishes."""
    data_dir.mkdir(parents=True, exist_ok=True)
    with open(data_dir / LOCK, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def transaction(
    data_dir: Path, *, grace_seconds: float = DEFAULT_GRACE_SECONDS, marker: dict | None = None
) -> Iterator[Transaction]:
    """Open the next version for writing; publish it on exit if ``changed`` was set.

    Args:
        data_dir: Folder of versions and ``CURRENT``.
        grace_seconds: How long a superseded version is kept for readers still using it.
        marker: What this load is doing (files), kept in ``loading.json`` while it runs so that
            the next loader can record an attempt that was killed as ``aborted``.

    Yields:
        The transaction; its connection is inside ``BEGIN``. Exceptions roll everything back.
    """
    with loader_lock(data_dir):
        aborted = _recover(data_dir)
        base = current_version(data_dir)
        newest = max(
            [v.number for v in published_versions(data_dir)] + [base.number if base else 0]
        )
        number = newest + 1
        tmp = data_dir / f"pmo-{number:06d}.duckdb.tmp"
        try:
            yield from _write_version(data_dir, tmp, number, base, aborted, marker)
        except (duckdb.Error, OSError) as exc:
            # Disk full, file-size limit, I/O error: the pointer still names the old version.
            _remove(tmp)
            (data_dir / MARKER).unlink(missing_ok=True)
            raise PublishError(
                f"could not write the new version ({first_line(exc)}); "
                "the published data is unchanged"
            ) from exc
        collect_garbage(data_dir, grace_seconds=grace_seconds)


def _write_version(
    data_dir: Path,
    tmp: Path,
    number: int,
    base: Version | None,
    aborted: dict | None,
    marker: dict | None,
) -> Iterator[Transaction]:
    """Copy, open, yield the transaction, then commit, checkpoint and publish (or discard)."""
    if base is not None:
        shutil.copyfile(base.path, tmp)
    _write_marker(data_dir, {"pid": os.getpid(), "version": number, **(marker or {})})
    con = duckdb.connect(str(tmp), config=WRITER_CONFIG)
    try:
        ensure_schema(con)
        con.execute("BEGIN TRANSACTION")
        txn = Transaction(con=con, number=number, base=base)
        if aborted:
            record_aborted(con, aborted)
            txn.changed = True
        yield txn
        if txn.changed:
            con.execute("COMMIT")
            con.execute("CHECKPOINT")
        else:
            con.execute("ROLLBACK")
    except BaseException:
        with contextlib.suppress(duckdb.Error):
            con.execute("ROLLBACK")
        con.close()
        _remove(tmp)
        (data_dir / MARKER).unlink(missing_ok=True)
        raise
    con.close()
    if txn.changed:
        _publish(data_dir, tmp, number)
    else:
        _remove(tmp)
    (data_dir / MARKER).unlink(missing_ok=True)


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the canonical tables when missing (a fresh store, or a version before a new table)."""
    con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
    if not con.execute("SELECT count(*) FROM schema_info").fetchall()[0][0]:
        con.execute(
            "INSERT INTO schema_info VALUES (?, ?)",
            [SCHEMA_VERSION, datetime.now().replace(microsecond=0)],
        )


def record_aborted(con: duckdb.DuckDBPyConnection, marker: dict) -> None:
    """Log the files of a loader that died mid-load as ``aborted`` attempts.

    Every attempt is recorded (docs/architecture.md §5.6).
    """
    now = datetime.now().replace(microsecond=0)
    started = datetime.fromtimestamp(marker.get("started", time.time())).replace(microsecond=0)
    for name in marker.get("files", []) or ["(unknown)"]:
        load_id = next_load_id(con)
        con.execute(
            "INSERT INTO load_runs (load_id, file_name, as_of, started_at, finished_at, status,"
            " rows_read, rows_loaded, rows_rejected, rows_ignored, message)"
            " VALUES (?, ?, ?, ?, ?, 'aborted', 0, 0, 0, 0, ?)",
            [
                load_id,
                name,
                now.date(),
                started,
                now,
                f"the loader (pid {marker.get('pid')}) stopped before publishing; nothing of it"
                " was applied",
            ],
        )


def next_load_id(con: duckdb.DuckDBPyConnection) -> int:
    """The next free load id in this (copied) database."""
    return int(con.execute("SELECT coalesce(max(load_id), 0) + 1 FROM load_runs").fetchall()[0][0])


def collect_garbage(
    data_dir: Path, *, grace_seconds: float, now: float | None = None
) -> list[Path]:
    """Delete versions superseded more than ``grace_seconds`` ago; return what was removed.

    A version is superseded when its successor was published: the successor's mtime.
    """
    now = time.time() if now is None else now
    current = current_version(data_dir)
    versions = published_versions(data_dir)
    removed = []
    for older, newer in itertools.pairwise(versions):
        if current is not None and older.number == current.number:
            continue
        if now - newer.path.stat().st_mtime >= grace_seconds:
            _remove(older.path)
            removed.append(older.path)
    return removed


def _recover(data_dir: Path) -> dict | None:
    """Clean what a killed loader left (we hold the lock, so its writer is gone).

    Removes temporary files and versions newer than ``CURRENT`` (renamed but never pointed to),
    and returns the dead loader's marker so its attempt can be logged as aborted.
    """
    for tmp in data_dir.glob("pmo-*.duckdb.tmp*"):
        _remove(tmp)
    for tmp in data_dir.glob(f"{POINTER}.*.tmp"):
        _remove(tmp)
    current = current_version(data_dir)
    for version in published_versions(data_dir):
        if current is None or version.number > current.number:
            _remove(version.path)
    marker_path = data_dir / MARKER
    if not marker_path.exists():
        return None
    try:
        marker = json.loads(marker_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        marker = {}
    marker_path.unlink(missing_ok=True)
    return marker if isinstance(marker, dict) else {}


def _publish(data_dir: Path, tmp: Path, number: int) -> None:
    """Rename the finished file to its version name, then switch ``CURRENT`` atomically."""
    if Path(f"{tmp}.wal").exists():
        # A WAL after CHECKPOINT + close means the file is not self-contained
        # (docs/architecture.md §3.2, step 6).
        raise PublishError(f"{tmp.name}.wal still exists after checkpoint; not publishing")
    _fsync(tmp)
    final = version_path(data_dir, number)
    os.replace(tmp, final)
    pointer_tmp = data_dir / f"{POINTER}.{os.getpid()}.tmp"
    with open(pointer_tmp, "w", encoding="utf-8") as handle:
        handle.write(final.name + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(pointer_tmp, data_dir / POINTER)
    _fsync_dir(data_dir)


def _write_marker(data_dir: Path, marker: dict) -> None:
    marker = {"started": time.time(), **marker}
    path = data_dir / MARKER
    path.write_text(json.dumps(marker), encoding="utf-8")


def _remove(path: Path) -> None:
    path.unlink(missing_ok=True)
    Path(f"{path}.wal").unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
