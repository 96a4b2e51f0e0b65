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

import datetime as dt
import math
import re
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

#: Cell texts that mean "no value" (compared case-insensitively, after stripping). "TBD" and "TBC"
#: are deliberately absent: they are promises of a value, so a number column reports them as
#: invalid rather than silently empty (a date column reads them as DATE_PLACEHOLDERS). "#N/A" is
#: here because Excel's lookup "not found" is an empty answer, unlike the formula errors in
#: EXCEL_ERRORS. Dashes are common "nothing" fillers.
NULL_TOKENS: Final[frozenset[str]] = frozenset(
    {"", "-", "--", "\u2013", "\u2014", "n/a", "na", "n.a.", "#n/a", "null", "none", "nil", "nan"}
)

#: Date-only placeholders that mean "no date yet": empty in a date column, with no error (a
#: number column still reports them). Zero dates (``00/00/0000``) and epoch dates (1970-01-01,
#: 1899-12-30/31, Excel serial 0) and ``9999-12-31`` are empty too: docs/loaders.md, "Values
#: decided by content".
DATE_PLACEHOLDERS: Final[frozenset[str]] = frozenset(
    {"tbd", "tbc", "tba", "to be confirmed", "to be determined", "unknown", "?", "??", "n.d."}
)

#: Excel formula error values: the cell's formula is broken, so the row is quarantined with
#: "Excel error value '#REF!'" instead of being loaded as empty.
EXCEL_ERRORS: Final[frozenset[str]] = frozenset(
    {
        "#REF!",
        "#DIV/0!",
        "#VALUE!",
        "#NAME?",
        "#NUM!",
        "#NULL!",
        "#SPILL!",
        "#CALC!",
        "#FIELD!",
        "#BLOCKED!",
        "#CONNECT!",
        "#BUSY!",
        "#UNKNOWN!",
        "#EXTERNAL!",
        "#PYTHON!",
        "#GETTING_DATA",
    }
)

#: Canonical RAG values, best first.
RAG_VALUES: Final[tuple[str, str, str]] = ("green", "amber", "red")

#: Dates outside these years are rejected as typos (e.g. 1024 for 2024).
MIN_YEAR: Final[int] = 1900
MAX_YEAR: Final[int] = 2200


