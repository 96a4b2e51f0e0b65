"""Unit tests for loaders.coerce: raw cells to typed values or reasons - pure, no browser."""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from loaders.coerce import (
    DATE_PLACEHOLDERS,
    EXCEL_ERRORS,
    NULL_TOKENS,
    Coerced,
    coerce_bool,
    coerce_date,
    coerce_duration_hours,
    coerce_id,
    coerce_int_scale,
    coerce_money,
    coerce_number,
    coerce_percent,
    coerce_rag,
    coerce_text,
    is_null_token,
    split_date_range,
)
from loaders.read import STRING


@dataclass(frozen=True)
class Err:
    """Expected outcome: NA plus an error containing ``text``."""

    text: str


NA = object()  # expected outcome: NA and no error

D = dt.date


def score_1_5(raw: pd.Series) -> Coerced:
    return coerce_int_scale(raw, 1, 5)


ALL_COERCERS = [
    coerce_text,
    coerce_id,
    coerce_number,
    coerce_money,
    coerce_percent,
    coerce_date,
    coerce_rag,
    coerce_bool,
    score_1_5,
    coerce_duration_hours,
]
COERCER_IDS = [
    "text",
    "id",
    "number",
    "money",
    "percent",
    "date",
    "rag",
    "bool",
    "score",
    "duration",
]


def run(fn: Any, values: list[Any], **kwargs: Any) -> Coerced:
    return fn(pd.Series(values, dtype=object), **kwargs)


def assert_outcome(value: Any, error: str | None, expected: Any) -> None:
    if expected is NA:
        assert pd.isna(value), value
        assert error is None, error
    elif isinstance(expected, Err):
        assert pd.isna(value), value
        assert error is not None, f"expected an error containing {expected.text!r}"
        assert expected.text in error, error
    else:
        assert error is None, error
        if isinstance(expected, float):
            assert value == pytest.approx(expected, rel=1e-12, abs=1e-12)
        elif isinstance(expected, dt.date):
            assert isinstance(value, pd.Timestamp), value
            assert value.date() == expected
            assert value == pd.Timestamp(expected)  # midnight
        else:
            assert value == expected


def assert_column(result: Coerced, expected: list[Any]) -> None:
    assert len(result.values) == len(expected)
    for value, error, want in zip(result.values, result.errors, expected, strict=True):
        assert_outcome(value, error, want)


def check_one(fn: Any, raw: Any, expected: Any, **kwargs: Any) -> None:
    result = run(fn, [raw], **kwargs)
    assert_outcome(result.values.iloc[0], result.errors.iloc[0], expected)


# --------------------------------------------------------------------------------------------------
# Null tokens and Excel errors (docs/loaders.md, "Values": empty tokens and Excel errors)

NULL_CELLS = [
    None,
    float("nan"),
    np.nan,
    pd.NA,
    pd.NaT,
    "",
    "   ",
    "\u00a0",
    "\u200b",
    "\x00",
    "N/A",
    "n/a",
    " n/a ",
    "NA",
    "na",
    "n.a.",
    "-",
    "--",
    "–",
    "—",
    "#N/A",
    "#n/a",
    "NULL",
    "null",
    "None",
    "NIL",
    "NaN",
    "\u200bN/A\u00a0",
]
NOT_NULL_CELLS = ["TBD", "TBC", "0", "x", "#REF!", "N/A!", "n/a/", 0, 0.0, False, D(2024, 1, 1)]


@pytest.mark.parametrize("cell", NULL_CELLS, ids=repr)
def test_is_null_token_true(cell):
    assert is_null_token(cell)


@pytest.mark.parametrize("cell", NOT_NULL_CELLS, ids=repr)
def test_is_null_token_false(cell):
    assert not is_null_token(cell)


def test_null_tokens_are_lower_case_and_exclude_placeholders_for_values():
    assert all(token == token.strip().lower() for token in NULL_TOKENS)
    assert {"tbd", "tbc"}.isdisjoint(NULL_TOKENS)
    assert "#n/a" in NULL_TOKENS
    assert {"#REF!", "#DIV/0!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!"} <= (
        EXCEL_ERRORS
    )


@pytest.mark.parametrize("fn", ALL_COERCERS, ids=COERCER_IDS)
def test_every_coercer_turns_null_tokens_into_na_without_error(fn):
    result = run(fn, NULL_CELLS)
    assert result.values.isna().all()
    assert result.errors.isna().all()


