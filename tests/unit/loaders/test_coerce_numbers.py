"""Unit tests for loaders.coerce_numbers: numbers, money, percentages, scores and durations."""

from __future__ import annotations

import random

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loaders.coerce_numbers import (
    coerce_duration_hours,
    coerce_int_scale,
    coerce_money,
    coerce_number,
    coerce_percent,
)
from tests.unit.loaders.coerce_support import (
    NUMBERISH,
    Err,
    assert_column,
    assert_outcome,
    check_one,
    run,
    score_1_5,
)

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


def test_placeholders_stay_errors_for_numbers():
    check_one(coerce_number, "TBD", Err("'TBD' is not a number"))
