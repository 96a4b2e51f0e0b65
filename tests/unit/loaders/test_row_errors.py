"""Unit tests of loaders.row_errors: the one shape every validation problem takes."""

from __future__ import annotations

import pandas as pd

from loaders.row_errors import COLUMNS, concat_errors, error_frame, invalid_cells


def test_error_frame_takes_series_in_order_even_with_repeated_rows():
    # A wide plan repeats body row 3 once per month: alignment by label would refuse this.
    index = pd.Index([3, 3, 5])
    values = pd.Series(["-1", "9", "x"], index=[3, 3, 5])
    frame = error_frame(index, "fte", values, "out of range", ["low", "high", "bad"])
    assert list(frame.columns) == list(COLUMNS)
    assert frame.index.tolist() == [3, 3, 5]
    assert frame["value"].tolist() == ["-1", "9", "x"]
    assert frame["reason"].tolist() == ["low", "high", "bad"]
    assert set(frame["column"]) == {"fte"} and set(frame["rule"]) == {"out of range"}


def test_invalid_cells_keeps_only_the_refused_cells_with_their_text():
    raw = pd.Series(["12", None, "abc", "7"], index=[10, 11, 12, 13], dtype="string")
    reasons = pd.Series([None, None, "'abc' is not a number", None], index=raw.index, dtype=object)
    frame = invalid_cells("budget", raw, reasons)
    assert frame.index.tolist() == [12]
    assert frame.loc[12, "value"] == "abc"
    assert frame.loc[12, "reason"] == "'abc' is not a number"
    assert frame.loc[12, "rule"] == "invalid value"


def test_concat_errors_of_nothing_is_an_empty_frame_of_the_right_shape():
    empty = concat_errors([error_frame(pd.Index([]), "x", "", "required", "r")])
    assert empty.empty and list(empty.columns) == list(COLUMNS)
    both = concat_errors(
        [
            error_frame(pd.Index([1]), "a", "", "required", "first"),
            error_frame(pd.Index([1]), "b", "", "required", "second"),
        ]
    )
    assert both["reason"].tolist() == ["first", "second"]  # order kept: the first problem wins
    assert all(str(dtype) == "object" for dtype in both.dtypes)
