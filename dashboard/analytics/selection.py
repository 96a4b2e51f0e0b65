"""Choose the best set of requests under a budget and role-by-month capacity (exact).

The problem is a 0/1 multi-dimensional knapsack: maximise the sum of request values (by default
the weighted ``score``) subject to total cost <= budget and, for every constrained role and month,
total demand (FTE) <= free capacity, with forced-in requests always chosen and forced-out ones
never.

**Method: branch-and-bound, best bound first, with bounds that are upper bounds for any
prices.** Written here with numpy only (no LP or MIP library).

1. *Reduce.* Forced-in requests are taken and their cost/demand subtracted. Requests with no
   value or cost, a value <= 0, or that cannot fit on their own are set aside (they can never
   improve a selection). Role-months whose whole remaining demand fits in the free capacity can
   never bind and are dropped. A greedy fill gives a first incumbent.
2. *Root prices.* A subgradient method finds prices u >= 0 for the budget and each binding
   role-month. For *any* u >= 0, L(u) = sum_r u_r + sum_i max(0, value_i - u . scaled need_i)
   bounds every feasible selection (Lagrangian relaxation). Reduced-cost fixing: a request whose
   reduced value |value_i - u . need_i| exceeds L(u) - incumbent must keep its sign's decision
   (in if positive, out if negative) in every better selection, so it is fixed.
3. *Budget only* (no role-month binds): a suffix 0/1-knapsack dynamic programme over budget units
   (costs rounded *down* to 1/8192 of the budget, which only relaxes the problem) gives, in O(1)
   per node, the best value the undecided requests could still add. Requests are decided in a
   fixed order, best bound first, with a greedy completion every few nodes.
4. *With capacity:* each node's LP relaxation (``0 <= x <= 1``) is solved by a bounded dual
   simplex warm-started from its parent's basis; the search branches on the most valuable
   fractional request and fixes variables by reduced cost at every node. The bound used is L(u)
   at the LP's row prices, valid for any prices, so an inexact LP costs time, never optimality.
   Rounding the LP solution down (then adding fractional requests that fit) gives incumbents.

**Optimality.** The search stops when the best open bound is no better than the incumbent, so no
selection can beat it: ``status == "optimal"``. Tests check this against brute force on random
instances (n <= 12, with and without capacity, forced in/out); during development it also matched
an external MIP solver on larger ones (60 requests, 19 constraints).

**Worst case.** Exponential, as for any exact method for this NP-hard problem. Budget only: 200
requests take a few dozen nodes (~15 ms). Capacity binding in a handful of role-months: a few
hundred LP nodes (~0.1-0.2 s). Capacity far below demand almost everywhere, where the LP is
several percent above the integer optimum: about ten thousand nodes (~5 s on the benchmark
machine). ``max_nodes`` caps the search; if it is reached the best selection found is returned
with ``status == "node_limit"`` and ``upper_bound`` (the best open bound, which the optimum
cannot exceed; the message gives the gap).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.analytics._checks import require_columns, to_dates, to_float

METHOD = (
    "best-first branch-and-bound: knapsack-DP bounds (budget only), "
    "dual-simplex LP bounds with reduced-cost fixing (with capacity)"
)
"""The optimisation method, as shown to users."""

_TOL = 1e-9
_BUDGET_UNITS = 8192
_DIVE_EVERY = 8


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
        nodes: Search nodes visited.
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


def select_requests(
    candidates: pd.DataFrame,
    *,
    budget: float,
    value_column: str = "score",
    cost_column: str = "estimated_cost",
    demand: pd.DataFrame | None = None,
    capacity: pd.DataFrame | None = None,
    forced_in: Iterable[str] = (),
    forced_out: Iterable[str] = (),
    max_nodes: int = 20_000,
) -> Selection:
    """Pick the set of requests of greatest total value that fits the budget and capacity.

    Args:
        candidates: One row per request; needs ``request_id`` (unique), ``value_column`` and
            ``cost_column``. Requests with no value or cost can only be chosen when forced in.
        budget: Money available for the chosen requests (same currency as the costs).
        value_column: Column to maximise, e.g. ``score`` from ``score_requests``.
        cost_column: Column of costs.
        demand: Optional; needs ``request_id``, ``role``, ``month``, ``fte``: what each request
            would need of each role in each month.
        capacity: Optional; needs ``role``, ``month``, ``free_fte``: free capacity (negative is
            read as 0). Only the role-months listed here are constrained.
        forced_in: Request ids that must be chosen.
        forced_out: Request ids that must not be chosen.
        max_nodes: Search cap (see the module docstring).

    Returns:
        A :class:`Selection`.

    Raises:
        ValueError: Duplicate or unknown ids, an id both forced in and out, a forced-in request
            without a cost, a negative budget, or missing columns.
    """
    problem = _Problem.build(
        candidates,
        budget=budget,
        value_column=value_column,
        cost_column=cost_column,
        demand=demand,
        capacity=capacity,
        forced_in=forced_in,
        forced_out=forced_out,
        fn="select_requests",
    )
    return problem.solve(budget, max_nodes=max_nodes)


def efficient_frontier(
    candidates: pd.DataFrame,
    *,
    budgets: Sequence[float] | None = None,
    steps: int = 20,
    value_column: str = "score",
    cost_column: str = "estimated_cost",
    demand: pd.DataFrame | None = None,
    capacity: pd.DataFrame | None = None,
    forced_in: Iterable[str] = (),
    forced_out: Iterable[str] = (),
    max_nodes: int = 20_000,
) -> pd.DataFrame:
    """Best achievable value at each budget level (each level solved exactly).

    Args:
        candidates: As for :func:`select_requests`.
        budgets: Budget levels; by default ``steps`` equal steps from the forced-in cost to the
            cost of every eligible request.
        steps: Number of default levels.
        value_column: As for :func:`select_requests`.
        cost_column: As for :func:`select_requests`.
        demand: As for :func:`select_requests`.
        capacity: As for :func:`select_requests`.
        forced_in: As for :func:`select_requests`.
        forced_out: As for :func:`select_requests`.
        max_nodes: Search cap per level.

    Returns:
        One row per budget level (ascending): ``budget``, ``value``, ``cost``, ``selected_count``,
        ``selected_ids`` (comma-separated), ``added_ids`` (chosen here but not at the previous
        level), ``status``. ``value`` never decreases with the budget when every level is
        optimal; it is NaN where the forced-in requests alone exceed the level.
    """
    problem = _Problem.build(
        candidates,
        budget=0.0,
        value_column=value_column,
        cost_column=cost_column,
        demand=demand,
        capacity=capacity,
        forced_in=forced_in,
        forced_out=forced_out,
        fn="efficient_frontier",
    )
    if budgets is None:
        if steps < 1:
            raise ValueError(f"efficient_frontier: steps must be at least 1, got {steps}")
        low = float(problem.cost[problem.forced].sum())
        high = low + float(problem.cost[problem.eligible & ~problem.forced].sum())
        budgets = np.linspace(low, high, steps + 1)[1:] if high > low else [low]
    rows = []
    previous: set[str] = set()
    start: np.ndarray | None = None
    for level in sorted(float(b) for b in budgets):
        result = problem.solve(level, max_nodes=max_nodes, start=start)
        chosen = set(result.selected)
        feasible = result.status != "infeasible"
        rows.append(
            {
                "budget": level,
                "value": result.total_value if feasible else np.nan,
                "cost": result.total_cost if feasible else np.nan,
                "selected_count": len(result.selected) if feasible else 0,
                "selected_ids": ", ".join(result.selected) if feasible else "",
                "added_ids": ", ".join(i for i in result.selected if i not in previous),
                "status": result.status,
            }
        )
        if feasible:
            previous = chosen
            start = result.table["selected"].to_numpy()
    return pd.DataFrame(
        rows,
        columns=[
            "budget",
            "value",
            "cost",
            "selected_count",
            "selected_ids",
            "added_ids",
            "status",
        ],
    )


# --------------------------------------------------------------------------------------------
# helpers


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
        value_column: str,
        cost_column: str,
        demand: pd.DataFrame | None,
        capacity: pd.DataFrame | None,
        forced_in: Iterable[str],
        forced_out: Iterable[str],
        fn: str,
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
        sub_rows = rows[:, free_items]
        binding = sub_rows.sum(axis=1) > rem + _TOL * np.maximum(rem, 1.0)
        binding[0] = True  # the budget stays row 0 of the search
        initial = None
        if start is not None:
            initial = start[free_items].astype(bool)
        chosen, nodes, bound, complete = _branch_and_bound(
            self.value[free_items], sub_rows[binding], rem[binding], max_nodes, initial
        )
        selected = self.forced.copy()
        selected[free_items[chosen]] = True
        forced_value = float(self.value[self.forced].sum())
        total_value = float(self.value[selected].sum())
        status = "optimal" if complete else "node_limit"
        upper = total_value if complete else forced_value + bound
        cost = float(self.cost[selected].sum())
        if complete:
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
                "month": _month(capacity["month"]).to_numpy(),
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
            "month": _month(demand["month"]).to_numpy(),
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


def _month(values: pd.Series) -> pd.Series:
    return to_dates(values).dt.to_period("M").dt.to_timestamp()


def _branch_and_bound(
    value: np.ndarray,
    weights: np.ndarray,
    caps: np.ndarray,
    max_nodes: int,
    start: np.ndarray | None,
) -> tuple[np.ndarray, int, float, bool]:
    """Maximise ``value @ x`` s.t. ``weights @ x <= caps``, x binary (see module docstring).

    Row 0 of ``weights`` is the budget; the other rows are capacity rows that can bind. Every
    item fits on its own. Returns (chosen mask, nodes, upper bound on the value, complete).
    """
    n = value.size
    if n == 0:
        return np.zeros(0, dtype=bool), 0, 0.0, True
    if _fits(weights.sum(axis=1), caps):
        return np.ones(n, dtype=bool), 1, float(value.sum()), True

    scaled = weights / np.where(caps > 0, caps, 1.0)[:, None]
    best_value, best_mask = _greedy(value, weights, caps, [scaled.sum(axis=0), scaled.max(axis=0)])
    if start is not None and _fits(weights[:, start].sum(axis=1), caps):
        if float(value[start].sum()) > best_value:
            best_value, best_mask = float(value[start].sum()), start.copy()

    # Lagrangian multipliers for all rows: any u >= 0 gives the bound L(u); good ones also fix
    # variables at the root (reduced-cost fixing) and order the search.
    u, root = _lagrangian(value, scaled, best_value)
    surrogate = u @ scaled
    greedy_value, greedy_mask = _greedy(value, weights, caps, [surrogate])
    if greedy_value > best_value:
        best_value, best_mask = greedy_value, greedy_mask
    if root <= best_value + _tol(best_value):
        return best_mask, 1, root, True
    reduced = value - surrogate
    fixed_out = (reduced < 0) & (root + reduced <= best_value + _tol(best_value))
    fixed_in = (reduced > 0) & (root - reduced <= best_value + _tol(best_value))
    if not _fits(weights[:, fixed_in].sum(axis=1), caps):
        fixed_in[:] = False
    rem0 = caps - weights[:, fixed_in].sum(axis=1)
    offset = float(value[fixed_in].sum())
    items = np.flatnonzero(~fixed_out & ~fixed_in & _fits_each(weights, rem0))
    sub_w = weights[:, items]
    keep = sub_w.sum(axis=1) > rem0 + _TOL * np.maximum(rem0, 1.0)
    keep[0] = True
    if keep[1:].any():
        found, sub_mask, nodes, complete, sub_root = _lp_search(
            value[items],
            sub_w[keep],
            rem0[keep],
            target=best_value - offset,
            max_nodes=max_nodes,
        )
    else:
        found, sub_mask, nodes, complete, sub_root = _search(
            value[items],
            sub_w[keep],
            rem0[keep],
            capacity_multipliers=u[keep][1:],
            order_key=surrogate[items],
            target=best_value - offset,
            max_nodes=max_nodes,
        )
    if found:
        best_mask = fixed_in.copy()
        best_mask[items[sub_mask]] = True
    return best_mask, nodes, min(root, offset + sub_root), complete


def _search(
    value: np.ndarray,
    weights: np.ndarray,
    caps: np.ndarray,
    *,
    capacity_multipliers: np.ndarray,
    order_key: np.ndarray,
    target: float,
    max_nodes: int,
) -> tuple[bool, np.ndarray, int, bool, float]:
    """Best-first search for a set worth more than ``target`` (row 0 = budget).

    The bound at a node is, for u in {0, the given capacity prices}: u @ (capacity left /
    capacity) + the exact 0/1 knapsack optimum of the undecided items' reduced values (value -
    u @ scaled demand) within the budget left, costs rounded down to 1/8192 of the budget. Rounding
    costs down and pricing capacity with u >= 0 only relax the problem, so this is an upper bound;
    suffix tables (one DP over budget units) make it an O(1) look-up per node. Used when no
    capacity row binds, where it is nearly exact.

    Returns (found a better set, its mask, nodes visited, complete, upper bound).
    """
    n = value.size
    if n == 0:
        return False, np.zeros(0, dtype=bool), 1, True, 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        efficiency = np.where(
            order_key > 0, value / np.where(order_key > 0, order_key, 1.0), np.inf
        )
    order = np.argsort(-efficiency, kind="stable")
    v = value[order]
    a = weights[:, order]
    m = a.shape[0]
    suffix_a = np.concatenate([np.cumsum(a[:, ::-1], axis=1)[:, ::-1], np.zeros((m, 1))], axis=1)
    suffix_v = np.concatenate([np.cumsum(v[::-1])[::-1], [0.0]])

    budget = caps[0]
    unit = budget / _BUDGET_UNITS if budget > 0 else 1.0
    cost_units = np.floor(a[0] / unit + 1e-9).astype(np.int64)
    top = int(np.floor(budget / unit + 1e-9))
    capacity_caps = np.where(caps[1:] > 0, caps[1:], 1.0)
    scaled_demand = a[1:] / capacity_caps[:, None]
    tables = []
    for mult in (np.zeros(m - 1), capacity_multipliers):
        tables.append(
            (mult / capacity_caps, _suffix_knapsack(v - mult @ scaled_demand, cost_units, top))
        )
        if not capacity_multipliers.any():
            break

    def bound(depth: int, rem: np.ndarray) -> float:
        index = min(int(rem[0] / unit + 1e-9), top)
        return min(float(coef @ rem[1:]) + table[depth, index] for coef, table in tables)

    root = bound(0, caps)
    best = target
    best_link: tuple | None = None
    found = False
    nodes = 0
    # Best-first: always expand the open node with the highest bound, so when that bound is no
    # better than the incumbent every open node is, and the incumbent is optimal.
    heap: list[tuple[float, int, int, float, np.ndarray, tuple | None]] = [
        (-root, 0, 0, 0.0, caps.astype("float64"), None)
    ]
    pushed = 1
    complete = True
    while heap:
        if -heap[0][0] <= best + _tol(best):
            heap.clear()
            break
        if nodes >= max_nodes:
            complete = False
            break
        _, _, depth, total, rem, link = heapq.heappop(heap)
        nodes += 1
        if nodes % _DIVE_EVERY == 1:
            dive_total, dive_link = _dive(v, a, depth, total, rem, link)
            if dive_total > best + _tol(best):
                best, best_link, found = dive_total, dive_link, True
        column = a[:, depth]
        children = [(total, rem, link)]
        if _fits(column, rem):
            children.append((total + v[depth], rem - column, (depth, link)))
        for child_total, child_rem, child_link in children:
            if child_total > best + _tol(best):
                best, best_link, found = child_total, child_link, True
            if depth + 1 == n:
                continue
            if _fits(suffix_a[:, depth + 1], child_rem):
                everything = child_total + suffix_v[depth + 1]
                if everything > best + _tol(best):
                    best, best_link, found = everything, ("rest", depth + 1, child_link), True
                continue
            child_bound = child_total + bound(depth + 1, child_rem)
            if child_bound > best + _tol(best):
                heapq.heappush(
                    heap, (-child_bound, pushed, depth + 1, child_total, child_rem, child_link)
                )
                pushed += 1
    upper = max(best, -heap[0][0]) if heap else best
    mask = np.zeros(n, dtype=bool)
    if found:
        mask[order[_decode(best_link, n)]] = True
    return found, mask, nodes, complete, upper if not complete else min(root, upper)


def _dive(
    v: np.ndarray, a: np.ndarray, depth: int, total: float, rem: np.ndarray, link: tuple | None
) -> tuple[float, tuple | None]:
    """Complete a partial selection greedily in search order (a quick incumbent)."""
    rem = rem.copy()
    for j in range(depth, v.size):
        column = a[:, j]
        if _fits(column, rem):
            rem -= column
            total += v[j]
            link = (j, link)
    return total, link


def _lp_search(
    value: np.ndarray,
    weights: np.ndarray,
    caps: np.ndarray,
    *,
    target: float,
    max_nodes: int,
) -> tuple[bool, np.ndarray, int, bool, float]:
    """Best-first branch-and-bound on the LP relaxation, for problems with capacity rows.

    Each node's LP (``max value @ x``, ``weights @ x <= caps``, ``0 <= x <= 1`` with the
    branched variables fixed) is solved by a bounded dual simplex warm-started from its parent's
    basis; the search branches on a fractional variable. The bound used for pruning is the
    Lagrangian value of the LP's row prices (``u @ capacity left + sum max(0, value - u @
    demand)``), an upper bound for *any* prices u >= 0, so an inexact LP can only cost time,
    never optimality.

    Returns (found a set worth more than ``target``, its mask, nodes, complete, upper bound).
    """
    n = value.size
    live = caps > _TOL
    scaled = weights[live] / caps[live][:, None]
    if n == 0:
        return False, np.zeros(0, dtype=bool), 0, True, 0.0
    lp = _DualSimplex(value, scaled)
    root = lp.solve(np.full(n, -1, dtype=np.int8), lp.initial_state())
    best = target
    best_mask: np.ndarray | None = None
    heap: list[tuple[float, int, np.ndarray, _LpState]] = []
    pushed = 0
    nodes = 0

    def consider(fixed: np.ndarray, state: _LpState) -> None:
        nonlocal best, best_mask, pushed
        rounded = _round_down(lp, fixed, state.x)
        worth = float(value[rounded].sum())
        if worth > best + _tol(best):
            best, best_mask = worth, rounded
        if state.bound > best + _tol(best) and state.branch >= 0:
            heapq.heappush(heap, (-state.bound, pushed, fix_by_reduced_value(fixed, state), state))
            pushed += 1

    def fix_by_reduced_value(fixed: np.ndarray, state: _LpState) -> np.ndarray:
        # Reduced-cost fixing: with prices u, forcing item j against the sign of its reduced
        # value v_j - u.s_j lowers the Lagrangian bound by at least |v_j - u.s_j|; when that
        # takes the bound below the incumbent, no better selection in this subtree does it.
        reduced = value - state.prices @ lp.s
        gap = state.bound - best - _tol(best)
        free = fixed < 0
        result = fixed.copy()
        result[free & (reduced < 0) & (-reduced >= gap)] = 0
        ins = free & (reduced > 0) & (reduced >= gap)
        trial = result.copy()
        trial[ins] = 1
        if ins.any() and lp.fits(trial):
            result = trial
        return result

    consider(np.full(n, -1, dtype=np.int8), root)
    complete = True
    while heap:
        if -heap[0][0] <= best + _tol(best):
            heap.clear()
            break
        if nodes >= max_nodes:
            complete = False
            break
        _, _, fixed, state = heapq.heappop(heap)
        nodes += 1
        j = state.branch
        for side in (1, 0):
            child = fixed.copy()
            child[j] = side
            if side == 1 and not lp.fits(child):
                continue
            consider(child, lp.solve(child, state))
    upper = max(best, -heap[0][0]) if heap else best
    mask = best_mask if best_mask is not None else np.zeros(n, dtype=bool)
    return best_mask is not None, mask, nodes, complete, min(root.bound, upper)


@dataclass(frozen=True, eq=False)
class _LpState:
    """A node's LP: basis, which nonbasic variables sit at their upper bound, solution, bound."""

    basis: np.ndarray
    at_upper: np.ndarray
    x: np.ndarray
    bound: float
    branch: int
    prices: np.ndarray


