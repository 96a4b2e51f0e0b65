"""Choose the best set of requests under a budget and role-by-month capacity (exact).

The problem is a 0/1 multi-dimensional knapsack: maximise the sum of request values (by default
the weighted ``score``) subject to total cost <= budget and, for every constrained role and month,
total demand (FTE) <= free capacity, with forced-in requests always chosen and forced-out ones
never. The model, the decisions shown per request and how the Intake page calls it are described
in ``docs/analytics.md`` §3; why a maintained solver, in
``docs/architecture.md`` §10.

**Method.** This module states the model and explains the answer; the search itself is HiGHS's
mixed-integer solver (branch-and-cut, through ``highspy``), maintained by specialists, instead of
a home-made one.

1. *Reduce.* Forced-in requests are taken and their cost and demand subtracted from the budget
   and capacity. Requests with no value or cost, a value <= 0, or that cannot fit on their own
   are set aside with the reason (they can never improve a selection), so every candidate's
   decision can be explained on the page.
2. *Solve.* The remaining requests become binary variables, one row per resource (the budget,
   then each listed role-month), each row scaled so its capacity is 1. HiGHS maximises the total
   value with a relative gap of 0 (its default, 1e-4, would stop short of optimal) and a
   feasibility tolerance of 1e-9 of each capacity, so a chosen set never overspends by more than
   rounding.

**Optimality.** ``status == "optimal"`` means HiGHS proved that no selection is worth more.
Tests check this against brute force on random instances (n <= 12, with and without capacity,
forced in/out).

**Limits.** ``max_nodes`` caps HiGHS's branch-and-bound nodes; if it is reached the best selection
found is returned with ``status == "node_limit"`` and ``upper_bound`` (HiGHS's dual bound, which
the optimum cannot exceed; the message gives the gap). Measured on the benchmark (200 requests,
12 roles x 36 months, ``benchmarks/bench_analytics.py``): capacity far below demand almost
everywhere - 11,435 nodes and 5-24 s (by machine load) with the former home-made search - is
proven optimal at HiGHS's root node in 0.02-0.06 s; budget and capacity together take ~0.05 s.
The budget-only case (one row, a plain knapsack) takes ~0.03-0.07 s, more than the former
search's specialised knapsack bound (~0.015 s), and still far under the page's 1 s target.

**Quiet and one at a time.** HiGHS writes a banner and a log to the process's standard output
unless ``output_flag`` is off before its first call; :class:`_QuietHighs` turns it off before
``highspy`` registers its callbacks. Solves take turns under a lock: HiGHS shares one task
scheduler per process, and its issue tracker records crashes of instances run in parallel threads
(ERGO-Code/HiGHS#810, #3141), while Flask serves callbacks on threads.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypedDict, Unpack

import highspy
import numpy as np
import pandas as pd

from dashboard.analytics._checks import require_columns, to_float
from dashboard.analytics.capacity_calendar import month_of

METHOD = "HiGHS mixed-integer solver (branch-and-cut), proven optimal"
"""The optimisation method, as shown to users."""

_TOL = 1e-9
_MAX_INT = 2**31 - 1  # HiGHS's integer options are 32-bit
_MAX_NODES = 20_000
_STOPPED_EARLY = frozenset(
    {
        highspy.HighsModelStatus.kSolutionLimit,  # what HiGHS reports when mip_max_nodes is hit
        highspy.HighsModelStatus.kTimeLimit,
        highspy.HighsModelStatus.kIterationLimit,
        highspy.HighsModelStatus.kInterrupt,
    }
)
_SOLVER_LOCK = threading.Lock()
_HIGHS_OPTIONS: dict[str, object] = {
    # Proven optimal, not HiGHS's default 0.01 % gap; chosen sets overspend by rounding at most.
    "mip_rel_gap": 0.0,
    "mip_feasibility_tolerance": _TOL,
    # These knapsacks (1 to ~40 binding rows, a few hundred requests) are solved by a sequential
    # search: a second worker thread only adds hand-offs, and HiGHS's restarts and RINS/RENS
    # sub-MIPs, built for large hard models, were most of the run time. Measured on the benchmark's
    # budget-only case: 0.085 s with the defaults, 0.035 s with these; same results in every test.
    # ``threads`` sizes one scheduler per process, so every solve here must ask for the same.
    "threads": 1,
    "mip_allow_restart": False,
    "mip_heuristic_run_rins": False,
    "mip_heuristic_run_rens": False,
}


@dataclass(frozen=True, eq=False)
class Selection:
    """Result of :func:`select_requests`.

    Attributes:
        selected: Chosen request ids (forced-in included), in candidate order.
        status: ``optimal``, ``infeasible`` (the forced-in requests alone break a constraint) or
            ``node_limit`` (search capped; best found returned).
        total_value: Sum of the chosen requests' values.
        total_cost: Sum of their costs.
        budget: The budget given.
        upper_bound: No selection can be worth more (equals ``total_value`` when optimal).
        nodes: Branch-and-bound nodes HiGHS explored (0 when nothing needed a search).
        message: One sentence for the page.
        table: One row per candidate: ``request_id``, ``value``, ``cost``, ``selected``,
            ``decision`` (forced in / chosen / not chosen / forced out / not eligible / does not
            fit, with the reason).
        method: :data:`METHOD`.
    """

    selected: tuple[str, ...]
    status: str
    total_value: float
    total_cost: float
    budget: float
    upper_bound: float
    nodes: int
    message: str
    table: pd.DataFrame
    method: str = METHOD


class SelectionLimits(TypedDict, total=False):
    """What to maximise and the limits, shared by both entry points (``docs/analytics.md`` §3).

    Keywords of :func:`select_requests` and :func:`efficient_frontier`, declared once.

    Attributes:
        value_column: Column to maximise (default ``score``, from ``score_requests``).
        cost_column: Column of costs (default ``estimated_cost``).
        demand: Optional; needs ``request_id``, ``role``, ``month``, ``fte``: what each request
            would need of each role in each month.
        capacity: Optional; needs ``role``, ``month``, ``free_fte``: free capacity (negative is
            read as 0). Only the role-months listed here are constrained.
        forced_in: Request ids that must be chosen.
        forced_out: Request ids that must not be chosen.
        max_nodes: Cap on HiGHS's branch-and-bound nodes, per solve (default 20,000; see the
            module docstring).
    """

    value_column: str
    cost_column: str
    demand: pd.DataFrame | None
    capacity: pd.DataFrame | None
    forced_in: Iterable[str]
    forced_out: Iterable[str]
    max_nodes: int


FRONTIER_COLUMNS = (
    "budget",
    "value",
    "cost",
    "selected_count",
    "selected_ids",
    "added_ids",
    "status",
)
"""Columns of :func:`efficient_frontier`'s result."""