@pytest.mark.parametrize("fn", ALL_COERCERS, ids=COERCER_IDS)
@pytest.mark.parametrize(
    "cell", ["#REF!", "#DIV/0!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!"]
)
def test_every_coercer_reports_excel_error_values(fn, cell):
    result = run(fn, [f" {cell} ", cell.lower()])
    assert result.values.isna().all()
    assert result.errors.iloc[0] == f"Excel error value '{cell}'"
    assert result.errors.iloc[1] == f"Excel error value '{cell.lower()}'"


def test_b25_null_tokens_file():
    raw = ["N/A", "n/a", "-", "#N/A", "NULL", "#REF!", "#DIV/0!", "#VALUE!"]
    expected = [NA] * 5 + [
        Err("Excel error value '#REF!'"),
        Err("Excel error value '#DIV/0!'"),
        Err("Excel error value '#VALUE!'"),
    ]
    assert_column(run(coerce_number, raw), expected)
    assert_column(run(coerce_text, raw), expected)


def test_whitespace_is_stripped_identically_on_every_path():
    # The Arrow fast path trims a fixed character set; it must be exactly what str.strip() removes.
    spaces = [chr(c) for c in range(0x110000) if chr(c).isspace()]
    for space in spaces:
        assert is_null_token(space)
        result = run(coerce_text, [f"{space}x{space}", space])
        assert result.values.iloc[0] == "x"
        assert pd.isna(result.values.iloc[1])


# --------------------------------------------------------------------------------------------------
# Numbers and money (docs/loaders.md, "Values": money)

NUMBER_CASES = [
    ("1,200", 1200.0),
    ("$1,200.00", 1200.0),
    ("(500)", -500.0),
    ("1\u00a0200", 1200.0),
    ("1\u202f200", 1200.0),
    ("1 200", 1200.0),
    ("1\u2009200", 1200.0),
    ("1.234,50", 1234.5),
    ("1234,5", 1234.5),
    ("1,234", 1234.0),
    ("0,750", 0.75),
    ("1,2345", 1.2345),
    ("1,23", 1.23),
    ("1,234,567.89", 1234567.89),
    ("1.234.567", 1234567.0),
    ("1.234", 1.234),
    ("1 234 567,89", 1234567.89),
    ("£1,250,000", 1250000.0),
    ("1.234,50 €", 1234.5),
    ("€ 1.234,50", 1234.5),
    ("€1.234,50", 1234.5),
    ("USD 1,200", 1200.0),
    ("1,200 USD", 1200.0),
    ("gbp 5", 5.0),
    ("EUR5", 5.0),
    ("¥500", 500.0),
    ("-£5", -5.0),
    ("£-5", -5.0),
    ("- £ 5", -5.0),
    ("(£500)", -500.0),
    ("£(500)", -500.0),
    ("(500) €", -500.0),
    ("(500 €)", -500.0),
    ("(1,234.50)", -1234.5),
    ("−3", -3.0),
    ("+7", 7.0),
    ("-0", 0.0),
    ("1e5", 100000.0),
    ("1.5E+06", 1500000.0),
    (".5", 0.5),
    ("5.", 5.0),
    ("  42  ", 42.0),
    ("\u200b42", 42.0),
    ("\ufeff42", 42.0),
    ("007", 7.0),
    ("1.2k", Err("'1.2k' is not a number: write it in full")),
    ("12,5k", Err("'12,5k' is not a number: write it in full")),
    ("3m", Err("'3m' is not a number: write it in full")),
    ("£3M", Err("'£3M' is not a number: write it in full")),
    ("2bn", Err("'2bn' is not a number: write it in full")),
    ("1.5 million", Err("'1.5 million' is not a number: write it in full")),
    ("1,2K", Err("write it in full")),
    ("abc", Err("'abc' is not a number")),
    ("TBD", Err("'TBD' is not a number")),
    ("TBC", Err("'TBC' is not a number")),
    ("(-500)", Err("'(-500)' is not a number")),
    ("(500", Err("'(500' is not a number")),
    ("500)", Err("'500)' is not a number")),
    ("12,34,567", Err("is not a number")),
    ("1,2,3", Err("is not a number")),
    ("1.2.3,4", Err("is not a number")),
    ("1,234 567", Err("is not a number")),
    ("inf", Err("'inf' is not a number")),
    ("Infinity", Err("is not a number")),
    ("1e999", Err("is not a number")),
    ("£", Err("'£' is not a number")),
    ("$$5", Err("is not a number")),
    ("£5 GBP", Err("is not a number")),
    ("--5", Err("is not a number")),
    ("5 %", Err("'5 %' is not a number")),
    ("1_000", Err("is not a number")),
    ("0x1A", Err("is not a number")),
    ("١٢", Err("is not a number")),
    ("１２", Err("is not a number")),
]


