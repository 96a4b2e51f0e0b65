"""Unit tests of dashboard/upload_quota.py: the oldest uploads go first - no browser."""

from __future__ import annotations

import os
import time
from pathlib import Path

from dashboard import upload_quota


def _folder(root: Path, index: int, size: int, age: float) -> Path:
    folder = root / (f"{index:x}" * 64)[:64]
    folder.mkdir(parents=True)
    (folder / "file.csv").write_bytes(b"x" * size)
    stamp = time.time() - age
    os.utime(folder / "file.csv", (stamp, stamp))
    return folder


def test_quota_removes_the_oldest_uploads_first(tmp_path):
    root = tmp_path / "uploads"
    oldest, middle, newest = (
        _folder(root, i, 400, age) for i, age in ((1, 300), (2, 200), (3, 100))
    )
    (root / "notes").mkdir()  # not an upload folder: never touched
    assert upload_quota.used_bytes(root) == 1200
    # 1200 used + 400 needed > 1000: drop the oldest (800 + 400 > 1000), then the next (400+400).
    assert upload_quota.make_room(root, 400, 1000)
    assert not oldest.exists() and not middle.exists() and newest.exists()
    assert (root / "notes").exists()
    assert not upload_quota.make_room(root, 1001, 1000)  # can never fit
    assert newest.exists()
