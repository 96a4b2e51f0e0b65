"""The intake's recommended set: the best requests under a budget and capacity, told in money.

Written for executives (docs/review.md "Intake for executives"): the selection is told in money,
mandatory or regulatory requests are always in the recommended set, and when capacity blocks a
request the role and month are named. The set is chosen among requests still awaiting a decision
with ``select_requests``: optimal under the budget and, when the requests have resource plans,
the organisation's free role-by-month capacity (docs/analytics.md §3.6).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard import formats
from dashboard.analytics import prioritisation, selection
from dashboard.services import intake_capacity
from dashboard.services.cache import cached
from dashboard.services.intake_requests import (
    IntakeView,
    candidate_requests,
    display_name,
    mandatory_mask,
)
from dashboard.services.intake_weights import parse_number, weights_key
from dashboard.standards import ScoringWeights

FRONTIER_STEPS = 12
"""Budget levels of the efficient frontier."""
FRONTIER_MAX_NODES = 500
"""Search cap per frontier level. The frontier is a picture: on a hard instance (capacity
binding in many role-months; 200 requests) a level may stop at the best set found, drawn as an
open marker, which keeps the chart near a second; the chosen budget is solved in full."""
TABLE_COLUMNS = (
    "request_id",
    "title",
    "division",
    "status",
    "score",
    "estimated_cost",
    "expected_benefit",
)
"""Candidate columns the selection table keeps (``Recommendation.table`` adds the rest)."""


@dataclass(frozen=True)
class Recommendation:
    """The recommended set for a budget, and the frontier it sits on.

    Attributes:
        result: ``select_requests`` output.
        frontier: ``efficient_frontier`` output (the chosen budget is one of its levels).
        table: One row per candidate: id, title, division, status, score, cost, benefit,
            ``mandatory``, ``selected``, ``decision`` (the solver's code: "chosen", "forced in",
            ...; the monthly review reads it), ``decision_text`` (words for the page: "Chosen",
            "Must do (mandatory)", ...) and ``name``.
        budget: The budget used.
        capacity_used: Whether role-by-month capacity constrained the choice.
        notes: Why some inputs were ignored (a request both forced in and out, ...).
        benefit: Expected benefit (money) of the chosen requests; NaN when none gives one.
        mandatory: Ids of the mandatory requests forced in.
        blocking: The role-month that keeps the best unchosen request out, in words
            ("Developer in 2027-03 is short by 1.5 FTE for REQ-012 Payroll cloud move"), or
            ``None`` when capacity blocks nothing.
        forced_cost: What the mandatory and forced-in requests cost together.
    """

    result: selection.Selection
    frontier: pd.DataFrame
    table: pd.DataFrame
    budget: float
    capacity_used: bool
    notes: tuple[str, ...]
    benefit: float = float("nan")
    mandatory: tuple[str, ...] = ()
    blocking: str | None = None
    forced_cost: float = 0.0


def candidate_choices(view: IntakeView) -> list[dict[str, str]]:
    """Force-in / force-out options: requests awaiting a decision in the view."""
    rows = candidate_requests(view.data.requests, view.divisions)
    return [
        {"label": display_name(r.request_id, r.title), "value": str(r.request_id)}
        for r in rows.sort_values("request_id").itertuples()
    ]


def default_budget(view: IntakeView) -> float:
    """A starting budget: the mandatory requests, plus a quarter of what the others would cost.

    Rounded up to the £100k (at least £100k), so the plain page always funds the must-do work
    and still has a choice to make.
    """
    rows = candidate_requests(view.data.requests, view.divisions)
    costs = pd.to_numeric(rows["estimated_cost"], errors="coerce").fillna(0.0)
    must = mandatory_mask(rows)
    total = float(costs[must].sum()) + float(costs[~must].sum()) / 4
    return float(max(100_000, math.ceil(round(total, 2) / 100_000) * 100_000))


def budget_or_default(view: IntakeView, budget: object) -> float:
    """The budget typed in, or the default when it is empty, not a number or negative."""
    value = parse_number(budget)
    return value if value is not None and value >= 0 else default_budget(view)


def recommend(
    view: IntakeView,
    weights: ScoringWeights,
    *,
    budget: float,
    forced_in: Iterable[str] = (),
    forced_out: Iterable[str] = (),
    use_capacity: bool = True,
) -> Recommendation:
    """The best set of candidates under ``budget`` (and capacity), and the efficient frontier.

    Args:
        view: The intake and the division filter.
        weights: The values maximised are the weighted scores with these weights.
        budget: Money available (>= 0).
        forced_in: Request ids that must be chosen; unknown ids and ids without a cost are
            ignored (with a note).
        forced_out: Request ids that must not be chosen; unknown ids are ignored.
        use_capacity: Respect the free role-by-month capacity when the requests have plans.

    Returns:
        A :class:`Recommendation`; cached per data version, weights, budget and choices.
    """
    data = view.data
    allowed = set(candidate_requests(data.requests, view.divisions)["request_id"])
    wanted_in = {i for i in forced_in if isinstance(i, str) and i in allowed}
    wanted_out = {i for i in forced_out if isinstance(i, str) and i in allowed}
    key = (
        "intake-recommend",
        data.version,
        data.as_of,
        view.divisions,
        weights_key(weights),
        float(budget),
        tuple(sorted(wanted_in)),
        tuple(sorted(wanted_out)),
        bool(use_capacity),
    )
    return cached(
        key,
        lambda: _recommend(view, weights, float(budget), wanted_in, wanted_out, use_capacity),
    )


@dataclass(frozen=True)
class _Choices:
    """The forced choices as the solver gets them, and the notes on what was dropped."""

    forced_in: set[str]
    forced_out: set[str]
    mandatory: set[str]  # the mandatory requests among ``forced_in``
    notes: tuple[str, ...]


def _recommend(
    view: IntakeView,
    weights: ScoringWeights,
    budget: float,
    forced_in: set[str],
    forced_out: set[str],
    use_capacity: bool,
) -> Recommendation:
    scored = prioritisation.score_requests(view.data.requests, weights)
    candidates = candidate_requests(scored, view.divisions).reset_index(drop=True)
    choices = _choices(candidates, forced_in, forced_out)
    demand, free, capacity_notes = (None, None, [])
    if use_capacity:
        demand, free, capacity_notes = _capacity(view, candidates, choices.mandatory)
    limits = {
        "demand": demand,
        "capacity": free,
        "forced_in": sorted(choices.forced_in),
        "forced_out": sorted(choices.forced_out),
    }
    result = selection.select_requests(candidates, budget=budget, **limits)
    forced = candidates["request_id"].isin(choices.forced_in)
    forced_cost = float(candidates.loc[forced, "estimated_cost"].sum())
    chosen = candidates["request_id"].isin(result.selected).to_numpy()
    benefits = pd.to_numeric(candidates.loc[chosen, "expected_benefit"], errors="coerce")
    return Recommendation(
        result=result,
        frontier=_frontier(candidates, result, budget, forced_cost, limits),
        table=_decision_table(candidates, result, choices.mandatory),
        budget=budget,
        capacity_used=free is not None,
        notes=(*choices.notes, *capacity_notes),
        benefit=float(benefits.sum()) if benefits.notna().any() else float("nan"),
        mandatory=tuple(sorted(choices.mandatory)),
        blocking=intake_capacity.blocking_text(candidates, result, demand, free),
        forced_cost=forced_cost,
    )


def _choices(candidates: pd.DataFrame, forced_in: set[str], forced_out: set[str]) -> _Choices:
    """Forced choices made consistent: mandatory requests in, contradictions and no cost out."""
    notes: list[str] = []
    both = forced_in & forced_out
    if both:
        notes.append(f"Both forced in and out, so neither: {', '.join(sorted(both))}.")
        forced_in, forced_out = forced_in - both, forced_out - both
    mandatory = set(candidates.loc[mandatory_mask(candidates), "request_id"].astype(str))
    kept = mandatory & forced_out
    if kept:
        notes.append(f"Mandatory, so kept in: {_names(candidates, kept)}.")
        forced_out = forced_out - kept
    forced_in = forced_in | mandatory
    no_cost = {
        i
        for i in forced_in
        if not (candidates.loc[candidates["request_id"] == i, "estimated_cost"] >= 0).any()
    }
    if no_cost:
        notes.append(f"No estimated cost, so not forced in: {', '.join(sorted(no_cost))}.")
        forced_in = forced_in - no_cost
    return _Choices(forced_in, forced_out, mandatory & forced_in, tuple(notes))


def _capacity(
    view: IntakeView, candidates: pd.DataFrame, mandatory: set[str]
) -> tuple[pd.DataFrame | None, pd.DataFrame | None, list[str]]:
    """The candidates' demand and the free capacity (mandatory staff off first), with notes."""
    demand, free = intake_capacity.candidate_capacity(view, candidates)
    if demand is None:
        return None, None, ["No resource plans for these requests: budget only."]
    if not mandatory:
        return demand, free, []
    demand, free, overrun = intake_capacity.reserve_mandatory(demand, free, mandatory)
    return (
        demand,
        free,
        [f"Mandatory requests alone overrun capacity: {overrun}."] if overrun else [],
    )


