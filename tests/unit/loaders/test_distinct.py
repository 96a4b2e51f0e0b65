"""Unit tests for loaders.distinct: per-distinct-value work gives the per-cell answer."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow.compute as pc
import pytest

from loaders import distinct
from loaders.read import STRING

N = distinct.MIN_ROWS * 2


def repetitive(values: list[str | None], n: int = N) -> pd.Series:
    rng = np.random.default_rng(4)
    return pd.Series(rng.choice(np.array(values, dtype=object), n).tolist(), dtype=STRING)


def test_a_long_repetitive_column_is_encoded_and_decodes_to_itself():
    series = repetitive(["Green", "Amber", None, " red ", ""])
    encoded = distinct.encode(series)
    assert encoded is not None
    assert len(encoded.values) == 4  # four distinct texts; nulls have their own code
    decoded = encoded.spread_values(pd.Series(encoded.values.to_pylist(), dtype=STRING))
    pd.testing.assert_series_equal(decoded, series.reset_index(drop=True), check_names=False)


@pytest.mark.parametrize(
    "series",
    [
        repetitive(["a", "b"], distinct.MIN_ROWS - 1),  # too short to be worth it
        pd.Series([f"P-{i}" for i in range(N)], dtype=STRING),  # every value distinct
        pd.Series(["a", "b"] * (N // 2), dtype=object),  # not a text column
    ],
)
def test_short_distinct_or_untyped_columns_are_not_encoded(series):
    assert distinct.encode(series) is None


def test_cell_mask_is_the_same_with_and_without_the_encoding():
    series = repetitive(["Total", "P-1", None, "  ", "grand total", "x"])
    encoded = distinct.encode(series)
    assert encoded is not None

    def test(arr):
        return pc.match_substring_regex(arr, r"(?i)total")

    direct = distinct.cell_mask(series, test)
    shared = distinct.cell_mask(series, test, encoded)
    assert direct.dtype == bool and direct.sum() > 0
    np.testing.assert_array_equal(direct, shared)


def test_taking_rows_keeps_codes_aligned_with_the_kept_cells():
    series = repetitive(["a", "b", None, "c"])
    encoded = distinct.encode(series)
    keep = np.arange(len(series)) % 3 == 0
    kept = encoded.take(keep)
    decoded = kept.spread_values(pd.Series(encoded.values.to_pylist(), dtype=STRING))
    pd.testing.assert_series_equal(decoded, series[keep].reset_index(drop=True), check_names=False)


def test_numeric_results_spread_with_missing_for_null_cells():
    series = repetitive(["1", "2", None])
    encoded = distinct.encode(series)
    per_value = pd.Series([float(v) for v in encoded.values.to_pylist()])
    spread = encoded.spread_values(per_value)
    expected = pd.to_numeric(series.astype(object), errors="coerce").reset_index(drop=True)
    pd.testing.assert_series_equal(spread, expected, check_names=False, check_dtype=False)
