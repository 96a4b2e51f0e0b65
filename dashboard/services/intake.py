"""Intake data: requests ranked by weighted score, WSJF or RICE, and the best set under a budget.

Written for executives (docs/review.md "Intake for executives"): requests are named with their
ids ("REQ-012 Payroll cloud move"), the selection is told in money, decided requests (approved,
rejected, deferred) leave the ranking unless asked for, mandatory or regulatory requests are
always in the recommended set, and when capacity blocks a request the role and month are named.
The scenario (weights, method, budget, switches, forced choices) lives in the URL
(:func:`parse_scenario` / :func:`scenario_query`) so it can be shared as a link.

Requests are scored across the ranking's pool (the requests awaiting a decision, or every
request with the switch on) and then narrowed to the division filter, so a division's requests
keep their portfolio rank. Weights come from the page's sliders,
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
from urllib.parse import urlencode

import numpy as np
import pandas as pd

from dashboard import db, formats
from dashboard.analytics import capacity as capacity_rules
from dashboard.analytics import prioritisation, selection
from dashboard.config import get_standards
from dashboard.services import capacity as capacity_services
from dashboard.services import derived
from dashboard.services.cache import cached
from dashboard.standards import ScoringWeights
from dashboard.url_state import FilterOptions, ViewState, parse_view, query_from_search

METHODS = {
    "weighted": ("score", "score_rank", "missing_inputs", "Weighted score"),
    "wsjf": ("wsjf", "wsjf_rank", "wsjf_missing", "WSJF"),
    "rice": ("rice", "rice_rank", "rice_missing", "RICE"),
}
"""Ranking method -> (value column, rank column, missing-inputs column, label)."""
CANDIDATE_STATUSES = ("submitted", "under_review", "deferred")
"""Statuses the recommended set is chosen from: a deferred request is back in the pool when
money frees up, so the solver may propose it again."""
DECIDED_STATUSES = ("approved", "rejected", "deferred")
"""Statuses out of the ranking by default: leadership has already ruled on them."""
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


def display_name(request_id: object, title: object) -> str:
    """``"REQ-012 Payroll cloud move"``: the id people quote, and the name they recognise."""
    return f"{request_id} {title}" if isinstance(title, str) and title else str(request_id)


def ranking_pool(requests: pd.DataFrame, include_decided: bool) -> pd.DataFrame:
    """The requests the ranking scores: awaiting a decision, or every one with the switch on."""
    if include_decided:
        return requests
    keep = ~requests["status"].isin(DECIDED_STATUSES).to_numpy()
    return requests.loc[keep].reset_index(drop=True)


def rank_requests(
    view: IntakeView, weights: ScoringWeights, method: str, *, include_decided: bool = False
) -> pd.DataFrame:
    """Requests of the view ranked by ``method``, with rank changes and completeness flags.

    Args:
        view: The intake and the division filter.
        weights: Weights from the sliders (``weights_from_sliders``).
        method: ``weighted``, ``wsjf`` or ``rice``.
        include_decided: Rank approved, rejected and deferred requests too (off: only the
            requests still awaiting a decision are scored, so "best = 100" is the best of those).

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
    pool = ranking_pool(data.requests, include_decided)
    if include_decided:
        base = data.base
    else:
        key = ("intake-pending-base", data.version, data.as_of, weights_key(data.weights))
        base = cached(key, lambda: prioritisation.score_requests(pool, data.weights))
    scored = (
        base
        if weights_key(weights) == weights_key(data.weights)
        else prioritisation.score_requests(pool, weights)
    )
    ranked = scored.assign(
        rank=scored[rank_column],
        base_rank=base["score_rank"].to_numpy(),
        name=[
            display_name(i, t) for i, t in zip(scored["request_id"], scored["title"], strict=True)
        ],
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
    name = display_name(top["request_id"], top["title"])
    return f"Top by {label}: {name} ({top[value_column]:,.1f})"


def moves_text(ranked: pd.DataFrame, limit: int = 4) -> str:
    """The largest weighted-rank moves against the ``pmo.toml`` weights, in words."""
    moved = ranked.loc[ranked["rank_change"].fillna(0).to_numpy() != 0]
    entered = ranked.loc[(ranked["change"] == "new").to_numpy()]
    if moved.empty and entered.empty:
        return "Same weighted order as the pmo.toml weights."
    order = moved["rank_change"].abs().astype("float64").sort_values(ascending=False, kind="stable")
    parts = [
        f"{display_name(r, t)} {c}"
        for r, t, c in moved.loc[order.index[:limit], ["request_id", "title", "change"]].values
    ]
    if not entered.empty:
        names = [display_name(r, t) for r, t in entered[["request_id", "title"]].head(limit).values]
        parts.append(f"newly scored: {', '.join(names)}")
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
    "mandatory": "Mandatory",
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
        {"label": display_name(r.request_id, r.title), "value": str(r.request_id)}
        for r in rows.sort_values("request_id").itertuples()
    ]


