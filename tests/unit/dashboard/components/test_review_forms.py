"""Unit tests of the review's forms: the executive summary card and the record form."""

from __future__ import annotations

from datetime import datetime

from dashboard.components import review_forms as forms
from dashboard.ids import ReviewIds
from dashboard.services.review_records import ExecutiveSummary


def test_the_summary_is_text_with_its_byline_and_an_editor_for_the_pmo_only():
    summary = ExecutiveSummary("<b>Two</b> new reds", "alice", datetime(2026, 12, 2, 9, 30), 3)
    card = forms.executive_summary_card(summary, ids=ReviewIds, can_write=True, key="k")
    shown, byline, editor = card.children[1].children
    assert shown.children == "<b>Two</b> new reds"  # a string child: Dash escapes it
    assert byline.children == "Written by alice on 2026-12-02 09:30 · 3 versions"
    assert editor is not None
    reader = forms.executive_summary_card(None, ids=ReviewIds, can_write=False, key="k")
    shown, byline, editor = reader.children[1].children
    assert "No executive summary" in shown.children and editor is None


def test_record_form_offers_every_decision_with_action_chosen():
    subjects = [{"label": "R1 CRM", "value": "request:R1"}]
    card = forms.record_form(subjects, ids=ReviewIds, key="k")
    fields = card.children[1].children[1]
    about, decision, owner, due = fields.children
    assert about.children[1].options == subjects
    radio = decision.children[1]
    assert [o["value"] for o in radio.options] == ["approve", "defer", "reject", "action", "done"]
    assert radio.value == "action"
    assert (owner.md, due.md, due.children[1].type) == (2, 2, "date")
