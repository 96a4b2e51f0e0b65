"""Unit tests of monthly-review deltas and finish slips between two as-of dates - no database."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard.analytics.capacity import BAND_DTYPE
from dashboard.analytics.rag import RAG_DTYPE
from dashboard.analytics.review import COLUMNS, KIND_ORDER, finish_slips, review_deltas
from dashboard.standards import ReviewRules

D = dt.date
RULES = ReviewRules(milestone_slip_days=7, money_move_pct=5.0)


def register(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["project_id", "name", "stage", "budget", "forecast_cost"])


def health(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "project_id": [r[0] for r in rows],
            "overall": pd.Categorical([r[1] for r in rows], dtype=RAG_DTYPE),
            "overall_reason": [r[2] for r in rows],
            "forecast_cost": [r[3] for r in rows],
        }
    )


def milestones(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(
        rows, columns=["project_id", "milestone", "baseline_date", "forecast_date", "actual_date"]
    )


def requests(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["request_id", "title", "status"])


def capacity(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "role": [r[0] for r in rows],
            "month": pd.to_datetime([r[1] for r in rows]),
            "utilisation": [r[2] for r in rows],
            "band": pd.Categorical([r[3] for r in rows], dtype=BAND_DTYPE),
        }
    )


def project_frames() -> dict:
    """Health and register at both dates: P1 turns red, P2 recovers, P4 closes, P5 is new."""
    return {
        "health_before": health(
            [
                ("P1", "green", "", 1000.0),
                ("P2", "red", "cost: CPI 0.70 < 0.85 → red", 500.0),
                ("P3", "green", "", 300.0),
                ("P4", "amber", "", 100.0),
            ]
        ),
        "health_after": health(
            [
                ("P1", "red", "cost: CPI 0.80 < 0.85 → red", 1100.0),
                ("P2", "amber", "", 500.0),
                ("P3", "amber", "staleness: last report 20 days old > 14 days → amber", 300.0),
                ("P5", "green", "", 50.0),
            ]
        ),
        "projects_before": register(
            [
                ("P1", "Alpha", "Delivery", 1000.0, 1000.0),
                ("P2", "Beta", "Delivery", 500.0, 500.0),
                ("P3", "Gamma", "Delivery", 300.0, 300.0),
                ("P4", "Delta", "Delivery", 100.0, 100.0),
            ]
        ),
        "projects_after": register(
            [
                ("P1", "Alpha", "Delivery", 1049.0, 1100.0),
                ("P2", "Beta", "Delivery", 550.0, 500.0),
                ("P3", "Gamma", "Delivery", 300.0, 300.0),
                ("P4", "Delta", "Closed", 100.0, 100.0),
                ("P5", "Epsilon", "Initiation", 50.0, 50.0),
            ]
        ),
    }


def milestone_frames() -> dict:
    """P1 Design slips 7 days (listed), Build 6 (not); P3's achieved kick-off does not count."""
    return {
        "milestones_before": milestones(
            [
                ("P1", "Design", D(2026, 1, 1), D(2026, 2, 1), None),
                ("P1", "Build", D(2026, 3, 1), None, None),
                ("P3", "Go live", D(2026, 5, 1), D(2026, 5, 1), None),
                ("P3", "Kick-off", D(2025, 5, 1), None, D(2025, 5, 1)),
            ]
        ),
        "milestones_after": milestones(
            [
                ("P1", "Design", D(2026, 1, 1), D(2026, 2, 8), None),  # 7 days: listed
                ("P1", "Build", D(2026, 3, 1), D(2026, 3, 7), None),  # 6 days: not listed
                ("P3", "Go live", D(2026, 5, 1), D(2026, 6, 15), None),
                ("P3", "Kick-off", D(2025, 5, 1), D(2025, 9, 1), D(2025, 5, 1)),  # achieved before
            ]
        ),
    }