def select_requests(
    candidates: pd.DataFrame, *, budget: float, **limits: Unpack[SelectionLimits]
) -> Selection:
    """Pick the set of requests of greatest total value that fits the budget and capacity.

    Args:
        candidates: One row per request; needs ``request_id`` (unique), the value column and
            the cost column. Requests with no value or cost can only be chosen when forced in.
        budget: Money available for the chosen requests (same currency as the costs).
        **limits: Value and cost columns, demand and capacity, forced choices and the node cap
            (:class:`SelectionLimits`).

    Returns:
        A :class:`Selection`.

    Raises:
        ValueError: Duplicate or unknown ids, an id both forced in and out, a forced-in request
            without a cost, a negative budget, or missing columns.
    """
    max_nodes = limits.pop("max_nodes", _MAX_NODES)
    problem = _Problem.build(candidates, budget=budget, fn="select_requests", **limits)
    return problem.solve(budget, max_nodes=max_nodes)


def efficient_frontier(
    candidates: pd.DataFrame,
    *,
    budgets: Sequence[float] | None = None,
    steps: int = 20,
    **limits: Unpack[SelectionLimits],
) -> pd.DataFrame:
    """Best achievable value at each budget level (each level solved exactly).

    Args:
        candidates: As for :func:`select_requests`.
        budgets: Budget levels; by default ``steps`` equal steps from the forced-in cost to the
            cost of every eligible request.
        steps: Number of default levels.
        **limits: As for :func:`select_requests` (``max_nodes`` caps each level).

    Returns:
        One row per budget level (ascending): ``budget``, ``value``, ``cost``, ``selected_count``,
        ``selected_ids`` (comma-separated), ``added_ids`` (chosen here but not at the previous
        level), ``status``. ``value`` never decreases with the budget when every level is
        optimal; it is NaN where the forced-in requests alone exceed the level.
    """
    max_nodes = limits.pop("max_nodes", _MAX_NODES)
    problem = _Problem.build(candidates, budget=0.0, fn="efficient_frontier", **limits)
    levels = _default_levels(problem, steps) if budgets is None else budgets
    rows = []
    previous: set[str] = set()
    start: np.ndarray | None = None
    for level in sorted(float(b) for b in levels):
        result = problem.solve(level, max_nodes=max_nodes, start=start)
        rows.append(_frontier_row(level, result, previous))
        if result.status != "infeasible":
            previous = set(result.selected)
            start = result.table["selected"].to_numpy()
    return pd.DataFrame(rows, columns=list(FRONTIER_COLUMNS))