def default_budget(view: IntakeView) -> float:
    """A starting budget: the mandatory requests, plus a quarter of what the others would cost.

    Rounded up to the £100k (at least £100k), so the plain page always funds the must-do work
    and still has a choice to make.
    """
    rows = _candidates(view.data.requests, view.state.filters.divisions)
    costs = pd.to_numeric(rows["estimated_cost"], errors="coerce").fillna(0.0)
    must = _mandatory(rows)
    total = float(costs[must].sum()) + float(costs[~must].sum()) / 4
    return float(max(100_000, math.ceil(round(total, 2) / 100_000) * 100_000))


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
    mandatory = set(candidates.loc[_mandatory(candidates), "request_id"].astype(str))
    kept = mandatory & forced_out
    if kept:
        notes.append(f"Mandatory, so kept in: {_names(candidates, kept)}.")
        forced_out -= kept
    forced_in |= mandatory
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
        elif mandatory & forced_in:
            demand, free, overrun = _reserve_mandatory(demand, free, mandatory & forced_in)
            if overrun:
                notes.append(f"Mandatory requests alone overrun capacity: {overrun}.")
    kwargs = {
        "demand": demand,
        "capacity": free,
        "forced_in": sorted(forced_in),
        "forced_out": sorted(forced_out),
    }
    result = selection.select_requests(candidates, budget=budget, **kwargs)
    mandatory &= forced_in
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
    table = candidates.reindex(columns=[*TABLE_COLUMNS, "mandatory"])
    table["mandatory"] = _mandatory(candidates)
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
    chosen = candidates["request_id"].isin(result.selected).to_numpy()
    benefits = pd.to_numeric(candidates.loc[chosen, "expected_benefit"], errors="coerce")
    return Recommendation(
        result=result,
        frontier=frontier,
        table=table.reset_index(drop=True),
        budget=budget,
        capacity_used=free is not None,
        notes=tuple(notes),
        benefit=float(benefits.sum()) if benefits.notna().any() else float("nan"),
        mandatory=tuple(sorted(mandatory)),
        blocking=_blocking(candidates, result, demand, free),
        forced_cost=forced_cost,
    )


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


def _mandatory(requests: pd.DataFrame) -> np.ndarray:
    """Which requests are mandatory or regulatory (``mandatory`` true); none without the column."""
    if "mandatory" not in requests.columns:
        return np.zeros(len(requests), dtype=bool)
    return requests["mandatory"].astype("boolean").fillna(False).to_numpy(dtype=bool)


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


def _role_months(frame: pd.DataFrame, column: str) -> pd.Series:
    """``frame[column]`` summed per (role, month period): the grain capacity is checked at."""
    months = frame["month"].map(lambda m: pd.Timestamp(m).to_period("M"))
    values = pd.to_numeric(frame[column], errors="coerce").fillna(0.0)
    return values.groupby([frame["role"].astype(str), months]).sum().rename_axis(["role", "month"])