@dataclass(frozen=True)
class Coerced:
    """One coerced column: typed values plus a reason for every cell that could not be used.

    Attributes:
        values: Same index and name as the input; typed as documented by each ``coerce_*``
            function; NA where the cell is empty or invalid.
        errors: Same index; object dtype; ``None`` where the cell is fine or empty, otherwise a
            short reason quoting the cell, e.g. ``"'12,5k' is not a number: write it in full"``.
    """

    values: pd.Series
    errors: pd.Series


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

    Why: CSV cells carry stray NUL/zero-width characters and padding, and xlsx readers hand over
    numbers (``123.0``) and dates where the user saw text.

    Accepts any cell. Text is stripped and loses NUL and zero-width characters; inner whitespace
    and line breaks are kept. Numbers become their shortest text (``123.0`` -> ``"123"``,
    ``1.5`` -> ``"1.5"``), booleans ``"TRUE"``/``"FALSE"``, dates ISO ``2024-03-05`` (with
    `` HH:MM:SS`` when there is a time of day), times ``HH:MM:SS``.

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
    (fullwidth), with a zero-width space, or as the xlsx number ``123.0``; joins need one spelling.

    Accepts text and numbers. Text is NFKC-normalised (fullwidth letters and digits become ASCII),
    loses zero-width characters and surrounding whitespace, and hyphen lookalikes (U+2010-U+2015,
    U+2212) become ``-``. Leading zeros are kept (``"00123"`` stays ``"00123"``); integral numbers
    lose the ``.0`` (``123.0`` -> ``"123"``). Booleans and non-finite numbers are errors.

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

    Accepts numbers from xlsx, and text with: thousands separators ``,`` ``.`` or spaces (also
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

    Why: one register mixes xlsx dates, Excel serial numbers, ISO text, ``5-Mar-2024``, Jira's
    ``22/Dec/25 2:38 PM`` and ``05/03/2024``, whose day/month order only the column can tell.

    Accepts: ``date``/``datetime``/``Timestamp``/``numpy.datetime64`` (time of day dropped); Excel
    serial numbers as numbers or as text of 1-5 digits (1900 system: epoch 1899-12-30 and serial 60
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
        claimed = _iso_dates_fast(cells.strs, cells.str_pos, days)
        idx, codes, uniques = _leftovers(cells.strs, ~claimed)
        if uniques:
            parsed = [_read_date_text(text) for text in uniques]
            column_order = _column_date_order(parsed) if order == "auto" else order
            results = [
                _settle_date(text, item, column_order, date1904=date1904)
                for text, item in zip(uniques, parsed, strict=True)
            ]
            day_u = np.array([day for day, _ in results], dtype=np.int64)
            err_u = np.array([err for _, err in results], dtype=object)
            positions = cells.str_pos[idx]
            days[positions] = day_u[codes]
            errors[positions] = err_u[codes]
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
    ``N``/``No``/``FALSE``/``F``/``0``/``✗``/``✘``/``❌`` (false) in any letter case, xlsx booleans,
    and the numbers 1 and 0. A blank cell is NA, not false.

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
    text; ``timedelta`` and ``time`` values. Bare numbers are read in ``unit``; with ``"auto"`` they
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
    hours = np.full(cells.n, np.nan)
    bare = np.zeros(cells.n, dtype=bool)
    errors = cells.errors.copy()
    if len(cells.strs):
        plain = _match(cells.strs, _PLAIN_NUMBER_RE2)
        _cast_floats(cells.strs, plain, cells.str_pos, hours)
        claimed = plain & ~np.isnan(hours[cells.str_pos])
        bare[cells.str_pos[claimed]] = True
        idx, codes, uniques = _leftovers(cells.strs, ~claimed)
        if uniques:
            results = [_read_duration_text(text, units) for text in uniques]
            positions = cells.str_pos[idx]
            hours[positions] = np.array([r[0] for r in results], dtype=float)[codes]
            bare[positions] = np.array([r[1] for r in results], dtype=bool)[codes]
            errors[positions] = np.array([r[2] for r in results], dtype=object)[codes]
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


# --------------------------------------------------------------------------------------------------
# Internals. Everything below is private to this module.

_ASCII_LOWER: Final = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_ASCII_UPPER: Final = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
# str.strip() removes exactly the characters for which isspace() is true; none is above U+3000.
# The Arrow fast path trims this same set so both paths agree on every input.
_WHITESPACE: Final[str] = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())
_INVISIBLE: Final[str] = "\x00\u200b\u200c\u200d\u2060\ufeff"
_INVISIBLE_TABLE: Final = str.maketrans("", "", _INVISIBLE)
_INVISIBLE_RE2: Final[str] = r"[\x00\x{200B}-\x{200D}\x{2060}\x{FEFF}]"
_HYPHENS_RE2: Final[str] = r"[\x{2010}-\x{2015}\x{2212}]"
_NULL_TOKENS_PA: Final = pa.array(sorted(NULL_TOKENS), pa.large_string())
_EXCEL_ERRORS_PA: Final = pa.array(sorted(EXCEL_ERRORS), pa.large_string())
_QUOTE_LIMIT: Final[int] = 60
_TOLERANCE: Final[float] = 1e-9
_AMBIGUOUS_PERCENT: Final[float] = 1.5

_DATE_ORDERS: Final = frozenset({"auto", "dmy", "mdy"})
_NO_DAY: Final[int] = np.iinfo(np.int64).min
_NAT_MS: Final[int] = np.iinfo(np.int64).min
_MS_PER_DAY: Final[int] = 86_400_000
_UNIX_EPOCH: Final = dt.date(1970, 1, 1)
_EPOCH_1900_DAYS: Final[int] = (dt.date(1899, 12, 30) - _UNIX_EPOCH).days
_EPOCH_1904_DAYS: Final[int] = (dt.date(1904, 1, 1) - _UNIX_EPOCH).days
_SERIAL_MAX: Final[int] = 2_958_465
_MIN_DAY: Final[int] = (dt.date(MIN_YEAR, 1, 1) - _UNIX_EPOCH).days
_MAX_DAY: Final[int] = (dt.date(MAX_YEAR, 12, 31) - _UNIX_EPOCH).days
_MONTHS: Final[dict[str, int]] = {
    name: number
    for number, full in enumerate(
        (
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ),
        start=1,
    )
    for name in (full, full[:3])
} | {"sept": 9}

# Fast-path patterns run by Arrow's RE2 engine; each accepts only text that the Python parser
# below would read to the same value.
_PLAIN_NUMBER_RE2: Final[str] = r"^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$"
_GROUPED_NUMBER_RE2: Final[str] = (
    r"^(?:-?[£$€¥]?|[£$€¥]-)(?:[1-9][0-9]{0,2}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?$"
)
_PERCENT_NUMBER_RE2: Final[str] = r"^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+) ?%$"
_ISO_DATE_RE2: Final[str] = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"(?:[T ](?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\.[0-9]+)?)?)?$"
)

_SPACES: Final[str] = " \u00a0\u202f\u2009"
_LEAD_CURRENCY: Final = re.compile(r"(?:[£$€¥]|(?:GBP|USD|EUR)(?![A-Za-z]))\s*", re.IGNORECASE)
_TRAIL_CURRENCY: Final = re.compile(r"\s*(?:[£$€¥]|(?<![A-Za-z])(?:GBP|USD|EUR))$", re.IGNORECASE)
_ABBREVIATED: Final = re.compile(
    r"[0-9.,\s]*[0-9]\s*(?:k|m|mm|mn|bn|b|thousands?|millions?|billions?)\.?", re.IGNORECASE
)
_NUMBER_BODY: Final = re.compile(
    r"[0-9.,\u0020\u00a0\u202f\u2009]*[0-9][0-9.,\u0020\u00a0\u202f\u2009]*|[.,][0-9]+"
)
_SCIENTIFIC: Final = re.compile(r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)[eE][+-]?[0-9]+")

