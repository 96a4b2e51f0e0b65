"""Unit tests of dashboard/formats.py: money, percentages and dates read the same everywhere - no
browser."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

from dashboard import formats


@pytest.mark.parametrize(
    ("value", "text"),
    [(2614000, "£2,614,000"), (-1500.4, "-£1,500"), (None, "–"), (math.nan, "–")],
)
def test_money_has_its_currency_and_no_pence(value, text):
    assert formats.money(value, "GBP") == text


def test_money_short_and_unknown_currency():
    assert formats.money_short(1_500_000, "EUR") == "€1.50m"
    assert formats.money_short(250_000, "GBP") == "£250k"
    assert formats.money(12, "CHF") == "CHF 12"


def test_percent_and_day():
    assert formats.percent(0.456) == "46%"
    assert formats.day(pd.Timestamp("2026-11-26 00:00")) == "2026-11-26"
    assert formats.day(None) == "–"


def test_grid_and_xlsx_money_formats_name_the_currency():
    assert "'£'" in formats.grid_money("GBP")["function"]
    assert formats.xlsx_money("GBP") == '"£"#,##0;-"£"#,##0'


def test_long_day_reads_as_words_in_a_sentence():
    assert formats.long_day(date(2026, 11, 5)) == "5 Nov 2026"
    assert formats.long_day(pd.Timestamp("2026-01-31 17:45")) == "31 Jan 2026"
    assert formats.long_day(None) == "–" and formats.long_day(pd.NaT) == "–"


@pytest.mark.parametrize(
    ("value", "currency", "text"),
    [(1_500_000, "GBP", "£1.50m"), (250_000, "EUR", "€250k"), (900, "USD", "$900"),
     (2_000, "CHF", "CHF 2k")],
)  # fmt: skip
def test_money_is_short_and_carries_the_currency(value, currency, text):
    assert formats.money_short(value, currency) == text
