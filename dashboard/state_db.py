"""The sign-in state every worker shares: one small SQLite file in the data folder.

gunicorn runs several worker processes; a session opened by one and a failed password counted
by another must be seen by all of them, and survive a worker restart. SQLite's file locking
does exactly that on one machine with nothing to install (docs/security.md, "Sessions").
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
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
