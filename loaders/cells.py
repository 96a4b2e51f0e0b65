"""Cell tests shared by the validation steps: missing, blank, matching a pattern."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from loaders import distinct
from loaders.read import STRING


def is_missing(value: Any) -> bool:
    """An empty cell: None, NA or only white space."""
    return value is None or value is pd.NA or (isinstance(value, str) and not value.strip())


def nonblank(series: pd.Series, encoded: distinct.Encoded | None = None) -> np.ndarray:
    """Cells with a visible character."""
    if not isinstance(series.dtype, pd.StringDtype):
        series = series.astype(STRING)
    return distinct.cell_mask(series, _has_text, encoded)


def _has_text(arr: pa.Array) -> pa.Array:
    return pc.and_(pc.greater(pc.utf8_length(arr), 0), pc.invert(pc.utf8_is_space(arr)))


def matches(series: pd.Series, pattern: str, encoded: distinct.Encoded | None = None) -> np.ndarray:
    """Cells matching an RE2 ``pattern``."""
    if not isinstance(series.dtype, pd.StringDtype):
        series = series.astype(STRING)
    return distinct.cell_mask(series, lambda arr: pc.match_substring_regex(arr, pattern), encoded)