def _frontier(
    candidates: pd.DataFrame,
    result: selection.Selection,
    budget: float,
    forced_cost: float,
    limits: dict,
) -> pd.DataFrame:
    """The efficient frontier up to every eligible request, the chosen budget one of its levels.

    The chosen budget's level shows the full solve (the frontier's levels are capped).
    """
    eligible_cost = float(candidates["estimated_cost"].where(candidates["score"] > 0).sum())
    top = max(forced_cost + eligible_cost, budget)
    levels = np.linspace(forced_cost, top, FRONTIER_STEPS + 1)[1:]
    frontier = selection.efficient_frontier(
        candidates,
        budgets=sorted({*levels.tolist(), budget}),
        max_nodes=FRONTIER_MAX_NODES,
        **limits,
    )
    frontier.loc[frontier["budget"] == budget, ["value", "cost", "status"]] = [
        result.total_value if result.status != "infeasible" else np.nan,
        result.total_cost if result.status != "infeasible" else np.nan,
        result.status,
    ]
    return frontier


def _decision_table(
    candidates: pd.DataFrame, result: selection.Selection, mandatory: set[str]
) -> pd.DataFrame:
    """One row per candidate with the solver's decision, in code and in words; chosen first."""
    table = candidates.reindex(columns=[*TABLE_COLUMNS, "mandatory"])
    table["mandatory"] = mandatory_mask(candidates)
    table = table.merge(result.table[["request_id", "selected", "decision"]], on="request_id")
    table["decision_text"] = [
        _decision_words(d, i in mandatory)
        for i, d in zip(table["request_id"], table["decision"], strict=True)
    ]
    table["name"] = [
        display_name(i, t) for i, t in zip(table["request_id"], table["title"], strict=True)
    ]
    table = table.sort_values(
        ["selected", "score"], ascending=[False, False], na_position="last", kind="stable"
    )
    return table.reset_index(drop=True)


