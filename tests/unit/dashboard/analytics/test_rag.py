"""Unit tests of the shared RAG type: parsing, order, labels, worst first - no database."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.analytics.rag import RAG_DTYPE, rag_label, to_rag, worst_first


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