def _reserve_mandatory(
    demand: pd.DataFrame, free: pd.DataFrame, mandatory: set[str]
) -> tuple[pd.DataFrame, pd.DataFrame, str | None]:
    """Take the mandatory requests' staff off the free capacity before the choice is made.

    Mandatory work is done whatever the capacity, so it must not make the whole selection
    infeasible: its need is subtracted from the free FTE (a role-month it overruns is left at
    0 and named), and the solver then shares out what remains among the other requests.

    Returns:
        The other requests' demand, the capacity left per role-month, and the largest overrun
        in words (``None`` when the mandatory requests fit).
    """
    must = demand["request_id"].isin(mandatory).to_numpy()
    need = _role_months(demand.loc[must], "fte")
    available = _role_months(free.assign(free_fte=free["free_fte"].clip(lower=0)), "free_fte")
    overrun = _shortfall(need, available, "the mandatory requests")
    left = available.sub(need, fill_value=0.0).clip(lower=0.0).reindex(available.index)
    remaining = left.reset_index(name="free_fte")
    remaining["month"] = remaining["month"].dt.to_timestamp()
    return demand.loc[~must], remaining, overrun


def _blocking(
    candidates: pd.DataFrame,
    result: selection.Selection,
    demand: pd.DataFrame | None,
    free: pd.DataFrame | None,
) -> str | None:
    """The role-month short for the best-scored request left out for capacity, in words.

    Capacity left = free capacity - what the chosen requests need, per role and month. The
    unchosen requests are tried best score first; the first whose plan needs more than is left
    somewhere is named with its worst role-month (largest shortfall).
    """
    if demand is None or free is None:
        return None
    left = _role_months(free.assign(free_fte=free["free_fte"].clip(lower=0)), "free_fte")
    need = demand.assign(month=demand["month"].map(lambda m: pd.Timestamp(m).to_period("M")))
    need = need.groupby(["request_id", "role", "month"], as_index=False)["fte"].sum()
    if result.status == "infeasible":
        forced = result.table.loc[result.table["decision"] == "forced in", "request_id"]
        own = need.loc[need["request_id"].isin(forced)].groupby(["role", "month"])["fte"].sum()
        return _shortfall(own, left, "the mandatory and forced-in requests")
    used = need.loc[need["request_id"].isin(result.selected)].groupby(["role", "month"])["fte"]
    left = left.sub(used.sum(), fill_value=0.0)
    eligible = candidates.loc[
        ~candidates["request_id"].isin(result.selected).to_numpy()
        & (pd.to_numeric(candidates["score"], errors="coerce") > 0).to_numpy()
    ].sort_values(["score", "request_id"], ascending=[False, True], kind="stable")
    for row in eligible.itertuples():
        own = need.loc[need["request_id"] == row.request_id].set_index(["role", "month"])["fte"]
        text = _shortfall(own, left, display_name(row.request_id, row.title))
        if text:
            return text
    return None


def _shortfall(need: pd.Series, left: pd.Series, whom: str) -> str | None:
    """``"Developer in 2027-03 is short by 1.5 FTE for <whom>"``: the largest gap, or None."""
    # Only the role-months capacity is known for constrain (as in ``select_requests``).
    short = (need - left.reindex(need.index)).dropna().round(2)
    short = short[short > 0]
    if short.empty:
        return None
    (role, period), gap = short.idxmax(), short.max()
    return f"{role} in {period} is short by {gap:,.1f} FTE for {whom}"


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


def selection_text(recommendation: Recommendation, currency: str) -> str:
    """The result in money, for an executive: what is chosen, its benefit and cost, what blocks.

    "3 requests recommended (1 mandatory): expected benefit £1,200,000 for £480,000 of the
    £500,000 budget." then, when capacity keeps a request out, the blocking role-month, the
    constraints respected and any notes. Scores stay in the grids; the sentence is about money.
    """
    rec = recommendation
    result = rec.result

    def cash(value: float) -> str:
        return formats.money(value, currency)

    if result.status == "infeasible":
        over = (
            f" they cost {cash(rec.forced_cost)} against a budget of {cash(rec.budget)}."
            if rec.forced_cost > rec.budget
            else ""
        )
        lead = "The mandatory and forced-in requests alone do not fit:" + (over or "")
    elif not result.selected:
        lead = f"No request fits the {cash(rec.budget)} budget."
    else:
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
    parts = [lead]
    if rec.blocking:
        parts.append(f"Capacity: {rec.blocking}.")
    scope = "budget and role-by-month capacity" if rec.capacity_used else "budget"
    return " ".join([*parts, *rec.notes, f"Constraints: {scope}."])


