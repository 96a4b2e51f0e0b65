"""Unit tests of how the review writes a value in a cell (page tables and pack slides)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.components import review_cells as cells


@pytest.mark.parametrize(
    ("value", "kind", "text"),
    [
        (46.0, "finish_slip", "+46 days"),
        (27.7027, "eac_move", "+27.7%"),
        (-12.0, "budget_move", "-12.0%"),
        (np.inf, "budget_move", "from zero"),
        (np.nan, "new_red", ""),
    ],
)
def test_format_size(value, kind, text):
    assert cells.format_size(value, kind) == text


@pytest.mark.parametrize(
    ("value", "kind", "text"),
    [
        ("inf", "eac_move", "from zero"),
        (None, "budget_move", ""),
        (45.0, "milestone_slip", "+45 days"),
    ],
)
def test_format_size_reads_the_document_values_too(value, kind, text):
    assert cells.format_size(value, kind) == text


def test_missing_values_are_blank_cells():
    assert cells.money(None, "GBP") == "" and cells.money(np.nan, "GBP") == ""
    assert cells.money(1_234_567.4, "EUR") == "€1,234,567"
    assert cells.day(pd.NaT) == "" and cells.day(pd.Timestamp(2026, 11, 5)) == "2026-11-05"
    assert cells.count(None) == "" and cells.count(12345) == "12,345"
    assert cells.score(None) == "" and cells.score(61.46) == "61.5"
    assert cells.signed_percent(None) == "–" and cells.signed_percent(2.04) == "+2.0%"
    assert cells.text(float("nan")) == "" and cells.text("IT") == "IT"


def test_review_table_has_a_header_and_the_given_rows():
    from dash import html

    table = cells.review_table(["A", "B"], [html.Tr([html.Td("1"), html.Td("2")])])
    head, body = table.children
    assert [th.children for th in head.children.children] == ["A", "B"]
    assert len(body.children) == 1 and "review-table" in table.className
