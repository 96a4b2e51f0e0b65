"""Unit tests of the boundary checks shared by the analytics (columns, dates) - no database."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard.analytics._checks import as_timestamp, require_columns, to_dates


def test_require_columns_lists_every_missing_column_sorted():
    frame = pd.DataFrame({"a": [1]})
    with pytest.raises(ValueError, match=r"^f: missing required columns: b, c$"):
        require_columns(frame, ["c", "a", "b"], fn="f")
    require_columns(frame, {"a"}, fn="f")


@pytest.mark.parametrize(
    "value",
    [
        dt.date(2026, 3, 1),
        dt.datetime(2026, 3, 1, 15, 30),
        "2026-03-01",
        pd.Timestamp("2026-03-01"),
    ],
)
def test_as_timestamp_accepts_date_likes(value):
    assert as_timestamp(value) == pd.Timestamp(2026, 3, 1)


@pytest.mark.parametrize("value", [None, "not a date", float("nan")])
def test_as_timestamp_rejects_non_dates(value):
    with pytest.raises(ValueError, match="as_of"):
        as_timestamp(value)


def test_to_dates_accepts_date_objects_and_strings():
    values = pd.Series([dt.date(2026, 1, 2), None], dtype="object")
    assert to_dates(values).tolist()[0] == pd.Timestamp(2026, 1, 2)
    assert pd.isna(to_dates(values).iloc[1])
