"""Pure, vectorised coercion of raw spreadsheet/CSV cells to typed columns, with reasons.

Readers hand over every cell as text, the text a spreadsheet user sees (``loaders.read`` reads
workbooks with string dtypes), with NA or ``""`` for empty cells. Each ``coerce_*`` function
takes one column as a pandas Series and returns a :class:`Coerced`: typed values plus, for every
cell that could not be used, a short reason in the user's words ("'12,5k' is not a number:
write it in full").

Nothing here does I/O or reads the clock or environment. Large columns take a vectorised path
(pyarrow compute kernels on pandas' Arrow-backed strings); only the cells the fast path cannot
settle are parsed in Python, and each distinct leftover string is parsed once.

Rules every function shares:
- Empty cells and the tokens in :data:`NULL_TOKENS` become NA with no error.
- Excel error values (:data:`EXCEL_ERRORS`, e.g. ``#REF!``) become NA with the error
  "Excel error value '#REF!'".
- Before parsing, text loses NUL and zero-width characters (U+200B-U+200D, U+2060, U+FEFF) and
  surrounding whitespace (every character for which ``str.isspace()`` is true, NBSP included).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from loaders.coerce_cells import (
    _ASCII_LOWER,
    _HYPHENS_RE2,
    _INVISIBLE_RE2,
    _WHITESPACE,
    DATE_PLACEHOLDERS,
    EXCEL_ERRORS,
    NULL_TOKENS,
    Coerced,
    _clean,
    _finish,
    _finish_strings,
    _leftovers,
    _quote,
    _shown,
    _split,
)
from loaders.coerce_dates import (
    _DATE_ORDERS,
    _MS_PER_DAY,
    _NAT_MS,
    _NO_DAY,
    _SENTINEL_DAYS,
    MAX_YEAR,
    MIN_YEAR,
    _read_dates,
    month_number,
    split_date_range,
)
from loaders.coerce_numbers import (
    _AMBIGUOUS_PERCENT,
    _TOLERANCE,
    _duration_units,
    _parse_numbers,
    _percent_text,
    _read_durations,
)

__all__ = [
    "DATE_PLACEHOLDERS",
    "EXCEL_ERRORS",
    "MAX_YEAR",
    "MIN_YEAR",
    "NULL_TOKENS",
    "RAG_VALUES",
    "Coerced",
    "coerce_bool",
    "coerce_date",
    "coerce_duration_hours",
    "coerce_id",
    "coerce_int_scale",
    "coerce_money",
    "coerce_number",
    "coerce_percent",
    "coerce_rag",
    "coerce_text",
    "is_null_token",
    "month_number",
    "split_date_range",
]


#: Canonical RAG values, best first.
RAG_VALUES: Final[tuple[str, str, str]] = ("green", "amber", "red")


def is_null_token(value: object) -> bool:
    """Tell whether a raw cell means "no value".

    Why: exports spell "empty" in many ways (``N/A``, ``-``, ``#N/A``, ``NULL``); treating them as
    empty keeps them from being reported as invalid numbers or dates.

    Args:
        value: A raw cell: ``None``, NaN/NaT/``pd.NA``, or text. Any other value (a number, a date,
            ``False``) is a value, not a null.

    Returns:
        True for missing values and for text that is blank or one of :data:`NULL_TOKENS` after
        removing invisible characters and surrounding whitespace, in any letter case.
    """
    if isinstance(value, str):
        return _clean(value).translate(_ASCII_LOWER) in NULL_TOKENS
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float | np.floating):
        return bool(np.isnan(value))
    if isinstance(value, np.datetime64 | np.timedelta64):
        return bool(np.isnat(value))
    return False


def coerce_text(raw: pd.Series) -> Coerced:
    """Coerce free-text cells (names, titles, comments) to clean strings.

    Why: CSV cells carry stray NUL/zero-width characters and padding.

    Text is stripped and loses NUL and zero-width characters; inner whitespace and line breaks
    are kept.

    Args:
        raw: One column of raw cells.

    Returns:
        ``values`` of pandas ``string`` dtype (``pd.NA`` for empty cells and Excel errors).
    """
    cells = _split(raw)
    return _finish_strings(cells, cells.strs, cells.errors)


def coerce_id(raw: pd.Series) -> Coerced:
    """Coerce key cells (project, task, resource IDs) to normalised strings that match reliably.

    Why: the same ID arrives as ``P-001``, ``P‑001`` (non-breaking hyphen), ``Ｐ-００１``
    (fullwidth) or with a zero-width space; joins need one spelling.

    Text is NFKC-normalised (fullwidth letters and digits become ASCII),
    loses zero-width characters and surrounding whitespace, and hyphen lookalikes (U+2010-U+2015,
    U+2212) become ``-``. Leading zeros are kept (``"00123"`` stays ``"00123"``).

    Args:
        raw: One column of raw cells.

    Returns:
        ``values`` of pandas ``string`` dtype.
    """
    cells = _split(raw)
    strs = cells.strs
    errors = cells.errors.copy()
    if len(strs) and not pc.all(pc.string_is_ascii(strs)).as_py():
        strs = pc.utf8_normalize(strs, form="NFKC")
        strs = pc.replace_substring_regex(strs, _INVISIBLE_RE2, "")
        strs = pc.replace_substring_regex(strs, _HYPHENS_RE2, "-")
        strs = pc.utf8_trim(strs, characters=_WHITESPACE)
    return _finish_strings(cells, strs, errors)


def coerce_number(raw: pd.Series) -> Coerced:
    """Coerce numeric cells, however the export spelled them, to floats.

    Why: CSV exports format numbers for people (``1,200``, ``1.234,50``, ``(500)``, ``$1,200.00``);
    the loader needs the number, or a clear reason.

    Accepts text with: thousands separators ``,`` ``.`` or spaces (also
    NBSP U+00A0, narrow NBSP U+202F, thin space U+2009); a decimal point or comma, decided per
    value (when both ``.`` and ``,`` appear the last one is the decimal separator; a single comma
    followed by exactly three digits is a thousands separator unless the integer part is ``0``,
    any other single comma is a decimal comma; a single dot is always a decimal point);
    accounting negatives ``(500)``; a leading ``-``/``+``/``−``; one currency symbol or code
    (``£ $ € ¥ GBP USD EUR``) before or after the number; scientific notation (``1.5E+06``).
    Abbreviations like ``1.2k`` or ``3m`` are rejected ("write it in full"), and so are booleans,
    dates and non-finite values.

    Args:
        raw: One column of raw cells.

    Returns:
        ``values`` of dtype ``float64`` (NaN where empty or invalid).
    """
    plain = _plain_numbers(raw)
    if plain is not None:
        return plain
    cells = _split(raw)
    values, errors, _ = _parse_numbers(cells, noun="number")
    return _finish(cells, values, errors)


def _plain_numbers(raw: pd.Series) -> Coerced | None:
    """A text column holding only plain numbers (``1250``, ``-3.5``) and empty cells, in one pass.

    Why: that is what a machine-written CSV holds, and the general path (clean, test for null
    tokens and error values, then parse) costs five passes over a million cells. None when any
    cell needs the general path; the result is then exactly the general path's.
    """
    if not isinstance(raw, pd.Series) or not isinstance(raw.dtype, pd.StringDtype) or raw.empty:
        return None
    strs = pa.array(raw.array)
    empty = pc.fill_null(pc.equal(pc.binary_length(strs), 0), True)
    try:  # Arrow's parser: plain decimals and exponents, no separators, symbols or spaces
        parsed = pc.cast(pc.if_else(empty, pa.scalar(None, strs.type), strs), pa.float64())
    except pa.ArrowInvalid:
        return None
    values = np.asarray(parsed.to_numpy(zero_copy_only=False), dtype=np.float64)
    # NaN where a cell is not empty means Arrow read "nan"; inf is "inf" or 1e999: the general
    # path reports both.
    if not np.isfinite(values[~np.asarray(empty.to_numpy(zero_copy_only=False), bool)]).all():
        return None
    return Coerced(
        values=pd.Series(values + 0.0, index=raw.index, name=raw.name),
        errors=pd.Series(np.full(len(raw), None, dtype=object), index=raw.index, name=raw.name),
    )


def coerce_money(raw: pd.Series) -> Coerced:
    """Coerce money cells (budget, cost, EAC) to floats in the file's currency.

    Why: it reads better at the call site; the rules are exactly :func:`coerce_number`'s.
    Negative amounts are allowed here: validation rules decide whether a negative budget is wrong.

    Args:
        raw: One column of raw cells, e.g. ``"£1,250,000"``, ``"1.234,50 €"``, ``"(500)"``.

    Returns:
        ``values`` of dtype ``float64`` (NaN where empty or invalid).
    """
    return coerce_number(raw)


def coerce_percent(raw: pd.Series) -> Coerced:
    """Coerce percentage cells (``% complete``, FTE share) to fractions from 0 to 1.

    Why: the same column arrives as ``45%``, ``45`` or ``0.45`` (xlsx cells formatted as percent
    hold the fraction), and mixing scales silently would misreport progress by 100x.

    Values with a ``%`` sign are divided by 100. Bare numbers are read per column: if every bare
    value is within 0-1 they are fractions; if some bare value is above 1.5 the column is on the
    0-100 scale and every bare value is divided by 100. When the largest bare value is above 1 but
    at most 1.5 (``1.2`` among fractions), those values above 1 are ambiguous and rejected
    ("write 120% or 1.2%") rather than guessed. Negative values and results above 100% are errors.
    Number spelling follows :func:`coerce_number`.

    Args:
        raw: One column of raw cells.

    Returns:
        ``values`` of dtype ``float64`` in [0, 1] (NaN where empty or invalid).
    """
    cells = _split(raw)
    numbers, errors, had_sign = _parse_numbers(cells, noun="percentage", percent=True)
    values = np.where(had_sign, numbers / 100.0, numbers)
    parsed = ~np.isnan(numbers)
    bare = parsed & ~had_sign & (numbers >= 0)
    ambiguous = np.zeros(len(values), dtype=bool)
    if bare.any():
        largest = numbers[bare].max()
        if largest > _AMBIGUOUS_PERCENT:
            values = np.where(bare, numbers / 100.0, values)
        elif largest > 1 + _TOLERANCE:
            ambiguous = bare & (numbers > 1 + _TOLERANCE)
    outside = parsed & ~ambiguous & ((values < 0) | (values > 1 + _TOLERANCE))
    values = np.where(ambiguous | outside, np.nan, np.minimum(values, 1.0))
    if ambiguous.any() or outside.any():
        errors = errors.copy()
        for position, shown in _shown(cells, np.flatnonzero(ambiguous)):
            bare_text = shown.rstrip("%").strip()
            errors[position] = (
                f"{_quote(shown)} is ambiguous: write {_percent_text(float(numbers[position]))}% "
                f"or {bare_text}%"
            )
        for position, shown in _shown(cells, np.flatnonzero(outside)):
            errors[position] = f"{_quote(shown)} is outside 0–100%"
    return _finish(cells, values, errors)


def coerce_date(raw: pd.Series, *, order: str = "auto", date1904: bool = False) -> Coerced:
    """Coerce date cells, in the many ways exports write them, to calendar dates.

    Why: one register mixes Excel serial numbers, ISO text, ``5-Mar-2024``, Jira's
    ``22/Dec/25 2:38 PM`` and ``05/03/2024``, whose day/month order only the column can tell.

    Accepts: Excel serial numbers as text of 1-5 digits (1900 system: epoch 1899-12-30 and serial 60
    is Excel's non-existent 29 Feb 1900; 1904 system: serial 0 is 1904-01-01); ISO ``2024-03-05``,
    ``2024/03/05``, ``20240305``, ``2024-03-05T10:00:00``, ``2024-03-05 10:00``; month names
    ``5-Mar-2024``, ``5 Mar 2024``, ``05-Mar-24``, ``5th March 2024``, ``March 5, 2024``,
    ``22/Dec/25 2:38 PM``; a leading weekday (``Sat 01.01.22``); numeric ``31.12.2024`` (dots are
    always day-first) and ``05/03/2024``, ``5/3/24``, ``05-03-2024``. A trailing time of day, with
    AM/PM or a UTC offset, is dropped. Two-digit years are 2000+yy below 70, else 1900+yy.

    Day/month order of slash/dash numeric dates with ``order="auto"`` is decided per column: a value
    whose first part is above 12 makes the column day-first, one whose second part is above 12
    makes it month-first. With no such value every ambiguous one (``05/03/2024``; ``05/05/2024``
    reads the same both ways) is an error asking for ``date_order`` in pmo.toml; with both kinds,
    each value that only one order can read is read that way and the ambiguous ones are errors.

    Rejected: invalid dates (``2024-02-30``), placeholders (``TBD``), years outside 1900-2200,
    integers 1900-2200 (a year, not a date: as serials they would silently mean 1905), times and
    durations, booleans.

    Args:
        raw: One column of raw cells.
        order: ``"auto"``, ``"dmy"`` or ``"mdy"``: day/month order of slash/dash numeric dates.
        date1904: True when the workbook uses the 1904 date system (old Mac Excel).

    Returns:
        ``values`` of dtype ``datetime64[ms]`` at midnight (NaT where empty or invalid), which
        pandas/Arrow hand to DuckDB as ``DATE`` after a cast.

    Raises:
        ValueError: ``order`` is not one of the three choices.
    """
    if order not in _DATE_ORDERS:
        raise ValueError(f"order must be one of {sorted(_DATE_ORDERS)}, not {order!r}")
    cells = _split(raw)
    days = np.full(cells.n, _NO_DAY, dtype=np.int64)
    errors = cells.errors.copy()
    if len(cells.strs):
        _read_dates(cells, days, errors, order, date1904=date1904)
    days[np.isin(days, _SENTINEL_DAYS)] = _NO_DAY  # 1970-01-01 is inside the accepted years
    missing = days == _NO_DAY
    values = np.where(missing, _NAT_MS, np.where(missing, 0, days) * _MS_PER_DAY)
    values = values.view("datetime64[ms]")
    return _finish(cells, values, errors)


def coerce_rag(raw: pd.Series) -> Coerced:
    """Coerce RAG status cells to ``green``/``amber``/``red``.

    Why: teams write RAG as letters, words, traffic-light emoji or "On track"; the dashboard needs
    one vocabulary, and an unknown status must be reported, not guessed.

    Accepts, in any letter case and spacing: ``G``/``A``/``R``, ``Green``/``Amber``/``Red``,
    ``Yellow``/``Y``/``Orange`` (amber), ``On track``/``At risk``/``Off track``, and the emoji
    🟢 🟡 🟠 🔴 (🟠 is amber) and 🟩 🟨 🟧 🟥.

    Args:
        raw: One column of raw cells.

    Returns:
        ``values`` of pandas ``string`` dtype holding ``"green"``, ``"amber"``, ``"red"`` or NA.
    """
    return _coerce_choice(raw, _RAG_WORDS, _RAG_EXPECTED, to_key=_rag_key)


def coerce_bool(raw: pd.Series) -> Coerced:
    """Coerce yes/no cells (mandatory, is milestone) to booleans.

    Why: exports write yes/no as ``Y``, ``TRUE``, ``1``, a tick or an ``x``; anything else should
    be questioned, not read as false.

    Accepts ``Y``/``Yes``/``TRUE``/``T``/``1``/``x``/``✓``/``✔``/``☑``/``✅`` (true) and
    ``N``/``No``/``FALSE``/``F``/``0``/``✗``/``✘``/``❌`` (false) in any letter case.
    A blank cell is NA, not false.

    Args:
        raw: One column of raw cells.

    Returns:
        ``values`` of pandas ``boolean`` dtype.
    """
    cells = _split(raw)
    errors = cells.errors.copy()
    truth = np.zeros(cells.n, dtype=bool)
    known = np.zeros(cells.n, dtype=bool)
    if len(cells.strs):
        idx, codes, uniques = _leftovers(cells.strs, np.ones(len(cells.strs), dtype=bool))
        found = [_BOOL_WORDS.get(text.lower()) for text in uniques]
        truth_u = np.array([bool(item) for item in found], dtype=bool)
        known_u = np.array([item is not None for item in found], dtype=bool)
        err_u = np.array(
            [
                None if item is not None else f"{_quote(t)} is not {_BOOL_EXPECTED}"
                for t, item in zip(uniques, found, strict=True)
            ],
            dtype=object,
        )
        positions = cells.str_pos[idx]
        truth[positions], known[positions] = truth_u[codes], known_u[codes]
        errors[positions] = err_u[codes]
    return _finish(cells, pd.arrays.BooleanArray(truth, ~known), errors)


def coerce_int_scale(raw: pd.Series, low: int, high: int) -> Coerced:
    """Coerce score cells (strategic alignment, impact, probability) to whole numbers in a range.

    Why: scoring sheets hold ``4``, ``4.0`` or ``High``; a ``4.5`` or ``7`` on a 1-5 scale is a
    data error the PMO should see.

    Accepts whole numbers within [low, high] as numbers or text (``"4.0"`` is fine, ``"4.5"`` is
    not). When the range spans an even number of steps the words ``Low``/``Medium``/``Med``/``High``
    map to low, the midpoint and high (5/3/1 on a 1-5 scale).

    Args:
        raw: One column of raw cells.
        low: Smallest allowed score.
        high: Largest allowed score.

    Returns:
        ``values`` of pandas ``Int64`` dtype.

    Raises:
        ValueError: ``low`` is greater than ``high``.
    """
    if low > high:
        raise ValueError(f"low ({low}) must not exceed high ({high})")
    words: dict[str, float] = {}
    if (high - low) >= 2 and (high - low) % 2 == 0:
        middle = (low + high) // 2
        words = {"low": low, "medium": middle, "med": middle, "high": high}
    noun = f"whole number from {low} to {high}"
    cells = _split(raw)
    numbers, errors, _ = _parse_numbers(cells, noun=noun, words=words)
    parsed = ~np.isnan(numbers)
    fractional = parsed & (np.floor(numbers) != numbers)
    outside = parsed & ~fractional & ((numbers < low) | (numbers > high))
    if fractional.any() or outside.any():
        errors = errors.copy()
        for position, shown in _shown(cells, np.flatnonzero(fractional)):
            errors[position] = f"{_quote(shown)} is not a {noun}"
        for position, shown in _shown(cells, np.flatnonzero(outside)):
            errors[position] = f"{_quote(shown)} is outside {low}–{high}"
    good = parsed & ~fractional & ~outside
    whole = np.where(good, numbers, 0).astype(np.int64)
    return _finish(cells, pd.arrays.IntegerArray(whole, ~good), errors)


def coerce_duration_hours(
    raw: pd.Series, *, hours_per_day: float = 8.0, unit: str = "auto"
) -> Coerced:
    """Coerce effort/duration cells (estimate, time spent, duration) to hours.

    Why: MS Project writes ``5 days?``, Jira ``1w 2d 3h`` or plain seconds, spreadsheets ``1.5``;
    capacity maths needs hours.

    Accepts: amounts with units, alone or combined (``5 days``, ``5d``, ``1.5 days``, ``1h 30m``,
    ``90m``, ``2 wks``, ``2w``, ``1w 2d 3h 30m``, ``3 mons``), where a week is 5 working days, a
    month 20 working days and a day ``hours_per_day``; MS Project's elapsed units (``3 edays`` =
    72 h, ``1 ewk`` = 168 h); a trailing ``?`` (MS Project's "estimated") is ignored; ``h:mm``
    text. Bare numbers are read in ``unit``; with ``"auto"`` they
    are seconds when the column has no unit anywhere and every bare value is a whole number of at
    least 60 (Jira's "Time Spent" export), otherwise hours. Negative durations are errors.

    Args:
        raw: One column of raw cells.
        hours_per_day: Working hours in a day, used for days, weeks and months.
        unit: ``"auto"``, ``"seconds"``, ``"hours"`` or ``"days"``: how to read bare numbers.

    Returns:
        ``values`` of dtype ``float64`` in hours.

    Raises:
        ValueError: ``unit`` is unknown or ``hours_per_day`` is not positive.
    """
    if unit not in _BARE_UNITS:
        raise ValueError(f"unit must be one of {sorted(_BARE_UNITS)}, not {unit!r}")
    if not hours_per_day > 0:
        raise ValueError(f"hours_per_day must be positive, not {hours_per_day!r}")
    units = _duration_units(hours_per_day)
    cells = _split(raw)
    hours, bare, errors = _read_durations(cells, units)
    parsed = ~np.isnan(hours)
    negative = parsed & (hours < 0)
    bare_ok = bare & parsed & ~negative
    with_unit = parsed & ~bare
    if unit == "auto":
        amounts = hours[bare_ok]
        seconds = (
            amounts.size > 0
            and not with_unit.any()
            and bool(np.all(amounts >= 60))
            and bool(np.all(np.floor(amounts) == amounts))
        )
        unit = "seconds" if seconds else "hours"
    factor = {"hours": 1.0, "seconds": 1 / 3600, "days": hours_per_day}[unit]
    hours = np.where(bare_ok, hours * factor, hours)
    if negative.any():
        errors = errors.copy()
        for position, shown in _shown(cells, np.flatnonzero(negative)):
            errors[position] = f"{_quote(shown)} is a negative duration"
        hours = np.where(negative, np.nan, hours)
    return _finish(cells, hours, errors)


_RAG_WORDS: Final[dict[str, str]] = {
    "g": "green",
    "green": "green",
    "on track": "green",
    "🟢": "green",
    "🟩": "green",
    "a": "amber",
    "amber": "amber",
    "y": "amber",
    "yellow": "amber",
    "orange": "amber",
    "at risk": "amber",
    "🟡": "amber",
    "🟠": "amber",
    "🟨": "amber",
    "🟧": "amber",
    "r": "red",
    "red": "red",
    "off track": "red",
    "🔴": "red",
    "🟥": "red",
}
_RAG_EXPECTED: Final[str] = (
    "is not a RAG status (expected Green/Amber/Red, G/A/R, On track/At risk/Off track)"
)
_BOOL_WORDS: Final[dict[str, bool]] = {
    **dict.fromkeys(("y", "yes", "true", "t", "1", "1.0", "x", "✓", "✔", "☑", "✅"), True),
    **dict.fromkeys(("n", "no", "false", "f", "0", "0.0", "✗", "✘", "❌"), False),
}
_BOOL_EXPECTED: Final[str] = "yes/no (expected Y/N, Yes/No, TRUE/FALSE, 1/0, x, ✓/✗)"

_BARE_UNITS: Final = frozenset({"auto", "seconds", "hours", "days"})


def _rag_key(text: str) -> str:
    """Normalise RAG text: lower case, no emoji variation selector, single spaces."""
    return " ".join(re.split(r"[\s_-]+", text.replace("\ufe0f", "").lower())).strip()


def _coerce_choice(
    raw: pd.Series, choices: dict[str, str], expected: str, *, to_key: Callable[[str], str]
) -> Coerced:
    """Map cells onto a fixed vocabulary; anything else is an error listing what is allowed."""
    cells = _split(raw)
    errors = cells.errors.copy()
    out = np.full(cells.n, None, dtype=object)
    if len(cells.strs):
        idx, codes, uniques = _leftovers(cells.strs, np.ones(len(cells.strs), dtype=bool))
        found = [choices.get(to_key(text)) for text in uniques]
        out_u = np.array(found, dtype=object)
        err_u = np.array(
            [
                None if item else f"{_quote(t)} {expected}"
                for t, item in zip(uniques, found, strict=True)
            ],
            dtype=object,
        )
        positions = cells.str_pos[idx]
        out[positions] = out_u[codes]
        errors[positions] = err_u[codes]
    return _finish(cells, pd.array(out, dtype="string"), errors)
