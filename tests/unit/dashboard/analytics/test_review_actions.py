"""Unit tests of the actions recorded at reviews and the decisions log - no database."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from dashboard.analytics.review_actions import (
    action_log,
    in_divisions,
    log_export,
    named_log,
    subject_names,
)

D = dt.date


def test_action_log_marks_done_open_and_overdue():
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


def test_subject_names_prefer_the_project_on_a_clash():
    requests = pd.DataFrame({"request_id": ["R1", "X"], "title": ["CRM", "Request X"]})
    projects = pd.DataFrame({"project_id": ["P1", "X"], "name": ["One", "Project X"]})
    assert subject_names(requests, projects) == {"R1": "CRM", "X": "Project X", "P1": "One"}


def test_the_log_in_divisions_named_and_exported():
    log = pd.DataFrame(
        {
            "decision_id": ["D-1", "D-2"],
            "subject_id": ["P1", "R9"],
            "division": ["IT", "HR"],
            "decided_at": ["2026-11-02 10:00", "2026-11-03 11:00"],
            "due_date": ["2026-12-01", None],
        }
    )
    assert in_divisions(log, ()) is log
    hr = named_log(in_divisions(log, ("HR",)), {"P1": "One"})
    assert hr["decision_id"].tolist() == ["D-2"] and hr.index.tolist() == [0]
    assert hr["name"].isna().all()  # an unknown subject has no name
    exported = log_export(named_log(log, {"P1": "One"}))
    assert list(exported.columns)[:3] == ["Decision ID", "Recorded at", "Recorded by"]
    assert exported["Recorded at"].iloc[0] == pd.Timestamp(2026, 11, 2, 10)
    assert exported["Name"].tolist()[0] == "One"
    assert pd.isna(exported["Due date"].iloc[1])
