"""The intake ranking: requests ordered by weighted score, WSJF or RICE, with their rank moves.

Requests are scored across the ranking's pool (the requests awaiting a decision, or every
request with the switch on) and then narrowed to the division filter, so a division's requests
keep their portfolio rank (docs/analytics.md §2.7).
"""

from __future__ import annotations

import pandas as pd

from dashboard.analytics import prioritisation
from dashboard.services.cache import cached
from dashboard.services.intake_requests import (
    CRITERION_LABELS,
    DECIDED_STATUSES,
    METHODS,
    IntakeView,
    display_name,
)
from dashboard.services.intake_weights import method_or_default, weights_key
from dashboard.standards import ScoringWeights

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
    method = method_or_default(method)
    _, rank_column, missing_column, _ = METHODS[method]
    base, scored = _scored(view, weights, include_decided)
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
    if view.divisions:
        ranked = ranked.loc[ranked["division"].isin(view.divisions).to_numpy()]
    return ranked.sort_values(
        ["rank", "request_id"], na_position="last", kind="stable", ignore_index=True
    )


def _scored(
    view: IntakeView, weights: ScoringWeights, include_decided: bool
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The pool scored with the ``pmo.toml`` weights (cached) and with ``weights``."""
    data = view.data
    pool = ranking_pool(data.requests, include_decided)
    if include_decided:
        base = data.base
    else:
        key = ("intake-pending-base", data.version, data.as_of, weights_key(data.weights))
        base = cached(key, lambda: prioritisation.score_requests(pool, data.weights))
    if weights_key(weights) == weights_key(data.weights):
        return base, base
    return base, prioritisation.score_requests(pool, weights)


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


def export_frame(ranked: pd.DataFrame) -> pd.DataFrame:
    """The ranked list as exported: readable headers, numbers as numbers."""
    frame = ranked.filter(items=list(EXPORT_COLUMNS))
    rounded = {c: frame[c].astype("float64").round(2) for c in ("score", "wsjf", "rice")}
    return frame.assign(**rounded).rename(columns=EXPORT_COLUMNS)
