"""What the storage tests of in-app writes share: a private store and a read of its version."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from loaders import publish


@pytest.fixture
def store(demo_store: Path, tmp_path: Path) -> Path:
    """A private copy of the demo store (the session's demo stays untouched)."""
    copy = tmp_path / "data"
    copy.mkdir()
    current = publish.current_version(demo_store)
    shutil.copyfile(current.path, copy / current.path.name)
    (copy / "CURRENT").write_text((demo_store / "CURRENT").read_text())
    return copy


def rows(store: Path, sql: str, params: list | None = None) -> list[tuple]:
    """Rows of ``sql`` on the store's published version, read-only."""
    con = duckdb.connect(str(publish.current_version(store).path), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()
