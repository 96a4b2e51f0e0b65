"""Intake data: requests ranked by weighted score, WSJF or RICE, and the best set under a budget.

Requests are scored across the whole intake (as of the date) and then narrowed to the division
filter, so a division's requests keep their portfolio rank. Weights come from the page's sliders,
checked against the criteria of ``pmo.toml`` (unknown criteria are ignored, values clamped);
rank changes compare with the ``pmo.toml`` weights. The recommended set is chosen among requests
still awaiting a decision (submitted, under review, deferred) with ``select_requests``: optimal
under the budget and, when the requests have resource plans, the organisation's free role-by-month
capacity left by active projects and approved requests.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from dashboard import db
from dashboard.analytics import capacity as capacity_rules
from dashboard.analytics import prioritisation, selection
from dashboard.config import get_standards
from dashboard.services import capacity as capacity_services
from dashboard.services import derived
from dashboard.services.cache import cached
from dashboard.standards import ScoringWeights
from dashboard.url_state import FilterOptions, ViewState, parse_view

METHODS = {
    "weighted": ("score", "score_rank", "missing_inputs", "Weighted score"),
    "wsjf": ("wsjf", "wsjf_rank", "wsjf_missing", "WSJF"),
    "rice": ("rice", "rice_rank", "rice_missing", "RICE"),
}
"""Ranking method -> (value column, rank column, missing-inputs column, label)."""
CANDIDATE_STATUSES = ("submitted", "under_review", "deferred")
"""Statuses still awaiting a decision: the candidates for the recommended set."""
SLIDER_MAX = 100
"""Largest weight a slider offers (weights are relative)."""
FRONTIER_STEPS = 12
"""Budget levels of the efficient frontier."""
FRONTIER_MAX_NODES = 500
"""Search cap per frontier level. The frontier is a picture: on a hard instance (capacity
binding in many role-months; 200 requests) a level may stop at the best set found, drawn as an
open marker, which keeps the chart near a second; the chosen budget is solved in full."""

CRITERION_LABELS = {
    "strategic_alignment": "Strategic alignment",
    "expected_benefit": "Expected benefit",
    "urgency": "Urgency",
    "risk": "Risk",
    "estimated_cost": "Estimated cost",
    "effort_person_months": "Effort (person-months)",
    "reach": "Reach",
    "confidence": "Confidence",
    "duration_months": "Duration (months)",
}


@dataclass(frozen=True)
class IntakeData:
    """Every request as of a date, scored with the ``pmo.toml`` weights.

    Attributes:
        version: The data version.
        as_of: The as-of date.
        requests: ``snap.requests(as_of)``.
        base: ``score_requests`` output with the ``pmo.toml`` weights.
        weights: The ``pmo.toml`` scoring weights.
        options: Filter values that exist (the URL allowlist).
    """

    version: int
    as_of: date
    requests: pd.DataFrame
    base: pd.DataFrame
    weights: ScoringWeights
    options: FilterOptions


@dataclass(frozen=True)
class IntakeView:
    """The intake as the URL asks: the data and the checked filter state."""

    data: IntakeData
    state: ViewState


@dataclass(frozen=True)
class Recommendation:
    """The recommended set for a budget, and the frontier it sits on.

    Attributes:
        result: ``select_requests`` output.
        frontier: ``efficient_frontier`` output (the chosen budget is one of its levels).
        table: One row per candidate: id, title, division, status, score, cost, decision.
        budget: The budget used.
        capacity_used: Whether role-by-month capacity constrained the choice.
        notes: Why some inputs were ignored (a request both forced in and out, ...).
    """

    result: selection.Selection
    frontier: pd.DataFrame
    table: pd.DataFrame
    budget: float
    capacity_used: bool
    notes: tuple[str, ...]


def intake_data(as_of: date) -> IntakeData:
    """Requests as of ``as_of`` scored with the ``pmo.toml`` weights; once per data version.

    Stored per (version, standards) for every process (``derived``; docs/performance.md).

    Raises:
        db.NoData: Nothing has been published yet.
    """
    with db.snapshot() as snap:
        return derived.derived(snap.version, ("intake", as_of), lambda: _build(snap, as_of))


def _build(snap: db.Snapshot, as_of: date) -> IntakeData:
    weights = get_standards().scoring
    requests = snap.requests(as_of).reset_index(drop=True)
    divisions = tuple(sorted(requests["division"].dropna().astype(str).unique()))
    return IntakeData(
        version=snap.version,
        as_of=as_of,
        requests=requests,
        base=prioritisation.score_requests(requests, weights),
        weights=weights,
        options=FilterOptions(divisions=divisions),
    )


def intake_state(query: dict, today: date) -> ViewState:
    """The URL query checked against the divisions that have requests.

    Raises:
        db.NoData: Nothing has been published yet.
    """
    return parse_view(query, intake_data(today).options, today)


def intake_view(query: dict, today: date) -> IntakeView:
    """Parse the URL query and load the intake at its as-of date.

    Raises:
        db.NoData: Nothing has been published yet.
    """
    state = intake_state(query, today)
    return IntakeView(data=intake_data(state.as_of), state=state)


# -------------------------------------------------------------------------------- weights


def slider_criteria(weights: ScoringWeights) -> list[dict]:
    """One slider per ``pmo.toml`` criterion: column, label, weight, direction."""
    return [
        {
            "column": c.column,
            "label": CRITERION_LABELS.get(c.column, c.column.replace("_", " ").capitalize()),
            "weight": c.weight,
            "higher_is_better": c.higher_is_better,
        }
        for c in weights.criteria
    ]


def weights_from_sliders(
    base: ScoringWeights, values: Mapping[str, object]
) -> tuple[ScoringWeights, str | None]:
    """Slider values as scoring weights, checked against the ``pmo.toml`` criteria.

    Args:
        base: The ``pmo.toml`` weights (the allowlist of criteria and their directions).
        values: Criterion -> slider value; unknown criteria are ignored, values that are not
            numbers keep the ``pmo.toml`` weight, others are clamped to 0..``SLIDER_MAX``.

    Returns:
        The weights, and a notice when they could not be used (every weight 0: the
        ``pmo.toml`` weights are used instead).
    """
    criteria = []
    for criterion in base.criteria:
        weight = _number(values.get(criterion.column))
        weight = criterion.weight if weight is None else min(max(weight, 0.0), SLIDER_MAX)
        criteria.append(dataclasses.replace(criterion, weight=weight))
    if not any(c.weight > 0 for c in criteria):
        return base, "Give at least one criterion a weight above 0; showing the pmo.toml weights."
    return dataclasses.replace(base, criteria=tuple(criteria)), None


def slider_values(slider_ids: object, values: object) -> dict[str, object]:
    """Pair pattern-matching slider ids (``{"index": criterion}``) with their values.

    Anything malformed (not lists, lengths differ, ids without an ``index``) is skipped;
    ``weights_from_sliders`` then checks the criteria and the values.
    """
    if not isinstance(slider_ids, list) or not isinstance(values, list):
        return {}
    if len(slider_ids) != len(values):
        return {}
    return {
        i["index"]: v
        for i, v in zip(slider_ids, values, strict=True)
        if isinstance(i, dict) and isinstance(i.get("index"), str)
    }


def base_slider_values(base: ScoringWeights, slider_ids: object) -> list[float]:
    """The ``pmo.toml`` weight for each slider, in the sliders' order (0 for an unknown one)."""
    weights = {c.column: c.weight for c in base.criteria}
    ids = slider_ids if isinstance(slider_ids, list) else []
    return [weights.get(i.get("index"), 0.0) if isinstance(i, dict) else 0.0 for i in ids]


