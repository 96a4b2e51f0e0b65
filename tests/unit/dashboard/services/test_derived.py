"""Derived results per published version (dashboard/services/derived.py, docs/performance.md).

Proves: a result is built once per version and standards hash; another process reuses it; a
changed ``pmo.toml`` invalidates it; stored results equal the direct computation; a reader never
sees a half-written file; one process builds while the others serve the previous version; a
publish touching one project recomputes only that project's page.
"""

from __future__ import annotations

import fcntl
import gc
import os
import pickle
import re
import shutil
import subprocess
import sys
import textwrap
import threading
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from dashboard import config, db
from dashboard.services import derived, visits
from tests.conftest import DEMO_TODAY, ROOT

AS_OF = DEMO_TODAY


@pytest.fixture
def store(demo_store: Path, tmp_path: Path):
    """A private copy of the demo store (this module publishes into it), dashboard pointed at it."""
    data_dir = tmp_path / "data"
    shutil.copytree(demo_store, data_dir, ignore=shutil.ignore_patterns(derived.SUBDIR))
    config._overrides.clear()
    config.configure(data_dir=data_dir, today=DEMO_TODAY)
    derived.clear_memory()
    yield data_dir
    # A preparation the test set off in the background may still be reading: let it finish
    # before the connections close under it.
    derived.enable_background(False)
    derived.wait_for_preparers()
    db.close_all()
    derived.clear_memory()
    gc.unfreeze()  # what the app froze (derived._settle) goes back to the collector
    config._overrides.clear()
    config.get_settings.cache_clear()


def counting(value: object, calls: list[int]):
    def build() -> object:
        calls.append(1)
        return value

    return build


def sidecars(data_dir: Path) -> list[Path]:
    return sorted((data_dir / derived.SUBDIR).rglob("*.pkl"))


def current_version(data_dir: Path) -> int:
    return db.current_pointer(data_dir)[0]


def test_a_result_is_built_once_per_version_and_read_back_from_its_sidecar(store):
    version, calls = current_version(store), []
    first = derived.derived(version, ("answer", AS_OF), counting({"n": 42}, calls))
    derived.clear_memory()  # as a fresh process would: only the file is left
    again = derived.derived(version, ("answer", AS_OF), counting({"n": -1}, calls))
    assert first == again == {"n": 42}
    assert calls == [1]
    [path] = sidecars(store)
    assert path.parent.name == f"v{version:06d}-{derived.standards_hash()}"
    assert pickle.loads(path.read_bytes()) == {"n": 42}