@pytest.mark.parametrize(("raw", "expected"), NUMBER_CASES, ids=repr)
def test_coerce_number_cases(raw, expected):
    check_one(coerce_number, raw, expected)


@pytest.mark.parametrize(("raw", "expected"), NUMBER_CASES, ids=repr)
def test_coerce_money_follows_number_rules(raw, expected):
    check_one(coerce_money, raw, expected)


def test_b16_numbers_as_text_file():
    raw = ["1,200", "$1,200.00", "(500)", "1\u00a0200", "1.2k"]
    expected = [1200.0, 1200.0, -500.0, 1200.0, Err("'1.2k' is not a number: write it in full")]
    assert_column(run(coerce_money, raw), expected)


def test_b22_negative_and_huge_money_are_values_not_coercion_errors():
    assert_column(
        run(coerce_money, ["-5000", "1e15", "1,000,000,000,000,000", "(250,000)"]),
        [-5000.0, 1e15, 1e15, -250000.0],
    )
    assert_column(run(coerce_percent, ["400%"]), [Err("'400%' is outside 0–100%")])


def test_numbers_in_a_large_column_match_single_cell_parsing():
    # Exercises the vectorised path, the per-unique slow path and mapping back, all at once.
    rng = random.Random(7)
    cases = [(raw, want) for raw, want in NUMBER_CASES if isinstance(raw, str)] * 40
    rng.shuffle(cases)
    index = pd.Index([f"r{i}" for i in range(len(cases))])
    result = coerce_number(pd.Series([raw for raw, _ in cases], index=index))
    for (_, want), value, error in zip(cases, result.values, result.errors, strict=True):
        assert_outcome(value, error, want)


# --------------------------------------------------------------------------------------------------
# Percentages (docs/loaders.md, "Values": percentages)

PERCENT_CASES = [
    ("45%", 0.45),
    ("45.0%", 0.45),
    ("45 %", 0.45),
    ("100%", 1.0),
    ("0%", 0.0),
    ("1,5%", 0.015),
    ("0.45", 0.45),
    ("45", 0.45),
    ("100", 1.0),
    ("1", 1.0),
    ("0", 0.0),
    ("4500%", Err("'4500%' is outside 0–100%")),
    ("-5%", Err("'-5%' is outside 0–100%")),
    ("-5", Err("'-5' is outside 0–100%")),
    ("150", Err("'150' is outside 0–100%")),
    ("1.2", Err("'1.2' is ambiguous: write 120% or 1.2%")),
    ("1.5", Err("'1.5' is ambiguous: write 150% or 1.5%")),
    ("abc", Err("'abc' is not a percentage")),
    ("45%%", Err("is not a percentage")),
    ("5k", Err("write it in full")),
]


@pytest.mark.parametrize(("raw", "expected"), PERCENT_CASES, ids=repr)
def test_coerce_percent_single_cell(raw, expected):
    check_one(coerce_percent, raw, expected)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param(
            ["0.45", "0.5", "1", "1.2", "45%"],
            [0.45, 0.5, 1.0, Err("'1.2' is ambiguous: write 120% or 1.2%"), 0.45],
            id="fractions-with-an-ambiguous-1.2",
        ),
        pytest.param(
            ["45", "45%", "45.0%", "4500%", "-5", "80", "100"],
            [0.45, 0.45, 0.45, Err("'4500%' is outside"), Err("'-5' is outside"), 0.8, 1.0],
            id="b17-0-to-100-column",
        ),
        pytest.param(
            ["0.45", "45", "45%", "45.0%", "4500%", "-5", "1.2"],
            [0.0045, 0.45, 0.45, 0.45, Err("outside"), Err("outside"), 0.012],
            id="b17-everything-in-one-column-is-0-to-100",
        ),
        pytest.param(["0", "50", "100"], [0.0, 0.5, 1.0], id="integers-0-100"),
        pytest.param(["0.2", "1.6"], [0.002, 0.016], id="above-1.5-means-0-100"),
        pytest.param(
            ["0.2", "1.5"],
            [0.2, Err("'1.5' is ambiguous: write 150% or 1.5%")],
            id="at-most-1.5-is-ambiguous",
        ),
        pytest.param(["120%", "0.5"], [Err("'120%' is outside"), 0.5], id="signs-do-not-vote"),
        pytest.param(["60%", "0.5", "45"], [0.6, 0.005, 0.45], id="signs-and-0-100-bare"),
        pytest.param(["-5", "0.5"], [Err("'-5' is outside"), 0.5], id="negatives-do-not-vote"),
    ],
)
def test_coerce_percent_decides_the_scale_per_column(raw, expected):
    assert_column(run(coerce_percent, raw), expected)


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


