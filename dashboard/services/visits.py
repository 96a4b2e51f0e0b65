"""Which pages people opened: so a new version recomputes, before anyone asks, those it changed.

A shared file of recent visits (``<data_dir>/derived/visited.txt``), appended to by every app
process and read by the one preparing a new version (docs/performance.md, "Incremental: a
publish recomputes what it changed").
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from dashboard.config import get_settings
from dashboard.services.derived import SUBDIR

VISITED = "visited.txt"
VISITED_KEPT = 500
"""How many recently opened pages (e.g. project ids) the preparer considers."""


def note_visit(kind: str, name: str) -> None:
    """Remember that a page (``kind``, e.g. ``project``; ``name``, its id) was computed.

    One short line appended to a shared file (appends of a line are atomic), so the process
    that prepares a new version can recompute the opened pages the publish changed.
    """
    line = f"{kind}\t{name}".replace("\n", " ") + "\n"
    path = get_settings().data_dir / SUBDIR / VISITED
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, line.encode("utf-8"))
        finally:
            os.close(fd)


def visited(kind: str) -> list[str]:
    """The most recently noted ``kind`` pages, newest first, each once (at most VISITED_KEPT)."""
    path = get_settings().data_dir / SUBDIR / VISITED
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    if len(lines) > 4 * VISITED_KEPT:  # keep the file short; a lost line only costs a warm-up
        with contextlib.suppress(OSError):
            _write_text(path, "\n".join(lines[-VISITED_KEPT:]) + "\n")
    names = [n for k, _, n in (line.partition("\t") for line in reversed(lines)) if k == kind]
    return list(dict.fromkeys(names))[:VISITED_KEPT]


def _write_text(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)
