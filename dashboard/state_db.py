"""The sign-in state every worker shares: one small SQLite file in the data folder.

gunicorn runs several worker processes; a session opened by one and a failed password counted
by another must be seen by all of them, and survive a worker restart. SQLite's file locking
does exactly that on one machine with nothing to install (docs/security.md, "Sign-in, sessions,
sign-out").

This module holds all of that store's SQL (the data's own SQL stays in dashboard/db.py);
``dashboard.sessions`` and ``dashboard.throttle`` decide what the rows mean.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

FILE_NAME = ".pmo-auth.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id_hash TEXT PRIMARY KEY,
    user TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    created REAL NOT NULL,
    last_seen REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_user ON sessions (user);
CREATE TABLE IF NOT EXISTS failures (
    key TEXT PRIMARY KEY,
    count INTEGER NOT NULL,
    last REAL NOT NULL,
    locked_until REAL NOT NULL
);
"""


def state_path(folder: Path) -> Path:
    """Where the shared sign-in state of the store in ``folder`` lives."""
    return Path(folder) / FILE_NAME


@contextmanager
def connect(path: Path) -> Iterator[sqlite3.Connection]:
    """An autocommit connection that waits for other workers' writes, closed on exit."""
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, timeout=10, isolation_level=None)
    try:
        if path not in _ready:
            connection.executescript(_SCHEMA)
            _ready.add(path)
        yield connection
    finally:
        connection.close()


_ready: set[Path] = set()


# --------------------------------------------------------------------------- sessions
def add_session(path: Path, key: str, user: str, fingerprint: str, now: float) -> None:
    """Store a new session record."""
    with connect(path) as db:
        db.execute(
            "INSERT INTO sessions VALUES (?, ?, ?, ?, ?)", (key, user, fingerprint, now, now)
        )


def purge_sessions(path: Path, created_before: float, seen_before: float) -> None:
    """Delete the records of sessions that have ended by age or idleness."""
    with connect(path) as db:
        db.execute(
            "DELETE FROM sessions WHERE created < ? OR last_seen < ?", (created_before, seen_before)
        )


def get_session(path: Path, key: str) -> tuple[str, str, float, float] | None:
    """(user, fingerprint, created, last_seen) of one session, or None."""
    with connect(path) as db:
        return db.execute(
            "SELECT user, fingerprint, created, last_seen FROM sessions WHERE id_hash = ?", (key,)
        ).fetchone()


def touch_session(path: Path, key: str, now: float) -> None:
    """Record activity on a session."""
    with connect(path) as db:
        db.execute("UPDATE sessions SET last_seen = ? WHERE id_hash = ?", (now, key))


def delete_session(path: Path, key: str) -> None:
    """End one session."""
    with connect(path) as db:
        db.execute("DELETE FROM sessions WHERE id_hash = ?", (key,))


def delete_user_sessions(path: Path, user: str) -> int:
    """End every session of a user; returns how many there were."""
    with connect(path) as db:
        return db.execute("DELETE FROM sessions WHERE user = ?", (user,)).rowcount


# --------------------------------------------------------------------------- failures
def locked_until(path: Path, keys: tuple[str, ...]) -> list[float]:
    """The lock end times recorded for ``keys`` (absent keys are not locked)."""
    marks = ", ".join("?" for _ in keys)
    with connect(path) as db:
        rows = db.execute(
            f"SELECT locked_until FROM failures WHERE key IN ({marks})",  # noqa: S608 (only ?s)
            keys,
        ).fetchall()
    return [row[0] for row in rows]


def update_failures(
    path: Path,
    keys: tuple[str, ...],
    now: float,
    step: Callable[[str, int | None, float | None], tuple[int, float]],
) -> None:
    """In one transaction, set each key's (count, locked_until) from ``step(key, count, last)``."""
    with connect(path) as db:
        db.execute("BEGIN IMMEDIATE")
        try:
            for key in keys:
                row = db.execute(
                    "SELECT count, last FROM failures WHERE key = ?", (key,)
                ).fetchone()
                count, until = step(key, *(row or (None, None)))
                db.execute(
                    "INSERT OR REPLACE INTO failures VALUES (?, ?, ?, ?)", (key, count, now, until)
                )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise


def clear_failures(path: Path, key: str) -> None:
    """Forget one key's failures."""
    with connect(path) as db:
        db.execute("DELETE FROM failures WHERE key = ?", (key,))