# --------------------------------------------------------------------------------------------------
# RAG (docs/loaders.md, "Values": RAG)

RAG_CASES = [
    ("Green", "green"),
    ("green", "green"),
    ("GREEN", "green"),
    ("G", "green"),
    ("g", "green"),
    ("On Track", "green"),
    ("on track", "green"),
    ("ON-TRACK", "green"),
    ("on_track", "green"),
    ("On  track", "green"),
    ("🟢", "green"),
    ("🟩", "green"),
    ("Amber", "amber"),
    ("A", "amber"),
    ("Yellow", "amber"),
    ("Y", "amber"),
    ("At risk", "amber"),
    ("At Risk", "amber"),
    ("🟡", "amber"),
    ("🟠", "amber"),
    ("Orange", "amber"),
    ("Red", "red"),
    (" red ", "red"),
    ("R", "red"),
    ("Off track", "red"),
    ("🔴", "red"),
    ("🔴\ufe0f", "red"),
    (
        "Purple",
        Err(
            "'Purple' is not a RAG status "
            "(expected Green/Amber/Red, G/A/R, On track/At risk/Off track)"
        ),
    ),
    ("Good", Err("'Good' is not a RAG status")),
    ("Complete", Err("is not a RAG status")),
    ("GA", Err("is not a RAG status")),
    ("TBD", Err("is not a RAG status")),
]


@pytest.mark.parametrize(("raw", "expected"), RAG_CASES, ids=repr)
def test_coerce_rag_cases(raw, expected):
    check_one(coerce_rag, raw, expected)


def test_b21_rag_status_variants_file():
    raw = ["Green", "green", "G", "On Track", "🟢", "Amber", "Yellow", "Red", "At risk", ""]
    expected = ["green"] * 5 + ["amber", "amber", "red", "amber", NA]
    result = run(coerce_rag, raw)
    assert_column(result, expected)
    assert result.values.dtype == "string"


# --------------------------------------------------------------------------------------------------
# Booleans (docs/loaders.md, "Values": yes/no)

BOOL_CASES = [
    ("Y", True),
    ("y", True),
    ("Yes", True),
    ("YES", True),
    ("TRUE", True),
    ("true", True),
    ("T", True),
    ("1", True),
    ("1.0", True),
    ("x", True),
    ("X", True),
    ("✓", True),
    ("✔", True),
    ("N", False),
    ("No", False),
    ("FALSE", False),
    ("F", False),
    ("0", False),
    ("✗", False),
    ("✘", False),
    ("maybe", Err("'maybe' is not yes/no (expected Y/N, Yes/No, TRUE/FALSE, 1/0, x, ✓/✗)")),
    ("2", Err("'2' is not yes/no")),
    ("TBD", Err("'TBD' is not yes/no")),
]


@pytest.mark.parametrize(("raw", "expected"), BOOL_CASES, ids=repr)
def test_coerce_bool_cases(raw, expected):
    check_one(coerce_bool, raw, expected)


def test_b20_booleans_file():
    result = run(coerce_bool, ["Y", "N", "yes", "No", "TRUE", "1", "x", "✓", ""])
    assert result.values.dtype == "boolean"
    assert result.values.tolist() == [True, False, True, False, True, True, True, True, pd.NA]
    assert result.errors.isna().all()


# --------------------------------------------------------------------------------------------------
# Scores on a scale

