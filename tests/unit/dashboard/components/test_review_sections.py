"""Unit tests of the Monthly review's blocks: change tables, headline counts, KPI tiles."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from dashboard.components import review_sections as blocks
from dashboard.services.review_url import ReviewState


def one_change(kind: str, subject: str, before: object, after: object, **shown: object):
    """A one-row frame of ``enrich_changes`` output, as the change table receives it."""
    row = {"kind": kind, "subject_id": subject, "before": before, "after": after}
    return pd.DataFrame([{"exception": False, "size": np.nan, **row, **shown}])


def test_change_table_renders_user_text_as_text():
    changes = one_change(
        "new_red",
        "P1",
        "amber",
        "red",
        exception=True,
        label="New red",
        division="<b>Fin</b>",
        detail="<script>alert(1)</script>",
    )
    table = blocks.change_table(changes, link_query="?division=Fin")
    cells = table.children[1].children[0].children
    assert cells[1].children == "<b>Fin</b>"
    assert cells[-1].children == "<script>alert(1)</script>"
    assert cells[4].children.className == "rag-red"
    assert cells[4].children.children == "Red"  # the vocabulary's word, not the stored code
    # The project id is a real link to its page, opening in a new tab with the filters kept.
    link = cells[0].children
    assert (link.children, link.href, link.target) == ("P1", "/project/P1?division=Fin", "_blank")


def test_change_table_links_only_projects():
    changes = one_change("new_request", "R/1", None, None, label="New request", division="Fin")
    changes = changes.assign(detail="d")
    cell = blocks.change_table(changes).children[1].children[0].children[0]
    assert cell.children == "R/1"


def test_exception_summary_pluralises_and_mutes_zeros():
    summary = blocks.exception_summary(
        [("new red", "new reds", 1), ("recovery", "recoveries", 0)], summary_id="s"
    )
    first, second = summary.children
    assert first.children[1] == " new red" and "text-muted" not in first.className
    assert second.children[1] == " recoveries" and "text-muted" in second.className


def test_review_kpis_note_the_earlier_value():
    def summary(red: int) -> dict:
        return {
            "projects": 10,
            "overall": {"red": red, "amber": 2, "green": 3, "unknown": 0},
            "watermelons": 1,
            "eac_vs_budget_pct": 5.0,
            "reporting_on_time_share": 0.9,
        }

    text = str(blocks.review_kpis(summary(3), summary(5), before_label="31 Oct 2026"))
    assert "+2 vs 31 Oct 2026 (3)" in text and "no change vs 31 Oct 2026 (10)" in text


def test_review_heading_names_both_dates_and_the_scope():
    state = ReviewState(("Finance",), date(2026, 10, 31), date(2026, 11, 30))
    heading = blocks.review_heading(state, title_id="t", version=7)
    title, scope = heading.children
    assert title.children == "Monthly review: 31 Oct 2026 → 30 Nov 2026"
    assert scope.children == "Finance · data version 7"
