"""Derived results per published version: computed once, shared by every app process.

Health at a date, the month-end health behind trends, reviews and as-of views, compliance and
capacity are pure functions of (published version, standards). Computing them per request made
every publish turn every page cold in every worker (docs/performance.md). So the first process
that needs a result builds it once and writes it to a *sidecar* next to the version::

    <data_dir>/derived/v000012-<standards hash>/<key hash>.pkl

- **Keyed by version and standards**: the directory name holds the version number and a hash of
  the effective standards (``pmo.toml`` as loaded) plus the code that computes the results
  (:data:`RULE_PACKAGES`), so a changed ``pmo.toml`` or a new rule never reads a stale result.
- **One builder**: a per-key file lock (``fcntl.flock``) lets one process (one thread) build;
  the others serve the previous version's result for the same key meanwhile when there is one
  (and :func:`stale_versions` tells the page so), otherwise wait for the builder.
- **Atomic**: a result is written to a temporary file in the same directory, flushed and fsynced,
  then renamed over the final name, so a reader sees the whole file or none.
- **Pickle, on purpose**: results are pandas frames with exact dtypes (ordered RAG categories,
  nullable integers) that must round-trip unchanged; the files are written only by the app into
  its own data folder, which is trusted exactly as much as the DuckDB files beside them.

When the data folder is not writable the results are computed in memory (per process), as before.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import functools
import gc
import hashlib
import os
import pickle
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from dashboard.config import get_settings, get_standards
from dashboard.db import current_pointer
from dashboard.lru import LRU, MISSING
from dashboard.scope import current_scope
from loaders.atomic import write_atomically

T = TypeVar("T")

FORMAT = 1
"""Bump when what is stored under a key changes shape."""
RULE_PACKAGES = ("analytics", "services")
"""Packages (under ``dashboard/``) whose code shapes a stored result: all of it is in the key.

Every module, not a list of them: a rule split into a new module must not be left out.
"""
MEMORY_SIZE = 128
"""Results kept in this process's memory (LRU) in front of the files."""
SUBDIR = "derived"
_DIR_RE = re.compile(r"^v(\d{6})-[0-9a-f]{16}$")

_memory = LRU(MEMORY_SIZE)
_stale = threading.local()
_building = threading.local()
_warmers: list[Callable[[], object]] = []
_background = {"enabled": False}
_prepared: set[tuple[str, int, str]] = set()
_prepared_lock = threading.Lock()
_wake = threading.Event()


# ------------------------------------------------------------------------------ keys and paths


@functools.cache
def _code_hash() -> str:
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256(str(FORMAT).encode())
    for package in RULE_PACKAGES:
        for path in sorted((root / package).glob("*.py")):
            digest.update(path.name.encode())
            with contextlib.suppress(OSError):
                digest.update(path.read_bytes())
    return digest.hexdigest()


def standards_hash() -> str:
    """Hash of the effective standards and of the code computing the results (16 hex digits)."""
    text = repr(get_standards()) + _code_hash()
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def version_dir(data_dir: Path, version: int | None, standards: str) -> Path:
    """Where the results of ``version`` (None: keyed by content, any version) live."""
    if version is None:
        return data_dir / SUBDIR / f"content-{standards}"
    return data_dir / SUBDIR / f"v{version:06d}-{standards}"


def _published(data_dir: Path, version: int | None) -> bool:
    """Whether the store holds ``version`` (any version for content keys): sidecars go there."""
    if version is None:
        return (data_dir / "CURRENT").exists()
    return (data_dir / f"pmo-{version:06d}.duckdb").exists()


def _key_name(key: tuple) -> str:
    return hashlib.sha256(repr(key).encode()).hexdigest()[:32]


def lookup(version: int, key: tuple) -> object | None:
    """The stored result for ``key`` on ``version`` if there is one (never builds)."""
    settings = get_settings()
    standards = standards_hash()
    full = (*key, current_scope().cache_key)
    value = _memory.peek((str(settings.data_dir), version, standards, full))
    if value is MISSING:
        folder = version_dir(settings.data_dir, version, standards)
        value = _read(folder / f"{_key_name(full)}.pkl")
    return None if value is MISSING else value


