"""Month cells (``2026-12``, ``Dec-26``, ``December 2026``, ``12/2026``) as their first day.

Why: a resource plan in long form has a ``Month`` column, and PMOs write a month the way their
spreadsheet shows it. Read as a date, ``Dec-26`` is "not a valid date"; read as a month it is
2026-12-01, the key the ``allocations`` table stores (docs/loaders.md, "Months and allocation
ranges").

Pure and vectorised like :mod:`loaders.coerce`: the whole column goes through
:func:`loaders.coerce.coerce_date` first (serials, ISO and every full date it
reads), then only the distinct texts it could not read are tried as month-only spellings.
"""

from __future__ import annotations

import re
from typing import Final

import numpy as np
import pandas as pd

from loaders.coerce_cells import Coerced
from loaders.coerce_dates import coerce_date, month_number

#: Example spellings quoted in the message for a cell that is not a month.
MONTH_HINT: Final[str] = "is not a month (e.g. 2026-12, Dec-26, Dec 2026, December 2026, 12/2026)"


def coerce_month(raw: pd.Series, *, order: str = "auto", date1904: bool = False) -> Coerced:
    """Coerce month cells to the first day of their month.

    Why: allocations are per month; a plan's ``Month`` column says ``Dec-26`` or ``2026/12``,
    and a full date in it (``2026-12-15``, an xlsx date cell) names its month too.

    Accepts everything :func:`loaders.coerce.coerce_date` reads (the day is dropped), and
    month-only text: ``2026-12``, ``2026/12``, ``2026.12``, ``12/2026``, ``12-2026``, ``Dec-26``,
    ``Dec 26``, ``Dec'26``, ``Dec 2026``, ``December 2026``, ``Sept 2026``, ``2026-Dec``, in any
    letter case. Two-digit years follow coerce_date (00-69 are 2000s). ``MM/YY`` (``12/26``) is
    refused: it reads as a day and a month just as well.

    Args:
        raw: One column of raw cells.
        order: Day/month order for full slash dates, as in :func:`loaders.coerce.coerce_date`.
        date1904: The workbook counts serial dates from 1904.

    Returns:
        ``values`` of dtype ``datetime64[ms]``, always the first of a month (NaT where empty or
        invalid); errors quote the cell: "'Q4' is not a month (e.g. 2026-12, Dec-26, …)".
    """
    dates = coerce_date(raw, order=order, date1904=date1904)
    values = dates.values.to_numpy(dtype="datetime64[ms]").copy()
    errors = dates.errors.to_numpy(dtype=object).copy()
    unread = pd.Series(errors).str.endswith("is not a valid date", na=False).to_numpy()
    # 2026.12 and 12.2026 also read as Excel serials (day 2026 is in 1905): here they are months.
    dotted = raw.astype("string").str.fullmatch(_DOTTED_MONTH).fillna(False).to_numpy(dtype=bool)
    retry = np.flatnonzero(unread | dotted)
    if retry.size:
        # Each distinct text is read once; the answers are spread back by a vectorised lookup.
        texts = raw.iloc[retry].astype("string").str.strip()
        codes, uniques = pd.factorize(texts, use_na_sentinel=False)
        found = [_read_month_text(str(text)) for text in uniques]
        month_u = np.array([np.datetime64("NaT", "ms") if m is None else m for m in found])
        error_u = np.array(
            [
                f"'{_shorten(str(t))}' {MONTH_HINT}" if m is None else None
                for t, m in zip(uniques, found, strict=True)
            ],
            dtype=object,
        )
        values[retry] = month_u[codes]
        errors[retry] = error_u[codes]
    firsts = values.astype("datetime64[M]").astype("datetime64[ms]")
    return Coerced(
        values=pd.Series(firsts, index=raw.index, name=raw.name),
        errors=pd.Series(errors, index=raw.index, name=raw.name, dtype=object),
    )


def _read_month_text(text: str) -> np.datetime64 | None:
    """One month-only text as the first day of its month, or None."""
    year = month = None
    if m := _YEAR_NUMBER.fullmatch(text):
        year, month = int(m["year"]), int(m["month"])
    elif m := _NUMBER_YEAR.fullmatch(text):
        year, month = int(m["year"]), int(m["month"])
    elif m := _NAME_YEAR.fullmatch(text):
        year, month = _full_year(m["year"]), month_number(m["name"])
    elif m := _YEAR_NAME.fullmatch(text):
        year, month = int(m["year"]), month_number(m["name"])
    if year is None or month is None or not 1 <= month <= 12 or not 1900 <= year <= 2200:
        return None
    return np.datetime64(f"{year:04d}-{month:02d}-01", "ms")


def _full_year(text: str) -> int:
    """Two-digit years as coerce_date reads them: 00-69 are 2000s, 70-99 are 1900s."""
    year = int(text)
    if len(text) == 2:
        return 2000 + year if year < 70 else 1900 + year
    return year


def _shorten(text: str) -> str:
    return text if len(text) <= 60 else text[:59] + "…"


_DOTTED_MONTH: Final[str] = r"\s*(?:[0-9]{4}\.[0-9]{1,2}|[0-9]{1,2}\.[0-9]{4})\s*"
_YEAR_NUMBER: Final = re.compile(r"(?P<year>[0-9]{4})\s*[-/.]\s*(?P<month>[0-9]{1,2})")
_NUMBER_YEAR: Final = re.compile(r"(?P<month>[0-9]{1,2})\s*[-/.]\s*(?P<year>[0-9]{4})")
_NAME_YEAR: Final = re.compile(
    r"(?P<name>[^\W\d_]{3,})\.?\s*[-/ ,'’.]?\s*(?P<year>[0-9]{4}|[0-9]{2})", re.IGNORECASE
)
_YEAR_NAME: Final = re.compile(
    r"(?P<year>[0-9]{4})\s*[-/ ,.]?\s*(?P<name>[^\W\d_]{3,})\.?", re.IGNORECASE
)