def weights_key(weights: ScoringWeights) -> tuple:
    """A hashable key of the weights, for the cache."""
    return tuple((c.column, c.weight) for c in weights.criteria)


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def method_or_default(method: object) -> str:
    """A ranking method from ``METHODS`` (anything else is ``weighted``)."""
    return method if isinstance(method, str) and method in METHODS else "weighted"


# -------------------------------------------------------------------------------- ranking


def rank_requests(view: IntakeView, weights: ScoringWeights, method: str) -> pd.DataFrame:
    """Requests of the view ranked by ``method``, with rank changes and completeness flags.

    Args:
        view: The intake and the division filter.
        weights: Weights from the sliders (``weights_from_sliders``).
        method: ``weighted``, ``wsjf`` or ``rice``.

    Returns:
        ``score_requests`` output for the view's requests plus ``rank`` (by ``method``; NA when
        not ranked), ``base_rank`` (weighted rank with the ``pmo.toml`` weights),
        ``rank_change`` (base - new weighted rank: positive = moved up), ``change`` (``"↑3"``,
        ``"↓2"``, ``"–"``, ``"new"``, or ``""`` when not scored), ``complete`` and
        ``completeness`` (``"Complete"`` or ``"Missing: ..."`` for ``method``'s inputs); best
        first, unranked last.
    """
    data = view.data
    method = method_or_default(method)
    _, rank_column, missing_column, _ = METHODS[method]
    scored = (
        data.base
        if weights_key(weights) == weights_key(data.weights)
        else prioritisation.score_requests(data.requests, weights)
    )
    ranked = scored.assign(
        rank=scored[rank_column],
        base_rank=data.base["score_rank"].to_numpy(),
    )
    ranked["rank_change"] = (ranked["base_rank"] - ranked["score_rank"]).astype("Int64")
    ranked["change"] = [
        _change_label(new, old, moved)
        for new, old, moved in zip(
            ranked["score_rank"], ranked["base_rank"], ranked["rank_change"], strict=True
        )
    ]
    missing = ranked[missing_column].fillna("")
    ranked["complete"] = (missing == "").to_numpy()
    ranked["completeness"] = [
        "Complete" if not text else "Missing: " + _labels(text) for text in missing
    ]
    divisions = view.state.filters.divisions
    if divisions:
        ranked = ranked.loc[ranked["division"].isin(divisions).to_numpy()]
    return ranked.sort_values(
        ["rank", "request_id"], na_position="last", kind="stable", ignore_index=True
    )