class _DualSimplex:
    """Bounded dual simplex for ``max v @ x, S @ x <= 1, 0 <= x <= 1`` (rows scaled to 1).

    Variables are the n items then m slacks; fixed items have equal bounds. Dense and small:
    m is the number of binding constraints, usually a few dozen.
    """

    def __init__(self, value: np.ndarray, scaled: np.ndarray) -> None:
        self.v = value
        self.s = scaled
        self.m, self.n = scaled.shape
        self.matrix = np.hstack([scaled, np.eye(self.m)])
        self.cost = np.concatenate([-value, np.zeros(self.m)])
        self.max_pivots = 20 * (self.m + self.n)

    def initial_state(self) -> _LpState:
        # Slack basis with every item at its upper bound is dual feasible (reduced cost -v <= 0).
        at_upper = np.zeros(self.n + self.m, dtype=bool)
        at_upper[: self.n] = True
        basis = np.arange(self.n, self.n + self.m)
        return _LpState(basis, at_upper, np.zeros(self.n), np.inf, -1, np.zeros(self.m))

    def fits(self, fixed: np.ndarray) -> bool:
        return bool(np.all(self.s[:, fixed == 1].sum(axis=1) <= 1 + _TOL))

    def solve(self, fixed: np.ndarray, start: _LpState) -> _LpState:
        n, m = self.n, self.m
        lo = np.concatenate([np.where(fixed == 1, 1.0, 0.0), np.zeros(m)])
        hi = np.concatenate([np.where(fixed == 0, 0.0, 1.0), np.full(m, np.inf)])
        basis = start.basis.copy()
        at_upper = start.at_upper.copy()
        nonbasic = np.ones(n + m, dtype=bool)
        nonbasic[basis] = False
        # Nonbasic variables sit on a bound; a fixed one sits on its only value.
        at_upper = np.where(lo == hi, lo > 0, at_upper) & np.isfinite(hi)
        inverse = np.linalg.inv(self.matrix[:, basis])
        converged = False
        for pivot in range(self.max_pivots):
            z = np.where(at_upper, hi, lo)
            z[~nonbasic] = 0.0
            xb = inverse @ (1.0 - self.matrix @ z)
            low = lo[basis] - xb
            high = xb - hi[basis]
            violation = np.maximum(low, high)
            r = int(np.argmax(violation))
            if violation[r] <= 1e-9:
                converged = True
                break
            duals = self.cost[basis] @ inverse
            reduced = self.cost - duals @ self.matrix
            alpha = inverse[r] @ self.matrix
            free = nonbasic & (lo < hi)
            sign = 1.0 if low[r] > 0 else -1.0  # +1: the basic variable must rise
            eligible = free & (
                ((~at_upper) & (sign * alpha < -1e-9)) | (at_upper & (sign * alpha > 1e-9))
            )
            if not eligible.any():
                return self._finish(fixed, basis, at_upper, None, inverse, infeasible=True)
            ratio = np.full(n + m, np.inf)
            ratio[eligible] = np.abs(reduced[eligible]) / np.abs(alpha[eligible])
            entering = int(np.argmin(ratio))
            leaving = basis[r]
            nonbasic[leaving] = True
            at_upper[leaving] = low[r] <= 0  # leaves at the bound it violated
            nonbasic[entering] = False
            at_upper[entering] = False
            basis[r] = entering
            if pivot % 25 == 24:
                inverse = np.linalg.inv(self.matrix[:, basis])
            else:
                column = inverse @ self.matrix[:, entering]
                eta = -column / column[r]
                eta[r] = 1.0 / column[r]
                row = inverse[r].copy()
                inverse = inverse + np.outer(eta, row)
                inverse[r] = eta[r] * row
        z = np.where(at_upper, hi, lo)
        z[~nonbasic] = 0.0
        z[basis] = inverse @ (1.0 - self.matrix @ z)
        return self._finish(
            fixed, basis, at_upper, z, inverse, infeasible=False, converged=converged
        )

    def _finish(
        self,
        fixed: np.ndarray,
        basis: np.ndarray,
        at_upper: np.ndarray,
        z: np.ndarray | None,
        inverse: np.ndarray,
        *,
        infeasible: bool,
        converged: bool = True,
    ) -> _LpState:
        n = self.n
        prices = np.maximum(-(self.cost[basis] @ inverse), 0.0)
        bound = self.lagrangian(fixed, prices)
        if infeasible or z is None:
            return _LpState(basis, at_upper, np.zeros(n), bound, -1, prices)
        x = np.clip(z[:n], 0.0, 1.0)
        fractional = np.flatnonzero((fixed < 0) & (x > 1e-7) & (x < 1 - 1e-7))
        if not converged and fractional.size == 0:
            # The LP stopped early: its point proves nothing, so branch on any free item.
            fractional = np.flatnonzero(fixed < 0)
        branch = int(fractional[np.argmax(self.v[fractional])]) if fractional.size else -1
        return _LpState(basis, at_upper, x, bound, branch, prices)

    def lagrangian(self, fixed: np.ndarray, prices: np.ndarray) -> float:
        """Upper bound on the node's best selection for any prices >= 0."""
        taken = fixed == 1
        free = fixed < 0
        left = 1.0 - self.s[:, taken].sum(axis=1)
        reduced = self.v[free] - prices @ self.s[:, free]
        return float(self.v[taken].sum() + prices @ left + reduced[reduced > 0].sum())


