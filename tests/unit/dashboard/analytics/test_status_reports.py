"""Unit tests of each project's latest status report at a date - no database."""

from __future__ import annotations

import pandas as pd

from dashboard.analytics.status_reports import latest_status
from tests.unit.dashboard.analytics.health_cases import (
    AS_OF,
    D,
    fresh_report,
    reports,
)


def test_latest_status_picks_newest_report_on_or_before_as_of():
    status = reports(
        {"project_id": "P2", "report_date": D(2026, 2, 1), "overall_rag": "red"},
        {"project_id": "P1", "report_date": D(2026, 2, 1), "overall_rag": "red"},
        {"project_id": "P1", "report_date": D(2026, 3, 1), "overall_rag": "green"},
        {"project_id": "P1", "report_date": D(2026, 3, 2), "overall_rag": "amber"},
        {"project_id": "P3", "report_date": None, "overall_rag": "amber"},
    )
    latest = latest_status(status, AS_OF)
    assert latest["project_id"].tolist() == ["P1", "P2"]
    assert latest["overall_rag"].tolist() == ["green", "red"]
    assert latest["report_date"].tolist() == [pd.Timestamp(2026, 3, 1), pd.Timestamp(2026, 2, 1)]


def test_latest_status_tie_keeps_first_row():
    status = reports(
        {"project_id": "P1", "report_date": D(2026, 2, 1), "overall_rag": "red"},
        {"project_id": "P1", "report_date": D(2026, 2, 1), "overall_rag": "green"},
    )
    assert latest_status(status, AS_OF)["overall_rag"].tolist() == ["red"]


def test_latest_status_with_nothing_reported_yet():
    status = reports({"project_id": "P1", "report_date": D(2026, 4, 1), "overall_rag": "red"})
    latest = latest_status(status, AS_OF)
    assert latest.empty
    assert list(latest.columns) == list(status.columns)


def test_latest_status_does_not_mutate_input():
    status = fresh_report()
    before = status.copy()
    latest_status(status, AS_OF)
    pd.testing.assert_frame_equal(status, before)