def previous(version: int, key: tuple) -> object | None:
    """The newest older version's stored result for ``key`` (same standards and scope), if any.

    What an incremental build starts from: the last version's results for the unchanged parts.
    """
    settings = get_settings()
    full = (*key, current_scope().cache_key)
    folder = version_dir(settings.data_dir, version, standards_hash())
    found = _previous(folder, _key_name(full), version)
    return None if found is None else found.value


# ------------------------------------------------------------------------------ the store


def derived(version: int | None, key: tuple, build: Callable[[], T]) -> T:
    """The result of ``build()`` for ``key`` on ``version``: memory, then sidecar, then build.

    Args:
        version: The published version ``build`` reads (``Snapshot.version``); None when
            ``key`` holds a fingerprint of every input, so the result holds for any version
            whose inputs hash the same (a publish recomputes only what it changed).
        key: What is computed, e.g. ``("portfolio", as_of)``; plain values with a stable repr.
            The caller's scope is added, so one division's results never reach another.
        build: Computes the result from that version (called at most once per process and
            key while the file is missing; one process builds, the others wait or serve stale).

    Returns:
        The result. When another process is building it and the previous version's result for
        the same key exists, that one is returned and :func:`stale_versions` records it.
    """
    settings = get_settings()
    standards = standards_hash()
    full = (*key, current_scope().cache_key)
    mem_key = (str(settings.data_dir), version, standards, full)
    kept = _memory.get(mem_key)
    if kept is not MISSING:
        return kept  # type: ignore[return-value]
    if not _published(settings.data_dir, version):
        value = _run_build(build)  # no such version on disk (a test's frames): memory only
        _remember(mem_key, value)
        return value
    folder = version_dir(settings.data_dir, version, standards)
    name = _key_name(full)
    value = _read(folder / f"{name}.pkl")
    if value is MISSING:
        if version is not None:
            _wake.set()  # the watcher prepares this version's common views (once, one process)
        value = _build_once(folder, name, version, build)
        if isinstance(value, _Stale):
            _note_stale(value.version, version)
            return value.value  # type: ignore[return-value]
    _remember(mem_key, value)
    return value  # type: ignore[return-value]


class _Stale:
    def __init__(self, version: int, value: object) -> None:
        self.version = version
        self.value = value


def _build_once(folder: Path, name: str, version: int | None, build: Callable[[], T]):
    try:
        folder.mkdir(parents=True, exist_ok=True)
        lock = open(folder / f"{name}.lock", "a+b")
    except OSError:
        return _run_build(build)  # read-only data folder: compute in memory as before
    # A request (not a build, which must use its own version's inputs) is served the previous
    # version's result until this version has been prepared in the background, or while
    # another process builds this very key.
    may_be_stale = version is not None and not getattr(_building, "depth", 0)
    with lock:
        if may_be_stale and _unprepared(folder):
            stale = _previous(folder, name, version)
            if stale is not None:
                return stale
        if not _try_lock(lock):
            stale = _previous(folder, name, version) if may_be_stale else None
            if stale is not None:
                return stale
            fcntl.flock(lock, fcntl.LOCK_EX)  # wait for the builder, then read its file
        try:
            value = _read(folder / f"{name}.pkl")
            if value is MISSING:
                value = _run_build(build)
                _write(folder / f"{name}.pkl", value)
                if version is not None:
                    _prune(folder.parent, version)
            return value
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _run_build(build: Callable[[], T]) -> T:
    _building.depth = getattr(_building, "depth", 0) + 1
    try:
        return build()
    finally:
        _building.depth -= 1


def _try_lock(handle) -> bool:
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno not in (errno.EAGAIN, errno.EACCES):
            raise
        return False
    return True


def _previous(folder: Path, name: str, version: int) -> _Stale | None:
    """The newest older version's result for the same key and standards, if one was built."""
    standards = folder.name.split("-", 1)[1]
    best: tuple[int, Path] | None = None
    with contextlib.suppress(OSError):
        for other in folder.parent.iterdir():
            match = _DIR_RE.match(other.name)
            if not match or not other.name.endswith(standards):
                continue
            older = int(match.group(1))
            if older < version and (other / f"{name}.pkl").exists():
                if best is None or older > best[0]:
                    best = (older, other / f"{name}.pkl")
    if best is None:
        return None
    value = _read(best[1])
    return None if value is MISSING else _Stale(best[0], value)