def _round_down(lp: _DualSimplex, fixed: np.ndarray, x: np.ndarray) -> np.ndarray:
    """A feasible selection near an LP solution: its whole items, then fractional ones that fit."""
    chosen = (fixed == 1) | ((fixed < 0) & (x >= 1 - 1e-7))
    left = 1.0 - lp.s[:, chosen].sum(axis=1)
    if np.any(left < -_TOL):
        chosen = fixed == 1
        left = 1.0 - lp.s[:, chosen].sum(axis=1)
    for j in np.flatnonzero((fixed < 0) & ~chosen & (x > 1e-7))[
        np.argsort(-x[(fixed < 0) & ~chosen & (x > 1e-7)])
    ]:
        if np.all(lp.s[:, j] <= left + _TOL):
            chosen[j] = True
            left -= lp.s[:, j]
    return chosen


def _suffix_knapsack(profit: np.ndarray, cost: np.ndarray, top: int) -> np.ndarray:
    """``table[d, r]`` = best total positive profit of items d.. with integer cost <= r."""
    n = profit.size
    table = np.zeros((n + 1, top + 1))
    for d in range(n - 1, -1, -1):
        row = table[d + 1].copy()
        if profit[d] > 0:
            w = int(cost[d])
            if w == 0:
                row += profit[d]
            elif w <= top:
                np.maximum(row[w:], table[d + 1, :-w] + profit[d], out=row[w:])
        table[d] = row
    return table


