"""Storage fault and concurrency tests (docs/architecture.md §3): real loader and reader processes.

These start subprocesses and take a few seconds each; they run in ``make test`` and
``make test-fast``.
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from loaders import publish
from tests.conftest import ROOT, loader_env, write_status_csv

pytestmark = pytest.mark.slow


def run_loader(data_dir: Path, *files: Path, extra: tuple[str, ...] = ()) -> subprocess.Popen:
    """Start ``python -m loaders ingest`` on ``files`` (JSON output)."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "loaders",
            "ingest",
            *map(str, files),
            "--data-dir",
            str(data_dir),
            "--json",
            *extra,
        ],
        cwd=ROOT,
        env=loader_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(proc: subprocess.Popen, timeout: float = 120) -> int:
    """Wait for a loader, closing its pipes; fail the test with its stderr if it failed."""
    _, err = proc.communicate(timeout=timeout)
    assert proc.returncode in (0, -signal.SIGKILL), err
    return proc.returncode


def published_state(data_dir: Path) -> tuple:
    """A checksum of what readers see: version, status rows, their hash, committed loads."""
    current = publish.current_version(data_dir)
    con = duckdb.connect(str(current.path), read_only=True)
    try:
        rows, digest = con.execute(
            "SELECT count(*), coalesce(sum(hash(project_id, report_date, overall_rag)), 0) "
            "FROM status_reports"
        ).fetchall()[0]
        loads = con.execute("SELECT count(*) FROM load_runs WHERE status='committed'").fetchall()[0]
    finally:
        con.close()
    return current.number, rows, int(digest), loads[0]


def test_readers_see_whole_versions_while_loads_publish(tmp_path, data_dir):
    first = write_status_csv(tmp_path / "s0.csv", 2000, date(2026, 1, 2))
    assert finish(run_loader(data_dir, first)) == 0
    readers = []
    for n in range(4):
        out = tmp_path / f"reader{n}.json"
        proc = subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "tests/storage/probe_reader.py"),
                str(data_dir),
                "12",
                str(out),
            ],
            cwd=ROOT,
            env=loader_env(),
        )
        readers.append((proc, out))
    time.sleep(1.5)
    for i in range(1, 7):
        path = write_status_csv(tmp_path / f"s{i}.csv", 2000, date(2026, 1, 2) + timedelta(14 * i))
        assert finish(run_loader(data_dir, path)) == 0
    for proc, _ in readers:
        assert proc.wait(60) == 0
    seen = set()
    for _, out in readers:
        result = json.loads(out.read_text())
        assert result["errors"] == []
        assert result["mixed"] == []
        assert result["reads"] > 20
        assert result["versions"] == sorted(result["versions"])  # never goes back
        seen.update(result["versions"])
    assert len(seen) >= 3, f"readers should have seen several versions, saw {seen}"
    assert published_state(data_dir)[1] == 7 * 2000


def test_sigkilled_loader_leaves_published_data_unchanged(tmp_path, data_dir):
    base = write_status_csv(tmp_path / "base.csv", 500, date(2026, 1, 2))
    assert finish(run_loader(data_dir, base)) == 0
    probe = write_status_csv(tmp_path / "probe.csv", 20000, date(2026, 1, 16))
    started = time.monotonic()
    assert finish(run_loader(data_dir, probe, extra=("--dry-run",))) == 0
    full = time.monotonic() - started + 0.5  # a real load also merges and publishes
    rng = random.Random(20261126)
    outcomes = {"unchanged": 0, "completed": 0}
    for i in range(22):
        before = published_state(data_dir)
        path = write_status_csv(tmp_path / f"k{i}.csv", 20000, date(2026, 2, 1) + timedelta(i))
        loader = run_loader(data_dir, path)
        time.sleep(rng.uniform(0.05, full))
        loader.send_signal(signal.SIGKILL)
        finish(loader)
        after = published_state(data_dir)
        if after[0] == before[0]:
            assert after == before
            outcomes["unchanged"] += 1
        else:  # killed after the pointer switched: the new version is complete
            assert after[1] == before[1] + 20000 and after[3] == before[3] + 1
            outcomes["completed"] += 1
    assert outcomes["unchanged"] >= 10, outcomes
    settled = published_state(data_dir)
    final = write_status_csv(tmp_path / "final.csv", 100, date(2027, 1, 1))
    assert finish(run_loader(data_dir, final)) == 0
    assert published_state(data_dir)[1] == settled[1] + 100
    leftovers = [p.name for p in data_dir.iterdir() if ".tmp" in p.name or p.suffix == ".wal"]
    assert leftovers == []
    assert not (data_dir / publish.MARKER).exists()
    current = publish.current_version(data_dir)
    con = duckdb.connect(str(current.path), read_only=True)
    (aborted,) = con.execute("SELECT count(*) FROM load_runs WHERE status = 'aborted'").fetchall()[
        0
    ]
    con.close()
    assert aborted >= 1  # killed attempts are logged by the next loader


def test_two_loaders_started_together_both_land(tmp_path, data_dir):
    a = write_status_csv(tmp_path / "a.csv", 3000, date(2026, 3, 6))
    b = write_status_csv(tmp_path / "b.csv", 3000, date(2026, 3, 20))
    first, second = run_loader(data_dir, a), run_loader(data_dir, b)
    _out_a, err_a = first.communicate(timeout=120)
    _out_b, err_b = second.communicate(timeout=120)
    assert first.returncode == 0, err_a
    assert second.returncode == 0, err_b
    assert "Could not set lock" not in err_a + err_b
    version, rows, _, loads = published_state(data_dir)
    assert (version, rows, loads) == (2, 6000, 2)


def test_loading_the_same_file_twice_changes_nothing_and_says_so(tmp_path, data_dir):
    path = write_status_csv(tmp_path / "same.csv", 50, date(2026, 4, 3))
    assert finish(run_loader(data_dir, path)) == 0
    before = published_state(data_dir)
    pointer_before = (data_dir / "CURRENT").read_bytes()
    second = run_loader(data_dir, path)
    out, _ = second.communicate(timeout=60)
    assert second.returncode == 0
    report = json.loads(out)
    assert report["files"][0]["status"] == "ok"
    assert "already loaded as load #1" in report["files"][0]["message"]
    assert published_state(data_dir) == before
    assert (data_dir / "CURRENT").read_bytes() == pointer_before


def test_disk_full_is_a_clear_error_and_leaves_the_published_data(tmp_path, data_dir):
    import resource

    base = write_status_csv(tmp_path / "base.csv", 100, date(2026, 1, 2))
    assert finish(run_loader(data_dir, base)) == 0
    before = published_state(data_dir)
    big = write_status_csv(tmp_path / "big.csv", 50000, date(2026, 1, 9))

    def file_size_limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG instead of being killed
        resource.setrlimit(resource.RLIMIT_FSIZE, (3_000_000, 3_000_000))

    done = subprocess.run(
        [sys.executable, "-m", "loaders", "ingest", str(big), "--data-dir", str(data_dir)],
        cwd=ROOT,
        env=loader_env(),
        capture_output=True,
        text=True,
        preexec_fn=file_size_limit,
        timeout=120,
    )
    assert done.returncode == 1
    assert done.stderr.startswith("error: could not write the new version")
    assert "File too large" in done.stderr and "Traceback" not in done.stderr
    assert published_state(data_dir) == before
    assert [p.name for p in data_dir.iterdir() if ".tmp" in p.name or ".wal" in p.name] == []
