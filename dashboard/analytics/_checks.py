"""Shared boundary checks and coercions for the analytics modules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import numpy as np
import pandas as pd


def require_columns(df: pd.DataFrame, columns: Iterable[str], *, fn: str) -> None:
    """Raise if ``df`` lacks any of ``columns``.

    Args:
        df: The frame handed to an analytics function.
        columns: Column names the function needs.
        fn: Name of the calling function, for the message.

    Raises:
        ValueError: ``"<fn>: missing required columns: a, b"`` (sorted), when any are absent.
    """
    missing = sorted(set(columns) - set(df.columns))
    if missing:
        raise ValueError(f"{fn}: missing required columns: {', '.join(missing)}")


def as_timestamp(
    value: dt.date | dt.datetime | pd.Timestamp | str, *, name: str = "as_of"
) -> pd.Timestamp:
    """Turn a date-like argument into a midnight :class:`pandas.Timestamp`.

    Args:
        value: A date, datetime, Timestamp or ISO string.
        name: Argument name, for the message.

    Raises:
        ValueError: When ``value`` is missing or not a date.
    """
    if value is None:
        raise ValueError(f"{name} is required (a date)")
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a date, got {value!r}") from None
    if pd.isna(stamp):
        raise ValueError(f"{name} must be a date, got {value!r}")
    return stamp.tz_localize(None).normalize() if stamp.tzinfo else stamp.normalize()


def to_dates(values: pd.Series) -> pd.Series:
    """Return ``values`` as ``datetime64`` (DuckDB DATE arrives as ``datetime.date`` objects)."""
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        if getattr(values.dt, "tz", None) is not None:
            return values.dt.tz_localize(None)
        return values
    return pd.to_datetime(values, errors="coerce")


def to_float(values: pd.Series) -> pd.Series:
    """Return ``values`` as ``float64`` with NaN for missing or non-numeric entries."""
    if pd.api.types.is_float_dtype(values.dtype) and values.dtype == np.float64:
        return values
    return pd.to_numeric(values, errors="coerce").astype("float64")


def to_text(values: pd.Series) -> pd.Series:
    """Return ``values`` stripped and lower-cased as strings, NA kept (for codes like stage)."""
    return values.astype("str").str.strip().str.lower().where(values.notna())


def column_or_na(df: pd.DataFrame, column: str, dtype: str = "float64") -> pd.Series:
    """Return ``df[column]``, or an all-missing series of ``dtype`` when the column is absent."""
    if column in df.columns:
        return df[column]
    return pd.Series(np.nan if dtype == "float64" else pd.NA, index=df.index, dtype=dtype)
