"""Analytics timings on a large synthetic portfolio (issue 4), in memory, no database.

Data: 10,000 projects, 1,000,000 status reports, 50,000 milestones and RAID items, 5,000 people in
12 roles, 36 months of allocations, 200 intake requests with role-by-month demand.

Timed (median of 5 runs and p95):
- portfolio health at one as-of date, including ``latest_status`` over the 1M reports (< 1 s);
- capacity for every role x 36 months: supply, demand, utilisation (< 1 s);
- prioritisation + exact selection of 200 requests under a budget and role-by-month capacity
  (< 1 s), plus the same selection with the budget only;
- the efficient frontier the intake page draws: 12 budget levels, each solved exactly with the
  page's cap of 500 nodes (< 1 s), with and without capacity.

A last, untimed-against-target row runs the selection on a deliberately over-subscribed
instance (free capacity below the requests' demand in most role-months): the case that took the
former home-made search ~10,000 nodes and 5-10 s; HiGHS proves it optimal at its root node.

Run: ``python benchmarks/bench_analytics.py``.
"""

from __future__ import annotations

import gc
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dashboard.analytics import capacity, health, prioritisation, selection
from dashboard.services.intake import FRONTIER_MAX_NODES
from dashboard.standards import Standards

AS_OF = date(2026, 11, 26)
RUNS = 5
ROLES = [f"role_{k:02d}" for k in range(12)]
STANDARDS = Standards()


def main() -> None:
    rng = np.random.default_rng(20261126)
    print("Building synthetic data ...", flush=True)
    portfolio = make_portfolio(rng)
    people, months, allocations = make_people(rng, portfolio["projects"])
    requests, demand = make_requests(rng, months)

    rows = []
    result, times = measure(lambda: run_health(portfolio))
    counts = result["overall"].value_counts().to_dict()
    rows.append(("health: 10k projects, 1M reports", 1.0, times, f"{len(result):,} rows {counts}"))

    result, times = measure(lambda: run_capacity(people, allocations, months))
    hot = int(result["band"].isin(["over", "critical"]).sum())
    rows.append(
        ("capacity: 5k people, all roles x 36 months", 1.0, times, f"{len(result)} rows, {hot} hot")
    )

    free = result.rename(columns={"role": "role"})[["role", "month", "free_fte"]]
    choice, times = measure(lambda: run_selection(requests, demand, free))
    rows.append(("prioritise + select 200 (budget+capacity)", 1.0, times, describe(choice)))

    choice, times = measure(lambda: run_selection(requests, None, None))
    rows.append(("prioritise + select 200 (budget only)", 1.0, times, describe(choice)))

    levels, times = measure(lambda: run_frontier(requests, demand, free))
    rows.append(("frontier, 12 levels (budget+capacity)", 1.0, times, describe_levels(levels)))

    levels, times = measure(lambda: run_frontier(requests, None, None))
    rows.append(("frontier, 12 levels (budget only)", 1.0, times, describe_levels(levels)))

    tight = free.assign(
        free_fte=free["free_fte"].clip(lower=0) * 0.0 + rng.uniform(1, 6, len(free))
    )
    choice, times = measure(lambda: run_selection(requests, demand, tight), runs=1)
    rows.append(("worst case: over-subscribed capacity", None, times, describe(choice)))

    print()
    print(f"{'step':<44} {'target':>8} {'median':>8} {'p95':>8}  result")
    print("-" * 110)
    for name, target, samples, note in rows:
        median = statistics.median(samples)
        p95 = float(np.percentile(samples, 95))
        goal = f"< {target:g} s" if target else "-"
        flag = "" if target is None else ("ok" if p95 < target else "SLOW")
        print(f"{name:<44} {goal:>8} {median:>7.3f}s {p95:>7.3f}s  {flag:<4} {note}")


def measure(fn: Callable[[], object], runs: int = RUNS) -> tuple[object, list[float]]:
    samples = []
    result = None
    for _ in range(runs):
        gc.collect()  # do not bill one run for the garbage of the previous one
        started = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - started)
    return result, samples


