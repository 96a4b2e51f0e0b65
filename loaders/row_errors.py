"""The errors frame: one row per cell problem, indexed by the body row it belongs to.

Every validation step (coercion, category words, required fields, ranges, date order, duplicate
keys, allocation ranges) reports its problems in this one shape, ``column``, ``value``, ``rule``
and ``reason``; the sheet then rejects each row with its first problem and a count of the others
(docs/loaders.md, "Every message").
"""

from __future__ import annotations

from typing import Any

import pandas as pd

COLUMNS = ("column", "value", "rule", "reason")


def error_frame(index: pd.Index, column: Any, value: Any, rule: str, reason: Any) -> pd.DataFrame:
    """Problems of the rows at ``index``; each field is one value for all or one per row.

    Args:
        index: The body rows with the problem.
        column: The canonical column (or a label such as ``month 2026-01``) at fault.
        value: The cell text as the user wrote it (``""`` for an empty cell).
        rule: The rule broken (``invalid value``, ``required``, ...).
        reason: The message in the user's words.

    A Series is taken in order, not aligned by label: a wide plan repeats a body row once per
    month, and alignment on a repeated label is refused by pandas.
    """
    fields = {"column": column, "value": value, "rule": rule, "reason": reason}
    plain = {k: v.to_numpy() if isinstance(v, pd.Series) else v for k, v in fields.items()}
    return pd.DataFrame(plain, index=index)


def invalid_cells(column: str, raw: pd.Series, reasons: pd.Series) -> pd.DataFrame:
    """Cells a coercer refused: ``reasons`` holds one message per bad cell (NA where fine)."""
    bad = reasons.dropna()
    cells = raw.loc[bad.index]
    value = cells.astype(object).where(cells.notna(), "").astype(str)
    return error_frame(bad.index, column, value, "invalid value", bad.astype(object))


def concat_errors(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """All problems in one frame (an empty frame of the right shape when there are none)."""
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame({name: [] for name in COLUMNS}, dtype=object)
    return pd.concat(frames).astype(object)