def _lagrangian(
    value: np.ndarray, scaled: np.ndarray, lower: float, iterations: int = 300
) -> tuple[np.ndarray, float]:
    """Subgradient minimisation of L(u) = sum(u) + sum(max(0, value - u @ scaled)), u >= 0.

    Any u gives an upper bound L(u) on the best selection (rows of ``scaled`` have capacity 1);
    returns the best u found and its bound.
    """
    m = scaled.shape[0]
    u = np.zeros(m)
    best_u, best_bound = u.copy(), float(value.sum())
    theta, stall = 2.0, 0
    for _ in range(iterations):
        reduced = value - u @ scaled
        take = reduced > 0
        bound = float(u.sum() + reduced[take].sum())
        if bound < best_bound - 1e-12:
            best_u, best_bound, stall = u.copy(), bound, 0
        else:
            stall += 1
            if stall >= 8:
                theta, stall = theta / 2, 0
        gap = best_bound - lower
        if theta < 1e-4 or gap <= _tol(lower):
            break
        grad = 1.0 - scaled[:, take].sum(axis=1)
        grad = np.where((u <= 0) & (grad > 0), 0.0, grad)
        norm = float(grad @ grad)
        if norm < 1e-18:
            break
        u = np.maximum(0.0, u - theta * (bound - lower) / norm * grad)
    return best_u, best_bound