def _read(path: Path) -> object:
    try:
        with open(path, "rb") as handle:
            return pickle.load(handle)
    except FileNotFoundError:
        return MISSING
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
        return MISSING  # unreadable (e.g. written by older code): rebuilt and replaced


def _write(path: Path, value: object) -> None:
    """Write ``value`` to ``path`` atomically (temporary file, fsync, rename)."""
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    write_atomically(path, data, prefix=f".{path.stem}.")


def _prune(root: Path, version: int) -> None:
    """Remove the results of versions whose database file the loaders have removed.

    The version just before ``version`` is kept even then: it is what is served while a newer
    one is being built.
    """
    data_dir = root.parent
    with contextlib.suppress(OSError):
        for other in root.iterdir():
            match = _DIR_RE.match(other.name)
            if not match:
                continue
            older = int(match.group(1))
            if older < version - 1 and not (data_dir / f"pmo-{older:06d}.duckdb").exists():
                shutil.rmtree(other, ignore_errors=True)


CONTENT_DAYS = 2
"""Content-keyed results (project pages) unused for this many days are removed."""


def _prune_content(root: Path, standards: str) -> None:
    """Remove content-keyed results of other standards, and old ones (they hold "as of" dates).

    A result is used through memory for a while after its file was read, so age is judged by
    the file's modification time: rebuilding a page that was still wanted only costs time.
    """
    cutoff = time.time() - CONTENT_DAYS * 86_400
    with contextlib.suppress(OSError):
        for other in root.glob("content-*"):
            if other.name != f"content-{standards}":
                shutil.rmtree(other, ignore_errors=True)
                continue
            for path in other.iterdir():
                with contextlib.suppress(OSError):
                    if path.stat().st_mtime < cutoff:
                        path.unlink()


def _remember(mem_key: tuple, value: object) -> None:
    _memory.put(mem_key, value)
    _settle()


def _settle(*, full: bool = False) -> None:
    """Keep Python's cyclic garbage collector from re-scanning the results held in memory.

    A full collection walks every tracked object: with a version's results in memory it took
    150-300 ms at 10,000 projects, paid by whichever request happened to trigger it (the slow
    tail of warm Portfolio filters, docs/performance.md). ``gc.freeze`` moves everything alive
    now out of those scans (cheap: no walk); reference counting still frees a result when the
    LRU drops it. Once per new version (``full``) everything is unfrozen and collected, so
    cyclic garbage frozen meanwhile is not kept for long. Only while background preparation
    is on (the app): scripts and tests keep Python's defaults.
    """
    if not _background["enabled"]:
        return
    if full:
        gc.unfreeze()
        gc.collect()
    gc.freeze()


def clear_memory() -> None:
    """Forget the results held in this process (tests; the files stay)."""
    _memory.clear()


# ------------------------------------------------------------------------------ preparing a version

PREPARE_LOCK = ".prepare.lock"
PREPARED = ".prepared"


def register_warmer(warm: Callable[[], object]) -> None:
    """Add a common view to prepare in the background when a new version appears.

    ``warm`` reads the current version through the services (which store their results here).
    """
    if warm not in _warmers:
        _warmers.append(warm)


def enable_background(enabled: bool = True, *, poll_seconds: float = 0.5) -> None:
    """Prepare each new version's common views in the background (the app turns it on).

    Each serving process runs a watcher thread that keeps one preparer process per data folder
    alive (``services/preparer.py``); it computes the registered views of each new version
    while requests are served the previous version's results. Off by default so scripts and
    tests compute what they ask for.
    """
    _background["enabled"] = enabled
    _background["poll"] = poll_seconds


def background_enabled() -> bool:
    """Whether new versions are prepared in the background (the app; not scripts or tests)."""
    return bool(_background["enabled"])


def poll_seconds() -> float:
    """How often the watchers look at ``CURRENT`` (``enable_background``)."""
    return float(_background.get("poll", 0.5))


def wait_for_work(timeout: float) -> None:
    """Sleep up to ``timeout`` seconds, or until a request missed a stored result."""
    _wake.wait(timeout)
    _wake.clear()


def keep_out_of_collector() -> None:
    """Freeze what this process now keeps in memory (``_settle``): other caches call this too."""
    _settle()


def settle_after_version() -> None:
    """Once per new version in each serving process: collect what was frozen (``_settle``)."""
    _settle(full=True)


