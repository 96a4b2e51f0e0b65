"""A large portfolio written as the export files a PMO would have, for the dashboard benchmarks.

Unlike ``synthetic.py`` (bulk inserts, for timing the dashboard alone), these files go through the
CLI exactly as a user's would (``python -m loaders ingest``): everyday header names, not the
canonical ones; a register CSV, weekly status reports (~100 per project), milestones and RAID.
Deterministic for a seed; standard library only.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

DIVISIONS = [
    "Finance", "Operations", "Technology", "Customer Services", "People & Culture",
    "Sales & Marketing", "Legal", "Procurement",
]  # fmt: skip
PORTFOLIOS = ["Transformation", "Run the Business", "Regulatory", "Growth", "Digital"]
STAGES = ["Initiation", "Planning", "Execution", "Closing"]
RAG = ["Green", "Amber", "Red"]

REGISTER_COLUMNS = [
    "Project ID", "Project Name", "Division", "Portfolio", "Stage", "Project Manager", "Sponsor",
    "Budget", "Start Date", "Baseline Finish", "Strategic Alignment",
]  # fmt: skip
STATUS_COLUMNS = [
    "Project ID", "Report Date", "Overall RAG", "Schedule RAG", "Cost RAG", "% Complete",
    "Actual Cost", "Forecast Finish", "Summary",
]  # fmt: skip
MILESTONE_COLUMNS = ["Project ID", "Milestone", "Baseline Date", "Forecast Date", "Actual Date"]
RAID_COLUMNS = [
    "RAID ID", "Project ID", "Type", "Title", "Probability", "Impact", "Severity", "Status",
    "Owner", "Raised Date",
]  # fmt: skip

Project = tuple[str, date, date, int]  # id, start, baseline finish, budget


def write_exports(
    out: Path,
    *,
    projects: int = 10_000,
    reports_per_project: int = 100,
    seed: int = 7,
    today: date | None = None,
) -> dict:
    """Write ``project_register.csv``, ``status_reports.csv``, ``milestones.csv``, ``raid_log.csv``.

    Returns:
        Counts and the filter values used (``divisions``, ``portfolios``, ``stages``,
        ``project_ids``).
    """
    rnd = random.Random(seed)
    today = today or date.today()
    out.mkdir(parents=True, exist_ok=True)
    managers = [f"Manager {i:03d}" for i in range(400)]
    rows = _write_register(out, rnd, projects, managers, today)
    reports = _write_status_reports(out, rnd, rows, reports_per_project, today)
    _write_milestones(out, rnd, rows, today)
    _write_raid_log(out, rnd, rows, managers)
    return {
        "projects": projects,
        "status_reports": reports,
        "divisions": DIVISIONS,
        "portfolios": PORTFOLIOS,
        "stages": STAGES,
        "project_ids": [r[0] for r in rows],
    }


@contextmanager
def _table(path: Path, header: list[str]) -> Iterator[Any]:
    """A CSV writer on ``path`` (UTF-8) that has written ``header``."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        yield writer


def _write_register(
    out: Path, rnd: random.Random, projects: int, managers: list[str], today: date
) -> list[Project]:
    rows = []
    with _table(out / "project_register.csv", REGISTER_COLUMNS) as writer:
        for i in range(projects):
            pid = f"BP-{i:05d}"
            start = today - timedelta(days=rnd.randint(700, 1500))
            finish = start + timedelta(days=rnd.randint(800, 2000))
            budget = rnd.randint(20, 5000) * 1000
            rows.append((pid, start, finish, budget))
            writer.writerow(
                [
                    pid,
                    f"Programme item {i}",
                    rnd.choice(DIVISIONS),
                    rnd.choice(PORTFOLIOS),
                    rnd.choice(STAGES),
                    rnd.choice(managers),
                    f"Sponsor {rnd.randint(1, 80)}",
                    budget,
                    start.isoformat(),
                    finish.isoformat(),
                    rnd.randint(1, 5),
                ]
            )
    return rows


def _write_status_reports(
    out: Path, rnd: random.Random, rows: list[Project], reports_per_project: int, today: date
) -> int:
    reports = 0
    with _table(out / "status_reports.csv", STATUS_COLUMNS) as writer:
        for pid, start, finish, budget in rows:
            span = max((finish - start).days, 1)
            for k in range(reports_per_project):
                day = today - timedelta(days=7 * (reports_per_project - 1 - k) + rnd.randint(0, 2))
                if day < start:
                    continue
                done = min((day - start).days / span, 1.0)
                writer.writerow(
                    [
                        pid,
                        day.isoformat(),
                        rnd.choice(RAG),
                        rnd.choice(RAG),
                        rnd.choice(RAG),
                        min(round(100 * done * rnd.uniform(0.7, 1.05)), 100),
                        int(budget * done * rnd.uniform(0.8, 1.3)),
                        (finish + timedelta(days=rnd.randint(-10, 90))).isoformat(),
                        "Progressing; see RAID",
                    ]
                )
                reports += 1
    return reports


def _write_milestones(out: Path, rnd: random.Random, rows: list[Project], today: date) -> None:
    with _table(out / "milestones.csv", MILESTONE_COLUMNS) as writer:
        for pid, start, finish, _ in rows:
            for m in range(4):
                baseline = start + (finish - start) * (m + 1) / 4
                forecast = baseline + timedelta(days=rnd.randint(-5, 60))
                actual = forecast.isoformat() if forecast < today else ""
                writer.writerow(
                    [pid, f"Gate {m + 1}", baseline.isoformat(), forecast.isoformat(), actual]
                )


def _write_raid_log(
    out: Path, rnd: random.Random, rows: list[Project], managers: list[str]
) -> None:
    with _table(out / "raid_log.csv", RAID_COLUMNS) as writer:
        n = 0
        for pid, start, _, _ in rows:
            for _ in range(rnd.randint(0, 4)):
                n += 1
                writer.writerow(
                    [
                        f"R-{n:06d}",
                        pid,
                        rnd.choice(["Risk", "Issue", "Assumption", "Dependency"]),
                        "Something to watch",
                        f"{rnd.randint(1, 9) * 10}%",
                        rnd.randint(1, 5),
                        rnd.choice(["Low", "Medium", "High", "Critical"]),
                        rnd.choice(["Open", "Open", "Closed"]),
                        rnd.choice(managers),
                        (start + timedelta(days=rnd.randint(0, 60))).isoformat(),
                    ]
                )


def write_status_update(path: Path, project_ids: list[str], day: date, percent: int) -> Path:
    """A small status file for a few projects: what a weekly publish looks like."""
    lines = ["Project ID,Report Date,Overall RAG,% Complete"]
    lines += [f"{pid},{day.isoformat()},Amber,{percent}%" for pid in project_ids]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