SCALE_CASES = [
    ("4", 4),
    ("4.0", 4),
    (" 5 ", 5),
    ("1", 1),
    ("High", 5),
    ("medium", 3),
    ("Med", 3),
    ("LOW", 1),
    ("4.5", Err("'4.5' is not a whole number from 1 to 5")),
    ("7", Err("'7' is outside 1–5")),
    ("0", Err("'0' is outside 1–5")),
    ("-1", Err("'-1' is outside 1–5")),
    ("Very high", Err("'Very high' is not a whole number from 1 to 5")),
    ("abc", Err("'abc' is not a whole number from 1 to 5")),
]


@pytest.mark.parametrize(("raw", "expected"), SCALE_CASES, ids=repr)
def test_coerce_int_scale_1_to_5(raw, expected):
    check_one(score_1_5, raw, expected)


def test_coerce_int_scale_words_follow_the_range():
    assert_column(coerce_int_scale(pd.Series(["Low", "Medium", "High"]), 1, 3), [1, 2, 3])
    assert_column(coerce_int_scale(pd.Series(["Low", "Medium", "High"]), 0, 10), [0, 5, 10])
    assert_column(
        coerce_int_scale(pd.Series(["High", "10"]), 1, 10),
        [Err("'High' is not a whole number from 1 to 10"), 10],
    )


def test_coerce_int_scale_values_are_int64_and_bad_ranges_raise():
    result = score_1_5(pd.Series(["4", None, "9"]))
    assert result.values.dtype == "Int64"
    assert result.values.tolist() == [4, pd.NA, pd.NA]
    with pytest.raises(ValueError, match="must not exceed"):
        coerce_int_scale(pd.Series(["1"]), 5, 1)


# --------------------------------------------------------------------------------------------------
# Durations

DURATION_CASES = [
    ("5 days", 40.0),
    ("5d", 40.0),
    ("5D", 40.0),
    ("14d", 112.0),
    ("1.5 days", 12.0),
    ("1,5 days", 12.0),
    ("1h 30m", 1.5),
    ("1h30m", 1.5),
    ("90m", 1.5),
    ("45 mins", 0.75),
    ("2 hrs", 2.0),
    ("2 wks", 80.0),
    ("2w", 80.0),
    ("1 week", 40.0),
    ("5 days?", 40.0),
    ("5d?", 40.0),
    ("1w 2d 3h 30m", 59.5),
    ("1d, 4h", 12.0),
    ("3 mons", 480.0),
    ("3 edays", 72.0),
    ("1 ewk", 168.0),
    ("3600s", 1.0),
    ("1:30", 1.5),
    ("0:45:00", 0.75),
    ("8", 8.0),
    ("7.5", 7.5),
    ("0", 0.0),
    ("5 parsecs", Err("'5 parsecs' is not a duration (e.g. 5d, 1.5 days, 1h 30m, 2w)")),
    ("5d 3x", Err("is not a duration")),
    ("d5", Err("is not a duration")),
    ("abc", Err("'abc' is not a duration")),
    ("TBD", Err("'TBD' is not a duration")),
    ("-5d", Err("'-5d' is a negative duration")),
    ("-3", Err("'-3' is a negative duration")),
]


@pytest.mark.parametrize(("raw", "expected"), DURATION_CASES, ids=repr)
def test_coerce_duration_hours_cases(raw, expected):
    check_one(coerce_duration_hours, raw, expected)


@pytest.mark.parametrize(
    ("raw", "kwargs", "expected"),
    [
        pytest.param(["3600", "7200", "5400"], {}, [1.0, 2.0, 1.5], id="jira-seconds"),
        pytest.param(["3600", "30"], {}, [3600.0, 30.0], id="a-value-below-60-means-hours"),
        pytest.param(["3600", "90.5"], {}, [3600.0, 90.5], id="a-fraction-means-hours"),
        pytest.param(["3600", "1h"], {}, [3600.0, 1.0], id="a-unit-anywhere-means-hours"),
        pytest.param(["30"], {"unit": "seconds"}, [30 / 3600], id="forced-seconds"),
        pytest.param(["3600"], {"unit": "hours"}, [3600.0], id="forced-hours"),
        pytest.param(["2", "1h"], {"unit": "days"}, [16.0, 1.0], id="forced-days"),
        pytest.param(
            ["1d", "1w", "2"], {"hours_per_day": 7.5}, [7.5, 37.5, 2.0], id="hours-per-day"
        ),
        pytest.param(
            ["2", "1d"], {"unit": "days", "hours_per_day": 7.5}, [15.0, 7.5], id="days-of-7.5h"
        ),
    ],
)
def test_coerce_duration_hours_column_rules(raw, kwargs, expected):
    assert_column(run(coerce_duration_hours, raw, **kwargs), expected)