def run_health(data: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return health.assess_health(
        data["projects"],
        data["status_reports"],
        data["milestones"],
        data["raid"],
        STANDARDS.health,
        as_of=AS_OF,
    )


def run_capacity(
    people: pd.DataFrame, allocations: pd.DataFrame, months: pd.DatetimeIndex
) -> pd.DataFrame:
    supply = capacity.resource_supply(people, STANDARDS.working_time, months=months)
    demand = capacity.allocation_demand(
        allocations, STANDARDS.working_time, months=months, resources=people
    )
    return capacity.utilisation(supply, demand, STANDARDS.capacity, by="role")


def run_selection(
    requests: pd.DataFrame, demand: pd.DataFrame | None, free: pd.DataFrame | None
) -> selection.Selection:
    scored = prioritisation.score_requests(requests, STANDARDS.scoring)
    budget = float(scored["estimated_cost"].sum()) * 0.3
    return selection.select_requests(scored, budget=budget, demand=demand, capacity=free)


def run_frontier(
    requests: pd.DataFrame, demand: pd.DataFrame | None, free: pd.DataFrame | None
) -> pd.DataFrame:
    scored = prioritisation.score_requests(requests, STANDARDS.scoring)
    levels = np.linspace(0, float(scored["estimated_cost"].sum()), 13)[1:]
    return selection.efficient_frontier(
        scored, budgets=levels, demand=demand, capacity=free, max_nodes=FRONTIER_MAX_NODES
    )


def describe_levels(frontier: pd.DataFrame) -> str:
    exact = int((frontier["status"] == "optimal").sum())
    return f"{exact}/{len(frontier)} levels optimal, top value {frontier['value'].max():,.1f}"


def describe(choice: selection.Selection) -> str:
    return (
        f"{choice.status}, {len(choice.selected)} chosen, value {choice.total_value:,.1f}, "
        f"bound {choice.upper_bound:,.1f}, {choice.nodes:,} nodes"
    )


def make_portfolio(rng: np.random.Generator) -> dict[str, pd.DataFrame]:
    n, n_reports, n_items = 10_000, 1_000_000, 50_000
    ids = np.array([f"P{i:05d}" for i in range(n)])
    return {
        "projects": _projects(rng, ids),
        "status_reports": _status_reports(rng, ids, n_reports),
        "milestones": _milestones(rng, ids, n_items),
        "raid": _raid(rng, ids, n_items),
    }


def _projects(rng: np.random.Generator, ids: np.ndarray) -> pd.DataFrame:
    n = len(ids)
    start = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 900, n), unit="D")
    length = pd.to_timedelta(rng.integers(120, 1000, n), unit="D")
    baseline = start + length
    budget = rng.lognormal(13, 1, n).round(-3)
    elapsed = (pd.Timestamp(AS_OF) - start) / length
    progress = np.clip(np.asarray(elapsed, dtype="float64") * rng.normal(1.0, 0.1, n), 0, 1)
    return pd.DataFrame(
        {
            "project_id": ids,
            "name": [f"Project {i}" for i in range(n)],
            "division": rng.choice(["Finance", "Ops", "Tech", "People", "Sales"], n),
            "portfolio": rng.choice(["Change", "Run", "Grow"], n),
            "project_manager": rng.choice([f"PM {k}" for k in range(300)], n),
            "sponsor": rng.choice([f"Sponsor {k}" for k in range(80)], n),
            "stage": rng.choice(
                ["Initiation", "Planning", "Execution", "Closed"], n, p=[0.1, 0.2, 0.6, 0.1]
            ),
            "start_date": start,
            "baseline_finish": baseline,
            "forecast_finish": baseline + pd.to_timedelta(rng.integers(-20, 90, n), unit="D"),
            "budget": budget,
            "actual_cost": budget * progress / rng.normal(1.0, 0.08, n),
            "forecast_cost": budget * rng.normal(1.02, 0.06, n),
            "percent_complete": progress,
            "reported_rag": rng.choice(["green", "amber", "red"], n, p=[0.6, 0.3, 0.1]),
        }
    )


def _status_reports(rng: np.random.Generator, ids: np.ndarray, n_reports: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "project_id": rng.choice(ids, n_reports),
            "report_date": pd.Timestamp("2024-01-01")
            + pd.to_timedelta(rng.integers(0, 1060, n_reports), unit="D"),
            "overall_rag": rng.choice(["green", "amber", "red"], n_reports, p=[0.6, 0.3, 0.1]),
            "percent_complete": np.nan,
            "actual_cost": np.nan,
            "forecast_finish": pd.NaT,
            "forecast_cost": np.nan,
            "summary": "On track; next steps agreed",
        }
    )


