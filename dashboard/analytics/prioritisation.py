"""Prioritisation of intake requests: completeness gate, weighted score, WSJF, RICE, sensitivity.

Weighted score (criteria and weights from ``[scoring.weights]``):

1. **Gate.** A request is *assessable* when every criterion with a weight above 0 has a value;
   otherwise it is not scored and ``missing_inputs`` lists what is missing.
2. **Normalise** each criterion c across the assessable requests only:
   ``n_c = (x - min_c) / (max_c - min_c)``, or ``(max_c - x) / (max_c - min_c)`` when lower is
   better; when every request has the same value, ``n_c = 1`` for all (nobody is worse).
3. **Weight**: ``raw = sum_c w_c * n_c / sum_c w_c``.
4. **Scale** so the best request scores 100: ``score = 100 * raw / max(raw)``. Each criterion's
   share of it is ``<criterion>_points = 100 * w_c * n_c / (sum_c w_c * max(raw))``, so the points
   add up to the score.

WSJF = cost of delay / job size, cost of delay = the sum of the configured 1-5 fields (business
value, time criticality, risk reduction; "" leaves one out); RICE = reach x impact x confidence /
effort. Both are computed where their own inputs are present (job size/effort above 0) and are
ranked on their own; they are shown beside the weighted score, not blended into it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from dashboard.analytics._checks import column_or_na, require_columns, to_float
from dashboard.standards import Criterion, ScoringWeights

SENSITIVITY_COLUMNS = (
    "criterion",
    "change",
    "factor",
    "request_id",
    "rank_before",
    "rank_after",
    "rank_change",
    "score_before",
    "score_after",
)
"""Columns of :func:`weight_sensitivity`, in order."""


def score_requests(requests: pd.DataFrame, weights: ScoringWeights) -> pd.DataFrame:
    """Gate, score and rank requests by weighted score, WSJF and RICE.

    Args:
        requests: One row per request; needs ``request_id`` and every criterion column with a
            weight above 0; the WSJF/RICE fields are used when present.
        weights: Criteria, weights and WSJF/RICE field mapping from ``pmo.toml``.

    Returns:
        Copy of ``requests`` with ``assessable`` (bool), ``missing_inputs`` (comma-separated, ""
        when complete), ``<criterion>_points`` per weighted criterion, ``score`` (0-100, best =
        100; NaN when not assessable), ``score_rank`` (1 = best, ties share the best rank; NA
        when not assessable), ``wsjf_cost_of_delay``, ``wsjf``, ``wsjf_rank``, ``wsjf_missing``,
        ``rice``, ``rice_rank``, ``rice_missing``.
    """
    criteria = weights.active
    require_columns(requests, {"request_id", *(c.column for c in criteria)}, fn="score_requests")
    matrix, missing = _criteria_matrix(requests, criteria)
    assessable = ~missing.any(axis=1)
    w = np.array([c.weight for c in criteria], dtype="float64")
    normalised = _normalise(matrix, assessable, criteria)
    points, score = _points(normalised, w, assessable)

    out = requests.copy()
    out["assessable"] = assessable
    out["missing_inputs"] = _missing_text(missing, [c.column for c in criteria])
    for k, criterion in enumerate(criteria):
        out[f"{criterion.column}_points"] = points[:, k]
    out["score"] = score
    out["score_rank"] = _rank(score)

    wsjf, cod, wsjf_missing = _wsjf(requests, weights)
    out["wsjf_cost_of_delay"] = cod
    out["wsjf"] = wsjf
    out["wsjf_rank"] = _rank(wsjf)
    out["wsjf_missing"] = wsjf_missing
    rice, rice_missing = _rice(requests, weights)
    out["rice"] = rice
    out["rice_rank"] = _rank(rice)
    out["rice_missing"] = rice_missing
    return out


def weight_sensitivity(
    requests: pd.DataFrame, weights: ScoringWeights, *, step: float = 0.2
) -> pd.DataFrame:
    """Show how the weighted-score ranking moves when each weight moves up or down by ``step``.

    One weight at a time is multiplied by ``1 + step`` and by ``1 - step`` (the others stay), the
    scores are recomputed with the same normalisation, and the ranks compared.

    Args:
        requests: As for :func:`score_requests`.
        weights: The base weights.
        step: Relative move of a weight (0.2 = ±20 %); between 0 and 1.

    Returns:
        One row per weighted criterion x direction x assessable request: ``criterion``,
        ``change`` (e.g. ``"+20%"``), ``factor``, ``request_id``, ``rank_before``, ``rank_after``,
        ``rank_change`` (before - after: positive = moved up), ``score_before``, ``score_after``;
        sorted by criterion, change and rank_after.
    """
    if not 0 < step < 1:
        raise ValueError(f"weight_sensitivity: step must be between 0 and 1, got {step}")
    criteria = weights.active
    require_columns(
        requests, {"request_id", *(c.column for c in criteria)}, fn="weight_sensitivity"
    )
    matrix, missing = _criteria_matrix(requests, criteria)
    assessable = ~missing.any(axis=1)
    if not criteria or not assessable.any():
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in SENSITIVITY_COLUMNS})
    normalised = _normalise(matrix, assessable, criteria)
    base_w = np.array([c.weight for c in criteria], dtype="float64")
    _, base_score = _points(normalised, base_w, assessable)
    before = pd.DataFrame(
        {
            "request_id": requests["request_id"].to_numpy()[assessable],
            "rank_before": _rank(base_score)[assessable],
            "score_before": base_score[assessable],
        }
    )
    frames = []
    for k, criterion in enumerate(criteria):
        for factor in (1 + step, 1 - step):
            w = base_w.copy()
            w[k] *= factor
            _, score = _points(normalised, w, assessable)
            frames.append(
                before.assign(
                    criterion=criterion.column,
                    change=f"{(factor - 1) * 100:+.0f}%",
                    factor=factor,
                    rank_after=_rank(score)[assessable],
                    score_after=score[assessable],
                )
            )
    result = pd.concat(frames, ignore_index=True)
    result["rank_change"] = result["rank_before"] - result["rank_after"]
    return result[list(SENSITIVITY_COLUMNS)].sort_values(
        ["criterion", "change", "rank_after"], kind="stable", ignore_index=True
    )


# --------------------------------------------------------------------------------------------
# helpers


def _criteria_matrix(
    requests: pd.DataFrame, criteria: Sequence[Criterion]
) -> tuple[np.ndarray, np.ndarray]:
    columns = [to_float(requests[c.column]).to_numpy() for c in criteria]
    if not columns:
        return np.empty((len(requests), 0)), np.zeros((len(requests), 0), dtype=bool)
    matrix = np.column_stack(columns)
    return matrix, np.isnan(matrix)


def _normalise(
    matrix: np.ndarray, assessable: np.ndarray, criteria: Sequence[Criterion]
) -> np.ndarray:
    """Min-max normalise each column over the assessable rows (NaN elsewhere)."""
    out = np.full(matrix.shape, np.nan)
    if not assessable.any():
        return out
    values = matrix[assessable]
    lo = values.min(axis=0)
    hi = values.max(axis=0)
    span = hi - lo
    higher = np.array([c.higher_is_better for c in criteria], dtype=bool)
    with np.errstate(invalid="ignore", divide="ignore"):
        up = (values - lo) / span
        down = (hi - values) / span
    scaled = np.where(higher, up, down)
    scaled = np.where(span > 0, scaled, 1.0)
    out[assessable] = scaled
    return out


def _points(
    normalised: np.ndarray, w: np.ndarray, assessable: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per-criterion points and the 0-100 score (best = 100) for the given weights."""
    total = w.sum()
    contributions = normalised * w / total
    raw = contributions.sum(axis=1)
    raw = np.where(assessable, raw, np.nan)
    best = np.nanmax(raw) if assessable.any() else np.nan
    scale = 100.0 / best if best and best > 0 else 100.0
    return contributions * scale, raw * scale


