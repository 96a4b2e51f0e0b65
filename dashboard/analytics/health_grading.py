"""Grading shared by the health dimensions: a measure against its thresholds, worst of several.

The conventions (docs/analytics.md, "Health"): a value exactly on a threshold gets the better
colour, a value is compared as it is shown, and a missing input makes a measure unknown (code
-1), not red. Codes are 0 green, 1 amber, 2 red.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd


def grade(
    values: np.ndarray,
    amber: float,
    red: float,
    direction: str,
    describe: Callable[[float], str],
    fmt: Callable[[float], str],
    decimals: int,
) -> dict[str, np.ndarray]:
    """Classify a measure: ``below`` (lower is worse), ``above`` or ``at_least`` (higher is worse).

    The value is first rounded to ``decimals`` exactly as it is shown (CPI 0.795 reads "0.80"
    and is therefore not below 0.80). Missing values get code -1 and an empty reason (the caller
    supplies why). ``describe`` words the value ("CPI 0.82"), ``fmt`` the threshold ("0.85").
    """
    values = as_shown(np.asarray(values, dtype="float64"), decimals)
    known = ~np.isnan(values)
    if direction == "below":
        is_red, is_amber = values < red, values < amber
        words = ("<", "≥")
    elif direction == "above":
        is_red, is_amber = values > red, values > amber
        words = (">", "≤")
    else:
        is_red, is_amber = values >= red, values >= amber
        words = ("≥", "<")
    rag = np.where(known, np.where(is_red, 2, np.where(is_amber, 1, 0)), -1)
    threshold = np.where(known, np.where(rag == 2, red, amber), np.nan).astype("float64")
    names = {2: "red", 1: "amber", 0: "green"}
    # The colour is a function of the shown value, so each distinct value is worded once (a
    # 10,000-project portfolio has a few hundred distinct SPIs, counts and day numbers).
    distinct, first, inverse = np.unique(values, return_index=True, return_inverse=True)
    texts = np.array(
        [
            f"{describe(v)} {words[0] if rag[i] else words[1]} {fmt(threshold[i])} → "
            f"{names[int(rag[i])]}"
            if rag[i] >= 0
            else ""
            for v, i in zip(distinct, first, strict=True)
        ],
        dtype=object,
    )
    reason = texts[inverse.reshape(-1)] if len(values) else np.empty(0, dtype=object)
    return {"rag": rag.astype("int8"), "value": values, "threshold": threshold, "reason": reason}


def grade_ratio(values: np.ndarray, label: str, amber: float, red: float) -> dict[str, np.ndarray]:
    """Grade an earned-value index (SPI, CPI): lower is worse, shown and compared to 2 decimals."""
    return grade(values, amber, red, "below", labelled(label, two_dp), two_dp, 2)


def as_shown(values: np.ndarray, decimals: int) -> np.ndarray:
    """Round as the pages print (``f"{v:.2f}"``), so a comparison never disagrees with the text.

    ``np.round`` agrees with the printed text except within a hair of a half (it scales before
    rounding); those few values are rounded by the formatter itself.
    """
    rounded = np.round(values, decimals)
    scaled = values * 10.0**decimals
    near_half = np.isfinite(values) & (np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6)
    if near_half.any():
        rounded[near_half] = [float(f"{v:.{decimals}f}") for v in values[near_half]]
    return rounded


def masked(graded: dict[str, np.ndarray], keep: np.ndarray) -> dict[str, np.ndarray]:
    """``graded`` with the rows outside ``keep`` made unknown (code -1)."""
    return {**graded, "rag": np.where(keep, graded["rag"], -1).astype("int8")}


def labelled(label: str, fmt: Callable[[float], str]) -> Callable[[float], str]:
    """A wording of a value that names its measure (``"SPI 0.82"``)."""
    return lambda v: f"{label} {fmt(v)}"


def worst_of(
    measures: list[tuple[str, dict[str, np.ndarray], np.ndarray]],
    *,
    metric: str,
    value: np.ndarray,
    threshold: float,
) -> dict[str, np.ndarray]:
    """A dimension's RAG = the worst of its known measures; unknown only when none is known.

    The reason gives every measure at that colour, then (when the dimension is known) each
    measure that could not be judged and why, so "green" never hides a missing input. ``value``
    and ``threshold`` are the dimension's headline measure and its red line, whichever measure
    decided the colour (one meaning per dimension; docs/analytics.md, "Health").
    """
    codes = np.column_stack([graded["rag"] for _, graded, _ in measures])
    worst = codes.max(axis=1) if len(codes) else np.empty(0, dtype="int8")
    n = len(worst)
    known = worst >= 0
    judged = np.full(n, "", dtype=object)
    notes = np.full(n, "", dtype=object)
    whys = np.full(n, "", dtype=object)
    for name, graded, why in measures:
        why = np.asarray(why, dtype=object).astype(str).astype(object)
        at_worst = known & (graded["rag"] == worst)
        judged = joined(judged, np.where(at_worst, graded["reason"], ""))
        missing = (graded["rag"] < 0) & (why != "")
        notes = joined(notes, np.where(known & missing, f"{name} not judged: " + why, ""))
        # The same reason from two measures (e.g. "no budget") is said once.
        said = np.flatnonzero(~known & missing)
        repeat = np.zeros(n, dtype=bool)
        repeat[said] = [why[i] in str(whys[i]).split("; ") for i in said]
        whys = joined(whys, np.where(~known & missing & ~repeat, why, ""))
    reason = np.where(known, joined(judged, notes), "unknown: " + whys)
    return {
        "rag": worst.astype("int8"),
        "value": np.asarray(value, dtype="float64"),
        "threshold": np.full(n, threshold, dtype="float64"),
        "metric": np.full(n, metric, dtype=object),
        "reason": reason.astype(object),
    }


def joined(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Element-wise ``"; "``-join of two text arrays, skipping empty sides."""
    left = np.asarray(left, dtype=object)
    right = np.asarray(right, dtype=object)
    both = (left != "") & (right != "")
    return np.where(both, left + "; " + right, np.where(left != "", left, right)).astype(object)


def as_of_rows(
    when: pd.Timestamp | pd.Series, ids: pd.Series, index: pd.Index
) -> pd.Timestamp | pd.Series:
    """The as-of date of each row (rows of project ``ids``, on ``index``), or the one date.

    ``when`` is one date for every project, or (for ``assess_health_at_dates``) a Series giving
    each project id its own date.
    """
    if isinstance(when, pd.Timestamp):
        return when
    lookup = when[~when.index.duplicated()]
    return pd.Series(lookup.reindex(np.asarray(ids)).to_numpy(), index=index)


def as_of_kept(as_of: pd.Timestamp | pd.Series, keep: np.ndarray) -> pd.Timestamp | np.ndarray:
    """``as_of`` for the rows kept by the mask ``keep`` (the one date stays a scalar)."""
    return as_of if isinstance(as_of, pd.Timestamp) else as_of.to_numpy()[keep]


def two_dp(value: float) -> str:
    """A ratio as shown: 2 decimals."""
    return f"{value:.2f}"


def pct(value: float) -> str:
    """A percentage as shown: 1 decimal."""
    return f"{value:.1f}%"


def days(value: float) -> str:
    """A number of days as shown."""
    return f"{value:g} days"


def count(value: float) -> str:
    """A count as shown."""
    return f"{value:g}"
