"""Unit tests of the review's change detectors, called one by one - no database."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.analytics import review_changes as detect
from dashboard.analytics.rag import RAG_DTYPE
from dashboard.standards import ReviewRules

RULES = ReviewRules(milestone_slip_days=7, money_move_pct=5.0)
NAMES = {"P1": "Alpha"}


def test_a_record_has_every_column_with_its_type():
    row = detect.record("new_red", 1, "project", 7, "", "red", "d")
    assert list(row) == list(detect.COLUMNS)
    assert row["exception"] is True and row["subject_id"] == "7"


def test_project_changes_closed_left_and_already_closed():
    before = pd.DataFrame({"project_id": ["P1", "P2", "P3"], "stage": ["Delivery", "Closed", "x"]})
    after = pd.DataFrame({"project_id": ["P1", "P2"], "stage": ["Completed", "Closed"]})
    out = detect.project_changes(before, after, ("completed", "closed"), NAMES)
    assert [(r["subject_id"], r["after"], r["detail"]) for r in out] == [
        ("P1", "completed", "P1 Alpha moved to stage 'completed'."),
        ("P3", "", "P3 is no longer in the register."),
    ]  # P2 was closed already: not a change


def test_health_changes_leave_a_red_that_stays_red_out():
    def health(values: list) -> pd.DataFrame:
        return pd.DataFrame(
            {"project_id": ["P1", "P2"], "overall": pd.Categorical(values, dtype=RAG_DTYPE)}
        )

    out = detect.health_changes(health(["red", "green"]), health(["red", None]), NAMES)
    assert [(r["kind"], r["subject_id"], r["exception"]) for r in out] == [
        ("rag_change", "P2", False)  # to unknown is not an exception
    ]
    assert out[0]["detail"] == "P2 went from green to unknown."


def test_money_changes_set_and_removed_name_the_currency():
    def frames(budget: list, eac: list) -> tuple[pd.DataFrame, pd.DataFrame]:
        projects = pd.DataFrame(
            {"project_id": ["P1", "P2"], "budget": budget, "forecast_cost": eac}
        )
        return projects[["project_id"]], projects

    health_a, projects_a = frames([np.nan, 200.0], [0.0, 200.0])
    health_b, projects_b = frames([1200.0, np.nan], [50.0, 200.0])
    out = detect.money_changes(
        health_a, health_b, projects_a, projects_b, RULES, NAMES, currency="USD"
    )
    assert [r["detail"] for r in out] == [
        "Budget of P1 Alpha set to $1,200.",
        "Budget of P2 removed (was $200).",
        "Forecast cost (EAC) of P1 Alpha rose from zero, from $0 to $50.",
    ]
    assert [r["exception"] for r in out] == [False, False, True]
    assert (out[0]["before"], out[0]["after"]) == ("", "1,200")


def test_capacity_changes_describe_utilisation_as_percent():
    def frame(util: float, band: str) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "role": ["dev"],
                "month": pd.to_datetime(["2026-03-01"]),
                "band": [band],
                "utilisation": [util],
            }
        )

    out = detect.capacity_changes(frame(0.8, "ok"), frame(1.256, "over"), "role")
    assert (
        out[0]["detail"] == "dev is over-allocated in Mar 2026 (126% utilised, was 80% utilised)."
    )
    assert (out[0]["before"], out[0]["after"]) == ("80%", "126%")