_WEEKDAY: Final = re.compile(r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+", re.IGNORECASE)
_TRAILING_WEEKDAY: Final = re.compile(
    r"(?:,?\s+|\s*\()(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?\)?$", re.IGNORECASE
)
# AM/PM markers of the locales PMO exports come from: English/Spanish (a.m., p. m.), German
# (vorm./nachm.), Greek (π.μ./μ.μ.), Japanese (午前/午後), Chinese (上午/下午), Korean (오전/오후).
# The CJK and Korean ones usually stand before the time (午後2:30).
_AMPM: Final[str] = r"[ap]\.?\s?m\.?|vorm\.?|nachm\.?|[πμ]\.?\s?μ\.?|午前|午後|上午|下午|오전|오후"
_PRE_AMPM: Final[str] = r"午前|午後|上午|下午|오전|오후"
# Zone notes are dropped: the date is read as written, in the zone of whoever wrote it.
_ZONE: Final[str] = (
    r"z|(?:utc|gmt)(?:\s*[+-]\s*[0-9]{1,2}(?::?[0-9]{2})?)?|[+-][0-9]{2}(?::?[0-9]{2})?"
    r"|cet|cest|eet|eest|wet|west|bst|ist|est|edt|cst|cdt|mst|mdt|pst|pdt|akst|akdt|hst"
    r"|jst|kst|sgt|hkt|aest|aedt|acst|awst|nzst|nzdt|msk"
)
_ZONE_NOTE: Final = re.compile(rf"\s*\((?:{_ZONE})\)$", re.IGNORECASE)
_TIME_TAIL: Final = re.compile(
    rf"(?:\s+|(?<=[0-9])T|(?<=[0-9])(?=(?:{_PRE_AMPM})))(?:(?P<pre>{_PRE_AMPM})\s*)?"
    r"(?P<h>[0-9]{1,2}):(?P<m>[0-9]{2})(?::(?P<s>[0-9]{2})(?:[.,][0-9]+)?)?"
    rf"\s*(?P<ampm>{_AMPM})?\s*(?:{_ZONE})?$",
    re.IGNORECASE,
)
_YMD: Final = re.compile(r"([0-9]{4})([-/.])([0-9]{1,2})\2([0-9]{1,2})")
_COMPACT_YMD: Final = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})")
_NUMERIC_DATE: Final = re.compile(r"([0-9]{1,2})([-/.])([0-9]{1,2})\2([0-9]{4}|[0-9]{2})")
_DAY_MONTH: Final = re.compile(
    r"([0-9]{1,2})(?:st|nd|rd|th)?[-/ .]+([a-z]+)\.?[-/ .,]+([0-9]{4}|[0-9]{2})", re.IGNORECASE
)
_MONTH_DAY: Final = re.compile(
    r"([a-z]+)\.?[-/ .]+([0-9]{1,2})(?:st|nd|rd|th)?,?[-/ .]+([0-9]{4}|[0-9]{2})", re.IGNORECASE
)
_YEAR_MONTH_DAY: Final = re.compile(r"([0-9]{4})[-/ .]([a-z]+)\.?[-/ .]([0-9]{1,2})", re.IGNORECASE)
_SERIAL_TEXT: Final = re.compile(r"[0-9]{1,5}(?:\.[0-9]+)?")
_MONTH_NAMES: Final = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
)  # fmt: skip
#: Dates that systems write for "no date": Unix and Excel epochs and the end of time.
_SENTINEL_DATES: Final = frozenset({(1970, 1, 1), (1899, 12, 30), (1899, 12, 31), (9999, 12, 31)})
_SENTINEL_DAYS: Final = np.array(
    [(dt.date(*ymd) - _UNIX_EPOCH).days for ymd in sorted(_SENTINEL_DATES)], dtype=np.int64
)
# A range separator: a hyphen with spaces round it, an en/em dash, or a word.
_RANGE_SEPARATOR: Final = re.compile(
    r"\s+-\s+|\s*[\u2013\u2014]\s*|\s+(?:to|until|till|bis|au)\s+", re.IGNORECASE
)
_DAY_ONLY: Final = re.compile(r"[0-9]{1,2}(?:st|nd|rd|th)?")
_MONTH_DAY_NO_YEAR: Final = re.compile(r"([a-z]+)\.?\s+([0-9]{1,2})(?:st|nd|rd|th)?", re.IGNORECASE)
_DAY_MONTH_NO_YEAR: Final = re.compile(
    r"([0-9]{1,2})(?:st|nd|rd|th)?[-\s.]+([a-z]+)\.?", re.IGNORECASE
)
_RANGE_HINT: Final[str] = (
    "is a date range (a start and a finish): it fits a start or finish column, not this one"
)

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
_DURATION_PART: Final = re.compile(
    r"([0-9]+(?:[.,][0-9]+)?|[.,][0-9]+)\s*([a-z]+)\.?\??[\s,]*", re.IGNORECASE
)
_CLOCK_DURATION: Final = re.compile(r"([0-9]{1,6}):([0-5][0-9])(?::([0-5][0-9]))?")
_DURATION_HINT: Final[str] = "is not a duration (e.g. 5d, 1.5 days, 1h 30m, 2w)"


