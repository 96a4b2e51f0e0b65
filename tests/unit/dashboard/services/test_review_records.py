"""Unit tests of the review's recording helpers that need no database: the form's subjects."""

from __future__ import annotations

import pandas as pd

from dashboard.services import review_records as records
from dashboard.services.review_meeting import Meeting


def test_parse_subject_reads_only_kind_colon_id():
    assert records.parse_subject("request:REQ-001") == ("request", "REQ-001")
    assert records.parse_subject("project:a:b") == ("project", "a:b")
    assert records.parse_subject("REQ-001") == ("", "")
    assert records.parse_subject(None) == ("", "")


def test_decision_subjects_list_each_item_and_action_once():
    decisions = pd.DataFrame(
        {
            "kind": ["request", "money_rise", "red_no_action"],
            "subject_type": ["request", "project", "project"],
            "subject_id": ["R1", "P1", "P1"],
            "name": ["CRM", "Budget of P1 rose 28%", "Alpha"],
        }
    )
    actions = pd.DataFrame(
        {"subject_type": ["project", "request"], "subject_id": ["P2", "R1"], "name": [None, "x"]}
    )
    meeting = Meeting(decisions, {}, pd.DataFrame(), 0.0, False, actions, 1)
    assert records.decision_subjects(meeting) == [
        {"label": "R1 CRM", "value": "request:R1"},
        {"label": "P1", "value": "project:P1"},  # a money rise's "name" is its detail: left out
        {"label": "P2", "value": "project:P2"},
    ]
