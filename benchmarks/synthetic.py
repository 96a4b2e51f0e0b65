"""A large synthetic store for the dashboard benchmarks: 10,000 projects, 1,000,000 reports.

Written straight through ``loaders.publish`` with bulk inserts (the loaders' own speed is
measured in bench_loaders.py); the shape of the data follows the canonical schema.
"""

from __future__ import annotations

import argparse
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from loaders import publish

DIVISIONS = ["Finance", "Operations", "Technology", "Customer Services", "People", "Sales"]
STAGES = ["Initiation", "Planning", "Execution", "Execution", "Execution", "Closing", "Closed"]


def build(
    data_dir: Path,
    *,
    projects: int = 10_000,
    reports: int = 1_000_000,
    today: date = date(2026, 11, 26),
    seed: int = 7,
) -> float:
    """Publish one version with the synthetic portfolio; return the seconds it took."""
    started = time.perf_counter()
    rng = np.random.default_rng(seed)
    ids = np.array([f"P{i:05d}" for i in range(projects)])
    start = pd.Timestamp(today) - pd.to_timedelta(rng.integers(30, 900, projects), unit="D")
    duration = pd.to_timedelta(rng.integers(180, 900, projects), unit="D")
    budget = rng.integers(50, 5_000, projects) * 1_000.0
    register = _register(rng, ids, start, duration, budget)
    status = _status_reports(rng, ids, budget, reports, today)
    _publish(data_dir, register, status, today)
    return time.perf_counter() - started


def _register(
    rng: np.random.Generator,
    ids: np.ndarray,
    start: pd.DatetimeIndex,
    duration: pd.TimedeltaIndex,
    budget: np.ndarray,
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "project_id": ids,
            "name": [f"Project {i}" for i in range(len(ids))],
            "division": rng.choice(DIVISIONS, len(ids)),
            "portfolio": rng.choice(["Change", "Run"], len(ids)),
            "programme": rng.choice([f"Prog {i}" for i in range(40)], len(ids)),
            "sponsor": rng.choice([f"Sponsor {i}" for i in range(80)], len(ids)),
            "project_manager": rng.choice([f"PM {i}" for i in range(300)], len(ids)),
            "stage": rng.choice(STAGES, len(ids)),
            "start_date": start,
            "baseline_finish": start + duration,
            "forecast_finish": start + duration * 1.1,
            "actual_finish": pd.NaT,
            "budget": budget,
            "actual_cost": budget * 0.4,
            "forecast_cost": budget * 1.05,
            "percent_complete": 0.4,
            "strategic_alignment": rng.integers(1, 6, len(ids)),
            "reported_rag": rng.choice(["green", "amber", "red"], len(ids)),
        }
    )


def _status_reports(
    rng: np.random.Generator, ids: np.ndarray, budget: np.ndarray, reports: int, today: date
) -> pd.DataFrame:
    projects = len(ids)
    per_project = reports // projects
    return pd.DataFrame(
        {
            "project_id": np.repeat(ids, per_project),
            "report_date": np.tile(
                pd.date_range(end=today, periods=per_project, freq="7D"), projects
            ),
            "overall_rag": rng.choice(["green", "amber", "red"], per_project * projects),
            "percent_complete": np.tile(np.linspace(0.0, 0.6, per_project), projects),
            "actual_cost": np.repeat(budget, per_project)
            * np.tile(np.linspace(0, 0.6, per_project), projects),
            "summary": "On track; next steps agreed.",
        }
    )


def _publish(data_dir: Path, register: pd.DataFrame, status: pd.DataFrame, today: date) -> None:
    with publish.transaction(data_dir) as txn:
        for table, frame in (("projects", register), ("status_reports", status)):
            _insert(txn.con, table, frame)
        txn.con.execute(
            "INSERT INTO load_runs (load_id, file_name, as_of, started_at, finished_at, status, "
            "rows_read, rows_loaded, rows_rejected, rows_ignored, message) VALUES "
            "(1, 'synthetic', ?, now(), now(), 'committed', ?, ?, 0, 0, 'synthetic data')",
            [today, len(register) + len(status), len(register) + len(status)],
        )
        txn.changed = True


def _insert(con, table: str, frame: pd.DataFrame) -> None:
    frame = frame.assign(
        load_id=1,
        source_file="synthetic",
        source_sheet=None,
        source_row=np.arange(2, len(frame) + 2),
        valid_from=pd.Timestamp("2020-01-01"),
        row_hash=np.arange(len(frame), dtype="uint64"),
    )
    con.register("bench_rows", frame)
    names = ", ".join(frame.columns)
    con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM bench_rows")  # noqa: S608
    con.unregister("bench_rows")


def main() -> None:
    """``python benchmarks/synthetic.py DIR``: build the synthetic store into DIR."""
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--reports", type=int, default=1_000_000)
    args = parser.parse_args()
    seconds = build(args.data_dir, projects=args.projects, reports=args.reports)
    print(f"built {args.projects} projects / {args.reports} reports in {seconds:.1f} s")


if __name__ == "__main__":
    main()