# --------------------------------------------------------------------------------------------
# helpers


def _default_levels(problem: _Problem, steps: int) -> Sequence[float]:
    """``steps`` equal budgets from the forced-in cost to the cost of every eligible request."""
    if steps < 1:
        raise ValueError(f"efficient_frontier: steps must be at least 1, got {steps}")
    low = float(problem.cost[problem.forced].sum())
    high = low + float(problem.cost[problem.eligible & ~problem.forced].sum())
    return np.linspace(low, high, steps + 1)[1:] if high > low else [low]


def _frontier_row(level: float, result: Selection, previous: set[str]) -> dict:
    """One level of the frontier; ``previous`` is the last feasible level's selection."""
    feasible = result.status != "infeasible"
    return {
        "budget": level,
        "value": result.total_value if feasible else np.nan,
        "cost": result.total_cost if feasible else np.nan,
        "selected_count": len(result.selected) if feasible else 0,
        "selected_ids": ", ".join(result.selected) if feasible else "",
        "added_ids": ", ".join(i for i in result.selected if i not in previous),
        "status": result.status,
    }


@dataclass(frozen=True, eq=False)
class _Problem:
    """Candidates turned into arrays: values, costs and one capacity row per role-month."""

    ids: np.ndarray
    value: np.ndarray
    cost: np.ndarray
    demand: np.ndarray  # (role-months, requests)
    free: np.ndarray  # (role-months,)
    labels: tuple[str, ...]
    forced: np.ndarray
    banned: np.ndarray
    eligible: np.ndarray
    ineligible_reason: np.ndarray

    @classmethod
    def build(
        cls,
        candidates: pd.DataFrame,
        *,
        budget: float,
        fn: str,
        value_column: str = "score",
        cost_column: str = "estimated_cost",
        demand: pd.DataFrame | None = None,
        capacity: pd.DataFrame | None = None,
        forced_in: Iterable[str] = (),
        forced_out: Iterable[str] = (),
    ) -> _Problem:
        require_columns(candidates, {"request_id", value_column, cost_column}, fn=fn)
        if not budget >= 0:
            raise ValueError(f"{fn}: budget must be a number >= 0, got {budget!r}")
        ids = candidates["request_id"].astype("str").to_numpy()
        duplicated = pd.Series(ids).duplicated()
        if duplicated.any():
            raise ValueError(f"{fn}: duplicate request_id: {', '.join(ids[duplicated])}")
        known = set(ids)
        forced_set, banned_set = set(forced_in), set(forced_out)
        unknown = sorted((forced_set | banned_set) - known)
        if unknown:
            raise ValueError(f"{fn}: unknown request ids forced in/out: {', '.join(unknown)}")
        both = sorted(forced_set & banned_set)
        if both:
            raise ValueError(f"{fn}: requests both forced in and forced out: {', '.join(both)}")
        value = to_float(candidates[value_column]).to_numpy()
        cost = to_float(candidates[cost_column]).to_numpy()
        forced = np.isin(ids, list(forced_set))
        banned = np.isin(ids, list(banned_set))
        no_cost = forced & (np.isnan(cost) | (cost < 0))
        if no_cost.any():
            raise ValueError(
                f"{fn}: forced-in requests without a valid {cost_column}: "
                + ", ".join(ids[no_cost])
            )
        reason = np.select(
            [np.isnan(value), np.isnan(cost) | (cost < 0), value <= 0],
            [f"no {value_column}", f"no valid {cost_column}", f"{value_column} is not above 0"],
            default="",
        ).astype(object)
        eligible = (reason == "") & ~banned
        value = np.where(forced & np.isnan(value), 0.0, value)
        matrix, free, labels = _capacity_rows(ids, demand, capacity, fn)
        return cls(ids, value, cost, matrix, free, labels, forced, banned, eligible, reason)

    def solve(self, budget: float, *, max_nodes: int, start: np.ndarray | None = None) -> Selection:
        if not 0 <= max_nodes:
            raise ValueError(f"max_nodes must be a whole number >= 0, got {max_nodes!r}")
        rows = np.vstack([self.cost[None, :], self.demand])
        caps = np.concatenate([[budget], self.free])
        names = ("budget", *self.labels)
        rem = caps - rows[:, self.forced].sum(axis=1)
        broken = np.flatnonzero(rem < -_TOL * np.maximum(1.0, np.abs(caps)))
        if broken.size:
            return self._infeasible(budget, rows, caps, names, broken)
        rem = np.maximum(rem, 0.0)
        fits_alone = _fits_each(rows, rem)
        free_items = np.flatnonzero(self.eligible & ~self.forced & fits_alone)
        initial = None if start is None else start[free_items].astype(bool)
        outcome = _solve_mip(self.value[free_items], rows[:, free_items], rem, max_nodes, initial)
        selected = self.forced.copy()
        selected[free_items[outcome.chosen]] = True
        forced_value = float(self.value[self.forced].sum())
        total_value = float(self.value[selected].sum())
        status = "optimal" if outcome.optimal else "node_limit"
        upper = total_value if outcome.optimal else max(total_value, forced_value + outcome.bound)
        cost = float(self.cost[selected].sum())
        nodes = outcome.nodes
        if outcome.optimal:
            message = (
                f"Optimal: {int(selected.sum())} requests worth {total_value:,.1f} "
                f"for {cost:,.0f} of {budget:,.0f}."
            )
        else:
            gap = 100.0 * (upper - total_value) / upper if upper > 0 else 0.0
            message = (
                f"Search stopped after {nodes:,} nodes: best found {total_value:,.1f}; no "
                f"selection can exceed {upper:,.1f} (within {gap:.1f}% of optimal)."
            )
        table = self._table(selected, fits_alone, rows, rem, names)
        return Selection(
            selected=tuple(self.ids[selected]),
            status=status,
            total_value=total_value,
            total_cost=cost,
            budget=float(budget),
            upper_bound=upper,
            nodes=nodes,
            message=message,
            table=table,
        )

    def _table(
        self,
        selected: np.ndarray,
        fits_alone: np.ndarray,
        rows: np.ndarray,
        rem: np.ndarray,
        names: Sequence[str],
    ) -> pd.DataFrame:
        decisions = []
        for i in range(len(self.ids)):
            if self.forced[i]:
                decisions.append("forced in")
            elif self.banned[i]:
                decisions.append("forced out")
            elif self.ineligible_reason[i]:
                decisions.append(f"not eligible: {self.ineligible_reason[i]}")
            elif not fits_alone[i]:
                r = int(np.argmax(rows[:, i] > rem + _TOL))
                decisions.append(
                    f"does not fit: needs {rows[r, i]:,.2f} of {names[r]}, {rem[r]:,.2f} left"
                )
            else:
                decisions.append("chosen" if selected[i] else "not chosen")
        return pd.DataFrame(
            {
                "request_id": self.ids,
                "value": self.value,
                "cost": self.cost,
                "selected": selected,
                "decision": decisions,
            }
        )

    def _infeasible(
        self,
        budget: float,
        rows: np.ndarray,
        caps: np.ndarray,
        names: Sequence[str],
        broken: np.ndarray,
    ) -> Selection:
        need = rows[:, self.forced].sum(axis=1)
        parts = [f"{names[r]} needs {need[r]:,.2f} with {caps[r]:,.2f} available" for r in broken]
        message = "The forced-in requests alone do not fit: " + "; ".join(parts[:5]) + "."
        none = np.zeros(len(self.ids), dtype=bool)
        table = self._table(none, np.ones(len(self.ids), dtype=bool), rows, caps, names)
        return Selection(
            selected=(),
            status="infeasible",
            total_value=0.0,
            total_cost=0.0,
            budget=float(budget),
            upper_bound=float("nan"),
            nodes=0,
            message=message,
            table=table,
        )


