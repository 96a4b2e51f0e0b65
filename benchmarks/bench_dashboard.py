"""Dashboard latency at scale (measurement B): 10,000 projects, 1,000,000 status reports.

Measured as users meet the app, not on warm caches: the portfolio is written as export CSVs
(``benchmarks/exports.py``), loaded through the CLI, the app started as a user starts it
(``python app.py``), and the page router called exactly as the browser calls it (``POST
/_dash-update-component`` with the path and query string). Reported, with the targets of
issue 15 (docs/performance.md):

- cold first render of every page on a freshly started app, and of 20 more project pages;
- every page right after a publish (a small status file through the CLI): what users see
  while the new version is prepared, and how long the preparation takes;
- Portfolio as of each of the last six month-ends (first time each);
- Portfolio with 200 random filter sets (division / portfolio / stage / health): p50/p95/p99;
- the size of every response (the largest included).

Run: ``python benchmarks/bench_dashboard.py [--projects 10000] [--warm 200]``.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.exports import write_exports, write_status_update  # noqa: E402

PAGES = ["/", "/project/BP-00042", "/capacity", "/intake", "/data", "/review", "/glossary"]
TARGETS_S = {"/": 0.5, "/review": 0.8, "/project/BP-00042": 0.3, "/data": 0.3}
"""Cold first render targets (issue 15); as-of median 0.5 s, warm p95 0.12 s."""
SIZE_TARGETS = {"/": 600_000, "/review": 1_000_000}


def router_body(pathname: str, search: str) -> dict:
    """The JSON Dash sends when the URL changes (Pages' content callback)."""
    return {
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [
            {"id": "_pages_content", "property": "children"},
            {"id": "_pages_store", "property": "data"},
        ],
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": pathname},
            {"id": "_pages_location", "property": "search", "value": search},
        ],
        "changedPropIds": ["_pages_location.search"],
        "state": [],
    }


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


class App:
    """``python app.py`` on a free port, stopped on exit."""

    def __init__(self, data_dir: Path) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "app.py", "--data-dir", str(data_dir), "--port", str(self.port)],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url + "/healthz", timeout=2).read()
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("the app did not start")

    def route(self, path: str, search: str = "") -> tuple[float, int]:
        """(seconds, bytes) of one page-router call; raises on an error response."""
        request = urllib.request.Request(
            self.url + "/_dash-update-component",
            data=json.dumps(router_body(path, search)).encode(),
            headers={"Content-Type": "application/json", "Origin": self.url},
        )
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=120) as response:
            blob = response.read()
        elapsed = time.perf_counter() - started
        if b"_pages_content" not in blob:
            raise RuntimeError(f"{path}{search}: {blob[:200]!r}")
        return elapsed, len(blob)

    def stop(self) -> None:
        """Terminate the server."""
        self.proc.terminate()
        self.proc.wait(15)


def ingest(paths: list[Path], data_dir: Path) -> float:
    """Load through the CLI; seconds for the whole process."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "loaders", "ingest", *map(str, paths), "--data-dir", str(data_dir)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def wait_prepared(data_dir: Path, version: int, timeout: float = 120) -> float:
    """Seconds until the app has prepared ``version``'s common views (the marker file)."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if any((data_dir / "derived").glob(f"v{version:06d}-*/.prepared")):
            return time.perf_counter() - started
        time.sleep(0.05)
    return float("nan")