def _names(requests: pd.DataFrame, ids: Iterable[str]) -> str:
    titles = dict(zip(requests["request_id"].astype(str), requests["title"], strict=True))
    return ", ".join(display_name(i, titles.get(i)) for i in sorted(ids))


def _decision_words(decision: str, mandatory: bool) -> str:
    """The solver's decision as a sentence start: "Chosen", "Must do (mandatory)", ..."""
    if mandatory and decision == "forced in":
        return "Must do (mandatory)"
    return formats_decision(decision)


def formats_decision(decision: str) -> str:
    """``"does not fit: needs 1.50 of Developer 2027-03 (FTE), 0.00 left"`` -> capitalised."""
    return decision[:1].upper() + decision[1:]


def selection_text(recommendation: Recommendation, currency: str) -> str:
    """The result in money, for an executive: what is chosen, its benefit and cost, what blocks.

    "3 requests recommended (1 mandatory): expected benefit £1,200,000 for £480,000 of the
    £500,000 budget." then, when capacity keeps a request out, the blocking role-month, the
    constraints respected and any notes. Scores stay in the grids; the sentence is about money.
    """
    rec = recommendation
    parts = [_lead(rec, currency)]
    if rec.blocking:
        parts.append(f"Capacity: {rec.blocking}.")
    scope = "budget and role-by-month capacity" if rec.capacity_used else "budget"
    return " ".join([*parts, *rec.notes, f"Constraints: {scope}."])


def _lead(rec: Recommendation, currency: str) -> str:
    """The first sentence of :func:`selection_text`: the verdict in money."""
    result = rec.result

    def cash(value: float) -> str:
        return formats.money(value, currency)

    if result.status == "infeasible":
        over = (
            f" they cost {cash(rec.forced_cost)} against a budget of {cash(rec.budget)}."
            if rec.forced_cost > rec.budget
            else ""
        )
        return "The mandatory and forced-in requests alone do not fit:" + (over or "")
    if not result.selected:
        return f"No request fits the {cash(rec.budget)} budget."
    count = len(result.selected)
    noun = "request" if count == 1 else "requests"
    must = f" ({len(rec.mandatory)} mandatory)" if rec.mandatory else ""
    benefit = (
        "expected benefit not given"
        if math.isnan(rec.benefit)
        else f"expected benefit {cash(rec.benefit)}"
    )
    lead = (
        f"{count} {noun} recommended{must}: {benefit} for {cash(result.total_cost)} "
        f"of the {cash(rec.budget)} budget."
    )
    if result.status != "optimal":
        lead += " Best found (search capped), not proven optimal."
    return lead
