"""The preparer process (dashboard/services/preparer.py): new versions prepared outside workers."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dashboard import config
from dashboard.services import derived, preparer
from loaders.form_writes import submit_status
from tests.conftest import DEMO_TODAY, ROOT, dashboard_at


@pytest.fixture
def store(demo_store: Path, tmp_path: Path):
    data_dir = tmp_path / "data"
    shutil.copytree(demo_store, data_dir, ignore=shutil.ignore_patterns(derived.SUBDIR))
    with dashboard_at(data_dir):
        yield data_dir


def _version(store: Path) -> int:
    return int((store / "CURRENT").read_text().strip().split("-")[1].split(".")[0])


def test_a_second_preparer_exits_at_once_while_one_holds_the_lock(store):
    lock_path = preparer._lock_path()
    with open(lock_path, "a+b") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        assert preparer._lock_held()
        started = time.monotonic()
        assert preparer.run(parent=os.getppid()) == 0
        assert time.monotonic() - started < 5
    assert not preparer._lock_held()


def test_the_preparer_process_prepares_a_new_version_and_ends_with_its_parent(store):
    # A parent that we can end: the preparer must stop when it is gone.
    parent = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    env = {
        **os.environ,
        "PMO_DATA_DIR": str(store),
        "PMO_STANDARDS": str(config.get_settings().standards),
        "PMO_TODAY": DEMO_TODAY.isoformat(),
        "PYTHONPATH": str(ROOT),
    }
    child = subprocess.Popen(
        [sys.executable, "-m", "dashboard.services.preparer", "--parent", str(parent.pid)],
        cwd=ROOT,
        env=env,
    )
    try:
        # Generous: the preparer runs at nice 10, so a busy machine (the whole suite) slows it.
        deadline = time.monotonic() + 240
        while not preparer._lock_held():
            assert child.poll() is None and time.monotonic() < deadline
            time.sleep(0.2)
        submit_status(
            store,
            "PRJ-004",
            {"overall_rag": "amber", "summary": "prepared elsewhere"},
            user="pmo",
            key="preparer-test",
            may_report=lambda *_: True,
            forecast_reason="a supplier was late",
        )
        folder = derived.version_dir(store, _version(store), derived.standards_hash())
        while not (folder / derived.PREPARED).exists():
            assert child.poll() is None, "the preparer died"
            assert time.monotonic() < deadline, "the new version was not prepared in time"
            time.sleep(0.2)
        assert len(list(folder.glob("*.pkl"))) > 10  # the common views were stored
    finally:
        parent.kill()
        parent.wait()
        try:
            child.wait(timeout=30)  # it notices that its parent is gone
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
    assert child.returncode == 0
    assert not preparer._lock_held()
