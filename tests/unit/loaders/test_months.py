"""Unit tests for loaders.months: month cells to the first day of the month - no browser."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loaders.months import MONTH_HINT, coerce_month

D = dt.date


def months_of(values: list, **kwargs) -> tuple[list, list]:
    result = coerce_month(pd.Series(values, dtype=object), **kwargs)
    days = [None if pd.isna(v) else v.date() for v in result.values]
    return days, result.errors.tolist()


@pytest.mark.parametrize(
    "text",
    [
        "2026-12",
        "2026/12",
        "2026.12",
        "12/2026",
        "12-2026",
        "Dec-26",
        "dec-26",
        "DEC 26",
        "Dec'26",
        "Dec 2026",
        "Dec. 2026",
        "December 2026",
        "december, 2026",
        "2026-Dec",
        "2026 December",
        " Dec-26 ",
        # Full dates name their month.
        "2026-12-01",
        "2026-12-31",
        "15-Dec-2026",
        "Tue 15 Dec 2026",
        "12.2026",
    ],
)
def test_month_spellings_read_as_december_2026(text):
    assert months_of([text]) == ([D(2026, 12, 1)], [None])


def test_workbook_dates_and_serials_are_floored_to_their_month():
    # Excel serial 46006 = 2025-12-15: 2025-12-31 is 46022 (by hand: 2026-01-01 is 46023, since
    # 2024-01-01 is 45292 and 2024 + 2025 have 366 + 365 days), less 16 days. The reader gives
    # workbook dates as text, as calamine renders them.
    cells = ["2026-12-09 14:30:00", "2026-02-28", "46006", "2026-07-04 00:00:00"]
    assert months_of(cells) == (
        [D(2026, 12, 1), D(2026, 2, 1), D(2025, 12, 1), D(2026, 7, 1)],
        [None] * 4,
    )


def test_values_are_datetime64_ms_at_the_first_of_the_month():
    result = coerce_month(pd.Series(["Dec-26", None, "2026-02-17"], dtype="string"))
    assert result.values.dtype == np.dtype("datetime64[ms]")
    assert result.values.tolist()[0] == pd.Timestamp("2026-12-01")
    assert pd.isna(result.values.iloc[1]) and result.errors.iloc[1] is None
    assert result.values.iloc[2] == pd.Timestamp("2026-02-01")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Q4 2026", f"'Q4 2026' {MONTH_HINT}"),
        ("Q4", f"'Q4' {MONTH_HINT}"),
        ("13/2026", f"'13/2026' {MONTH_HINT}"),
        ("2026-13", f"'2026-13' {MONTH_HINT}"),
        ("2026.13", f"'2026.13' {MONTH_HINT}"),  # not the serial 2026.13 either
        ("Foo 2026", f"'Foo 2026' {MONTH_HINT}"),
        ("Dec 1850", f"'Dec 1850' {MONTH_HINT}"),
        ("12/26", f"'12/26' {MONTH_HINT}"),  # MM/YY reads as a day and a month just as well
        ("2026", "'2026' looks like a year, not a date"),
        ("05/03/2026", "ambiguous (day/month order)"),
    ],
)
def test_what_is_not_a_month_says_so(text, message):
    days, errors = months_of([text])
    assert days == [None]
    assert message in errors[0]


def test_day_first_column_decides_the_month_of_ambiguous_dates():
    # 13/01/2026 is only day-first, so 05/03/2026 is 5 March, not 3 May.
    assert months_of(["13/01/2026", "05/03/2026"]) == ([D(2026, 1, 1), D(2026, 3, 1)], [None, None])


def test_placeholders_are_empty_months():
    assert months_of(["TBD", "N/A", ""]) == ([None, None, None], [None, None, None])


def test_index_and_name_are_kept():
    raw = pd.Series(["Dec-26", "Jan-27"], index=[10, 11], name="Month", dtype="string")
    result = coerce_month(raw)
    assert list(result.values.index) == [10, 11] and result.values.name == "Month"
    assert list(result.errors.index) == [10, 11]


MONTHS = st.dates(min_value=D(1971, 1, 1), max_value=D(2069, 12, 1)).map(lambda d: d.replace(day=1))


@settings(deadline=None, max_examples=100)
@given(
    st.lists(MONTHS, min_size=1, max_size=6),
    st.sampled_from(["%Y-%m", "%b-%y", "%B %Y", "%m/%Y", "%Y/%m", "%b %Y"]),
)
def test_every_spelling_round_trips(months, fmt):
    assert months_of([m.strftime(fmt) for m in months]) == (months, [None] * len(months))