def main() -> None:
    """Generate, load, serve, measure; print the table and a JSON line."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--warm", type=int, default=200)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="pmo-bench-"))
    src, data_dir = root / "exports", root / "data"
    try:
        meta = write_exports(src, projects=args.projects)
        load_s = ingest([src], data_dir)
        print(
            f"{meta['projects']:,} projects, {meta['status_reports']:,} status reports, "
            f"milestones and RAID loaded through the CLI in {load_s:.1f} s"
        )
        app = App(data_dir)
        try:
            run(app, meta, data_dir, root, args.warm)
        finally:
            app.stop()
    finally:
        shutil.rmtree(root, ignore_errors=True)


def run(app: App, meta: dict, data_dir: Path, root: Path, warm_n: int) -> None:
    """The measurements, printed as they come."""
    cold, sizes = {}, {}
    for path in PAGES:
        cold[path], sizes[path] = app.route(path)
    print("cold first render (fresh app): " + _row(cold, sizes))
    # One project page says little: each is computed on first open (its own inputs' hash).
    projects = [app.route(f"/project/{pid}")[0] for pid in meta["project_ids"][100:120]]
    print(
        f"Project pages, first open of 20 others: median "
        f"{statistics.median(projects) * 1000:.0f} ms, max {max(projects) * 1000:.0f} ms "
        "(target 300)"
    )
    after, prepared_s = _after_publish(app, meta, data_dir, root)
    as_of = _as_of_month_ends(app)
    warm, warm_sizes = _warm_filters(app, meta, warm_n)
    largest = max(max(sizes.values()), max(warm_sizes))
    print(
        f"Portfolio filters, warm, {warm_n} random sets: p50 {percentile(warm, 50) * 1000:.0f}, "
        f"p95 {percentile(warm, 95) * 1000:.0f}, p99 {percentile(warm, 99) * 1000:.0f} ms "
        f"(target p95 120); largest response {largest / 1e6:.2f} MB"
    )
    short = _short_of_targets(cold, sizes, as_of, warm)
    print("targets: " + ("all met" if not short else "NOT met: " + "; ".join(short)))
    print(
        json.dumps(
            {
                "cold_ms": {k: round(v * 1000) for k, v in cold.items()},
                "after_publish_ms": {k: round(v * 1000) for k, v in after.items()},
                "prepared_s": round(prepared_s, 2),
                "as_of_median_ms": round(statistics.median(as_of) * 1000),
                "project_pages_median_ms": round(statistics.median(projects) * 1000),
                "warm_p95_ms": round(percentile(warm, 95) * 1000),
                "sizes_kb": {k: round(v / 1000) for k, v in sizes.items()},
            }
        )
    )


def _after_publish(
    app: App, meta: dict, data_dir: Path, root: Path
) -> tuple[dict[str, float], float]:
    """Publish a small status update; page times right after it and once it is prepared."""
    update = write_status_update(root / "update.csv", meta["project_ids"][:5], date.today(), 55)
    publish_s = ingest([update], data_dir)
    version = int((data_dir / "CURRENT").read_text().strip()[4:10])
    after = {path: app.route(path)[0] for path in PAGES}
    prepared_s = wait_prepared(data_dir, version)
    print(
        f"right after a publish of 5 projects (CLI {publish_s:.1f} s): "
        + _row(after, None)
        + f"; new version prepared in the background in {prepared_s:.1f} s"
    )
    settled = {path: app.route(path)[0] for path in PAGES}
    print("first render once prepared: " + _row(settled, None))
    return after, prepared_s


def _as_of_month_ends(app: App) -> list[float]:
    """The Portfolio as of each of the last six month-ends (first time each)."""
    month_ends, day = [], date.today().replace(day=1)
    for _ in range(6):
        day -= timedelta(days=1)
        month_ends.append(day)
        day = day.replace(day=1)
    as_of = [app.route("/", f"?as_of={d.isoformat()}")[0] for d in month_ends]
    print(
        f"Portfolio as of a past month-end (first time each): median "
        f"{statistics.median(as_of) * 1000:.0f} ms, max {max(as_of) * 1000:.0f} ms (target 500)"
    )
    return as_of


def _warm_filters(app: App, meta: dict, warm_n: int) -> tuple[list[float], list[int]]:
    """``warm_n`` Portfolio calls with random filter sets (seeded): times and sizes."""
    rng = random.Random(11)
    keys = {
        "division": meta["divisions"],
        "portfolio": meta["portfolios"],
        "stage": meta["stages"],
        "health": ["red", "amber", "green"],
    }
    warm, warm_sizes = [], []
    for _ in range(warm_n):
        pairs = [
            f"{key}={quote(value)}"
            for key, values in keys.items()
            if rng.random() < 0.45
            for value in rng.sample(values, rng.randint(1, 2))
        ]
        elapsed, size = app.route("/", "?" + "&".join(pairs) if pairs else "")
        warm.append(elapsed)
        warm_sizes.append(size)
    return warm, warm_sizes


def _short_of_targets(
    cold: dict[str, float], sizes: dict[str, int], as_of: list[float], warm: list[float]
) -> list[str]:
    """Every target missed, said in one phrase each."""
    short = [
        f"cold {path} {cold[path] * 1000:.0f} ms > {target * 1000:.0f}"
        for path, target in TARGETS_S.items()
        if cold[path] > target
    ]
    short += [
        f"{path} {sizes[path] / 1e6:.2f} MB > {limit / 1e6:.1f} MB"
        for path, limit in SIZE_TARGETS.items()
        if sizes[path] > limit
    ]
    if statistics.median(as_of) > 0.5:
        short.append(f"as-of median {statistics.median(as_of) * 1000:.0f} ms > 500")
    if percentile(warm, 95) > 0.120:
        short.append(f"warm p95 {percentile(warm, 95) * 1000:.0f} ms > 120")
    return short


def _row(times: dict[str, float], sizes: dict[str, int] | None) -> str:
    return ", ".join(
        f"{path} {seconds * 1000:.0f} ms" + (f" ({sizes[path] / 1e6:.2f} MB)" if sizes else "")
        for path, seconds in times.items()
    )


if __name__ == "__main__":
    main()
