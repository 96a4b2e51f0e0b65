"""Decisions recorded in the app are published like loads (loaders/app_writes.py)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from loaders import publish
from loaders.app_writes import DecisionError, DecisionInput, record_decision
from tests.storage.conftest import rows

NOW = datetime(2026, 11, 27, 9, 30)


def request_in(store: Path, status: str) -> tuple[str, str]:
    found = rows(
        store,
        "SELECT request_id, division FROM requests WHERE valid_to IS NULL AND status = ? "
        "ORDER BY request_id LIMIT 1",
        [status],
    )
    return found[0]


def test_approving_a_request_publishes_the_decision_and_a_new_request_version(store):
    request_id, division = request_in(store, "under_review")
    before = publish.current_version(store).number
    result = record_decision(
        store,
        DecisionInput("request", request_id, "approve", note="Fund from Q1 budget"),
        user="alice",
        key="k-1",
        now=NOW,
    )
    assert not result.replay and result.request_status == "approved"
    assert result.version == before + 1 == publish.current_version(store).number
    decision = rows(
        store,
        "SELECT subject_id, division, decision, note, decided_by, decided_at, load_id "
        "FROM decisions",
    )
    assert decision == [
        (request_id, division, "approve", "Fund from Q1 budget", "alice", NOW, result.load_id)
    ]
    versions = rows(
        store,
        "SELECT status, valid_from, valid_to, load_id FROM requests WHERE request_id = ? "
        "ORDER BY valid_from, load_id",
        [request_id],
    )
    assert versions[-1] == ("approved", date(2026, 11, 27), None, result.load_id)
    assert versions[-2][0] == "under_review" and versions[-2][2] == date(2026, 11, 27)
    run = rows(
        store,
        "SELECT file_name, status, rows_read, rows_loaded, rows_rejected, rows_ignored, as_of, "
        "data_version FROM load_runs WHERE load_id = ?",
        [result.load_id],
    )
    assert run == [
        (
            "app: monthly review decision by alice",
            "committed",
            2,
            2,
            0,
            0,
            date(2026, 11, 27),
            result.version,
        )
    ]


def test_a_replayed_submission_writes_nothing(store):
    request_id, _ = request_in(store, "submitted")
    first = record_decision(
        store, DecisionInput("request", request_id, "defer"), user="alice", key="same", now=NOW
    )
    again = record_decision(
        store, DecisionInput("request", request_id, "defer"), user="alice", key="same", now=NOW
    )
    assert again.replay and again.decision_id == first.decision_id
    assert publish.current_version(store).number == first.version
    assert rows(store, "SELECT count(*) FROM decisions") == [(1,)]


def test_a_division_manager_cannot_record_for_another_division(store):
    request_id, division = request_in(store, "under_review")
    other = "Finance" if division != "Finance" else "Operations"
    before = publish.current_version(store).number
    with pytest.raises(DecisionError, match=f"for {other} only; {request_id} belongs to"):
        record_decision(
            store,
            DecisionInput("request", request_id, "approve"),
            user="bob",
            key="k-2",
            allowed_divisions=[other],
            now=NOW,
        )
    assert publish.current_version(store).number == before
    assert rows(store, "SELECT count(*) FROM decisions") == [(0,)]


@pytest.mark.parametrize(
    ("submitted", "message"),
    [
        (DecisionInput("project", "PRJ-001", "action", owner="Ann"), "needs an owner and a due"),
        (DecisionInput("project", "PRJ-001", "approve"), "applies to a request"),
        (DecisionInput("request", "REQ-999", "reject"), "'REQ-999' is not in the data"),
        (DecisionInput("request", "REQ-001", "maybe"), "decision must be one of"),
        (DecisionInput("team", "X", "action"), "a request or a project"),
        (DecisionInput("project", "PRJ-001", "done", note="x" * 1001), "longer than 1000"),
    ],
)
def test_bad_decisions_are_refused_with_a_reason_and_nothing_written(store, submitted, message):
    before = publish.current_version(store).number
    with pytest.raises(DecisionError, match=message):
        record_decision(store, submitted, user="alice", key="k-3", now=NOW)
    assert publish.current_version(store).number == before


def test_an_action_on_a_project_keeps_owner_and_due_date(store):
    result = record_decision(
        store,
        DecisionInput("project", "PRJ-001", "action", owner="Ann Lee", due_date=date(2026, 12, 15)),
        user="pmo",
        key="k-4",
        now=NOW,
    )
    assert result.request_status is None
    assert rows(store, "SELECT decision, owner, due_date FROM decisions") == [
        ("action", "Ann Lee", date(2026, 12, 15))
    ]
    run = rows(
        store, "SELECT rows_read, rows_loaded FROM load_runs WHERE load_id = ?", [result.load_id]
    )
    assert run == [(1, 1)]


def test_an_executive_summary_is_a_load_with_history(store):
    from loaders.app_writes import record_summary, summary_subject

    first = record_summary(
        store, date(2026, 11, 30), ["Ops", "IT"], "  First draft  ", user="pmo1", key="s-1", now=NOW
    )
    later = datetime(2026, 11, 27, 10, 0)
    second = record_summary(
        store, date(2026, 11, 30), ["IT", "Ops"], "Final", user="pmo2", key="s-2", now=later
    )
    replay = record_summary(
        store, date(2026, 11, 30), ["IT", "Ops"], "Final", user="pmo2", key="s-2", now=later
    )
    assert replay.replay and replay.decision_id == second.decision_id
    assert summary_subject(date(2026, 11, 30), ["Ops", "IT"]) == "2026-11-30|IT,Ops"
    assert summary_subject(date(2026, 11, 30), []) == "2026-11-30|*"
    logged = rows(
        store,
        "SELECT decision_id, subject_type, subject_id, division, decision, note, decided_by, "
        "decided_at FROM decisions ORDER BY decided_at",
    )
    assert logged == [
        (first.decision_id, "review", "2026-11-30|IT,Ops", None, "summary", "First draft",
         "pmo1", NOW),
        (second.decision_id, "review", "2026-11-30|IT,Ops", None, "summary", "Final", "pmo2",
         later),
    ]  # fmt: skip
    run = rows(store, "SELECT file_name, rows_loaded FROM load_runs WHERE load_id = ?",
               [second.load_id])  # fmt: skip
    assert run == [("app: executive summary of 2026-11-30|IT,Ops by pmo2", 1)]


@pytest.mark.parametrize("text", ["", "   ", "x" * 2001])
def test_an_empty_or_long_summary_is_refused_and_nothing_is_written(store, text):
    from loaders.app_writes import record_summary

    before = publish.current_version(store).number
    with pytest.raises(DecisionError):
        record_summary(store, date(2026, 11, 30), [], text, user="pmo", key="k", now=NOW)
    assert publish.current_version(store).number == before


def test_one_action_done_leaves_the_subjects_other_actions_open(store):
    from loaders.app_writes import record_action_done

    project_id, division = rows(
        store, "SELECT project_id, division FROM projects WHERE valid_to IS NULL LIMIT 1"
    )[0]
    first, second = (
        record_decision(
            store,
            DecisionInput("project", project_id, "action", owner=o, due_date=date(2026, 12, 9)),
            user="alice",
            key=f"a-{o}",
            now=NOW,
        )
        for o in ("Ann", "Bob")
    )
    with pytest.raises(DecisionError, match="belongs to"):
        record_action_done(
            store, second.decision_id, user="eve", key="d-0", allowed_divisions=["Nowhere"]
        )
    with pytest.raises(DecisionError, match="not in the decisions log"):
        record_action_done(store, "D-999999", user="alice", key="d-x")
    done = record_action_done(
        store, second.decision_id, user="alice", key="d-1", allowed_divisions=[division], now=NOW
    )
    again = record_action_done(store, second.decision_id, user="alice", key="d-1", now=NOW)
    assert again.replay and again.decision_id == done.decision_id
    logged = rows(
        store,
        "SELECT subject_type, subject_id, division, decision FROM decisions "
        "WHERE decision = 'done'",
    )
    assert logged == [("action", second.decision_id, division, "done")]
    assert first.decision_id != second.decision_id
