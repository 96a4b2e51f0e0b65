"""Room for uploaded files: a quota on the upload folder, refused files removed (docs/security.md).

Every dropped file used to stay in ``<data>/uploads`` forever, refused ones included, so a PMO
user (or a stolen PMO session) could fill the disk that also holds the database. Now:

- files the dry run refused (or could not read) are deleted once their report is built: they
  can never be confirmed, and the report already says everything about them;
- before a file is stored, the folder must have room for it under ``PMO_UPLOAD_QUOTA_MB``; the
  oldest stored uploads (by time) are removed to make it, and a file that cannot fit even in an
  empty folder is refused. An upload removed this way while still awaiting confirmation is
  reported as "not recognised, upload again" by the confirm step, never loaded half-way.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
from pathlib import Path

LOG = logging.getLogger("pmo.uploads")
MB = 1024 * 1024
_SHA_FOLDER = re.compile(r"^[0-9a-f]{64}$")


def quota_bytes(quota_mb: float) -> int:
    """``PMO_UPLOAD_QUOTA_MB`` in bytes."""
    return int(quota_mb * MB)


def _folders(root: Path) -> list[tuple[float, int, Path]]:
    """(newest mtime, bytes, path) of each stored upload folder; nothing else is touched."""
    found = []
    if not root.is_dir():
        return found
    for folder in root.iterdir():
        if folder.is_symlink() or not folder.is_dir() or not _SHA_FOLDER.match(folder.name):
            continue
        files = [f for f in folder.iterdir() if f.is_file() and not f.is_symlink()]
        stats = [f.stat() for f in files]
        size = sum(s.st_size for s in stats)
        newest = max((s.st_mtime for s in stats), default=folder.stat().st_mtime)
        found.append((newest, size, folder))
    return found


def used_bytes(root: Path) -> int:
    """Bytes the stored uploads take."""
    return sum(size for _, size, _ in _folders(root))


def make_room(root: Path, needed: int, quota: int, keep: str | None = None) -> bool:
    """Remove the oldest uploads until ``needed`` more bytes fit under ``quota``.

    Args:
        root: The upload folder.
        needed: Size of the file about to be stored.
        quota: The folder's limit in bytes.
        keep: A folder name never removed (the upload being stored, when already there).

    Returns:
        False when the file cannot fit even with every other upload removed.
    """
    if needed > quota:
        return False
    folders = sorted(_folders(root))
    used = sum(size for _, size, _ in folders)
    for _, size, folder in folders:
        if used + needed <= quota:
            break
        if folder.name == keep:
            continue
        remove(folder, root, "upload quota")
        used -= size
    return used + needed <= quota


def remove(folder: Path, root: Path, why: str) -> None:
    """Delete one stored upload folder (only a direct, real child of ``root``)."""
    real_root = os.path.realpath(root)
    if os.path.dirname(os.path.realpath(folder)) != real_root or folder.is_symlink():
        LOG.error("refused to remove %s: not an upload folder", ascii(str(folder)))
        return
    shutil.rmtree(folder, ignore_errors=True)
    LOG.info("upload %s removed (%s)", folder.name, why)