def _change_label(new: object, old: object, moved: object) -> str:
    if pd.isna(new):
        return ""
    if pd.isna(old):
        return "new"
    if moved > 0:
        return f"↑{moved}"
    if moved < 0:
        return f"↓{-moved}"
    return "–"


def _labels(missing: str) -> str:
    return ", ".join(CRITERION_LABELS.get(m, m) for m in missing.split(", ") if m)


def top_text(ranked: pd.DataFrame, method: str) -> str:
    """``"Top by weighted score: REQ-036 · Title (100.0)"``."""
    value_column, _, _, label = METHODS[method_or_default(method)]
    if ranked.empty or pd.isna(ranked["rank"].iloc[0]):
        return f"No request can be ranked by {label}."
    top = ranked.iloc[0]
    return f"Top by {label}: {top['request_id']} · {top['title']} ({top[value_column]:,.1f})"


def moves_text(ranked: pd.DataFrame, limit: int = 4) -> str:
    """The largest weighted-rank moves against the ``pmo.toml`` weights, in words."""
    moved = ranked.loc[ranked["rank_change"].fillna(0).to_numpy() != 0]
    entered = ranked.loc[(ranked["change"] == "new").to_numpy()]
    if moved.empty and entered.empty:
        return "Same weighted order as the pmo.toml weights."
    order = moved["rank_change"].abs().astype("float64").sort_values(ascending=False, kind="stable")
    parts = [f"{r} {c}" for r, c in moved.loc[order.index[:limit], ["request_id", "change"]].values]
    if not entered.empty:
        parts.append(f"newly scored: {', '.join(entered['request_id'].head(limit))}")
    return f"Moved vs pmo.toml weights ({len(moved)} requests): " + " · ".join(parts)


EXPORT_COLUMNS = {
    "rank": "Rank",
    "change": "Weighted rank vs pmo.toml",
    "request_id": "Request ID",
    "title": "Title",
    "division": "Division",
    "status": "Status",
    "score": "Weighted score",
    "score_rank": "Weighted rank",
    "wsjf": "WSJF",
    "wsjf_rank": "WSJF rank",
    "rice": "RICE",
    "rice_rank": "RICE rank",
    "completeness": "Completeness",
    "estimated_cost": "Estimated cost",
    "expected_benefit": "Expected benefit",
    "sponsor": "Sponsor",
}


def export_frame(ranked: pd.DataFrame) -> pd.DataFrame:
    """The ranked list as exported: readable headers, numbers as numbers."""
    columns = [c for c in EXPORT_COLUMNS if c in ranked.columns]
    frame = ranked[columns].copy()
    for column in ("score", "wsjf", "rice"):
        frame[column] = frame[column].astype("float64").round(2)
    return frame.rename(columns=EXPORT_COLUMNS)


# -------------------------------------------------------------------------------- selection


def candidate_choices(view: IntakeView) -> list[dict[str, str]]:
    """Force-in / force-out options: requests awaiting a decision in the view."""
    rows = _candidates(view.data.requests, view.state.filters.divisions)
    return [
        {"label": f"{r.request_id} · {r.title}", "value": str(r.request_id)}
        for r in rows.sort_values("request_id").itertuples()
    ]


