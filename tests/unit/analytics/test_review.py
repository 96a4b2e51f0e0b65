"""Unit tests of monthly-review deltas between two as-of dates - no database."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from dashboard.analytics.capacity import BAND_DTYPE
from dashboard.analytics.rag import RAG_DTYPE
from dashboard.analytics.review import COLUMNS, KIND_ORDER, review_deltas
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


def scenario() -> dict:
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


def deltas(**changes) -> pd.DataFrame:
    arguments = {**scenario(), **changes}
    return review_deltas(**arguments, rules=RULES, closed_stages=("closed",))


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
        "Forecast cost (EAC) of P1 Alpha rose 10%, from 1,000 to 1,100."
    )
    assert result.loc[("milestone_slip", "P1"), "detail"] == (
        "Milestone 'Design' of P1 Alpha moved 7 days later (01 Feb 2026 → 08 Feb 2026)."
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
    )
    assert result.empty
    assert list(result.columns) == list(COLUMNS)


def test_missing_columns_are_named():
    with pytest.raises(ValueError, match="missing required columns: overall"):
        deltas(health_after=health([]).drop(columns="overall"))


def test_review_deltas_does_not_mutate_input():
    inputs = scenario()
    copies = {k: v.copy() for k, v in inputs.items()}
    review_deltas(**inputs, rules=RULES)
    for key, frame in inputs.items():
        pd.testing.assert_frame_equal(frame, copies[key])


# ------------------------------------------------------------------ trend and meeting decisions


def test_rag_trend_counts_each_date_oldest_first():
    from dashboard.analytics.review import rag_trend

    def overall(values: list) -> pd.DataFrame:
        return pd.DataFrame({"overall": pd.Categorical(values, dtype=RAG_DTYPE)})

    trend = rag_trend(
        {
            D(2026, 10, 31): overall(["red", "green", "green", None]),
            D(2026, 9, 30): overall(["amber", "amber", "green"]),
            D(2026, 11, 30): overall([]),
        }
    )
    assert trend["date"].tolist() == [
        pd.Timestamp(2026, 9, 30),
        pd.Timestamp(2026, 10, 31),
        pd.Timestamp(2026, 11, 30),
    ]
    assert trend[["green", "amber", "red", "unknown", "projects"]].values.tolist() == [
        [1, 2, 0, 0, 3],
        [2, 0, 1, 1, 4],
        [0, 0, 0, 0, 0],
    ]


def test_recovery_actions_need_an_open_owned_issue_not_yet_due():
    from dashboard.analytics.review import recovery_actions

    raid = pd.DataFrame(
        [
            ("P1", "issue", "open", "Ann", D(2026, 12, 15)),  # live
            ("P2", "issue", "open", "Bob", D(2026, 11, 29)),  # due before the review date
            ("P3", "issue", "closed", "Cy", D(2027, 1, 1)),  # closed
            ("P4", "risk", "open", "Di", D(2027, 1, 1)),  # a risk is not an action
            ("P5", "Issue", "Open", "  ", D(2027, 1, 1)),  # nobody owns it
            ("P6", "Issue", "Open", "Eve", D(2026, 11, 30)),  # due on the day: still live
            ("P7", "issue", "open", "Fay", None),  # no due date
        ],
        columns=["project_id", "raid_type", "status", "owner", "due_date"],
    )
    assert recovery_actions(raid, D(2026, 11, 30)) == {"P1", "P6"}


def decision_inputs() -> dict:
    candidates = pd.DataFrame(
        [
            ("R1", "CRM", "Sales", 61.5, 400_000.0, 900_000.0, "chosen"),
            ("R2", "Data lake", "IT", 72.0, 1_200_000.0, 2_000_000.0, "not chosen"),
            ("R3", "No cost yet", "IT", 80.0, None, 100.0, "not eligible: no cost"),
            ("R4", "Unscored", "IT", None, 10_000.0, None, "not eligible: no score"),
            ("R5", "Must do", "Legal", 10.0, 50_000.0, None, "forced in"),
        ],
        columns=[
            "request_id",
            "title",
            "division",
            "score",
            "estimated_cost",
            "expected_benefit",
            "decision",
        ],
    )
    moves = pd.DataFrame(
        [
            ("budget_move", "P1", "IT", 28.0, "Budget of P1 rose 28%"),
            ("eac_move", "P2", "HR", 9.99, "EAC of P2 rose 10%"),  # under the 10% threshold
            ("eac_move", "P3", "HR", float("inf"), "EAC of P3 set from zero"),
            ("budget_move", "P4", "IT", -30.0, "Budget of P4 fell 30%"),  # a fall: no approval
            ("eac_move", "P5", "IT", 10.0, "EAC of P5 rose 10%"),  # exactly the threshold
        ],
        columns=["kind", "subject_id", "division", "size", "detail"],
    )
    health_after = pd.DataFrame(
        {
            "project_id": ["P9", "P1", "P8", "P7"],
            "name": ["Nine", "One", "Eight", "Seven"],
            "division": ["IT", "IT", "HR", "HR"],
            "overall": pd.Categorical(["red", "red", "amber", "red"], dtype=RAG_DTYPE),
            "overall_reason": ["cost 20% over", "late", "", ""],
        }
    )
    actions = pd.DataFrame(
        [
            ("project", "P1", "One", "IT", "Ann", D(2026, 11, 15), "Re-plan", False),  # overdue
            ("request", "R2", "Data lake", "IT", "Bob", D(2026, 11, 1), "Costing", False),  # late
            ("project", "P7", "Seven", "HR", "Cy", D(2026, 11, 10), "Done one", True),  # done
            ("project", "P9", "Nine", "IT", "Di", D(2026, 11, 30), "Due today", False),  # not late
        ],
        columns=[
            "subject_type",
            "subject_id",
            "name",
            "division",
            "owner",
            "due_date",
            "note",
            "done",
        ],
    )
    return {
        "candidates": candidates,
        "money_moves": moves,
        "health_after": health_after,
        "with_recovery": {"P1"},
        "actions": actions,
        "as_of": D(2026, 11, 30),
        "budget_rise_pct": 10.0,
    }


def test_meeting_decisions_lists_every_item_in_meeting_order():
    from dashboard.analytics.review import DECISION_COLUMNS, decision_counts, meeting_decisions

    items = meeting_decisions(**decision_inputs())
    assert list(items.columns) == list(DECISION_COLUMNS)
    assert list(zip(items["kind"], items["subject_id"], strict=True)) == [
        ("request", "R2"),  # score 72 first
        ("request", "R1"),
        ("request", "R5"),  # R3 (no cost) and R4 (no score) are not ready
        ("money_rise", "P3"),  # from zero ranks above any finite rise
        ("money_rise", "P1"),
        ("money_rise", "P5"),
        ("red_no_action", "P7"),  # P1 has a recovery action; P8 is amber
        ("red_no_action", "P9"),
        ("overdue_action", "R2"),  # due 1 Nov
        ("overdue_action", "P1"),  # due 15 Nov
    ]
    requests = items[items["kind"] == "request"]
    assert requests["recommendation"].tolist() == ["do not approve now", "approve", "approve"]
    assert requests["cost"].tolist() == [1_200_000.0, 400_000.0, 50_000.0]
    assert requests["benefit"].tolist()[:2] == [2_000_000.0, 900_000.0]
    assert np.isnan(requests["benefit"].iloc[2])
    assert items.loc[items["subject_id"] == "P9", "question"].item().endswith("(cost 20% over)")
    assert items.loc[items["kind"] == "overdue_action", "owner"].tolist() == ["Bob", "Ann"]
    assert items["subject_type"].tolist() == ["request"] * 3 + ["project"] * 5 + [
        "request",
        "project",
    ]
    assert decision_counts(items) == {
        "request": 3,
        "money_rise": 3,
        "red_no_action": 2,
        "overdue_action": 2,
    }


def test_meeting_decisions_with_nothing_to_decide_is_empty_with_the_columns():
    from dashboard.analytics.review import DECISION_COLUMNS, decision_counts, meeting_decisions

    inputs = decision_inputs()
    inputs = {
        **inputs,
        **{k: inputs[k].iloc[0:0] for k in ("candidates", "money_moves", "actions")},
        "health_after": inputs["health_after"].iloc[2:3],  # one amber project
    }
    items = meeting_decisions(**inputs)
    assert items.empty and list(items.columns) == list(DECISION_COLUMNS)
    assert set(decision_counts(items).values()) == {0}


def test_division_rag_counts_per_division_and_date():
    from dashboard.analytics.review import division_rag_counts

    def frame(divisions: list, overall: list) -> pd.DataFrame:
        return pd.DataFrame(
            {"division": divisions, "overall": pd.Categorical(overall, dtype=RAG_DTYPE)}
        )

    counts = division_rag_counts(
        {
            "31 Oct": frame(["IT", "IT", "HR"], ["red", "green", None]),
            "30 Nov": frame(["IT", None, "IT"], ["red", "amber", "red"]),
        }
    )
    assert counts.values.tolist() == [
        ["(no division)", "31 Oct", 0, 0, 0, 0],
        ["(no division)", "30 Nov", 0, 1, 0, 0],
        ["HR", "31 Oct", 0, 0, 0, 1],
        ["HR", "30 Nov", 0, 0, 0, 0],
        ["IT", "31 Oct", 1, 0, 1, 0],
        ["IT", "30 Nov", 0, 0, 2, 0],
    ]


def test_action_log_marks_done_open_and_overdue():
    from dashboard.analytics.review import action_log

    ts = pd.Timestamp
    log = pd.DataFrame(
        [
            ("P1", "IT", "action", "Ann", D(2026, 11, 10), "Re-plan", ts(2026, 10, 30, 10)),
            ("P2", "IT", "action", "Bob", D(2026, 12, 15), "Costing", ts(2026, 10, 30, 11)),
            ("P3", "HR", "action", "Cy", D(2026, 11, 1), "Hire", ts(2026, 10, 30, 12)),
            ("P3", "HR", "done", None, None, None, ts(2026, 11, 20, 9)),  # closes P3's action
            ("P1", "IT", "done", None, None, None, ts(2026, 10, 29, 9)),  # before: closes nothing
            ("R1", "IT", "approve", None, None, None, ts(2026, 10, 30, 13)),  # not an action
            ("P4", "IT", "action", "Di", D(2026, 11, 5), "Later", ts(2026, 12, 1, 9)),  # future
        ],
        columns=["subject_id", "division", "decision", "owner", "due_date", "note", "decided_at"],
    ).assign(
        subject_type=lambda f: np.where(f["subject_id"].str.startswith("R"), "request", "project")
    )
    actions = action_log(log, {"P1": "One", "P3": "Three"}, D(2026, 11, 30))
    assert actions[["subject_id", "state", "owner"]].values.tolist() == [
        ["P1", "overdue", "Ann"],  # due 10 Nov, not done
        ["P2", "open", "Bob"],  # due 15 Dec
        ["P3", "done", "Cy"],  # overdue by date, but done on 20 Nov
    ]
    assert actions["done"].tolist() == [False, False, True]
    assert actions["name"].tolist()[0] == "One"
    assert actions["subject_type"].tolist() == ["project"] * 3


def test_a_done_on_one_action_closes_that_action_only():
    from dashboard.analytics.review import action_log

    ts = pd.Timestamp
    log = pd.DataFrame(
        [
            ("D-1", "project", "P1", "action", "Ann", D(2026, 11, 10), ts(2026, 10, 30, 10)),
            ("D-2", "project", "P1", "action", "Bob", D(2026, 11, 12), ts(2026, 10, 30, 11)),
            ("D-3", "action", "D-2", "done", None, None, ts(2026, 11, 20, 9)),  # Bob's only
            ("D-4", "action", "D-1", "done", None, None, ts(2026, 12, 3, 9)),  # after as-of
        ],
        columns=[
            "decision_id",
            "subject_type",
            "subject_id",
            "decision",
            "owner",
            "due_date",
            "decided_at",
        ],
    ).assign(division="IT", note=None)
    actions = action_log(log, {"P1": "One"}, D(2026, 11, 30))
    # Both actions are on P1; only D-2 was marked done (by 30 Nov), so D-1 is still overdue.
    assert actions[["decision_id", "subject_id", "state"]].values.tolist() == [
        ["D-1", "P1", "overdue"],
        ["D-2", "P1", "done"],
    ]
