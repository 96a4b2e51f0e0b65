"""The intake's weights and method as the page's controls give them, checked against ``pmo.toml``.

Weights come from the page's sliders: unknown criteria are ignored and values clamped to
0..``SLIDER_MAX``; rank changes compare with the ``pmo.toml`` weights (docs/analytics.md §2.7).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping

from dashboard.services.intake_requests import CRITERION_LABELS, METHODS
from dashboard.standards import ScoringWeights

SLIDER_MAX = 100
"""Largest weight a slider offers (weights are relative)."""


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
        weight = parse_number(values.get(criterion.column))
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


def parse_number(value: object) -> float | None:
    """A finite number from a control or the URL (numbers or numeric text), else None."""
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