def _capacity_rows(
    ids: np.ndarray, demand: pd.DataFrame | None, capacity: pd.DataFrame | None, fn: str
) -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
    """Demand matrix (role-month x request) for the role-months listed in ``capacity``."""
    if demand is None or capacity is None or demand.empty or capacity.empty:
        return np.zeros((0, len(ids))), np.zeros(0), ()
    require_columns(demand, {"request_id", "role", "month", "fte"}, fn=fn)
    require_columns(capacity, {"role", "month", "free_fte"}, fn=fn)
    free = (
        pd.DataFrame(
            {
                "role": capacity["role"].astype("str").to_numpy(),
                "month": month_of(capacity["month"]).to_numpy(),
                "free": to_float(capacity["free_fte"]).fillna(0.0).clip(lower=0.0).to_numpy(),
            }
        )
        .groupby(["role", "month"], sort=True)["free"]
        .sum()
    )
    need = pd.DataFrame(
        {
            "request_id": demand["request_id"].astype("str").to_numpy(),
            "role": demand["role"].astype("str").to_numpy(),
            "month": month_of(demand["month"]).to_numpy(),
            "fte": to_float(demand["fte"]).fillna(0.0).to_numpy(),
        }
    )
    need = need.loc[need["request_id"].isin(ids).to_numpy()]
    keys = pd.MultiIndex.from_frame(need[["role", "month"]])
    row_of = free.index.get_indexer(keys)
    col_of = pd.Index(ids).get_indexer(need["request_id"])
    keep = (row_of >= 0) & (col_of >= 0)
    matrix = np.zeros((len(free), len(ids)))
    np.add.at(matrix, (row_of[keep], col_of[keep]), need["fte"].to_numpy()[keep])
    labels = tuple(f"{role} {month:%Y-%m} (FTE)" for role, month in free.index)
    return matrix, free.to_numpy(), labels