@dataclass(frozen=True)
class _Cells:
    """A column's non-empty text cells, cleaned; null cells and null tokens are left out."""

    index: pd.Index
    name: Hashable
    n: int
    str_pos: npt.NDArray[np.intp]  # positions of text cells that still need parsing
    strs: pa.Array  # their text: invisible characters removed, stripped; no null tokens
    errors: npt.NDArray[np.object_]  # length n: Excel error values already reported


def _split(raw: pd.Series) -> _Cells:
    """Split a raw column into cleaned text cells; report Excel error values.

    Every reader hands over text (``loaders.read`` reads workbooks with string dtypes), so a
    typed value here is a programming error and is refused, never guessed at.

    Raises:
        TypeError: ``raw`` is not a Series, or holds a non-null value that is not text.
    """
    if not isinstance(raw, pd.Series):
        raise TypeError(f"expected a pandas Series, got {type(raw).__name__}")
    n = len(raw)
    null = raw.isna().to_numpy(dtype=bool)
    str_pos = np.flatnonzero(~null)
    if isinstance(raw.dtype, pd.StringDtype):
        column = pa.array(raw.array)
        if isinstance(column, pa.ChunkedArray):
            column = column.combine_chunks()
        strs = column.cast(pa.large_string()).take(pa.array(str_pos))
    else:
        values = raw.to_numpy(dtype=object)[str_pos]
        if not all(isinstance(value, str) for value in values):
            raise TypeError("coercion takes text cells: loaders.read reads every cell as text")
        strs = _arrow_strings(values)
    errors = np.full(n, None, dtype=object)
    if len(strs):
        if pc.any(pc.match_substring_regex(strs, _INVISIBLE_RE2)).as_py():
            strs = pc.replace_substring_regex(strs, _INVISIBLE_RE2, "")
        strs = pc.utf8_trim(strs, characters=_WHITESPACE)
        is_token = _to_bool(pc.is_in(pc.ascii_lower(strs), value_set=_NULL_TOKENS_PA))
        is_error = _to_bool(pc.is_in(pc.ascii_upper(strs), value_set=_EXCEL_ERRORS_PA))
        for k in np.flatnonzero(is_error):
            errors[str_pos[k]] = f"Excel error value '{strs[int(k)].as_py()}'"
        keep = ~(is_token | is_error)
        if not keep.all():
            str_pos = str_pos[keep]
            strs = strs.filter(pa.array(keep))
    return _Cells(raw.index, raw.name, n, str_pos, strs, errors)


def _arrow_strings(values: npt.NDArray[Any]) -> pa.Array:
    """Convert Python strings to an Arrow array (lone surrogates become '?')."""
    if not len(values):
        return pa.array([], type=pa.large_string())
    try:
        return pa.array(values, type=pa.large_string())
    except UnicodeEncodeError:
        # Text decoded with errors="surrogateescape" cannot be UTF-8 encoded as it is.
        fixed = [v.encode("utf-8", "replace").decode("utf-8") for v in values]
        return pa.array(fixed, type=pa.large_string())


def _to_bool(values: pa.Array | pa.ChunkedArray) -> npt.NDArray[np.bool_]:
    """Arrow booleans to numpy, nulls as False."""
    return np.asarray(pc.fill_null(values, False).to_numpy(zero_copy_only=False), dtype=bool)


def _match(strs: pa.Array, pattern: str) -> npt.NDArray[np.bool_]:
    """Which strings match an RE2 pattern."""
    return _to_bool(pc.match_substring_regex(strs, pattern))


def _leftovers(
    strs: pa.Array, todo: npt.NDArray[np.bool_]
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], list[str]]:
    """Distinct strings among ``strs[todo]``: (indices into strs, code per index, uniques)."""
    idx = np.flatnonzero(todo)
    if idx.size == 0:
        return idx, np.empty(0, np.intp), []
    encoded = pc.dictionary_encode(strs.take(pa.array(idx)))
    codes = np.asarray(encoded.indices.to_numpy(zero_copy_only=False), dtype=np.intp)
    return idx, codes, encoded.dictionary.to_pylist()


def _finish(cells: _Cells, values: Any, errors: npt.NDArray[np.object_]) -> Coerced:
    """Wrap result arrays as Series on the input's index."""
    return Coerced(
        values=pd.Series(values, index=cells.index, name=cells.name),
        errors=pd.Series(errors, index=cells.index, name=cells.name, dtype=object),
    )


def _finish_strings(cells: _Cells, strs: pa.Array, errors: npt.NDArray[np.object_]) -> Coerced:
    """Scatter the cleaned text cells back into one ``string`` column (NA elsewhere)."""
    combined = pa.concat_arrays([strs.cast(pa.large_string()), pa.nulls(1, pa.large_string())])
    take = np.full(cells.n, len(strs), dtype=np.int64)
    take[cells.str_pos] = np.arange(len(strs))
    values = pd.arrays.ArrowStringArray(combined.take(pa.array(take)))
    return _finish(cells, values, errors)