def test_another_process_reuses_the_sidecar_without_building(store):
    version = current_version(store)
    derived.derived(version, ("answer", AS_OF), lambda: {"n": 42})
    code = textwrap.dedent(
        f"""
        import sys, datetime
        sys.path.insert(0, {str(ROOT)!r})
        from dashboard import config
        from dashboard.services import derived
        config.configure(data_dir={str(store)!r}, today=datetime.date(2026, 11, 26))
        def build():
            raise SystemExit("built again in another process")
        print(derived.derived({version}, ("answer", datetime.date(2026, 11, 26)), build))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.strip() == "{'n': 42}"


def test_two_processes_asking_at_once_build_once(store, tmp_path: Path):
    version, log = current_version(store), tmp_path / "builds.log"
    code = textwrap.dedent(
        f"""
        import sys, time, datetime
        sys.path.insert(0, {str(ROOT)!r})
        from dashboard import config
        from dashboard.services import derived
        config.configure(data_dir={str(store)!r}, today=datetime.date(2026, 11, 26))
        def build():
            with open({str(log)!r}, "a") as f:
                f.write("built\\n")
            time.sleep(1.0)
            return "slow result"
        print(derived.derived({version}, ("slow",), build))
        """
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=60)[0].strip() for p in procs]
    assert outputs == ["slow result", "slow result"]
    assert log.read_text().splitlines() == ["built"]


def test_a_changed_standards_file_invalidates_the_results(store, tmp_path: Path):
    version, calls = current_version(store), []
    derived.derived(version, ("answer",), counting("old rules", calls))
    before = derived.standards_hash()
    changed = tmp_path / "pmo.toml"
    text = (ROOT / "pmo.toml").read_text(encoding="utf-8")
    edited, n = re.subn(
        r"(?m)^cadence_days = (\d+)", lambda m: f"cadence_days = {int(m[1]) + 1}", text
    )
    assert n == 1
    changed.write_text(edited, encoding="utf-8")
    config.configure(standards=changed)
    assert derived.standards_hash() != before
    assert derived.derived(version, ("answer",), counting("new rules", calls)) == "new rules"
    assert calls == [1, 1]
    assert len(sidecars(store)) == 2


def test_stored_portfolio_and_project_equal_the_direct_computation(store):
    from dashboard.services import portfolio, project

    stored = portfolio.portfolio(AS_OF)
    derived.clear_memory()
    from_file = portfolio.portfolio(AS_OF)
    with db.snapshot() as snap:
        direct = portfolio._build_portfolio(snap, AS_OF)
        pid = direct.health["project_id"].iloc[0]
        inputs = project._Inputs.read(snap, pid, AS_OF)
    for result in (stored, from_file):
        pd.testing.assert_frame_equal(result.health, direct.health)
        pd.testing.assert_frame_equal(result.projects, direct.projects)
        assert result.options == direct.options and result.version == direct.version
    page = project.project_view(pid, AS_OF)
    expected = project._build(inputs, pid, AS_OF)
    pd.testing.assert_frame_equal(page.history, expected.history)
    pd.testing.assert_frame_equal(page.milestones, expected.milestones)
    assert page.health == expected.health
    assert page.version == current_version(store)


def test_a_write_that_fails_half_way_leaves_no_file_and_no_temporary(store, monkeypatch):
    target = store / "derived-test" / "result.pkl"
    target.parent.mkdir()
    derived._write(target, "complete")

    def crash(_fd: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(OSError, match="disk full"):
        derived._write(target, "x" * 1_000_000)
    assert pickle.loads(target.read_bytes()) == "complete"
    assert [p.name for p in target.parent.iterdir()] == ["result.pkl"]


def test_a_reader_never_sees_a_half_written_result(store):
    target = store / "derived-test" / "result.pkl"
    target.parent.mkdir()
    big = [list(range(20_000)), list(range(20_000))]
    derived._write(target, big[0])
    stop, seen = threading.Event(), []

    def writer() -> None:
        for i in range(40):
            derived._write(target, big[i % 2])
        stop.set()

    thread = threading.Thread(target=writer)
    thread.start()
    while not stop.is_set():
        seen.append(derived._read(target))
    thread.join()
    assert seen and all(value in big for value in seen)


def test_while_another_builder_holds_the_key_the_previous_versions_result_is_served(store):
    old = current_version(store)
    derived.derived(old, ("answer",), lambda: "from the old version")
    new = old + 1
    (store / f"pmo-{new:06d}.duckdb").write_bytes(b"")  # the version exists on disk
    folder = derived.version_dir(store, new, derived.standards_hash())
    folder.mkdir(parents=True)
    name = derived._key_name(("answer", ("all",)))
    with open(folder / f"{name}.lock", "a+b") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # another builder (separate open file: a conflict)
        with derived.tracking_stale() as stale:
            value = derived.derived(new, ("answer",), lambda: "must not be built now")
        fcntl.flock(held, fcntl.LOCK_UN)
    assert value == "from the old version"
    assert stale == [(old, new)]
    derived.clear_memory()  # the stale result is not remembered as the new version's
    assert derived.derived(new, ("answer",), lambda: "new") == "new"


def test_background_preparation_runs_the_warmers_once_per_version(store):
    calls = []
    derived.register_warmer(warm := lambda: calls.append(1))
    try:
        folder = derived.version_dir(store, current_version(store), derived.standards_hash())
        assert derived.prepare(folder) is True
        assert derived.prepare(folder) is False  # already prepared (by any process)
        assert calls == [1]
        assert (folder / derived.PREPARED).exists()
    finally:
        derived._warmers.remove(warm)


def _spy_on_project_builds():
    """(the project ids built, a stand-in for ``project._build`` that records them)."""
    from dashboard.services import project

    builds: list[str] = []
    original = project._build

    def spy(inputs, project_id, as_of):
        builds.append(project_id)
        return original(inputs, project_id, as_of)

    return builds, spy


def test_a_publish_touching_one_project_recomputes_only_that_projects_page(store, tmp_path):
    from dashboard.services import project
    from loaders.ingest import ingest

    builds, spy = _spy_on_project_builds()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(project, "_build", spy)
        health = project.project_view  # the public entry point
        pids = _two_open_projects()
        for pid in pids:
            health(pid, AS_OF)
        assert builds == pids
        status = tmp_path / "status.csv"
        status.write_text(
            "Project ID,Report Date,Overall RAG,% Complete\n"
            f"{pids[0]},{date(2026, 11, 25).isoformat()},Red,55%\n",
            encoding="utf-8",
        )
        before = current_version(store)
        assert ingest([status], store, today=DEMO_TODAY).ok
        assert current_version(store) == before + 1
        derived.clear_memory()
        pages = [health(pid, AS_OF) for pid in pids]
    assert builds == [*pids, pids[0]]  # only the touched project was computed again
    assert all(page.version == before + 1 for page in pages)
    assert pages[0].latest_report["overall_rag"] is not None


def _two_open_projects() -> list[str]:
    from dashboard.services import portfolio

    return list(portfolio.portfolio(AS_OF).health["project_id"].astype(str).head(2))


def test_portfolio_health_after_a_publish_reassesses_only_the_touched_project(store, tmp_path):
    from dashboard.analytics import health as health_rules
    from dashboard.services import portfolio
    from loaders.ingest import ingest

    first = portfolio.portfolio(AS_OF)
    pid = str(first.health["project_id"].iloc[3])
    status = tmp_path / "status.csv"
    status.write_text(
        f"Project ID,Report Date,Overall RAG,% Complete\n{pid},2026-11-25,Red,3%\n",
        encoding="utf-8",
    )
    assert ingest([status], store, today=DEMO_TODAY).ok
    assessed = []
    original = health_rules.assess_health

    def spy(projects, *args, **kwargs):
        assessed.append(sorted(projects["project_id"].astype(str)))
        return original(projects, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(health_rules, "assess_health", spy)
        second = portfolio.portfolio(AS_OF)
    assert second.version == first.version + 1
    # Today's health: only the project with a new report; a reporting period earlier: nothing
    # changed, so no assessment at all.
    assert assessed == [[pid]]
    thresholds = config.get_standards().health
    with db.snapshot() as snap:
        stored = portfolio._assess(snap, thresholds, AS_OF)  # version 2's, built incrementally
        direct = health_rules.assess_health(
            snap.projects(AS_OF),
            snap.latest_status(AS_OF),
            snap.milestones(AS_OF),
            snap.raid(AS_OF),
            thresholds,
            as_of=AS_OF,
            work_items=snap.work_items(AS_OF),
        )
    pd.testing.assert_frame_equal(stored, direct)
    row = second.health.set_index("project_id").loc[pid]
    assert row["reported_rag"] == "red"
    assert row["percent_complete"] == pytest.approx(0.03)


def test_preparing_a_new_version_recomputes_the_opened_project_pages_it_changed(store, tmp_path):
    from dashboard.services import project, warmup
    from loaders.ingest import ingest

    pids = _two_open_projects()
    for pid in pids:
        project.project_view(pid, AS_OF)  # opened by someone: noted
    assert visits.visited("project")[:2] == pids[::-1]
    status = tmp_path / "status.csv"
    status.write_text(
        f"Project ID,Report Date,Overall RAG,% Complete\n{pids[1]},2026-11-25,Red,9%\n",
        encoding="utf-8",
    )
    assert ingest([status], store, today=DEMO_TODAY).ok
    builds, spy = _spy_on_project_builds()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(project, "_build", spy)
        warmup.common_views()
    assert builds == [pids[1]]  # the changed one, prepared before anyone asks


def test_old_content_results_and_other_standards_are_removed_when_a_version_is_prepared(store):
    root = store / derived.SUBDIR
    mine = root / f"content-{derived.standards_hash()}"
    other = root / "content-0123456789abcdef"
    for folder in (mine, other):
        folder.mkdir(parents=True)
    old, fresh = mine / "old.pkl", mine / "fresh.pkl"
    old.write_bytes(b"x")
    fresh.write_bytes(b"y")
    three_days_ago = old.stat().st_mtime - 3 * 86_400
    os.utime(old, (three_days_ago, three_days_ago))
    folder = derived.version_dir(store, current_version(store), derived.standards_hash())
    assert derived.prepare(folder) is True
    assert not old.exists() and fresh.exists() and not other.exists()


def _scanned(value: object) -> bool:
    """Whether the cyclic garbage collector still walks ``value`` (not frozen)."""
    return any(o is value for o in gc.get_objects())


def test_in_the_app_results_held_in_memory_are_left_out_of_collector_scans(store, monkeypatch):
    # A full collection walking a version's frames took 150-300 ms at 10,000 projects, on
    # whichever request triggered it (docs/performance.md): the app freezes what it keeps.
    version = current_version(store)
    kept = derived.derived(version, ("plain",), lambda: pd.DataFrame({"a": [1, 2]}))
    assert _scanned(kept)  # scripts and tests: Python's defaults
    monkeypatch.setitem(derived._background, "enabled", True)
    frozen = derived.derived(version, ("frozen",), lambda: pd.DataFrame({"a": [3, 4]}))
    assert not _scanned(frozen) and gc.get_freeze_count() > 0
    assert frozen["a"].tolist() == [3, 4]
    # Once per new version, after preparing it, everything is unfrozen and collected once.
    calls: list[str] = []
    monkeypatch.setattr(gc, "collect", lambda *a: calls.append("collect") or 0)
    monkeypatch.setattr(derived, "prepare", lambda folder: calls.append("prepare") or True)
    assert derived.prepare_newest(quiet_seconds=0.0) is True
    assert derived.prepare_newest(quiet_seconds=0.0) is False  # seen: no-op
    assert calls == ["prepare", "collect"]


def test_until_a_new_version_is_prepared_requests_get_the_previous_versions_result(
    store, monkeypatch
):
    # Nobody is building the key: the version is simply not prepared yet (docs/performance.md,
    # "No cold users"). The page is served at once, from the previous version, and says so.
    old = current_version(store)
    derived.derived(old, ("answer",), lambda: "from the old version")
    new = old + 1
    (store / f"pmo-{new:06d}.duckdb").write_bytes(b"")
    monkeypatch.setitem(derived._background, "enabled", True)
    with derived.tracking_stale() as stale:
        value = derived.derived(new, ("answer",), lambda: "must not be built on the request")
    assert (value, stale) == ("from the old version", [(old, new)])
    folder = derived.version_dir(store, new, derived.standards_hash())
    folder.mkdir(parents=True, exist_ok=True)
    (folder / derived.PREPARED).touch()  # prepared: what it did not build is built on request
    derived.clear_memory()
    assert derived.derived(new, ("answer",), lambda: "new") == "new"


def test_a_version_is_prepared_only_once_it_has_been_current_for_the_quiet_time(store, monkeypatch):
    calls: list[Path] = []
    monkeypatch.setattr(derived, "prepare", lambda folder: calls.append(folder) or True)
    monkeypatch.setattr(gc, "collect", lambda *a: 0)
    os.utime(store / "CURRENT")  # just published
    assert derived.prepare_newest(quiet_seconds=60.0) is False
    assert calls == []
    assert derived.prepare_newest(quiet_seconds=0.0) is True
    version = current_version(store)
    assert calls == [derived.version_dir(store, version, derived.standards_hash())]
