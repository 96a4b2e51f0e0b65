"""Unit tests of the intake's requests: names, candidates and mandatory flags - no database."""

from __future__ import annotations

import pandas as pd

from dashboard.services.intake_requests import (
    candidate_requests,
    display_name,
    mandatory_mask,
)
from tests.unit.dashboard.services.intake_cases import requests, view


def test_display_name_is_the_id_and_the_title():
    assert display_name("REQ-012", "Payroll cloud move") == "REQ-012 Payroll cloud move"
    assert display_name("REQ-012", None) == "REQ-012"
    assert display_name("REQ-012", "") == "REQ-012"


def test_candidates_are_awaiting_a_decision_in_the_divisions():
    frame = requests()  # R5 is approved
    assert list(candidate_requests(frame, ())["request_id"]) == ["R1", "R2", "R3", "R4"]
    assert list(candidate_requests(frame, ("Operations",))["request_id"]) == ["R2"]


def test_mandatory_mask_is_false_without_the_column_and_for_missing_values():
    frame = requests()
    assert mandatory_mask(frame).tolist() == [False] * 5
    flagged = frame.assign(mandatory=pd.array([True, None, False, True, None], dtype="boolean"))
    assert mandatory_mask(flagged).tolist() == [True, False, False, True, False]


def test_view_divisions_are_the_filter():
    assert view(("Finance",)).divisions == ("Finance",)
    assert view().divisions == ()