def _clean(text: str) -> str:
    """Remove invisible characters and surrounding whitespace."""
    return text.translate(_INVISIBLE_TABLE).strip()


def _quote(text: str) -> str:
    """Quote a cell for a message, shortened when long."""
    if len(text) > _QUOTE_LIMIT:
        text = text[: _QUOTE_LIMIT - 1] + "…"
    return f"'{text}'"


def _shown(cells: _Cells, positions: Iterable[int]) -> list[tuple[int, str]]:
    """(position, the cell as the user wrote it) for positions that hold a value."""
    found = np.searchsorted(cells.str_pos, np.asarray(list(positions), dtype=np.intp))
    return [(int(cells.str_pos[k]), cells.strs[int(k)].as_py()) for k in found]


def _cast_floats(
    strs: pa.Array,
    mask: npt.NDArray[np.bool_],
    str_pos: npt.NDArray[np.intp],
    out: npt.NDArray[np.float64],
) -> None:
    """Cast ``strs[mask]`` (already validated by a pattern) to float into ``out`` where finite."""
    if not mask.any():
        return
    idx = np.flatnonzero(mask)
    try:
        parsed = pc.cast(strs.take(pa.array(idx)), pa.float64()).to_numpy(zero_copy_only=False)
    except pa.ArrowInvalid:
        return
    finite = np.isfinite(parsed)
    out[str_pos[idx[finite]]] = parsed[finite] + 0.0


def _parse_numbers(
    cells: _Cells,
    *,
    noun: str,
    percent: bool = False,
    words: dict[str, float] | None = None,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.object_], npt.NDArray[np.bool_]]:
    """Numbers for every cell: (values with NaN, errors, whether the text had a % sign)."""
    values = np.full(cells.n, np.nan)
    errors = cells.errors.copy()
    had_sign = np.zeros(cells.n, dtype=bool)
    strs = cells.strs
    if not len(strs):
        return values, errors, had_sign
    plain = _match(strs, _PLAIN_NUMBER_RE2)
    _cast_floats(strs, plain, cells.str_pos, values)
    claimed = ~np.isnan(values[cells.str_pos])
    rest = np.flatnonzero(~claimed)
    if rest.size:
        sub = strs.take(pa.array(rest))
        grouped = np.zeros(len(strs), dtype=bool)
        grouped[rest] = _match(sub, _GROUPED_NUMBER_RE2)
        if grouped.any():
            cleaned = strs.filter(pa.array(grouped))
            for symbol in ",£$€¥":
                if pc.any(pc.match_substring(cleaned, symbol)).as_py():
                    cleaned = pc.replace_substring(cleaned, symbol, "")
            _cast_floats(cleaned, np.ones(len(cleaned), bool), cells.str_pos[grouped], values)
        if percent:
            signed = np.zeros(len(strs), dtype=bool)
            signed[rest] = _match(sub, _PERCENT_NUMBER_RE2)
            if signed.any():
                bare = pc.utf8_rtrim(strs.filter(pa.array(signed)), characters="% ")
                _cast_floats(bare, np.ones(len(bare), bool), cells.str_pos[signed], values)
                had_sign[cells.str_pos[signed]] = True
        claimed = ~np.isnan(values[cells.str_pos])
    idx, codes, uniques = _leftovers(strs, ~claimed)
    if uniques:
        results = [_read_number_text(text, noun, percent, words) for text in uniques]
        positions = cells.str_pos[idx]
        values[positions] = np.array([r[0] for r in results], dtype=float)[codes]
        had_sign[positions] = np.array([r[1] for r in results], dtype=bool)[codes]
        errors[positions] = np.array([r[2] for r in results], dtype=object)[codes]
    return values, errors, had_sign


def _read_number_text(
    text: str, noun: str, percent: bool, words: dict[str, float] | None
) -> tuple[float, bool, str | None]:
    """Parse one cleaned cell text: (value or NaN, had % sign, error or None)."""
    if words and text.lower() in words:
        return float(words[text.lower()]), False, None
    body = text.replace("\u2212", "-")
    had_sign = False
    if percent and body.endswith("%"):
        had_sign, body = True, body[:-1].rstrip()
    sign, opened, closed, currency = "", False, False, False
    while body:
        if body[0] in "+-" and not sign:
            sign, body = body[0], body[1:].lstrip()
        elif body[0] == "(" and not opened:
            opened, body = True, body[1:].lstrip()
        elif (lead := _LEAD_CURRENCY.match(body)) and not currency:
            currency, body = True, body[lead.end() :]
        else:
            break
    for _ in range(2):
        trail = _TRAIL_CURRENCY.search(body)
        if trail and not currency:
            currency, body = True, body[: trail.start()]
        if opened and not closed and body.endswith(")"):
            closed, body = True, body[:-1].rstrip()
    if _ABBREVIATED.fullmatch(body):
        return math.nan, False, f"{_quote(text)} is not a number: write it in full"
    number = _read_digits(body) if opened == closed and not (opened and sign) else None
    if number is None or not math.isfinite(number):
        return math.nan, False, f"{_quote(text)} is not a {noun}"
    negative = opened or sign == "-"
    return (-number if negative else number) + 0.0, had_sign, None


