"""Unit tests of the review document's JSON values - no database."""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest

from dashboard.services import review_document as document
from dashboard.services.review_records import ExecutiveSummary


@pytest.mark.parametrize(
    ("value", "plain"),
    [
        (np.nan, None),
        (pd.NaT, None),
        (pd.NA, None),
        (np.inf, "inf"),
        (-np.inf, "-inf"),
        (np.int64(3), 3),
        (np.bool_(True), True),
        (np.float32(1.5), 1.5),
        (pd.Timestamp(2026, 11, 30, 12), "2026-11-30"),
        (date(2026, 11, 30), "2026-11-30"),
        ("text", "text"),
    ],
)
def test_plain_values_are_json_ready(value, plain):
    assert document._plain(value) == plain
    assert type(document._plain(value)) is type(plain)


def test_records_and_the_summary_record():
    frame = pd.DataFrame({"n": [1, 2], "x": [0.5, np.nan]})
    assert document._records(frame) == [{"n": 1, "x": 0.5}, {"n": 2, "x": None}]
    written = ExecutiveSummary("Two new reds.", "alice", datetime(2026, 12, 2, 9, 30), 2)
    assert document._summary_record(written) == {
        "text": "Two new reds.",
        "by": "alice",
        "at": "2026-12-02 09:30:00",
    }
    assert document._summary_record(None) is None