def default_budget(view: IntakeView) -> float:
    """A starting budget: a quarter of what the candidates would cost, to the £100k."""
    rows = _candidates(view.data.requests, view.state.filters.divisions)
    total = float(rows["estimated_cost"].sum(skipna=True))
    return float(max(100_000, round(total / 4 / 100_000) * 100_000))


def budget_or_default(view: IntakeView, budget: object) -> float:
    """The budget typed in, or the default when it is empty, not a number or negative."""
    value = _number(budget)
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
    allowed = set(_candidates(data.requests, view.state.filters.divisions)["request_id"])
    wanted_in = {i for i in forced_in if isinstance(i, str) and i in allowed}
    wanted_out = {i for i in forced_out if isinstance(i, str) and i in allowed}
    key = (
        "intake-recommend",
        data.version,
        data.as_of,
        view.state.filters.divisions,
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


def _recommend(
    view: IntakeView,
    weights: ScoringWeights,
    budget: float,
    forced_in: set[str],
    forced_out: set[str],
    use_capacity: bool,
) -> Recommendation:
    notes: list[str] = []
    both = forced_in & forced_out
    if both:
        notes.append(f"Both forced in and out, so neither: {', '.join(sorted(both))}.")
        forced_in, forced_out = forced_in - both, forced_out - both
    scored = prioritisation.score_requests(view.data.requests, weights)
    candidates = _candidates(scored, view.state.filters.divisions).reset_index(drop=True)
    no_cost = {
        i
        for i in forced_in
        if not (candidates.loc[candidates["request_id"] == i, "estimated_cost"] >= 0).any()
    }
    if no_cost:
        notes.append(f"No estimated cost, so not forced in: {', '.join(sorted(no_cost))}.")
        forced_in -= no_cost
    demand, free = (None, None)
    if use_capacity:
        demand, free = _capacity(view, candidates)
        if demand is None:
            notes.append("No resource plans for these requests: budget only.")
    kwargs = {
        "demand": demand,
        "capacity": free,
        "forced_in": sorted(forced_in),
        "forced_out": sorted(forced_out),
    }
    result = selection.select_requests(candidates, budget=budget, **kwargs)
    forced_cost = float(
        candidates.loc[candidates["request_id"].isin(forced_in), "estimated_cost"].sum()
    )
    eligible_cost = float(candidates["estimated_cost"].where(candidates["score"] > 0).sum())
    top = max(forced_cost + eligible_cost, budget)
    levels = np.linspace(forced_cost, top, FRONTIER_STEPS + 1)[1:]
    frontier = selection.efficient_frontier(
        candidates,
        budgets=sorted({*levels.tolist(), budget}),
        max_nodes=FRONTIER_MAX_NODES,
        **kwargs,
    )
    frontier.loc[frontier["budget"] == budget, ["value", "cost", "status"]] = [
        result.total_value if result.status != "infeasible" else np.nan,
        result.total_cost if result.status != "infeasible" else np.nan,
        result.status,
    ]
    table = candidates[["request_id", "title", "division", "status", "score", "estimated_cost"]]
    table = table.merge(result.table[["request_id", "selected", "decision"]], on="request_id")
    table = table.sort_values(
        ["selected", "score"], ascending=[False, False], na_position="last", kind="stable"
    )
    return Recommendation(
        result=result,
        frontier=frontier,
        table=table.reset_index(drop=True),
        budget=budget,
        capacity_used=free is not None,
        notes=tuple(notes),
    )


def _candidates(requests: pd.DataFrame, divisions: tuple[str, ...]) -> pd.DataFrame:
    keep = requests["status"].isin(CANDIDATE_STATUSES).to_numpy()
    if divisions:
        keep = keep & requests["division"].isin(divisions).to_numpy()
    return requests.loc[keep]


def _capacity(
    view: IntakeView, candidates: pd.DataFrame
) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """Candidates' full demand per role-month, and the free capacity without the pipeline.

    Capacity is the whole organisation's even under a division filter: a division's requests
    are staffed from every division's people.
    """
    model = capacity_services.capacity_model(view.data.as_of, (), pipeline=False)
    demand = capacity_rules.request_demand(model.demand)
    demand = demand.loc[demand["request_id"].isin(candidates["request_id"]).to_numpy()]
    if demand.empty:
        return None, None
    return demand, model.by_role[["role", "month", "free_fte"]]


def selection_text(recommendation: Recommendation) -> str:
    """The result in words: the solver's sentence, what it respected, and any notes."""
    scope = "budget and role-by-month capacity" if recommendation.capacity_used else "budget"
    return " ".join(
        [recommendation.result.message, f"Constraints: {scope}.", *recommendation.notes]
    )
