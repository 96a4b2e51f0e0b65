"""One way to replace a file so that a reader sees the old bytes or the new ones, never half.

Mapping profiles, stored uploads and the app's per-version results all need it: write to a
temporary file in the same folder, fsync it, then rename it over the target (docs/architecture.md
§3.2 for why the same folder and why fsync before the rename).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_atomically(target: Path, data: bytes, *, prefix: str = ".part-") -> None:
    """Replace ``target`` with ``data`` atomically; the temporary file never outlives a failure.

    Args:
        target: The file to create or replace; its folder must exist.
        data: The whole new content.
        prefix: Start of the temporary file's name (readers skip names starting with a dot).
    """
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=prefix, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
