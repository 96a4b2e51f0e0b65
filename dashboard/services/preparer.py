"""One preparer process per data folder: new versions are prepared outside the serving workers.

Preparing a version (``services.warmup.common_views``) is seconds of pandas work. Done in a
thread of a serving worker it shared that worker's interpreter lock with the requests: during
a demo load test with a publish every 20 s, page calls in that worker waited behind it (p95
0.8-1.9 s per page). So each serving process runs a light watcher thread that only makes sure
a *preparer process* is running (``python -m dashboard.services.preparer``), at a lower CPU
priority (nice 10); that process watches ``CURRENT`` and prepares each new version once it has
been current for ``derived.QUIET_SECONDS``. One process per data folder holds
``derived/.preparer.lock``: a second one started meanwhile exits at once, and when the preparer
dies (its lock is released) the next watcher to look starts another. It exits when the process
that started it is gone. When it cannot be started, the watcher prepares in its own thread, as
before (docs/performance.md, "No cold users").

Each serving process, once the current version is prepared, collects its frozen garbage once
(``derived._settle``) and reads the stored results from then on.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from dashboard.config import get_settings
from dashboard.db import current_pointer
from dashboard.services import derived

ROOT = Path(__file__).resolve().parents[2]
LOCK = ".preparer.lock"
NICE = 10
STARTUP_GRACE = 30.0
"""Seconds a started preparer has to take its lock before this process prepares by itself."""

_state: dict[str, object] = {}
_start_lock = threading.Lock()


def ensure_watching() -> None:
    """Start this process's watcher on its first request (the app calls it before each one).

    Not at import: under ``gunicorn --preload`` the app is imported in the master, which forks
    the workers. A thread started there is not inherited, and a lock it held at the fork, or a
    DuckDB connection it opened, would be inherited half-used (docs/architecture.md §3.5: no
    connection before a fork). So each serving process starts its own watcher, once.
    """
    if not derived.background_enabled() or _state.get("watching") == os.getpid():
        return
    with _start_lock:
        if _state.get("watching") == os.getpid():
            return
        _state.clear()
        _state["watching"] = os.getpid()
        threading.Thread(
            target=_watch, args=(derived.poll_seconds(),), daemon=True, name=derived.PREPARER_THREAD
        ).start()


def _watch(poll_seconds: float) -> None:
    """Keep a preparer process alive (or prepare here), and settle once per prepared version."""
    while derived.background_enabled():
        with contextlib.suppress(Exception):  # a bad standards file etc.: pages will say so
            if not _preparer_running():
                derived.prepare_newest(derived.QUIET_SECONDS)
            _settle_when_prepared()
        derived.wait_for_work(poll_seconds)
    _stop_child()


def _preparer_running() -> bool:
    """Whether a preparer process serves this data folder (starting one when none does)."""
    if _state.get("in_thread"):
        return False
    child: subprocess.Popen | None = _state.get("child")  # type: ignore[assignment]
    if child is not None and child.poll() is None and _lock_held():
        return True
    if child is not None and child.poll() is None:  # started, lock not yet taken
        if time.monotonic() - float(_state["started"]) < STARTUP_GRACE:  # type: ignore[arg-type]
            return True
        _stop_child()
        _state["in_thread"] = True  # it never came up: prepare in this process from now on
        return False
    if _lock_held():
        return True  # another process's preparer
    try:
        _state["child"] = _spawn()
    except OSError:
        _state["in_thread"] = True
        return False
    _state["started"] = time.monotonic()
    return True


def _lock_path() -> Path:
    folder = get_settings().data_dir / derived.SUBDIR
    folder.mkdir(parents=True, exist_ok=True)
    return folder / LOCK


def _lock_held() -> bool:
    """Whether some process holds the preparer lock (probed without keeping it)."""
    with open(_lock_path(), "a+b") as probe:
        try:
            fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        fcntl.flock(probe, fcntl.LOCK_UN)
        return False


def _spawn() -> subprocess.Popen:
    settings = get_settings()
    env = {
        **os.environ,
        "PMO_DATA_DIR": str(settings.data_dir),
        "PMO_STANDARDS": str(settings.standards),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    if settings.today is not None:
        env["PMO_TODAY"] = settings.today.isoformat()
    command = [sys.executable, "-m", "dashboard.services.preparer", "--parent", str(os.getpid())]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL)


def _stop_child() -> None:
    child: subprocess.Popen | None = _state.pop("child", None)  # type: ignore[assignment]
    if child is not None and child.poll() is None:
        child.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(5)


def _settle_when_prepared() -> None:
    """Once per prepared version, collect this process's frozen garbage (``derived._settle``)."""
    data_dir = get_settings().data_dir
    pointer = current_pointer(data_dir)
    if pointer is None or _state.get("settled") == pointer[0]:
        return
    folder = derived.version_dir(data_dir, pointer[0], derived.standards_hash())
    if (folder / derived.PREPARED).exists():
        _state["settled"] = pointer[0]
        derived.settle_after_version()


def run(parent: int, poll_seconds: float = 0.5) -> int:
    """The preparer process's loop; returns its exit status (0: another one is running)."""
    from dashboard.services import warmup  # the views to prepare (services, no Dash app)

    with open(_lock_path(), "a+b") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return 0
        with contextlib.suppress(OSError):
            os.nice(NICE)
        derived.register_warmer(warmup.common_views)
        derived.enable_background()
        while _alive(parent):
            with contextlib.suppress(Exception):  # left to the page that asks next
                derived.prepare_newest(derived.QUIET_SECONDS)
            time.sleep(poll_seconds)
    return 0


def _alive(pid: int) -> bool:
    """Whether process ``pid`` still exists (signal 0 checks without sending anything)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def main(argv: list[str] | None = None) -> None:
    """``python -m dashboard.services.preparer --parent PID`` (started by the app's watcher)."""
    parser = argparse.ArgumentParser(description="Prepare each new published version.")
    parser.add_argument("--parent", type=int, required=True, help="exit when it is gone")
    args = parser.parse_args(argv)
    sys.exit(run(args.parent))


if __name__ == "__main__":
    main()
