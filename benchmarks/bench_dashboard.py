"""Dashboard server timings on a large portfolio (issue 5): 10,000 projects, 1,000,000 reports.

Through the app's own HTTP endpoints with Flask's test client (no browser, no network):
- first page response: ``GET /`` + ``/_dash-layout`` + the page-content callback (cold cache);
- the portfolio filter callback (the Pages router re-rendering ``/`` for a new query string),
  200 requests with varied filters: p50 / p95 / p99;
- the JSON payload of every page (target: none over 2 MB).

Run: ``python benchmarks/bench_dashboard.py`` (builds the synthetic store in a temp folder).
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.synthetic import DIVISIONS, build

TODAY = date(2026, 11, 26)
PAGES = ["/", "/project/P00042", "/capacity", "/intake", "/data", "/review", "/glossary", "/upload"]


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


def timed_post(client, body: dict) -> tuple[float, int, int]:
    started = time.perf_counter()
    response = client.post("/_dash-update-component", json=body)
    return time.perf_counter() - started, response.status_code, len(response.data)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def main() -> None:
    """Build the store, then measure and print the table."""
    from dashboard import config

    folder = Path(tempfile.mkdtemp(prefix="pmo-bench-"))
    seconds = build(folder)
    print(f"synthetic store: 10,000 projects, 1,000,000 status reports, built in {seconds:.1f} s")
    config.configure(data_dir=folder, today=TODAY)
    import app

    client = app.server.test_client()
    started = time.perf_counter()
    client.get("/")
    client.get("/_dash-layout")
    first, status, size = timed_post(client, router_body("/", ""))
    first_total = time.perf_counter() - started
    assert status == 200, status
    print(
        f"first page response (cold): {first_total * 1000:.0f} ms "
        f"(content callback {first * 1000:.0f} ms, {size / 1e6:.2f} MB)"
    )

    rng = random.Random(5)
    times, sizes = [], []
    for _ in range(200):
        query = [("division", d) for d in rng.sample(DIVISIONS, rng.randint(1, 2))]
        if rng.random() < 0.4:
            query.append(("health", rng.choice(["red", "amber", "green"])))
        if rng.random() < 0.3:
            query.append(("stage", "Execution"))
        elapsed, status, size = timed_post(client, router_body("/", "?" + urlencode(query)))
        assert status == 200, status
        times.append(elapsed)
        sizes.append(size)
    print(
        f"portfolio filter callback, 200 requests: p50 {percentile(times, 50) * 1000:.0f} ms, "
        f"p95 {percentile(times, 95) * 1000:.0f} ms, p99 {percentile(times, 99) * 1000:.0f} ms "
        f"(targets p50 <= 100 ms, p95 <= 300 ms); payload median "
        f"{statistics.median(sizes) / 1e3:.0f} kB"
    )
    print("page payloads (target: each under 2 MB):")
    for page in PAGES:
        elapsed, status, size = timed_post(client, router_body(page, ""))
        print(f"  {page:<18} {size / 1e6:6.2f} MB  {elapsed * 1000:6.0f} ms  HTTP {status}")
    print(
        json.dumps(
            {
                "p50_ms": percentile(times, 50) * 1000,
                "p95_ms": percentile(times, 95) * 1000,
                "first_page_ms": first_total * 1000,
            }
        )
    )


if __name__ == "__main__":
    main()