def _tol(x: float) -> float:
    return _TOL * max(1.0, abs(x))


def _greedy(
    v: np.ndarray, a: np.ndarray, caps: np.ndarray, resources: Sequence[np.ndarray]
) -> tuple[float, np.ndarray]:
    """Best of greedy fills, one per resource measure (value per unit of it, best first)."""
    n = v.size
    best_value, best_mask = 0.0, np.zeros(n, dtype=bool)
    for use in resources:
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(use > 0, v / np.where(use > 0, use, 1.0), np.inf)
        rem = caps.astype("float64").copy()
        mask = np.zeros(n, dtype=bool)
        for i in np.argsort(-ratio, kind="stable"):
            column = a[:, i]
            if _fits(column, rem):
                rem -= column
                mask[i] = True
        total = float(v[mask].sum())
        if total > best_value:
            best_value, best_mask = total, mask
    return best_value, best_mask


def _fits(need: np.ndarray, rem: np.ndarray) -> bool:
    return bool(np.all(need <= rem + _TOL * np.maximum(np.abs(rem), 1.0)))


def _fits_each(weights: np.ndarray, rem: np.ndarray) -> np.ndarray:
    """Which columns of ``weights`` fit within ``rem`` on their own."""
    return (weights <= (rem + _TOL * np.maximum(np.abs(rem), 1.0))[:, None]).all(axis=0)


def _decode(link: tuple | None, n: int) -> np.ndarray:
    mask = np.zeros(n, dtype=bool)
    while link is not None:
        if link[0] == "rest":
            _, depth, link = link
            mask[depth:] = True
            continue
        depth, link = link
        mask[depth] = True
    return mask
