"""Unit tests of the review meeting's agenda: decisions, trend, recovery, requests waiting."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from dashboard.analytics.rag import RAG_DTYPE
from dashboard.analytics.review_meeting import (
    DECISION_COLUMNS,
    awaiting_decision,
    decision_counts,
    division_rag_counts,
    intake_summary,
    meeting_candidates,
    meeting_decisions,
    rag_trend,
    raid_of,
    recovery_actions,
)
from dashboard.analytics.review_meeting import money_moves as money_moves_of

D = dt.date


def test_rag_trend_counts_each_date_oldest_first():
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


def candidates() -> pd.DataFrame:
    """Scored requests with the selection's verdict: R3 has no cost and R4 no score."""
    return pd.DataFrame(
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


def money_moves() -> pd.DataFrame:
    return pd.DataFrame(
        [
            ("budget_move", "P1", "IT", 28.0, "Budget of P1 rose 28%"),
            ("eac_move", "P2", "HR", 9.99, "EAC of P2 rose 10%"),  # under the 10% threshold
            ("eac_move", "P3", "HR", float("inf"), "EAC of P3 set from zero"),
            ("budget_move", "P4", "IT", -30.0, "Budget of P4 fell 30%"),  # a fall: no approval
            ("eac_move", "P5", "IT", 10.0, "EAC of P5 rose 10%"),  # exactly the threshold
        ],
        columns=["kind", "subject_id", "division", "size", "detail"],
    )


def earlier_actions() -> pd.DataFrame:
    return pd.DataFrame(
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


def decision_inputs() -> dict:
    health_after = pd.DataFrame(
        {
            "project_id": ["P9", "P1", "P8", "P7"],
            "name": ["Nine", "One", "Eight", "Seven"],
            "division": ["IT", "IT", "HR", "HR"],
            "overall": pd.Categorical(["red", "red", "amber", "red"], dtype=RAG_DTYPE),
            "overall_reason": ["cost 20% over", "late", "", ""],
        }
    )
    return {
        "candidates": candidates(),
        "money_moves": money_moves(),
        "health_after": health_after,
        "with_recovery": {"P1"},
        "actions": earlier_actions(),
        "as_of": D(2026, 11, 30),
        "budget_rise_pct": 10.0,
    }


def test_meeting_decisions_lists_every_item_in_meeting_order():
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


def test_awaiting_decision_lists_open_requests_longest_waiting_first():
    requests = pd.DataFrame(
        {
            "request_id": ["R1", "R2", "R3", "R4"],
            "title": ["A", "B", "C", "D"],
            "division": ["Finance"] * 4,
            "status": ["submitted", "approved", "under_review", "Submitted "],
            "submitted_date": pd.to_datetime(["2026-11-01", "2026-10-01", "2026-08-27", None]),
            "estimated_cost": [1000.0, 2000.0, None, 5.0],
        }
    )
    waiting = awaiting_decision(requests, D(2026, 11, 26))
    assert waiting["request_id"].tolist() == ["R3", "R1", "R4"]
    assert waiting["days_waiting"].tolist()[:2] == [91.0, 25.0]
    assert waiting["status"].tolist()[0] == "under review"


def test_meeting_candidates_keep_requests_awaiting_a_decision_with_their_benefit():
    recommended = pd.DataFrame(
        {
            "request_id": ["R1", "R2", "R3"],
            "status": ["submitted", "approved", "under_review"],
            "decision": ["chosen", "chosen", "not chosen"],
        }
    )
    register = pd.DataFrame(
        {"request_id": ["R1", "R1", "R3"], "expected_benefit": [10.0, 99.0, None]}
    )
    out = meeting_candidates(recommended, register)
    assert out["request_id"].tolist() == ["R1", "R3"]  # R2 is already approved
    assert out["expected_benefit"].tolist()[0] == 10.0  # the first row of a repeated id
    assert np.isnan(out["expected_benefit"].tolist()[1])


def test_money_moves_and_raid_of_keep_what_the_meeting_reads():
    changes = pd.DataFrame(
        {"kind": ["eac_move", "new_red", "budget_move"], "subject_id": list("ABC")}
    )
    assert money_moves_of(changes)["subject_id"].tolist() == ["A", "C"]
    raid = pd.DataFrame({"project_id": ["P1", "P2", 3], "raid_type": ["issue"] * 3})
    health = pd.DataFrame({"project_id": ["P2", "3"]})
    assert raid_of(raid, health)["project_id"].tolist() == ["P2", 3]


def test_intake_summary_counts_the_recommended_requests():
    items = meeting_decisions(**decision_inputs())
    summary = intake_summary(items, 2_000_000, capacity_used=True)
    # R1 (400k, benefit 900k) and R5 (50k, no benefit) are recommended; R2 is not.
    assert summary == {
        "budget": 2_000_000.0,
        "capacity_used": True,
        "ready": 3,
        "recommended": 2,
        "recommended_cost": 450_000.0,
        "recommended_benefit": 900_000.0,
    }
    none_known = intake_summary(items.assign(benefit=np.nan), 1.0, capacity_used=False)
    assert none_known["recommended_benefit"] is None
