"""Unit tests for loaders.coerce_dates: dates in every spelling, day/month order, ranges."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from loaders.coerce_dates import coerce_date, split_date_range
from loaders.read import STRING
from tests.unit.loaders.coerce_support import (
    NA,
    D,
    Err,
    assert_column,
    assert_value_or_error,
    check_one,
    run,
)

# --------------------------------------------------------------------------------------------------
# Dates (docs/loaders.md, "Values": dates, day/month order, 1900/1904 date system)

DATE_CASES = [
    ("2024-03-05", D(2024, 3, 5)),
    ("2024-03-05T10:00:00", D(2024, 3, 5)),
    ("2024-03-05 10:00", D(2024, 3, 5)),
    ("2024-03-05T23:59:59.999", D(2024, 3, 5)),
    ("2024-03-05T10:00:00.000+0000", D(2024, 3, 5)),
    ("2024-03-05T10:00:00Z", D(2024, 3, 5)),
    ("2024-3-5", D(2024, 3, 5)),
    ("2024/03/05", D(2024, 3, 5)),
    ("20240305", D(2024, 3, 5)),
    ("5-Mar-2024", D(2024, 3, 5)),
    ("5 Mar 2024", D(2024, 3, 5)),
    ("05-Mar-24", D(2024, 3, 5)),
    ("05-MAR-24", D(2024, 3, 5)),
    ("5 March 2024", D(2024, 3, 5)),
    ("5th March 2024", D(2024, 3, 5)),
    ("March 5, 2024", D(2024, 3, 5)),
    ("Mar 5 2024", D(2024, 3, 5)),
    ("Sept 5, 2024", D(2024, 9, 5)),
    ("2024-Mar-05", D(2024, 3, 5)),
    ("22/Dec/25 2:38 PM", D(2025, 12, 22)),
    ("22/Dec/25 12:05 am", D(2025, 12, 22)),
    ("Sat 01.01.22", D(2022, 1, 1)),
    ("Tuesday, 5 March 2024", D(2024, 3, 5)),
    ("Mon 5 Mar 2024 09:00", D(2024, 3, 5)),
    ("31.12.2024", D(2024, 12, 31)),
    ("5.3.69", D(2069, 3, 5)),
    ("5.3.70", D(1970, 3, 5)),
    ("13/03/2024", D(2024, 3, 13)),
    ("03/13/2024", D(2024, 3, 13)),
    ("13-03-2024", D(2024, 3, 13)),
    ("05/05/2024", D(2024, 5, 5)),
    ("45356", D(2024, 3, 5)),
    ("45356.75", D(2024, 3, 5)),
    ("1", D(1900, 1, 1)),
    ("1900-01-01", D(1900, 1, 1)),
    ("2200-12-31", D(2200, 12, 31)),
    ("2024-02-30", Err("'2024-02-30' is not a valid date")),
    ("2023-02-29", Err("'2023-02-29' is not a valid date")),
    ("30-Feb-2024", Err("'30-Feb-2024' is not a valid date")),
    ("TBD", NA),  # issue 10: a date placeholder means "no date yet"
    ("TBC", NA),
    ("Q3 2024", Err("is not a valid date")),
    ("Mar 2024", Err("is not a valid date")),
    ("5 Foo 2024", Err("is not a valid date")),
    ("2024-03-05 25:00", Err("is not a valid date")),
    ("22/Dec/25 13:05 PM", Err("is not a valid date")),
    ("05/03/2024", Err("'05/03/2024' is ambiguous (day/month order): set date_order in pmo.toml")),
    ("3/5/24", Err("'3/5/24' is ambiguous (day/month order)")),
    ("32/01/2024", Err("'32/01/2024' is not a valid date")),
    ("13/13/2024", Err("'13/13/2024' is not a valid date")),
    ("1850-01-01", Err("'1850-01-01' is outside the years 1900–2200")),
    ("2201-01-01", Err("'2201-01-01' is outside the years 1900–2200")),
    ("0001-01-01", Err("is outside the years 1900–2200")),
    ("5-Mar-1850", Err("is outside the years 1900–2200")),
    ("2024", Err("'2024' looks like a year, not a date")),
    ("123456", Err("is not a valid date")),
]


@pytest.mark.parametrize(("raw", "expected"), DATE_CASES, ids=repr)
def test_coerce_date_single_cell(raw, expected):
    check_one(coerce_date, raw, expected)


def test_excel_serial_45356_is_5_march_2024():
    # By hand: 2000-01-01 is serial 36526; +20 years with 5 leap days (2000..2016) = 43831 for
    # 2020-01-01; +1461 days (2020..2023) = 45292 for 2024-01-01; +31 (Jan) +29 (Feb) = 45352 for
    # 2024-03-01; so 45356 is 2024-03-05 (not 03-06).
    assert (D(2024, 3, 5) - D(1899, 12, 30)).days == 45356
    check_one(coerce_date, "45356", D(2024, 3, 5))


def test_b18_dates_mixed_file():
    raw = ["2024-03-05", "05/03/2024", "3/5/24", "5-Mar-2024", "45356", "2024-02-30", "TBD", ""]
    # TBD was once rejected; now it is an empty date (docs/loaders.md, "Values decided by content").
    ambiguous = "is ambiguous (day/month order): set date_order in pmo.toml"
    expected = [
        D(2024, 3, 5),
        Err(f"'05/03/2024' {ambiguous}"),
        Err(f"'3/5/24' {ambiguous}"),
        D(2024, 3, 5),
        D(2024, 3, 5),
        Err("'2024-02-30' is not a valid date"),
        NA,
        NA,
    ]
    assert_column(run(coerce_date, raw), expected)
    declared = [D(2024, 3, 5), D(2024, 3, 5), D(2024, 5, 3), *expected[3:]]
    assert_column(run(coerce_date, raw, order="dmy"), declared)


@pytest.mark.parametrize(
    ("raw", "order", "expected"),
    [
        pytest.param(
            ["05/03/2024", "13/03/2024", "5/3/24"],
            "auto",
            [D(2024, 3, 5), D(2024, 3, 13), D(2024, 3, 5)],
            id="a-first-part-above-12-makes-the-column-day-first",
        ),
        pytest.param(
            ["05/03/2024", "03/13/2024", "5-3-2024"],
            "auto",
            [D(2024, 5, 3), D(2024, 3, 13), D(2024, 5, 3)],
            id="a-second-part-above-12-makes-the-column-month-first",
        ),
        pytest.param(
            ["05/03/2024", "06/04/2024"],
            "auto",
            [Err("'05/03/2024' is ambiguous"), Err("'06/04/2024' is ambiguous")],
            id="nothing-decides",
        ),
        pytest.param(
            ["05/03/2024", "13/03/2024", "03/13/2024"],
            "auto",
            [Err("'05/03/2024' is ambiguous"), D(2024, 3, 13), D(2024, 3, 13)],
            id="both-orders-seen",
        ),
        pytest.param(
            ["13/03/2024", "5.3.2024", "2024-03-05"],
            "auto",
            [D(2024, 3, 13), D(2024, 3, 5), D(2024, 3, 5)],
            id="dots-and-iso-never-vote",
        ),
        pytest.param(
            ["13/03/2024", "03/14/2024"],
            "dmy",
            [D(2024, 3, 13), Err("'03/14/2024' is not a valid date")],
            id="dmy-forced",
        ),
        pytest.param(
            ["05/03/2024", "13/03/2024", "3/5/24 14:00"],
            "mdy",
            [D(2024, 5, 3), Err("'13/03/2024' is not a valid date"), D(2024, 3, 5)],
            id="mdy-forced",
        ),
        pytest.param(["05.03.2024"], "mdy", [D(2024, 3, 5)], id="dots-stay-day-first"),
        pytest.param(
            ["22/Dec/25 2:38 PM", "Dec 22, 2025", "05/03/2024"],
            "auto",
            [D(2025, 12, 22), D(2025, 12, 22), Err("ambiguous")],
            id="month-names-never-vote",
        ),
    ],
)
def test_coerce_date_day_month_order(raw, order, expected):
    assert_column(run(coerce_date, raw, order=order), expected)


def test_coerce_date_1904_system():
    result = run(coerce_date, ["0", "45356", "1", "2024-03-05"], date1904=True)
    # Serial 0 is the system's zero date (1904-01-01 here): "no date", as in the 1900 system.
    assert_column(result, [NA, D(2028, 3, 6), D(1904, 1, 2), D(2024, 3, 5)])
    # Ignoring the flag shifts every serial date by 1,462 days (docs/loaders.md, "Values":
    # 1900/1904 date system).
    plain = run(coerce_date, ["45356"]).values.iloc[0]
    mac = run(coerce_date, ["45356"], date1904=True).values.iloc[0]
    assert (mac - plain).days == 1462
    check_one(coerce_date, "0", NA)


def test_coerce_date_rejects_unknown_order():
    with pytest.raises(ValueError, match="order must be one of"):
        run(coerce_date, ["2024-03-05"], order="ymd")


def test_coerce_date_values_are_datetime64_ms():
    result = run(coerce_date, ["2024-03-05", None, "TBD"])
    assert result.values.dtype == np.dtype("datetime64[ms]")
    assert result.values.isna().tolist() == [False, True, True]


def excel_serial(day: dt.date) -> int:
    serial = (day - D(1899, 12, 30)).days
    return serial if day >= D(1900, 3, 1) else serial - 1  # Excel's phantom 29 Feb 1900


# 1970-01-01 is left out: the Unix epoch reads as "no date" (see test_sentinel_dates_are_empty).
DATES = st.dates(min_value=D(1900, 1, 1), max_value=D(2200, 12, 31)).filter(
    lambda d: d != D(1970, 1, 1)
)


@settings(deadline=None)
@given(st.lists(DATES, min_size=1, max_size=8))
def test_dates_round_trip_iso_and_month_names(days):
    iso = coerce_date(pd.Series([d.isoformat() for d in days]))
    named = coerce_date(pd.Series([d.strftime("%d-%b-%Y") for d in days]))
    for result in (iso, named):
        assert result.errors.isna().all()
        assert [v.date() for v in result.values] == days


@settings(deadline=None)
@given(st.lists(DATES, min_size=1, max_size=8))
def test_dates_round_trip_excel_serials(days):
    serials = [excel_serial(d) for d in days]
    # Whole numbers 1900-2200 are read as years, never as dates in 1905 (documented rule).
    assume(not any(1900 <= s <= 2200 for s in serials))
    short = [(d, str(s)) for d, s in zip(days, serials, strict=True) if len(str(s)) <= 5]
    text = coerce_date(pd.Series([s for _, s in short], dtype=object))
    assert text.errors.isna().all()
    assert [v.date() for v in text.values] == [d for d, _ in short]


@settings(deadline=None)
@given(st.lists(st.text(), max_size=6), st.sampled_from(["auto", "dmy", "mdy"]), st.booleans())
def test_date_options_never_raise(raw, order, date1904):
    assert_value_or_error(
        raw, coerce_date(pd.Series(raw, dtype=object), order=order, date1904=date1904), dates=True
    )


# --------------------------------------------------------------------------------------------------
# Issue 10, pattern 6: dates decided by content.


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # Placeholders and zero dates: empty, no error.
        ("TBD", NA),
        ("tba", NA),
        ("To be confirmed", NA),
        ("NA", NA),
        ("N/A", NA),
        ("-", NA),
        ("00/00/0000", NA),
        ("0000-00-00", NA),
        ("00.00.0000", NA),
        ("1900-01-00", NA),
        # Epochs and the end of time: empty whatever their spelling or type.
        ("1970-01-01", NA),
        ("01/01/1970", NA),
        ("1899-12-30", NA),
        ("1899-12-31", NA),
        ("9999-12-31", NA),
        ("31/12/9999", NA),
        ("31-Dec-9999", NA),
        ("0", NA),
        # A day next to a sentinel is a date.
        ("1970-01-02", D(1970, 1, 2)),
        ("9999-12-30", Err("is outside the years 1900–2200")),
        # Weekday names, before or after.
        ("Tuesday, 3 March 2026", D(2026, 3, 3)),
        ("Tue 3 Mar 2026", D(2026, 3, 3)),
        ("Tue. 3 Mar 2026", D(2026, 3, 3)),
        ("3 March 2026 (Tue)", D(2026, 3, 3)),
        ("2026-03-03, Tuesday", D(2026, 3, 3)),
        # Time-zone notes: the date as written.
        ("2026-03-03 14:00 UTC", D(2026, 3, 3)),
        ("2026-03-03 23:30 (GMT+1)", D(2026, 3, 3)),
        ("2026-03-03 (GMT+1)", D(2026, 3, 3)),
        ("2026-03-03 14:00 GMT-05:00", D(2026, 3, 3)),
        ("2026-03-03 14:00 CET", D(2026, 3, 3)),
        ("3 Mar 2026 14:00 (UTC+05:30)", D(2026, 3, 3)),
        ("2026-03-03T14:00:00+01:00", D(2026, 3, 3)),
        # AM/PM markers of other locales.
        ("3 Mar 2026 2:30 p.m.", D(2026, 3, 3)),
        ("3 Mar 2026 2:30 p. m.", D(2026, 3, 3)),
        ("03.03.2026 2:30 nachm.", D(2026, 3, 3)),
        ("03.03.2026 9:15 vorm.", D(2026, 3, 3)),
        ("2026/03/03 午後2:30", D(2026, 3, 3)),
        ("2026/03/03 午前 0:30", D(2026, 3, 3)),
        ("2026/03/03 下午 2:30", D(2026, 3, 3)),
        ("2026-03-03 오후 2:30", D(2026, 3, 3)),
        ("03.03.2026 2:30 μ.μ.", D(2026, 3, 3)),
        ("2026/03/03 午後13:30", Err("is not a valid date")),
        ("3 Mar 2026 14:30 p.m.", Err("is not a valid date")),
        # A one-cell range is not one date.
        ("03/03/2026 - 10/04/2026", Err("is a date range (a start and a finish)")),
        ("Mar 3 – Apr 10, 2026", Err("is a date range")),
    ],
    ids=repr,
)
def test_coerce_date_by_content(raw, expected):
    check_one(coerce_date, raw, expected)


def test_weekday_decorated_dates_take_the_column_order():
    # 13/01/26 can only be day-first, so the whole column is: 12/01/26 is 12 January.
    raw = ["Mon 12/01/26", "Tue 13/01/26", "Wed 14/01/2026 09:00 (GMT+1)"]
    assert_column(run(coerce_date, raw), [D(2026, 1, 12), D(2026, 1, 13), D(2026, 1, 14)])
    month_first = ["Mon 01/12/26", "Tue 01/13/26"]
    assert_column(run(coerce_date, month_first), [D(2026, 1, 12), D(2026, 1, 13)])


def test_sentinel_dates_are_empty():
    cells = pd.Series(["1970-01-01", "2026-03-03", "1899-12-30", None], index=[4, 5, 6, 7])
    assert_column(coerce_date(cells.astype(STRING)), [NA, D(2026, 3, 3), NA, NA])
    assert_column(coerce_date(pd.Series(["0", "46084"], dtype=STRING)), [NA, D(2026, 3, 3)])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("03/03/2026 - 10/04/2026", ("03/03/2026", "10/04/2026")),
        ("2026-03-03 to 2026-04-10", ("2026-03-03", "2026-04-10")),
        ("2026-03-03 – 2026-04-10", ("2026-03-03", "2026-04-10")),
        ("2026-03-03—2026-04-10", ("2026-03-03", "2026-04-10")),
        ("Mar 3 – Apr 10, 2026", ("3 Mar 2026", "Apr 10, 2026")),
        ("3 Mar – 10 Apr 2026", ("3 Mar 2026", "10 Apr 2026")),
        ("3–10 March 2026", ("3 Mar 2026", "10 March 2026")),
        ("Dec 20 – Jan 10, 2027", ("20 Dec 2026", "Jan 10, 2027")),
        ("Mon 2 Mar 2026 - Fri 10 Apr 2026", ("Mon 2 Mar 2026", "Fri 10 Apr 2026")),
        ("2026-03-03", None),
        ("2026-03-03-2026-04-10", None),  # a bare hyphen is part of a date, not a range
        ("03/03/2026 - soon", None),
        ("Q1 – Q2 2026", None),
        ("a - b - c", None),
    ],
)
def test_split_date_range(text, expected):
    assert split_date_range(text) == expected


def test_split_date_range_parts_read_as_the_dates_meant():
    start, finish = split_date_range("Mar 3 – Apr 10, 2026")
    assert_column(run(coerce_date, [start, finish]), [D(2026, 3, 3), D(2026, 4, 10)])


RANGE_DATES = st.dates(min_value=D(1971, 1, 1), max_value=D(2199, 12, 31))


@settings(deadline=None, max_examples=150)
@given(
    RANGE_DATES,
    st.integers(min_value=0, max_value=400),
    st.sampled_from([" - ", " – ", "–", " to ", " until "]),
    st.sampled_from(["%Y-%m-%d", "%d-%b-%Y", "%B %d, %Y", "%a %d %b %Y"]),
)
def test_split_date_range_round_trips(start, length, separator, fmt):
    finish = start + dt.timedelta(days=length)
    parts = split_date_range(f"{start.strftime(fmt)}{separator}{finish.strftime(fmt)}")
    assert parts is not None
    assert_column(run(coerce_date, list(parts)), [start, finish])