def _after_fork_in_child() -> None:
    """A forked child starts with fresh locks: one held by a parent's thread would never open."""
    global _prepared_lock, _wake
    _wake = threading.Event()
    _prepared_lock = threading.Lock()


PREPARER_THREAD = "pmo-prepare-version"
os.register_at_fork(after_in_child=_after_fork_in_child)


def prepare_current() -> bool:
    """Prepare the current version now, in this thread (``python app.py`` before serving).

    So the first users after a restart are not cold either. False when there is nothing
    published, or another process has prepared it.
    """
    token = _current_token()
    if token is None:
        return False
    with _prepared_lock:
        _prepared.add(token)
    return prepare(version_dir(Path(token[0]), token[1], token[2]))


def _current_token() -> tuple[str, int, str] | None:
    """(data folder, current version, standards hash): what one preparation is for."""
    data_dir = get_settings().data_dir
    pointer = current_pointer(data_dir)
    if pointer is None:
        return None
    return str(data_dir), pointer[0], standards_hash()


QUIET_SECONDS = 1.0
"""How long a version must have been current before it is prepared (docs/performance.md).

Forms publish in bursts (30 people in a minute, several versions a second): preparing each
intermediate version would take the CPU from the publishes and the pages while its results
were replaced a moment later. Meanwhile requests are served the previous version's results,
and say so in the footer.
"""


def prepare_newest(quiet_seconds: float) -> bool:
    """Prepare the current version if it has been current ``quiet_seconds`` and is not done.

    Versions published in between are skipped: their results would be replaced at once.

    Returns:
        True when this call prepared (or found prepared by another process) a version.
    """
    token = _current_token()
    if token is None:
        return False
    with _prepared_lock:
        if token in _prepared:
            return False
    data_dir = Path(token[0])
    with contextlib.suppress(OSError):
        if time.time() - (data_dir / "CURRENT").stat().st_mtime < quiet_seconds:
            return False
    with _prepared_lock:
        _prepared.add(token)
    _prepare_and_settle(version_dir(data_dir, token[1], token[2]))
    return True


def _unprepared(folder: Path) -> bool:
    """Whether this version's common views are still to be prepared in the background."""
    return _background["enabled"] and not (folder / PREPARED).exists()


def wait_for_preparers(timeout: float = 60.0) -> None:
    """Wait for this process's watcher to finish (after ``enable_background(False)``: tests)."""
    _wake.set()
    deadline = time.monotonic() + timeout
    for thread in threading.enumerate():
        if thread.name == PREPARER_THREAD:
            thread.join(max(0.0, deadline - time.monotonic()))


def _prepare_and_settle(folder: Path) -> None:
    prepare(folder)
    # Once per version, after its results are ready (not while the first requests after a
    # publish are being answered): the previous version's frozen garbage is collected.
    _settle(full=True)


def prepare(folder: Path) -> bool:
    """Build the registered common views of a version, in one process at a time.

    Every process starts this once per version; the first takes the prepare lock and builds,
    the others wait on the lock and find the work done (or take over from a builder that died,
    whose lock the system released). Errors are left to the page that asks next.

    Returns:
        True when this call did the preparing.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = open(folder / PREPARE_LOCK, "a+b")
    except OSError:
        return False
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            if (folder / PREPARED).exists():
                return False
            _building.depth = getattr(_building, "depth", 0) + 1
            try:
                for warm in list(_warmers):
                    with contextlib.suppress(Exception):
                        warm()
            finally:
                _building.depth -= 1
            (folder / PREPARED).touch()
            _prune_content(folder.parent, folder.name.split("-", 1)[1])
            return True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# ------------------------------------------------------------------------------ stale results


def _note_stale(served: int, current: int) -> None:
    versions = getattr(_stale, "versions", None)
    if versions is not None:
        versions.append((served, current))


@contextlib.contextmanager
def tracking_stale() -> Iterator[list[tuple[int, int]]]:
    """Collect, for the enclosed code on this thread, results served from an older version.

    Yields:
        A list that receives ``(served version, current version)`` for each stale result.
    """
    previous = getattr(_stale, "versions", None)
    _stale.versions = found = []
    try:
        yield found
    finally:
        _stale.versions = previous


def stale_versions() -> list[tuple[int, int]]:
    """Stale results served so far inside the innermost :func:`tracking_stale` (or none)."""
    return list(getattr(_stale, "versions", None) or [])