def _read_digits(body: str) -> float | None:
    """Read digits with thousands and decimal separators, or None."""
    if _SCIENTIFIC.fullmatch(body):
        return float(body)
    if not _NUMBER_BODY.fullmatch(body):
        return None
    decimal: str | None
    if "." in body and "," in body:
        decimal = "." if body.rfind(".") > body.rfind(",") else ","
    elif "," in body:
        head, _, tail = body.rpartition(",")
        thousands = body.count(",") > 1 or (
            len(tail) == 3 and tail.isdigit() and head.strip(_SPACES) not in ("", "0")
        )
        decimal = None if thousands else ","
    elif "." in body:
        decimal = "." if body.count(".") == 1 else None
    else:
        decimal = None
    whole, fraction = body, ""
    if decimal:
        whole, _, fraction = body.rpartition(decimal)
        if decimal in whole or (fraction and not fraction.isdigit()):
            return None
    separators = set(whole) - set("0123456789")
    if len(separators) > 1:
        return None
    if separators:
        groups = whole.split(separators.pop())
        if not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])):
            return None
        whole = "".join(groups)
    if not whole and not fraction:
        return None
    return float(f"{whole or '0'}.{fraction or '0'}")


def _percent_text(number: float) -> str:
    """``1.2`` -> ``"120"`` for the ambiguity hint."""
    value = round(number * 100, 6)
    if math.isfinite(value) and value == math.floor(value) and abs(value) < 1e16:
        return str(int(value))
    return repr(value)


def _serial_to_day(serial: float, shown: str, *, date1904: bool) -> tuple[int, str | None]:
    """One Excel serial number to days since 1970-01-01, or an error."""
    if not math.isfinite(serial):
        return _NO_DAY, f"{_quote(shown)} is not a valid date"
    whole = math.floor(serial)
    if whole == 0:  # Excel's zero date (shown as 1900-01-00, or 1904-01-01): no date
        return _NO_DAY, None
    if whole == serial and MIN_YEAR <= whole <= MAX_YEAR:
        return _NO_DAY, f"{_quote(shown)} looks like a year, not a date"
    if date1904:
        if not 0 <= whole <= _SERIAL_MAX - 1462:
            return _NO_DAY, f"{_quote(shown)} is not a valid date"
        day = _EPOCH_1904_DAYS + whole
    else:
        # Excel counts a 29 Feb 1900 that never was: serials before it are one day later.
        if not 1 <= whole <= _SERIAL_MAX or whole == 60:
            return _NO_DAY, f"{_quote(shown)} is not a valid date"
        day = _EPOCH_1900_DAYS + whole + (1 if whole < 60 else 0)
    if not _MIN_DAY <= day <= _MAX_DAY:
        return _NO_DAY, _outside_years(shown)
    return int(day), None


def _outside_years(shown: str) -> str:
    """Message for a date outside the accepted years."""
    return f"{_quote(shown)} is outside the years {MIN_YEAR}–{MAX_YEAR}"


def _iso_dates_fast(
    strs: pa.Array, str_pos: npt.NDArray[np.intp], days: npt.NDArray[np.int64]
) -> npt.NDArray[np.bool_]:
    """Vectorised ISO ``YYYY-MM-DD[ HH:MM[:SS]]`` text; returns which strings it settled."""
    iso = _match(strs, _ISO_DATE_RE2)
    claimed = np.zeros(len(strs), dtype=bool)
    if not iso.any():
        return claimed
    idx = np.flatnonzero(iso)
    sub = pc.utf8_slice_codeunits(strs.take(pa.array(idx)), 0, 10)
    try:
        # Arrow's own date parser is ~10x faster than splitting the parts; it refuses the whole
        # batch if one date does not exist (2024-02-30), and then the parts are checked one by one.
        cast = pc.cast(sub, pa.date32()).to_numpy(zero_copy_only=False)
        number = np.asarray(cast, dtype="datetime64[D]").astype(np.int64)
        valid = np.ones(len(number), dtype=bool)
    except pa.ArrowInvalid:

        def part(start: int, stop: int) -> npt.NDArray[np.int64]:
            sliced = pc.utf8_slice_codeunits(sub, start, stop)
            return np.asarray(pc.cast(sliced, pa.int64()).to_numpy(zero_copy_only=False))

        number, valid = _ymd_to_days(part(0, 4), part(5, 7), part(8, 10))
    valid &= (number >= _MIN_DAY) & (number <= _MAX_DAY)
    days[str_pos[idx[valid]]] = number[valid]
    claimed[idx[valid]] = True
    return claimed


