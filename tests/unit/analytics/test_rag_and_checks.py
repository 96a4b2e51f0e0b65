"""Unit tests of the shared RAG type and boundary checks - no database."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard.analytics._checks import as_timestamp, require_columns, to_dates
from dashboard.analytics.rag import RAG_DTYPE, rag_label, to_rag, worst_first


def test_require_columns_lists_every_missing_column_sorted():
    frame = pd.DataFrame({"a": [1]})
    with pytest.raises(ValueError, match=r"^f: missing required columns: b, c$"):
        require_columns(frame, ["c", "a", "b"], fn="f")
    require_columns(frame, {"a"}, fn="f")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("Green", "green"), (" RED ", "red"), ("amber", "amber"), ("yellow", None), (None, None)],
)
def test_to_rag_normalises_text(raw, expected):
    value = to_rag(pd.Series([raw], dtype="object")).iloc[0]
    assert (pd.isna(value) and expected is None) or value == expected


def test_rag_is_ordered_and_labels_unknown():
    values = to_rag(pd.Series(["amber", None, "red", "green"]))
    assert values.dtype == RAG_DTYPE
    assert (values >= "amber").tolist() == [True, False, True, False]
    assert rag_label(values).tolist() == ["amber", "unknown", "red", "green"]


def test_worst_first_puts_red_first_and_unknown_last():
    frame = pd.DataFrame(
        {
            "project_id": ["a", "b", "c", "d", "e"],
            "overall": to_rag(pd.Series(["green", None, "red", "amber", "red"])),
        }
    )
    assert worst_first(frame)["project_id"].tolist() == ["c", "e", "d", "a", "b"]


def test_worst_first_does_not_mutate_input():
    frame = pd.DataFrame({"overall": to_rag(pd.Series(["green", "red"]))})
    before = frame.copy()
    worst_first(frame)
    pd.testing.assert_frame_equal(frame, before)


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