def _rank(values: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """Rank descending, 1 = highest, ties share the best rank; NA stays NA (Int64)."""
    series = pd.Series(np.asarray(values, dtype="float64"))
    return series.rank(method="min", ascending=False).astype("Int64").array


def _missing_text(missing: np.ndarray, names: Sequence[str]) -> list[str]:
    return [", ".join(n for n, m in zip(names, row, strict=True) if m) for row in missing]


def _wsjf(
    requests: pd.DataFrame, weights: ScoringWeights
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    fields = weights.wsjf
    parts = [
        f for f in (fields.business_value, fields.time_criticality, fields.risk_reduction) if f
    ]
    return _ratio(requests, parts, fields.job_size, combine="sum")


def _rice(requests: pd.DataFrame, weights: ScoringWeights) -> tuple[np.ndarray, list[str]]:
    fields = weights.rice
    value, _, missing = _ratio(
        requests, [fields.reach, fields.impact, fields.confidence], fields.effort, combine="product"
    )
    return value, missing


def _ratio(
    requests: pd.DataFrame, numerator: Sequence[str], denominator: str, *, combine: str
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """``combine(numerator fields) / denominator`` with the missing fields listed per row."""
    names = [*numerator, denominator]
    matrix = np.column_stack([to_float(column_or_na(requests, n)).to_numpy() for n in names])
    bad = np.isnan(matrix)
    bad[:, -1] |= ~(matrix[:, -1] > 0)
    top = matrix[:, :-1].sum(axis=1) if combine == "sum" else matrix[:, :-1].prod(axis=1)
    ok = ~bad.any(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.where(ok, top / matrix[:, -1], np.nan)
    return value, np.where(ok, top, np.nan), _missing_text(bad, names)