@dataclass(frozen=True, eq=False)
class _Outcome:
    """What HiGHS found for the reduced problem."""

    chosen: np.ndarray  # mask over the reduced problem's requests
    optimal: bool
    bound: float  # no selection of these requests is worth more
    nodes: int


def _solve_mip(
    value: np.ndarray,
    weights: np.ndarray,
    caps: np.ndarray,
    max_nodes: int,
    start: np.ndarray | None,
) -> _Outcome:
    """Maximise ``value @ x`` s.t. ``weights @ x <= caps``, x binary, with HiGHS.

    Every request fits on its own and ``caps >= 0``, so choosing nothing is always feasible.
    ``start``, when given and feasible, is handed to HiGHS as a first incumbent (the frontier
    passes the previous, smaller budget's selection).
    """
    n = value.size
    binding = weights.sum(axis=1) > caps + _TOL * np.maximum(caps, 1.0)
    if n == 0 or not binding.any():
        return _Outcome(np.ones(n, dtype=bool), True, float(value.sum()), 0)
    scaled = weights[binding] / np.where(caps[binding] > 0, caps[binding], 1.0)[:, None]
    solver = _QuietHighs()
    solver.passModel(_binary_program(value, scaled))
    for name, setting in {**_HIGHS_OPTIONS, "mip_max_nodes": int(min(max_nodes, _MAX_INT))}.items():
        # highspy returns an error status (it does not raise) for an unknown option or value; a
        # silently ignored "mip_rel_gap" would make "optimal" untrue.
        if solver.setOptionValue(name, setting) != highspy.HighsStatus.kOk:
            raise RuntimeError(f"HiGHS refused the option {name} = {setting!r}")
    if start is not None and np.any(scaled[:, start].sum(axis=1) > 1.0 + _TOL):
        start = None
    if start is not None:
        incumbent = highspy.HighsSolution()
        incumbent.col_value = start.astype("float64")
        solver.setSolution(incumbent)
    with _SOLVER_LOCK:
        solver.run()
    status = solver.getModelStatus()
    info = solver.getInfo()
    if status != highspy.HighsModelStatus.kOptimal and status not in _STOPPED_EARLY:
        raise RuntimeError(
            f"HiGHS could not solve the selection: {solver.modelStatusToString(status)}"
        )
    if info.primal_solution_status == highspy.kSolutionStatusFeasible:
        chosen = np.asarray(solver.getSolution().col_value) > 0.5
    else:  # stopped before HiGHS found any selection: the start, or nothing, is still feasible
        chosen = start.copy() if start is not None else np.zeros(n, dtype=bool)
    optimal = status == highspy.HighsModelStatus.kOptimal
    bound = float(value[chosen].sum()) if optimal else min(info.mip_dual_bound, float(value.sum()))
    return _Outcome(chosen, optimal, bound, int(info.mip_node_count))


