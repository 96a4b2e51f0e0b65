"""Unit tests of the review meeting's blocks: decision tables, actions, period switch."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard.components import review_meeting as blocks
from dashboard.ids import ReviewIds


def texts(component) -> list[str]:
    """Every cell text of the first table in ``component``, row by row."""
    table = next(c for c in _walk(component) if type(c).__name__ == "Table")
    body = table.children[1]
    return [[td.children for td in tr.children] for tr in body.children]


def _walk(component):
    yield component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children]:
        if child is not None and not isinstance(child, str | int | float):
            yield from _walk(child)


def test_request_rows_show_money_in_the_currency_and_blanks_for_missing():
    items = pd.DataFrame(
        {
            "kind": ["request"],
            "subject_id": ["R1"],
            "name": ["CRM"],
            "division": ["IT"],
            "score": [61.46],
            "cost": [1_234_567.0],
            "benefit": [None],
            "recommendation": ["approve"],
        }
    )
    card = blocks.decisions_card(
        items,
        {"request": 1},
        {"request": "Requests ready for a decision"},
        currency="EUR",
        section_id="s",
        counts_id="c",
        note="n",
    )
    assert texts(card) == [["R1 CRM", "IT", "61.5", "€1,234,567", "", "approve"]]


def test_actions_table_dates_and_done_buttons():
    actions = pd.DataFrame(
        {
            "decision_id": ["D-1", "D-2"],
            "state": ["overdue", "done"],
            "subject_id": ["P1", "R1"],
            "name": ["One", None],
            "division": ["IT", None],
            "owner": ["Ann", None],
            "due_date": [pd.Timestamp(2026, 11, 10), pd.NaT],
            "note": ["Re-plan", None],
            "done": [False, True],
        }
    )
    card = blocks.actions_table(actions, section_id="a", ids=ReviewIds, can_record=True)
    rows = texts(card)
    assert rows[0][:6] == ["overdue", "P1 One", "IT", "Ann", "2026-11-10", "Re-plan"]
    assert rows[1][:6] == ["done", "R1", "", "", "", ""]
    assert rows[0][6].id == {"type": ReviewIds.ACTION_DONE, "index": "D-1"}  # a button
    assert rows[1][6] == ""  # a done action has no button
    viewer = blocks.actions_table(actions, section_id="a", ids=ReviewIds, can_record=False)
    assert len(texts(viewer)[0]) == 6


def test_period_switch_fills_the_active_period():
    links = {"last_closed_month": "", "month_to_date": "?from=2026-10-31&to=2026-11-26"}
    group = blocks.period_switch(links, "month_to_date", closed_id="a", mtd_id="b")
    closed, mtd = group.children
    assert (closed.href, closed.outline) == ("/review", True)
    assert (mtd.href, mtd.outline) == ("/review?from=2026-10-31&to=2026-11-26", False)
    assert date(2026, 11, 26).isoformat() in mtd.href