# -------------------------------------------------------------------------------- URL scenario

SCENARIO_KEYS = ("method", "budget", "capacity", "decided", "in", "out")
"""Query keys of the intake scenario, besides one ``w_<criterion>`` per weight moved."""
WEIGHT_PREFIX = "w_"


@dataclass(frozen=True)
class Scenario:
    """What the intake controls show, read from the URL (unchecked until used).

    Attributes:
        weights: Criterion -> weight as typed in the URL (``weights_from_sliders`` checks it).
        method: A key of ``METHODS``.
        budget: The budget in the URL, or ``None`` for the default.
        use_capacity: The capacity switch (on unless ``capacity=off``).
        include_decided: The "include decided requests" switch (``decided=include``).
        forced_in: Request ids forced in (``recommend`` drops the unknown ones).
        forced_out: Request ids forced out.
    """

    weights: dict[str, object] = dataclasses.field(default_factory=dict)
    method: str = "weighted"
    budget: float | None = None
    use_capacity: bool = True
    include_decided: bool = False
    forced_in: tuple[str, ...] = ()
    forced_out: tuple[str, ...] = ()


def parse_scenario(query: Mapping[str, object]) -> Scenario:
    """The intake scenario from a URL query (as Pages passes it, or ``query_from_search``).

    Untrusted: weights go through ``weights_from_sliders``, the method through
    ``method_or_default``, a budget that is not a number >= 0 is dropped, and forced ids are
    checked against the candidates by ``recommend``.
    """

    def values(key: str) -> list[str]:
        raw = query.get(key)
        if isinstance(raw, str):
            return [raw]
        return [v for v in raw if isinstance(v, str)] if isinstance(raw, list) else []

    def first(key: str) -> str | None:
        found = values(key)
        return found[0] if found else None

    weights = {
        key.removeprefix(WEIGHT_PREFIX): first(key)
        for key in query
        if isinstance(key, str) and key.startswith(WEIGHT_PREFIX)
    }
    budget = _number(first("budget"))
    return Scenario(
        weights={k: v for k, v in weights.items() if v is not None},
        method=method_or_default(first("method")),
        budget=budget if budget is not None and budget >= 0 else None,
        use_capacity=first("capacity") != "off",
        include_decided=first("decided") == "include",
        forced_in=tuple(dict.fromkeys(values("in"))),
        forced_out=tuple(dict.fromkeys(values("out"))),
    )


def scenario_query(
    search: str | None,
    *,
    base: ScoringWeights,
    weights: ScoringWeights,
    scenario: Scenario,
    default: float,
) -> str:
    """The URL query of the page with the scenario in it: share it and the view comes back.

    Keys the scenario does not own (division, as-of, ...) are kept as they are; only what
    differs from the defaults is written (weights off ``pmo.toml``, a method other than the
    weighted score, a budget other than ``default``, capacity off, decided included), so the
    plain page keeps a plain URL.
    """
    kept = [
        (key, value)
        for key, items in query_from_search(search).items()
        if key not in SCENARIO_KEYS and not key.startswith(WEIGHT_PREFIX)
        for value in items
    ]
    pmo = {c.column: c.weight for c in base.criteria}
    pairs = [
        (f"{WEIGHT_PREFIX}{c.column}", _plain(c.weight))
        for c in weights.criteria
        if c.weight != pmo.get(c.column)
    ]
    if scenario.method != "weighted":
        pairs.append(("method", scenario.method))
    if scenario.budget is not None and scenario.budget != default:
        pairs.append(("budget", _plain(scenario.budget)))
    if not scenario.use_capacity:
        pairs.append(("capacity", "off"))
    if scenario.include_decided:
        pairs.append(("decided", "include"))
    pairs += [("in", i) for i in scenario.forced_in]
    pairs += [("out", i) for i in scenario.forced_out]
    query = urlencode(kept + pairs)
    return f"?{query}" if query else ""


def _plain(number: float) -> str:
    """``3600000.0`` -> ``"3600000"``, ``37.5`` -> ``"37.5"``: no exponent in a shared URL."""
    return str(int(number)) if float(number).is_integer() else f"{number:.2f}".rstrip("0")
