"""The report command (``python -m dashboard.report``) on the demo store - no browser."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from dashboard import report
from tests.conftest import DEMO_TODAY, ROOT, loader_env


def run_report(*args: str, data_dir) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "dashboard.report", *args, "--data-dir", str(data_dir)],
        cwd=ROOT,
        env=loader_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_health_json_is_one_document_with_the_canonical_shape(demo_store):
    done = run_report("health", "--as-of", DEMO_TODAY.isoformat(), "--json", data_dir=demo_store)
    assert done.returncode == 0, done.stderr
    records = json.loads(done.stdout)
    assert len(records) == 126  # 150 projects less 18 closed and 6 cancelled
    first = records[0]
    assert {
        "project_id",
        "overall",
        "reported_rag",
        "watermelon",
        "stale",
        "days_since_report",
        "dimensions",
    } <= set(first)
    assert set(first["dimensions"]) == {"schedule", "cost", "milestones", "raid", "staleness"}
    assert set(first["dimensions"]["cost"]) == {"rag", "measure", "value", "threshold", "reason"}
    # value and threshold mean one thing per dimension, whatever decided the colour.
    measures = {
        dim: {r["dimensions"][dim]["measure"] for r in records} for dim in first["dimensions"]
    }
    assert measures == {
        "schedule": {"SPI"},
        "cost": {"CPI"},
        "milestones": {"worst milestone slip (days)"},
        "raid": {"open critical"},
        "staleness": {"days since last report"},
    }
    assert {r["dimensions"]["cost"]["threshold"] for r in records} == {0.8}
    assert {r["overall"] for r in records} <= {"green", "amber", "red", "unknown"}
    # The 3 projects that stopped reporting 45+ days ago are stale (data/sample/README.md).
    assert sum(r["stale"] and r["days_since_report"] > 42 for r in records) >= 3


def test_every_report_runs_on_the_demo(app_settings):
    priorities = report.priority_records(DEMO_TODAY)
    assert len(priorities) == 40
    unassessable = [p for p in priorities if not p["assessable"]]
    assert len(unassessable) == 9 and all(p["missing"] and p["score"] is None for p in unassessable)
    assert [p["rank"] for p in priorities if p["assessable"]][:3] == [1, 2, 3]
    capacity = report.capacity_records(DEMO_TODAY)
    months = sorted({c["month"] for c in capacity})
    assert months[0] == "2026-11" and len(months) == report.CAPACITY_MONTHS
    assert any(c["role"] == "Data Engineer" and c["utilisation"] > 1 for c in capacity)
    compliance = report.compliance_records(DEMO_TODAY)
    assert len(compliance) == 126 and all(0 <= c["score"] <= 100 for c in compliance)
    review = report.review_records(DEMO_TODAY)
    kinds = [r["kind"] for r in review]
    assert kinds.count("new_project") == 6 and kinds.count("closed_project") == 2
    assert review[0]["exception"] is True  # exceptions first


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("health", "--as-of", "26/11/2026"), "--as-of must be a date"),
        (("review", "--as-of", "2026-11-26", "--since", "2026-12-31"), "must be before"),
    ],
)
def test_errors_print_one_line_and_exit_non_zero(demo_store, args, message):
    done = run_report(*args, data_dir=demo_store)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and message in done.stderr
    assert "Traceback" not in done.stderr


def test_no_data_yet_is_a_one_line_error(tmp_path):
    done = run_report("health", data_dir=tmp_path)
    assert done.returncode == 1 and "no published data" in done.stderr