def _milestones(rng: np.random.Generator, ids: np.ndarray, n_items: int) -> pd.DataFrame:
    m_baseline = pd.Timestamp("2024-06-01") + pd.to_timedelta(
        rng.integers(0, 1000, n_items), unit="D"
    )
    return pd.DataFrame(
        {
            "project_id": rng.choice(ids, n_items),
            "milestone": [f"M{i}" for i in range(n_items)],
            "baseline_date": m_baseline,
            "forecast_date": m_baseline + pd.to_timedelta(rng.integers(-5, 60, n_items), unit="D"),
            "actual_date": m_baseline.where(
                (m_baseline < pd.Timestamp(AS_OF)) & (rng.random(n_items) < 0.95)
            ),
        }
    )


def _raid(rng: np.random.Generator, ids: np.ndarray, n_items: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "raid_id": [f"X{i}" for i in range(n_items)],
            "project_id": rng.choice(ids, n_items),
            "raid_type": rng.choice(["risk", "issue", "assumption", "dependency"], n_items),
            "severity": rng.choice(["low", "medium", "high", "critical"], n_items),
            "status": rng.choice(["open", "closed"], n_items, p=[0.3, 0.7]),
            "raised_date": pd.Timestamp("2024-01-01")
            + pd.to_timedelta(rng.integers(0, 1060, n_items), unit="D"),
        }
    )


def make_people(
    rng: np.random.Generator, projects: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DatetimeIndex, pd.DataFrame]:
    n = 5_000
    months = capacity.month_range(AS_OF, 36)
    people = pd.DataFrame(
        {
            "resource_id": [f"E{i:05d}" for i in range(n)],
            "role": rng.choice(ROLES, n),
            "team": rng.choice([f"Team {k}" for k in range(60)], n),
            "division": rng.choice(["Finance", "Ops", "Tech", "People", "Sales"], n),
            "fte": rng.choice([1.0, 1.0, 1.0, 0.8, 0.5], n),
            "start_date": pd.NaT,
            "end_date": pd.Series(pd.Timestamp("2027-06-30"), index=range(n)).where(
                rng.random(n) < 0.05
            ),
        }
    )
    # Two project allocations per person per month, 30-50 % each: utilisation near 80 %, with a
    # seasonal swell so some role-months run hot.
    person = np.repeat(np.arange(n), len(months) * 2)
    month = np.tile(np.repeat(np.arange(len(months)), 2), n)
    swell = 1 + 0.15 * np.sin(month / 3.0)
    allocations = pd.DataFrame(
        {
            "project_id": rng.choice(projects["project_id"].to_numpy(), person.size),
            "request_id": None,
            "resource_id": people["resource_id"].to_numpy()[person],
            "role": None,
            "month": months.to_numpy()[month],
            "fte": rng.uniform(0.22, 0.42, person.size) * swell,
            "hours": np.nan,
        }
    )
    return people, months, allocations


def make_requests(
    rng: np.random.Generator, months: pd.DatetimeIndex
) -> tuple[pd.DataFrame, pd.DataFrame]:
    n = 200
    ids = [f"R{i:03d}" for i in range(n)]
    requests = pd.DataFrame(
        {
            "request_id": ids,
            "title": [f"Request {i}" for i in range(n)],
            "status": rng.choice(["submitted", "under_review"], n),
            "strategic_alignment": rng.integers(1, 6, n),
            "expected_benefit": rng.lognormal(13, 1, n).round(-3),
            "urgency": rng.integers(1, 6, n),
            "risk": rng.integers(1, 6, n),
            "estimated_cost": rng.lognormal(12.5, 0.8, n).round(-3),
            "effort_person_months": rng.uniform(1, 60, n).round(1),
            "reach": rng.integers(10, 10_000, n),
            "confidence": rng.uniform(0.3, 1, n).round(2),
        }
    )
    rows = []
    for rid in ids:
        first = int(rng.integers(0, len(months) - 6))
        span = int(rng.integers(3, 13))
        for role in rng.choice(ROLES, int(rng.integers(1, 4)), replace=False):
            fte = float(rng.choice([0.5, 1.0, 2.0, 3.0]))
            rows += [(rid, role, m, fte) for m in months[first : first + span]]
    demand = pd.DataFrame(rows, columns=["request_id", "role", "month", "fte"])
    return requests, demand


if __name__ == "__main__":
    main()
