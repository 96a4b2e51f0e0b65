"""Load test (measurement A): gunicorn with N workers, users moving between pages, loads publishing.

Default profile (issues 6 and 15): 2 workers on this 2-core machine, 25 users with 1-3 s think
time for 2 minutes while a new status file is published through the CLI every 20 s. Each user
opens the app (page, layout, dependencies, the page-content callback) and then moves between
every page (Portfolio twice as often; project pages; the review; Data & compliance; capacity;
intake), 60 % of the calls with a division filter and some Portfolio calls as of a past date,
as the browser calls the page router. Reports p50/p95/p99 over all page calls and per page,
errors and lock errors, against the targets p50 <= 150 ms and p95 <= 500 ms with 0 errors.
Everything goes to 127.0.0.1 only; the loops are bounded by the duration.

Run: ``python benchmarks/load_test.py [--users 25] [--duration 120] [--publish-every 20]``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_dashboard import router_body as dashboard_router_body  # noqa: E402
from loaders.demo import load_generator  # noqa: E402

DIVISIONS = load_generator().DIVISIONS  # the demo store's divisions, to filter by
TODAY = date(2026, 11, 26)


@dataclass
class Results:
    """Latencies and failures collected by the users (thread-safe appends)."""

    first_page: list[float] = field(default_factory=list)
    filter_callback: list[float] = field(default_factory=list)
    """Every page call after the first page load (mixed navigation, filters, as-of)."""
    by_page: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    lock_errors: int = 0
    publishes: int = 0
    publish_failures: list[str] = field(default_factory=list)


def router_body(pathname: str, search: str) -> bytes:
    """The JSON Dash posts when the URL changes (Pages' content callback), encoded."""
    return json.dumps(dashboard_router_body(pathname, search)).encode()


def request(port: int, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
    """One HTTP request to 127.0.0.1:port; returns (status, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def simulate_user(
    port: int,
    seed: int,
    deadline: float,
    results: Results,
    lock: threading.Lock,
    pages: tuple[str, ...] = ("/",),
):
    """Open the app, then change filters with 1-3 s think time until the deadline."""
    rng = random.Random(seed)

    def call(method: str, path: str, body: bytes | None = None) -> bool:
        try:
            status, data = request(port, method, path, body)
        except OSError as exc:
            with lock:
                results.errors.append(f"{path}: {exc}")
            return False
        text = data[:2000].decode("utf-8", "replace").lower()
        if status != 200:
            with lock:
                results.errors.append(f"{path}: HTTP {status} {text[:120]}")
                results.lock_errors += "lock" in text
            return False
        return True

    started = time.perf_counter()
    ok = all(
        (
            call("GET", "/"),
            call("GET", "/_dash-layout"),
            call("GET", "/_dash-dependencies"),
            call("POST", "/_dash-update-component", router_body("/", "")),
        )
    )
    if ok:
        with lock:
            results.first_page.append(time.perf_counter() - started)
    while time.monotonic() < deadline:
        time.sleep(rng.uniform(1.0, 3.0))
        path = rng.choice(pages)
        if path == "/project/":
            path += f"PRJ-{rng.randint(1, 40):03d}"
        query = []
        if rng.random() < 0.6:
            query = [("division", d) for d in rng.sample(DIVISIONS, rng.randint(1, 2))]
        if path == "/" and rng.random() < 0.2:
            query.append(("health", rng.choice(["red", "amber", "green"])))
        if path == "/" and rng.random() < 0.15:
            query.append(("as_of", (TODAY - timedelta(days=rng.choice([14, 28, 56]))).isoformat()))
        started = time.perf_counter()
        search = "?" + urlencode(query) if query else ""
        if call("POST", "/_dash-update-component", router_body(path, search)):
            elapsed = time.perf_counter() - started
            key = "/project/<id>" if path.startswith("/project/") else path
            with lock:
                results.filter_callback.append(elapsed)
                results.by_page.setdefault(key, []).append(elapsed)


PAGES = ("/", "/", "/capacity", "/review", "/intake", "/data", "/project/")
"""Where the simulated users of measurement A go (Portfolio twice as often; ``/project/`` gets
an id). ``run`` defaults to the Portfolio alone (filters and as-of), the storage test's profile."""


def publisher(data_dir: Path, every: float, deadline: float, results: Results, env: dict):
    """Publish a new small status-report load every ``every`` seconds."""
    n = 0
    while time.monotonic() + every < deadline:
        time.sleep(every)
        n += 1
        path = data_dir.parent / f"loadtest_{n}.csv"
        day = TODAY - timedelta(days=n)
        path.write_text(
            "Project Code,Report Date,Overall RAG\n"
            + "".join(f"PRJ-{i:03d},{day},Green\n" for i in range(1, 31))
        )
        done = subprocess.run(
            [sys.executable, "-m", "loaders", "ingest", str(path), "--data-dir", str(data_dir)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if done.returncode == 0:
            results.publishes += 1
        else:
            results.publish_failures.append(done.stderr.strip()[-300:])


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(
    *,
    users: int,
    duration: float,
    publish_every: float,
    workers: int,
    data_dir: Path | None = None,
    pages: tuple[str, ...] = ("/",),
) -> Results:
    """Build the demo store (unless given), start gunicorn, run users and publisher; stop all."""
    env = demo_env()
    if data_dir is None:
        data_dir = build_demo_store("pmo-load-", env)
    port = free_port()
    gunicorn = start_gunicorn(port, data_dir, env, workers=workers, timeout=60)
    try:
        wait_until_up(port)
        results, lock = Results(), threading.Lock()
        deadline = time.monotonic() + duration
        threads = [
            threading.Thread(target=simulate_user, args=(port, i, deadline, results, lock, pages))
            for i in range(users)
        ]
        threads.append(
            threading.Thread(
                target=publisher, args=(data_dir, publish_every, deadline, results, env)
            )
        )
        for i, thread in enumerate(threads):
            thread.start()
            if i < users:
                time.sleep(min(0.2, duration / 100))  # users arrive over a few seconds
        for thread in threads:
            thread.join(duration + 180)
        return results
    finally:
        stderr = stop_server(gunicorn)
        if "Traceback" in stderr:
            sys.stderr.write(stderr[-3000:])


def demo_env() -> dict[str, str]:
    """The environment of the CLI and the server: none of the caller's PMO_* settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PMO_")}
    env["PYTHONPATH"] = str(ROOT)
    return env


def build_demo_store(prefix: str, env: dict[str, str]) -> Path:
    """Build the demo store for TODAY in a new temporary folder; return its data folder."""
    root = Path(tempfile.mkdtemp(prefix=prefix))
    data_dir = root / "data"
    subprocess.run(
        [sys.executable, "-m", "loaders", "demo", "--data-dir", str(data_dir),
         "--exports", str(root / "exports"), "--today", TODAY.isoformat()],
        cwd=ROOT, env=env, check=True, capture_output=True,
    )  # fmt: skip
    return data_dir


def start_gunicorn(
    port: int,
    data_dir: Path,
    env: dict[str, str],
    *,
    workers: int,
    timeout: int,
    threads: int | None = None,
) -> subprocess.Popen[str]:
    """Start ``app:server`` under gunicorn on 127.0.0.1:port, serving ``data_dir`` as of TODAY."""
    threading_args = ["--threads", str(threads)] if threads else []
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", str(workers), *threading_args,
         "--preload", "--bind", f"127.0.0.1:{port}", "--timeout", str(timeout), "app:server"],
        cwd=ROOT, env={**env, "PMO_DATA_DIR": str(data_dir), "PMO_TODAY": TODAY.isoformat()},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def stop_server(server: subprocess.Popen[str]) -> str:
    """Stop the server (SIGTERM, then kill after 30 s); return what it wrote on stderr."""
    server.send_signal(signal.SIGTERM)
    try:
        _, stderr = server.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        _, stderr = server.communicate()
    return stderr or ""


def percentiles(values: list[float]) -> str:
    """p50/p95/p99 in milliseconds."""
    if not values:
        return "no samples"
    ordered = sorted(values)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000

    return f"p50 {at(0.5):.0f} ms, p95 {at(0.95):.0f} ms, p99 {at(0.99):.0f} ms (n={len(values)})"


def wait_until_up(port: int, timeout: float = 60) -> None:
    """Wait until the server answers ``/healthz``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if request(port, "GET", "/healthz")[0] == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def main() -> None:
    """Run the default profile and print the report."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=25)
    parser.add_argument("--duration", type=float, default=120)
    parser.add_argument("--publish-every", type=float, default=20)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    results = run(
        users=args.users,
        duration=args.duration,
        publish_every=args.publish_every,
        workers=args.workers,
        pages=PAGES,
    )
    print(
        f"gunicorn {args.workers} workers, {args.users} users, {args.duration:.0f} s, "
        f"a load published every {args.publish_every:.0f} s ({results.publishes} published)"
    )
    print(f"first page load:          {percentiles(results.first_page)}")
    print(f"all page calls:           {percentiles(results.filter_callback)}")
    for page, values in sorted(results.by_page.items()):
        print(f"  {page:<22}  {percentiles(values)}")
    ordered = sorted(results.filter_callback) or [0.0]
    p50 = ordered[len(ordered) // 2]
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    met = not results.errors and p50 <= 0.150 and p95 <= 0.500
    print(
        f"target (0 errors, p50 <= 150 ms, p95 <= 500 ms over all page calls): "
        f"{'met' if met else 'NOT met'}"
    )
    print(
        f"errors: {len(results.errors)}, lock errors: {results.lock_errors}, "
        f"failed publishes: {len(results.publish_failures)}"
    )
    for error in results.errors[:5] + results.publish_failures[:3]:
        print(f"  {error}")


if __name__ == "__main__":
    main()
