"""Unit tests of the staleness dimension of health - hand-computed expectations, no database."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.unit.dashboard.analytics.health_cases import (
    AS_OF,
    D,
    assess,
    fresh_report,
    one,
    projects,
    reports,
)


@pytest.mark.parametrize(
    ("report_date", "rag", "stale"),
    [
        (D(2026, 2, 22), "green", False),
        (D(2026, 2, 15), "green", False),  # exactly cadence (14) days
        (D(2026, 2, 14), "amber", True),  # 15 days
        (D(2026, 1, 18), "amber", True),  # exactly 42 days
        (D(2026, 1, 17), "red", True),  # 43 days
    ],
)
def test_staleness_band_edges(report_date, rag, stale):
    row = one(assess(status=fresh_report(report_date=report_date)))
    assert row["days_since_report"] == (AS_OF - report_date).days
    assert row["staleness_rag"] == rag
    assert row["stale"] == stale


def test_no_status_report_is_red_and_stale():
    row = one(assess(status=reports()))
    assert row["staleness_rag"] == "red"
    assert row["staleness_reason"] == "no status report received → red"
    assert row["stale"]
    assert np.isnan(row["days_since_report"])


def test_first_report_not_due_yet_is_unknown_not_green():
    # Started 9 days before AS_OF with a 14-day cadence: the first report is due 6 March.
    row = one(assess(projects(start_date=D(2026, 2, 20)), status=reports()))
    assert pd.isna(row["staleness_rag"])
    assert row["staleness_reason"] == (
        "unknown: no status report yet; the first is due by 2026-03-06"
    )
    assert not row["stale"]
    assert row["first_report_due"]
    assert "staleness" in row["unknown_dimensions"]


def test_first_report_due_exactly_at_cadence_is_still_unknown_then_red_a_day_later():
    on_day = one(assess(projects(start_date=D(2026, 2, 15)), status=reports()))
    after = one(assess(projects(start_date=D(2026, 2, 14)), status=reports()))
    assert pd.isna(on_day["staleness_rag"])  # 14 days after start: due today, not late
    assert after["staleness_rag"] == "red"  # 15 days: late
    assert after["staleness_reason"] == "no status report received → red"
