"""Unit tests for loaders.hashing: stored hashes must stay pandas' own values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from loaders.hashing import row_hashes


def mixed_frame(n: int) -> pd.DataFrame:
    rng = np.random.default_rng(11)
    frame = pd.DataFrame(
        {
            "text": pd.array(rng.choice(np.array(["x", "y", None], dtype=object), n), "string"),
            "number": rng.random(n),
            "date": pd.to_datetime(rng.integers(0, 10**12, n), unit="ms").astype("datetime64[ms]"),
            "count": pd.array(rng.integers(0, 5, n), dtype="Int64"),
            "flag": pd.array(rng.choice(np.array([True, False, None], dtype=object), n), "boolean"),
        }
    )
    frame.loc[frame.index[::7], "number"] = np.nan
    for name, dtype in (("no_text", "string"), ("no_number", "float64"), ("no_count", "Int64")):
        frame[name] = pd.Series(pd.NA if dtype != "float64" else np.nan, frame.index, dtype)
    return frame


@pytest.mark.parametrize("n", [0, 9, 120_000])  # empty, small (serial) and large (threaded)
@pytest.mark.parametrize(
    "columns",
    [
        ["text", "number", "date", "count", "flag", "no_text", "no_number", "no_count"],
        ["number"],
        ["no_text"],
    ],
)
def test_row_hashes_equal_pandas_hash_of_the_same_columns(n, columns):
    frame = mixed_frame(n)
    expected = pd.util.hash_pandas_object(frame[columns], index=False).to_numpy(np.uint64)
    np.testing.assert_array_equal(row_hashes(frame, columns).to_numpy(np.uint64), expected)


def test_a_changed_value_changes_only_its_rows_hash():
    frame = mixed_frame(50)
    before = row_hashes(frame, list(frame.columns))
    frame.loc[3, "text"] = "changed"
    after = row_hashes(frame, list(frame.columns))
    assert (before != after).tolist() == [i == 3 for i in range(50)]