def test_coerce_duration_hours_rejects_bad_settings():
    with pytest.raises(ValueError, match="unit must be one of"):
        coerce_duration_hours(pd.Series(["1"]), unit="weeks")
    with pytest.raises(ValueError, match="hours_per_day must be positive"):
        coerce_duration_hours(pd.Series(["1"]), hours_per_day=0)


# --------------------------------------------------------------------------------------------------
# Text and IDs (docs/loaders.md, "Values": IDs)

TEXT_CASES = [
    ("  hello  ", "hello"),
    ("a\x00b", "ab"),
    ("a\u200bb", "ab"),
    ("\ufeffTitle", "Title"),
    ("line1\nline2, with comma", "line1\nline2, with comma"),
    ("a  b", "a  b"),
    ("Café", "Café"),
    ("TBD", "TBD"),
    ("00123", "00123"),
    ("P\u2011001", "P\u2011001"),
]


@pytest.mark.parametrize(("raw", "expected"), TEXT_CASES, ids=repr)
def test_coerce_text_cases(raw, expected):
    check_one(coerce_text, raw, expected)


ID_CASES = [
    ("P-001", "P-001"),
    ("P\u2011001", "P-001"),
    ("P\u2010001", "P-001"),
    ("P\u2012001", "P-001"),
    ("P\u2013001", "P-001"),
    ("P\u2014001", "P-001"),
    ("P\u2015001", "P-001"),
    ("P\u2212001", "P-001"),
    ("P-001\u200b", "P-001"),
    ("\u200bP-001", "P-001"),
    ("P\u200c-\u200d001\u2060", "P-001"),
    ("\ufeffP-001", "P-001"),
    ("P-001   ", "P-001"),
    ("\u00a0P-001\u3000", "P-001"),
    ("Ｐ-００１", "P-001"),
    ("P-\uff10\uff10\uff11", "P-001"),
    ("P 001", "P 001"),
    ("00123", "00123"),
    ("0", "0"),
]


@pytest.mark.parametrize(("raw", "expected"), ID_CASES, ids=repr)
def test_coerce_id_cases(raw, expected):
    check_one(coerce_id, raw, expected)


def test_b23_unicode_ids_collide_after_normalising():
    result = run(coerce_id, ["P-001", "P‑001", "P-001\u200b", " P-001 ", "Ｐ-００１"])
    assert set(result.values) == {"P-001"}
    assert result.errors.isna().all()


def test_b24_leading_zero_ids_stay_strings():
    result = coerce_id(pd.Series(["00123", "0042"]))
    assert result.values.tolist() == ["00123", "0042"]
    assert result.values.dtype == "string"


def test_b14_nul_bytes_are_removed_from_text():
    result = coerce_text(pd.Series(["ab\x00cd", "\x00"]))
    assert result.values.iloc[0] == "abcd"
    assert pd.isna(result.values.iloc[1])


def test_long_cells_are_shortened_in_messages():
    result = coerce_number(pd.Series(["x" * 3_000_000]))
    assert len(result.errors.iloc[0]) < 100
    assert result.errors.iloc[0].endswith("…' is not a number")


# --------------------------------------------------------------------------------------------------
# Shape: dtypes, index, name, no mutation, input dtypes

EXPECTED_DTYPES = {
    "text": "string",
    "id": "string",
    "number": "float64",
    "money": "float64",
    "percent": "float64",
    "date": "datetime64[ms]",
    "rag": "string",
    "bool": "boolean",
    "score": "Int64",
    "duration": "float64",
}
MESSY = ["  12 ", None, "N/A", "#REF!", "TBD", "2024-03-05", "3.0", "TRUE", "", "🟢", "P\u2011001"]