def _ymd_to_days(
    year: npt.NDArray[np.int64], month: npt.NDArray[np.int64], day: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """Vectorised calendar check: (days since 1970-01-01, valid) for year/month/day arrays."""
    valid = (month >= 1) & (month <= 12) & (day >= 1) & (year >= 1) & (year <= 9999)
    months = np.where(valid, (year - 1970) * 12 + month - 1, 0)
    first = months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    after = (months + 1).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    valid &= day <= after - first
    return np.where(valid, first + day - 1, 0), valid


def _read_date_text(text: str) -> tuple[Any, ...]:
    """Classify one cleaned date text.

    Returns one of ``("date", y, m, d)``, ``("numeric", first, second, year)`` (slash/dash order
    still to decide), ``("serial", number)``, ``("empty",)`` for a placeholder that means "no
    date" or ``("error", message)``.
    """
    if text.lower() in DATE_PLACEHOLDERS:
        return ("empty",)
    if split_date_range(text) is not None:
        return ("error", f"{_quote(text)} {_RANGE_HINT}")
    invalid = ("error", f"{_quote(text)} is not a valid date")
    body = _undecorate(text)
    if body is None:
        return invalid
    if _SERIAL_TEXT.fullmatch(body) and body == text:
        return ("serial", float(body))
    if m := _YMD.fullmatch(body):
        return _checked_zero(("date", int(m[1]), int(m[3]), int(m[4])))
    if m := _COMPACT_YMD.fullmatch(body):
        return ("date", int(m[1]), int(m[2]), int(m[3]))
    if m := _NUMERIC_DATE.fullmatch(body):
        year = int(m[4]) if int(m[4]) == 0 else _full_year(m[4])
        if m[2] == ".":
            return _checked_zero(("date", year, int(m[3]), int(m[1])))
        return _checked_zero(("numeric", int(m[1]), int(m[3]), year))
    if m := _DAY_MONTH.fullmatch(body):
        month = _MONTHS.get(m[2].lower())
        return ("date", _full_year(m[3]), month, int(m[1])) if month else invalid
    if m := _MONTH_DAY.fullmatch(body):
        month = _MONTHS.get(m[1].lower())
        return ("date", _full_year(m[3]), month, int(m[2])) if month else invalid
    if m := _YEAR_MONTH_DAY.fullmatch(body):
        month = _MONTHS.get(m[2].lower())
        return ("date", int(m[1]), month, int(m[3])) if month else invalid
    return invalid


def _undecorate(text: str) -> str | None:
    """The date part of a text: weekday names, time of day, AM/PM and zone notes removed.

    None when a time of day is there but impossible (``25:00``, ``13:05 PM``).
    """
    body = _TRAILING_WEEKDAY.sub("", _ZONE_NOTE.sub("", text))
    weekday = _WEEKDAY.match(body)
    body = body[weekday.end() :] if weekday else body
    tail = _TIME_TAIL.search(body)
    if tail:
        hour, minute = int(tail["h"]), int(tail["m"])
        second = int(tail["s"]) if tail["s"] else 0
        # 12-hour clocks run 1-12 in English and 0-11 in Japanese (午前0時): both are fine.
        hour_ok = hour <= 12 if tail["ampm"] or tail["pre"] else hour <= 23
        if not (hour_ok and minute <= 59 and second <= 59):
            return None
        body = body[: tail.start()]
    return _TRAILING_WEEKDAY.sub("", body.rstrip(" ,"))


def _checked_zero(item: tuple[Any, ...]) -> tuple[Any, ...]:
    """A numeric date with a zero day, month or year (``00/00/0000``) is a "no date" filler."""
    return ("empty",) if 0 in item[1:] else item


def split_date_range(text: str) -> tuple[str, str] | None:
    """Split a one-cell date range into a start and a finish text, or None if it is not one.

    Why: monday.com timelines and hand-made plans put both dates in one cell
    (``03/03/2026 - 10/04/2026``, ``Mar 3 – Apr 10, 2026``, ``2026-03-03 to 2026-04-10``).

    The separator is ``-`` with a space on each side, an en or em dash, or the words ``to``,
    ``until``, ``bis``. Both sides must read as dates, except that a start without a year (or
    with only a day, ``3–10 March 2026``) takes the finish's month and year, going back a year
    when its month is later than the finish's (``Dec 20 – Jan 10, 2027``).

    Args:
        text: One cell's text.

    Returns:
        ``(start, finish)`` texts that :func:`coerce_date` reads, the start completed from the
        finish where it was shortened; None for anything else.
    """
    text = _clean(text)
    parts = _RANGE_SEPARATOR.split(text)
    if len(parts) != 2 or not parts[0] or not parts[1]:
        return None
    start, finish = parts[0].strip(), parts[1].strip()
    end = _read_date_text_plain(finish)
    if end is None:
        return None
    if _read_date_text_plain(start) is not None:
        return start, finish
    if end[0] != "date":
        return None
    _, year, month, _ = end
    start_body = _undecorate(start)
    if start_body is None:
        return None
    if _DAY_ONLY.fullmatch(start_body):
        return f"{start_body} {_MONTH_NAMES[month - 1]} {year}", finish
    if (m := _MONTH_DAY_NO_YEAR.fullmatch(start_body)) and (first := _MONTHS.get(m[1].lower())):
        return f"{m[2]} {_MONTH_NAMES[first - 1]} {year - (first > month)}", finish
    if (m := _DAY_MONTH_NO_YEAR.fullmatch(start_body)) and (first := _MONTHS.get(m[2].lower())):
        return f"{m[1]} {_MONTH_NAMES[first - 1]} {year - (first > month)}", finish
    return None


def _read_date_text_plain(text: str) -> tuple[Any, ...] | None:
    """:func:`_read_date_text` for one side of a range: a date-like item, or None."""
    if _RANGE_SEPARATOR.search(text):
        return None
    item = _read_date_text(text)
    return item if item[0] in ("date", "numeric") else None


def month_number(name: str) -> int | None:
    """The month number (1-12) of an English month name or abbreviation, or None.

    Args:
        name: ``"Dec"``, ``"december"``, ``"Sept"``… in any letter case.
    """
    return _MONTHS.get(name.lower())


def _full_year(text: str) -> int:
    """Two-digit years: 00-69 are 2000s, 70-99 are 1900s."""
    year = int(text)
    if len(text) == 2:
        return 2000 + year if year < 70 else 1900 + year
    return year


def _column_date_order(parsed: list[tuple[Any, ...]]) -> str:
    """Day/month order that the column's unambiguous numeric dates show."""
    day_first = any(p[0] == "numeric" and p[1] > 12 >= p[2] for p in parsed)
    month_first = any(p[0] == "numeric" and p[2] > 12 >= p[1] for p in parsed)
    if day_first and not month_first:
        return "dmy"
    if month_first and not day_first:
        return "mdy"
    return "mixed" if day_first else "unknown"


def _settle_date(
    text: str, item: tuple[Any, ...], column_order: str, *, date1904: bool
) -> tuple[int, str | None]:
    """Turn a classified date text into days since 1970-01-01, or an error."""
    kind = item[0]
    if kind == "empty":
        return _NO_DAY, None
    if kind == "error":
        return _NO_DAY, item[1]
    if kind == "serial":
        return _serial_to_day(item[1], text, date1904=date1904)
    if kind == "numeric":
        first, second, year = item[1], item[2], item[3]
        order = column_order
        if first == second:
            order = "dmy"
        elif column_order in ("mixed", "unknown"):
            if first > 12 >= second:
                order = "dmy"
            elif second > 12 >= first:
                order = "mdy"
            elif first <= 12 and second <= 12:
                return _NO_DAY, (
                    f"{_quote(text)} is ambiguous (day/month order): set date_order in pmo.toml"
                )
            else:
                return _NO_DAY, f"{_quote(text)} is not a valid date"
        day, month = (first, second) if order == "dmy" else (second, first)
        item = ("date", year, month, day)
    _, year, month, day = item
    if (year, month, day) in _SENTINEL_DATES:
        return _NO_DAY, None
    if not MIN_YEAR <= year <= MAX_YEAR:
        return _NO_DAY, _outside_years(text)
    try:
        return (dt.date(year, month, day) - _UNIX_EPOCH).days, None
    except ValueError:
        return _NO_DAY, f"{_quote(text)} is not a valid date"


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


def _duration_units(hours_per_day: float) -> dict[str, float]:
    """Hours per unit word (MS Project, Jira and plain English spellings)."""
    units: dict[str, float] = {}
    for names, hours in (
        (("s", "sec", "secs", "second", "seconds"), 1 / 3600),
        (("m", "min", "mins", "minute", "minutes", "em", "emin", "emins"), 1 / 60),
        (("h", "hr", "hrs", "hour", "hours", "eh", "ehr", "ehrs"), 1.0),
        (("d", "dy", "dys", "day", "days"), hours_per_day),
        (("w", "wk", "wks", "week", "weeks"), 5 * hours_per_day),
        (("mo", "mon", "mons", "month", "months"), 20 * hours_per_day),
        (("ed", "eday", "edays"), 24.0),
        (("ew", "ewk", "ewks", "eweek", "eweeks"), 168.0),
    ):
        units.update(dict.fromkeys(names, hours))
    return units


def _read_duration_text(text: str, units: dict[str, float]) -> tuple[float, bool, str | None]:
    """Parse one cleaned duration text: (hours or bare amount, is a bare number, error)."""
    invalid = (math.nan, False, f"{_quote(text)} {_DURATION_HINT}")
    body = text.replace("\u2212", "-")
    negative = body.startswith("-")
    body = body.lstrip("+-").lstrip()
    amount = _read_digits(body)
    bare = amount is not None
    if amount is None and (clock := _CLOCK_DURATION.fullmatch(body)):
        amount = int(clock[1]) + int(clock[2]) / 60 + int(clock[3] or 0) / 3600
    elif amount is None and _is_unit_duration(body):
        amount = 0.0
        for part in _DURATION_PART.finditer(body):
            factor = units.get(part[2].lower())
            if factor is None:
                return invalid
            amount += float(part[1].replace(",", ".")) * factor
    if amount is None or not math.isfinite(amount):
        return invalid
    return (-amount if negative else amount) + 0.0, bare, None


def _is_unit_duration(body: str) -> bool:
    """Whether the text is a run of number+unit parts and nothing else."""
    end = 0
    for m in _DURATION_PART.finditer(body):
        if m.start() != end:
            return False
        end = m.end()
    return end == len(body) and end > 0
