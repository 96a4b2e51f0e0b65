"""Forms under load: 30 people submit a status report within the same moment (issue 13).

gunicorn (as benchmarks/load_test.py starts it, sign-in off on loopback) serves a copy of the
demo store. 30 submitters each post the status form's callback for a different project at
once, then poll the Project page until their report's summary shows. Reported: p50/p95/max of
"submit → saved" and "submit → visible on the Project page", lost and duplicated reports.
The target (docs/forms.md, "Concurrency"): nothing lost or applied twice, visible within 5 s.

Run: ``python benchmarks/bench_forms.py [--submitters 30] [--workers 2]``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

from benchmarks.bench_dashboard import router_body  # noqa: E402
from benchmarks.load_test import (  # noqa: E402
    build_demo_store,
    demo_env,
    free_port,
    start_gunicorn,
    stop_server,
    wait_until_up,
)
from dashboard.ids import StatusFormIds as ids  # noqa: E402
from loaders import publish  # noqa: E402
from loaders.form_writes import STATUS_FIELDS  # noqa: E402

FIELDS = [*STATUS_FIELDS, "forecast_reason"]  # the status form's inputs, in callback order
VISIBLE_WITHIN = 5.0


def submit_body(project_id: str, token: str) -> dict:
    """The JSON Dash posts when the status form's button is pressed."""
    outputs = [
        {"id": ids.RESULT, "property": "children"},
        {"id": ids.KEY, "property": "data"},
        *({"id": ids.field(n), "property": "invalid"} for n in FIELDS),
        *({"id": ids.feedback(n), "property": "children"} for n in FIELDS),
    ]
    values = dict.fromkeys(FIELDS, "") | {
        "overall_rag": "amber",
        "summary": f"bench {token}",
        "forecast_reason": "benchmark",
    }
    return {
        "output": ".." + "...".join(f"{o['id']}.{o['property']}" for o in outputs) + "..",
        "outputs": outputs,
        "inputs": [{"id": ids.SUBMIT, "property": "n_clicks", "value": 1}],
        "changedPropIds": [f"{ids.SUBMIT}.n_clicks"],
        "state": [
            {"id": ids.PROJECT, "property": "data", "value": project_id},
            {"id": ids.KEY, "property": "data", "value": uuid.uuid4().hex},
            *({"id": ids.field(n), "property": "value", "value": values[n]} for n in FIELDS),
        ],
    }


def post(port: int, body: dict) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request(
            "POST", "/_dash-update-component", json.dumps(body),
            {"Content-Type": "application/json"},
        )  # fmt: skip
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def submitter(port: int, project_id: str, start: threading.Event, out: dict) -> None:
    token = uuid.uuid4().hex[:12]
    start.wait()
    began = time.perf_counter()
    status, text = post(port, submit_body(project_id, token))
    saved = time.perf_counter() - began
    if status != 200 or "Saved" not in text:
        out["errors"].append(f"{project_id}: HTTP {status} {text[:200]}")
        return
    page = router_body(f"/project/{project_id}", "")
    while time.perf_counter() - began < 60:
        status, text = post(port, page)
        if status == 200 and token in text:
            out["saved"].append(saved)
            out["visible"].append(time.perf_counter() - began)
            out["tokens"].append(token)
            return
        time.sleep(0.5)  # a person reloading, not a tight loop (each load costs a page build)
    out["errors"].append(f"{project_id}: not visible within 60 s")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))] if ordered else 0.0


def run(submitters: int = 30, workers: int = 2, data_dir: Path | None = None) -> dict:
    """Start gunicorn on a demo store, run the submitters at once, count what was published."""
    env = demo_env()
    if data_dir is None:
        data_dir = build_demo_store("pmo-forms-", env)
    first_version = publish.current_version(data_dir).number
    projects = _first_projects(data_dir, submitters)
    port = free_port()
    server = start_gunicorn(port, data_dir, env, workers=workers, timeout=120, threads=8)
    out: dict = {"saved": [], "visible": [], "tokens": [], "errors": []}
    try:
        wait_until_up(port)
        _warm_workers(port, projects[:8])
        start = threading.Event()
        threads = [threading.Thread(target=submitter, args=(port, p, start, out)) for p in projects]
        for thread in threads:
            thread.start()
        start.set()
        for thread in threads:
            thread.join(180)
    finally:
        stop_server(server)
    out.update(_published(data_dir, first_version))
    return out


def _first_projects(data_dir: Path, n: int) -> list[str]:
    """The first ``n`` current project ids of the published store, in id order."""
    con = duckdb.connect(str(publish.current_version(data_dir).path), read_only=True)
    try:
        found = con.execute(
            "SELECT project_id FROM projects WHERE valid_to IS NULL ORDER BY project_id LIMIT ?",
            [n],
        ).fetchall()
    finally:
        con.close()
    return [p for (p,) in found]


def _warm_workers(port: int, projects: list[str]) -> None:
    """Open a few project pages at once, as people look at their projects before reporting.

    (It was once also needed because a fresh worker refused its first callbacks while Dash set
    itself up; each worker now finishes that before serving: ``app.set_up_process``.)
    """
    warm = [
        threading.Thread(target=post, args=(port, router_body(f"/project/{p}", "")))
        for p in projects
    ]
    for thread in warm:
        thread.start()
    for thread in warm:
        thread.join(120)


def _published(data_dir: Path, first_version: int) -> dict[str, int]:
    """What the submissions left in the store: bench summaries, duplicates, form loads."""
    con = duckdb.connect(str(publish.current_version(data_dir).path), read_only=True)
    found = con.execute(
        "SELECT summary FROM status_reports WHERE valid_to IS NULL AND summary LIKE 'bench %'"
    ).fetchall()
    runs = con.execute("SELECT count(*) FROM load_runs WHERE file_format = 'form'").fetchone()[0]
    con.close()
    summaries = [s for (s,) in found]
    return {
        "published": len(summaries),
        "duplicates": len(summaries) - len(set(summaries)),
        "form_loads": runs,
        "versions": publish.current_version(data_dir).number - first_version,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submitters", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    out = run(args.submitters, args.workers)
    for name in ("saved", "visible"):
        values = out[name]
        print(
            f"submit → {name}: n={len(values)} p50={pct(values, 50):.2f}s "
            f"p95={pct(values, 95):.2f}s max={max(values, default=0):.2f}s"
        )
    print(
        f"published {out['published']} of {args.submitters}, duplicates {out['duplicates']}, "
        f"form loads {out['form_loads']} in {out['versions']} published versions, "
        f"errors {len(out['errors'])}"
    )
    for error in out["errors"][:5]:
        print("  ", error)
    within = pct(out["visible"], 95) <= VISIBLE_WITHIN
    print(f"p95 visible within {VISIBLE_WITHIN:.0f} s: {'yes' if within else 'NO'}")


if __name__ == "__main__":
    main()