def request_and_capacity_frames() -> dict:
    """R2 is approved, R3 is new; dev and qa become hot, dev's February clears."""
    return {
        "requests_before": requests(
            [("R1", "CRM", "submitted"), ("R2", "ERP", "under_review"), ("R4", "BI", "approved")]
        ),
        "requests_after": requests(
            [
                ("R1", "CRM", "submitted"),
                ("R2", "ERP", "approved"),
                ("R3", "HR", "submitted"),
                ("R4", "BI", "approved"),
            ]
        ),
        "capacity_before": capacity(
            [
                ("dev", "2026-01-01", 0.9, "ok"),
                ("dev", "2026-02-01", 1.2, "critical"),
                ("ba", "2026-01-01", 1.05, "over"),
            ]
        ),
        "capacity_after": capacity(
            [
                ("dev", "2026-02-01", 0.95, "ok"),
                ("dev", "2026-03-01", 1.15, "critical"),
                ("qa", "2026-02-01", float("inf"), "critical"),
            ]
        ),
    }


def scenario() -> dict:
    return {**project_frames(), **milestone_frames(), **request_and_capacity_frames()}


def deltas(**changes) -> pd.DataFrame:
    arguments = {**scenario(), **changes}
    return review_deltas(**arguments, rules=RULES, currency="GBP", closed_stages=("closed",))


def test_every_kind_is_found_and_exceptions_come_first():
    result = deltas()
    found = list(zip(result["kind"], result["subject_id"], strict=True))
    assert found == [
        ("new_red", "P1"),
        ("eac_move", "P1"),
        ("milestone_slip", "P1"),
        ("milestone_slip", "P3"),
        ("capacity_hotspot_new", "dev"),
        ("capacity_hotspot_new", "qa"),
        ("rag_change", "P3"),
        ("closed_project", "P4"),
        ("new_project", "P5"),
        ("budget_move", "P2"),
        ("request_decided", "R2"),
        ("new_request", "R3"),
        ("recovered", "P2"),
        ("capacity_hotspot_cleared", "dev"),
    ]
    assert result["exception"].tolist() == [True] * 7 + [False] * 7
    assert list(result.columns) == list(COLUMNS)
    assert set(result["kind"]) == set(KIND_ORDER)


def test_details_are_one_sentence_each():
    result = deltas().set_index(["kind", "subject_id"])
    assert result.loc[("new_red", "P1"), "detail"] == (
        "P1 Alpha is now red, was green; cost: CPI 0.80 < 0.85 → red."
    )
    assert result.loc[("eac_move", "P1"), "detail"] == (
        "Forecast cost (EAC) of P1 Alpha rose 10%, from £1,000 to £1,100."
    )
    assert result.loc[("milestone_slip", "P1"), "detail"] == (
        "Milestone 'Design' of P1 Alpha moved 7 days later (2026-02-01 → 2026-02-08)."
    )
    assert result.loc[("budget_move", "P2"), "before"] == "500"
    assert result.loc[("budget_move", "P2"), "after"] == "550"
    assert result.loc[("closed_project", "P4"), "detail"] == "P4 Delta moved to stage 'closed'."
    assert result.loc[("request_decided", "R2"), "detail"] == (
        "Request R2 ERP was approved (was under review)."
    )
    assert result.loc[("capacity_hotspot_new", "qa"), "detail"] == (
        "qa is over-allocated in Feb 2026 (demand with no supply)."
    )
    assert result.loc[("capacity_hotspot_cleared", "dev"), "detail"] == (
        "dev is no longer over-allocated in Feb 2026 (95% utilised, was 120% utilised)."
    )
    assert result.loc[("recovered", "P2"), "detail"] == "P2 Beta recovered from red to amber."
    assert result.loc[("rag_change", "P3"), "detail"] == (
        "P3 Gamma went from green to amber; staleness: last report 20 days old > 14 days → amber."
    )
    assert result.loc[("capacity_hotspot_new", "dev"), "detail"] == (
        "dev is over-allocated in Mar 2026 (115% utilised)."
    )