def _binary_program(value: np.ndarray, scaled: np.ndarray) -> highspy.HighsLp:
    """``max value @ x, scaled @ x <= 1, x in {0, 1}`` in HiGHS's column-wise form."""
    m, n = scaled.shape
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n, m
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.col_cost_ = value.astype("float64")
    lp.col_lower_ = np.zeros(n)
    lp.col_upper_ = np.ones(n)
    lp.row_lower_ = np.full(m, -highspy.kHighsInf)
    lp.row_upper_ = np.ones(m)
    cols, rows = np.nonzero(scaled.T)  # column-major order: requests, then their rows
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.concatenate([[0], np.cumsum(np.bincount(cols, minlength=n))])
    lp.a_matrix_.index_ = rows
    lp.a_matrix_.value_ = scaled[rows, cols]
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n
    return lp


class _QuietHighs(highspy.Highs):
    """HiGHS with its console output off from the very first call.

    ``highspy.Highs.__init__`` registers callbacks before any option can be set, and that first
    call prints HiGHS's banner to standard output once per process; turning ``output_flag`` off
    just before it keeps the server log and test output clean.
    """

    def enableCallbacks(self) -> None:
        """Switch console output off, then register highspy's callbacks as usual."""
        self.setOptionValue("output_flag", False)
        super().enableCallbacks()


def _fits_each(weights: np.ndarray, rem: np.ndarray) -> np.ndarray:
    """Which columns of ``weights`` fit within ``rem`` on their own."""
    return (weights <= (rem + _TOL * np.maximum(np.abs(rem), 1.0))[:, None]).all(axis=0)