@pytest.mark.parametrize(
    ("fn", "name"), list(zip(ALL_COERCERS, COERCER_IDS, strict=True)), ids=COERCER_IDS
)
def test_values_dtype_index_and_name(fn, name):
    index = pd.Index([30, 10, 20, 10, 99, 98, 97, 96, 95, 94, 93], name="row")
    raw = pd.Series(MESSY, index=index, name="Budget", dtype=object)
    result = fn(raw)
    assert isinstance(result, Coerced)
    assert result.values.dtype == EXPECTED_DTYPES[name]
    assert result.errors.dtype == object
    pd.testing.assert_index_equal(result.values.index, index)
    pd.testing.assert_index_equal(result.errors.index, index)
    assert result.values.name == result.errors.name == "Budget"
    for value, error in zip(result.values, result.errors, strict=True):
        assert error is None or (isinstance(error, str) and pd.isna(value))


@pytest.mark.parametrize("fn", ALL_COERCERS, ids=COERCER_IDS)
@pytest.mark.parametrize("dtype", [object, "string", "str"])
def test_input_is_not_mutated(fn, dtype):
    values = ["  12 ", None, "N/A", "#REF!", "1,200", "\u200bx", "45%", "2024-03-05"]
    raw = pd.Series(values, index=list("abcdefgh"), dtype=dtype)
    before = raw.copy(deep=True)
    fn(raw)
    pd.testing.assert_series_equal(raw, before)


@pytest.mark.parametrize("fn", ALL_COERCERS, ids=COERCER_IDS)
def test_string_and_object_inputs_agree(fn):
    values = ["  12 ", None, "N/A", "#REF!", "1,200", "\u200bx", "45%", "05/03/2024", "G", "5d"]
    as_object = fn(pd.Series(values, dtype=object))
    for dtype in ("string", "str"):
        other = fn(pd.Series(values, dtype=dtype))
        pd.testing.assert_series_equal(other.values, as_object.values)
        pd.testing.assert_series_equal(other.errors, as_object.errors)


@pytest.mark.parametrize(
    ("fn", "name"), list(zip(ALL_COERCERS, COERCER_IDS, strict=True)), ids=COERCER_IDS
)
def test_empty_columns(fn, name):
    for raw in (pd.Series([], dtype=object), pd.Series([], dtype="string")):
        result = fn(raw)
        assert len(result.values) == len(result.errors) == 0
        assert result.values.dtype == EXPECTED_DTYPES[name]


def test_non_series_input_is_a_type_error():
    with pytest.raises(TypeError, match="expected a pandas Series"):
        coerce_number(["1"])  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------------
# Properties

CURRENCY_MARKS = ["", "£", "$", "€", "¥", "GBP ", "USD ", "EUR "]


@st.composite
def formatted_money(draw: st.DrawFn) -> tuple[str, float]:
    amount = draw(st.floats(allow_nan=False, allow_infinity=False))
    style = draw(st.sampled_from(["en", "en0", "de", "space", "nbsp", "nnbsp"]))
    if style == "en0":
        text = f"{abs(amount):,.0f}"
    else:
        text = f"{abs(amount):,.2f}"
    if style == "de":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    elif style in ("space", "nbsp", "nnbsp"):
        separator = {"space": " ", "nbsp": "\u00a0", "nnbsp": "\u202f"}[style]
        text = text.replace(",", separator).replace(".", ",")
    expected = float(f"{abs(amount):.0f}" if style == "en0" else f"{abs(amount):.2f}")
    mark = draw(st.sampled_from(CURRENCY_MARKS))
    text = draw(st.sampled_from([f"{mark}{text}", f"{text} {mark.strip()}".strip()]))
    negative = amount < 0 and expected != 0
    if negative:
        text = draw(st.sampled_from([f"-{text}", f"({text})"]))
    return text, -expected if negative else expected


@settings(deadline=None)
@given(st.lists(formatted_money(), min_size=1, max_size=8))
def test_money_round_trips(cases):
    result = coerce_money(pd.Series([text for text, _ in cases]))
    for (text, expected), value, error in zip(cases, result.values, result.errors, strict=True):
        assert error is None, (text, error)
        assert value == expected, text


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


def assert_value_or_error(raw: list[Any], result: Coerced, *, dates: bool = False) -> None:
    assert len(result.values) == len(result.errors) == len(raw)
    for cell, value, error in zip(raw, result.values, result.errors, strict=True):
        if error is not None:
            assert isinstance(error, str) and error
            assert pd.isna(value), (cell, value, error)
        elif is_null_token(cell):
            assert pd.isna(value), (cell, value)
        elif pd.isna(value):
            assert dates and could_mean_no_date(cell), (cell, "NA without an error")


