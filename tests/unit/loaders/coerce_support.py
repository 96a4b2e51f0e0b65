"""What the coercion tests share: expected outcomes, every coercer, and how results are checked.

Imported by the ``test_coerce*.py`` files (one per ``loaders.coerce*`` module).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pandas as pd
import pytest
from hypothesis import strategies as st

from loaders.coerce import (
    DATE_PLACEHOLDERS,
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
)


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


NUMBERISH = st.text(alphabet="0123456789.,-+() %£$€kKmdhwsT:/\u00a0", max_size=12)
