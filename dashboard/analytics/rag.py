"""RAG values: one ordered categorical (green < amber < red) used by every analytics module.

"Unknown" is deliberately *not* a category: it is NA, always accompanied by a reason column. That
keeps comparisons (``health["overall"] >= "amber"``) meaningful and lets ``worst_first`` put red
first and unknown last.
"""

from __future__ import annotations

import pandas as pd

RAG_LEVELS: tuple[str, ...] = ("green", "amber", "red")
RAG_DTYPE = pd.CategoricalDtype(list(RAG_LEVELS), ordered=True)
"""Ordered categorical for every RAG column; NA means unknown."""

UNKNOWN = "unknown"
"""Label used in counts and filters for an NA RAG."""


def to_rag(values: pd.Series) -> pd.Series:
    """Normalise RAG text (any case, spaces) to :data:`RAG_DTYPE`; anything else becomes NA.

    Args:
        values: Strings such as ``"Green"``, ``" red"``, or NA.

    Returns:
        A new series of dtype :data:`RAG_DTYPE` with the same index.
    """
    if isinstance(values.dtype, pd.CategoricalDtype) and values.dtype == RAG_DTYPE:
        return values.copy()
    text = values.astype("str").str.strip().str.lower()
    text = text.where(values.notna() & text.isin(RAG_LEVELS))
    return pd.Series(pd.Categorical(text, dtype=RAG_DTYPE), index=values.index, name=values.name)


def rag_label(values: pd.Series) -> pd.Series:
    """Return RAG values as plain strings, NA shown as ``"unknown"`` (for counts and filters)."""
    return values.astype("str").where(values.notna(), UNKNOWN)


def worst_first(frame: pd.DataFrame, column: str = "overall") -> pd.DataFrame:
    """Sort ``frame`` red, amber, green, then unknown, keeping the original order within a colour.

    Args:
        frame: Any frame with a RAG column of :data:`RAG_DTYPE`.
        column: The RAG column to sort by.

    Returns:
        A sorted copy.
    """
    return frame.sort_values(column, ascending=False, na_position="last", kind="stable")