SENTINEL_DAYS = {D(1970, 1, 1), D(1899, 12, 30), D(1899, 12, 31), D(9999, 12, 31)}


def could_mean_no_date(cell: Any) -> bool:
    """A loose, independent test of the date rule: placeholders, zero and sentinel dates."""
    if isinstance(cell, bool):
        return False
    if isinstance(cell, int | float | Decimal):
        return 0 <= cell < 1
    if isinstance(cell, dt.datetime):
        return cell.date() in SENTINEL_DAYS
    if isinstance(cell, D):
        return cell in SENTINEL_DAYS
    if isinstance(cell, str):
        text = cell.strip().lower()
        groups = re.findall(r"[0-9]+", text)
        return (
            text in DATE_PLACEHOLDERS
            or any(int(g) == 0 for g in groups)
            or any(y in groups for y in ("1970", "1899", "9999"))
        )
    return False


@settings(deadline=None, max_examples=200)
@given(st.lists(st.text(), max_size=6))
def test_arbitrary_text_gives_a_value_or_an_error(raw):
    for fn in ALL_COERCERS:
        assert_value_or_error(raw, fn(pd.Series(raw, dtype=object)), dates=fn is coerce_date)


NUMBERISH = st.text(alphabet="0123456789.,-+() %£$€kKmdhwsT:/\u00a0", max_size=12)


@settings(deadline=None, max_examples=200)
@given(st.lists(NUMBERISH, max_size=6))
def test_numberish_text_gives_a_value_or_an_error(raw):
    for fn in ALL_COERCERS:
        assert_value_or_error(raw, fn(pd.Series(raw, dtype=object)), dates=fn is coerce_date)


@settings(deadline=None)
@given(st.lists(st.text(), max_size=6), st.sampled_from(["auto", "dmy", "mdy"]), st.booleans())
def test_date_options_never_raise(raw, order, date1904):
    assert_value_or_error(
        raw, coerce_date(pd.Series(raw, dtype=object), order=order, date1904=date1904), dates=True
    )


# --------------------------------------------------------------------------------------------------
# The one-pass path for text columns of plain numbers must agree with the general path.

PLAIN_TEXT = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.integers(-(10**20), 10**20).map(str),
    st.sampled_from(["", "+5", "5.", ".5", "-.5", "-0", "007", "1E+5", "nan", "inf", "1e999"]),
    NUMBERISH,
)


@settings(deadline=None, max_examples=300)
@given(st.lists(PLAIN_TEXT, min_size=1, max_size=8))
def test_plain_number_text_columns_coerce_as_the_general_path_does(raw):
    text = coerce_number(pd.Series(raw, dtype="string"))  # may take the one-pass path
    general = coerce_number(pd.Series(raw, dtype=object))  # always the general path
    pd.testing.assert_series_equal(text.values, general.values)
    assert text.errors.tolist() == general.errors.tolist()


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


def test_placeholders_stay_errors_for_numbers():
    check_one(coerce_number, "TBD", Err("'TBD' is not a number"))


def test_sentinel_dates_are_empty():
    cells = pd.Series(["1970-01-01", "2026-03-03", "1899-12-30", None], index=[4, 5, 6, 7])
    assert_column(coerce_date(cells.astype(STRING)), [NA, D(2026, 3, 3), NA, NA])
    assert_column(coerce_date(pd.Series(["0", "46084"], dtype=STRING)), [NA, D(2026, 3, 3)])


@pytest.mark.parametrize("fn", ALL_COERCERS, ids=COERCER_IDS)
@pytest.mark.parametrize("typed", [1.5, True, D(2024, 3, 5)], ids=repr)
def test_typed_cells_are_refused_because_readers_give_text(fn, typed):
    with pytest.raises(TypeError, match="text cells"):
        fn(pd.Series(["a", typed], dtype=object))


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


def test_dotted_codes_are_text_never_floats():
    texts = ["1.1", "1.10", "2.3.1", "01.2"]
    assert run(coerce_id, texts).values.tolist() == texts
    assert run(coerce_text, texts).values.tolist() == texts


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
