"""Unit tests for loaders.coerce: null tokens, text, ids, RAG, yes/no, and every coercer's shape."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loaders.coerce import (
    EXCEL_ERRORS,
    NULL_TOKENS,
    Coerced,
    coerce_bool,
    coerce_date,
    coerce_id,
    coerce_number,
    coerce_rag,
    coerce_text,
    is_null_token,
)
from tests.unit.loaders.coerce_support import (
    ALL_COERCERS,
    COERCER_IDS,
    NA,
    NUMBERISH,
    D,
    Err,
    assert_column,
    assert_value_or_error,
    check_one,
    run,
)

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


@settings(deadline=None, max_examples=200)
@given(st.lists(st.text(), max_size=6))
def test_arbitrary_text_gives_a_value_or_an_error(raw):
    for fn in ALL_COERCERS:
        assert_value_or_error(raw, fn(pd.Series(raw, dtype=object)), dates=fn is coerce_date)


@settings(deadline=None, max_examples=200)
@given(st.lists(NUMBERISH, max_size=6))
def test_numberish_text_gives_a_value_or_an_error(raw):
    for fn in ALL_COERCERS:
        assert_value_or_error(raw, fn(pd.Series(raw, dtype=object)), dates=fn is coerce_date)


@pytest.mark.parametrize("fn", ALL_COERCERS, ids=COERCER_IDS)
@pytest.mark.parametrize("typed", [1.5, True, D(2024, 3, 5)], ids=repr)
def test_typed_cells_are_refused_because_readers_give_text(fn, typed):
    with pytest.raises(TypeError, match="text cells"):
        fn(pd.Series(["a", typed], dtype=object))


def test_dotted_codes_are_text_never_floats():
    texts = ["1.1", "1.10", "2.3.1", "01.2"]
    assert run(coerce_id, texts).values.tolist() == texts
    assert run(coerce_text, texts).values.tolist() == texts