def test_budget_move_below_threshold_is_not_listed():
    # P1's budget moved 4.9 %: below the 5 % standard.
    result = deltas()
    assert not ((result["kind"] == "budget_move") & (result["subject_id"] == "P1")).any()


def test_project_leaving_the_register_is_closed():
    after = scenario()["projects_after"]
    result = deltas(projects_after=after[after["project_id"] != "P3"])
    row = result[(result["kind"] == "closed_project") & (result["subject_id"] == "P3")].iloc[0]
    assert row["detail"] == "P3 Gamma is no longer in the register."


def test_new_red_project_is_listed_twice():
    result = deltas(
        health_after=health([("P5", "red", "", 50.0)]),
        health_before=health([]),
    )
    kinds = result[result["subject_id"] == "P5"]["kind"].tolist()
    assert kinds == ["new_red", "new_project"]


def test_without_capacity_frames_there_are_no_hotspots():
    result = deltas(capacity_before=None, capacity_after=None)
    assert not result["kind"].str.startswith("capacity").any()


def test_nothing_changed_gives_an_empty_frame_with_columns():
    same = scenario()
    result = review_deltas(
        health_before=same["health_before"],
        health_after=same["health_before"],
        projects_before=same["projects_before"],
        projects_after=same["projects_before"],
        milestones_before=same["milestones_before"],
        milestones_after=same["milestones_before"],
        requests_before=same["requests_before"],
        requests_after=same["requests_before"],
        rules=RULES,
        currency="GBP",
    )
    assert result.empty
    assert list(result.columns) == list(COLUMNS)


def test_missing_columns_are_named():
    with pytest.raises(ValueError, match="missing required columns: overall"):
        deltas(health_after=health([]).drop(columns="overall"))


def test_review_deltas_does_not_mutate_input():
    inputs = scenario()
    copies = {k: v.copy() for k, v in inputs.items()}
    review_deltas(**inputs, rules=RULES, currency="GBP")
    for key, frame in inputs.items():
        pd.testing.assert_frame_equal(frame, copies[key])


def test_money_details_name_the_currency():
    # EUR standards: the details read as every page shows money (dashboard.formats).
    arguments = {**scenario(), "rules": RULES, "currency": "EUR", "closed_stages": ("closed",)}
    result = review_deltas(**arguments).set_index(["kind", "subject_id"])
    assert result.loc[("budget_move", "P2"), "detail"] == (
        "Budget of P2 Beta rose 10%, from €500 to €550."
    )


def finish_health(finish: list[str | None]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "project_id": ["P1", "P2", "P3"],
            "name": ["Alpha", "Beta", "Gamma"],
            "forecast_finish": pd.to_datetime(finish),
        }
    )


def test_finish_slips_report_moves_later_of_at_least_the_threshold():
    before = finish_health(["2027-01-01", "2027-01-01", None])
    after = finish_health(["2027-01-08", "2027-01-06", "2027-06-01"])
    slips = finish_slips(before, after, min_days=7)
    assert list(slips.columns) == list(COLUMNS)
    assert slips[["subject_id", "before", "after"]].values.tolist() == [
        ["P1", "2027-01-01", "2027-01-08"]
    ]
    assert bool(slips["exception"].iloc[0])
    assert slips["detail"].iloc[0] == (
        "Forecast finish of P1 Alpha moved 7 days later (2027-01-01 → 2027-01-08)."
    )


def test_finish_slips_empty_has_the_delta_columns():
    same = finish_health(["2027-01-01"] * 3)
    slips = finish_slips(same, same, min_days=7)
    assert slips.empty and list(slips.columns) == list(COLUMNS)


def test_finish_slips_does_not_mutate_input():
    before = finish_health(["2027-01-01", "2027-01-01", None])
    after = finish_health(["2027-02-01", "2027-01-06", "2027-06-01"])
    copies = before.copy(), after.copy()
    finish_slips(before, after, min_days=7)
    pd.testing.assert_frame_equal(before, copies[0])
    pd.testing.assert_frame_equal(after, copies[1])
