"""Numbers as exports spell them: grouped digits, currency signs, percent signs, ``1.2k``.

The public ``coerce_number``, ``coerce_money``, ``coerce_percent``, ``coerce_int_scale`` and
``coerce_duration_hours`` (re-exported by ``loaders.coerce``) and their parsers
(docs/loaders.md, "Values").
"""

from __future__ import annotations

import math
import re
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from loaders.coerce_cells import (
    Coerced,
    _Cells,
    _finish,
    _leftovers,
    _match,
    _quote,
    _shown,
    _split,
)

_DURATION_HINT: Final[str] = "is not a duration (e.g. 5d, 1.5 days, 1h 30m, 2w)"

_TOLERANCE: Final[float] = 1e-9
_AMBIGUOUS_PERCENT: Final[float] = 1.5

# Fast-path patterns run by Arrow's RE2 engine; each accepts only text that the Python parser
# below would read to the same value.
_PLAIN_NUMBER_RE2: Final[str] = r"^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$"
_GROUPED_NUMBER_RE2: Final[str] = (
    r"^(?:-?[£$€¥]?|[£$€¥]-)(?:[1-9][0-9]{0,2}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?$"
)
_PERCENT_NUMBER_RE2: Final[str] = r"^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+) ?%$"

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
_DURATION_PART: Final = re.compile(
    r"([0-9]+(?:[.,][0-9]+)?|[.,][0-9]+)\s*([a-z]+)\.?\??[\s,]*", re.IGNORECASE
)
_CLOCK_DURATION: Final = re.compile(r"([0-9]{1,6}):([0-5][0-9])(?::([0-5][0-9]))?")


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


def _read_durations(
    cells: _Cells, units: dict[str, float]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_], npt.NDArray[np.object_]]:
    """Every cell's amount, whether it was a bare number (no unit), and its error."""
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
    return hours, bare, errors


_BARE_UNITS: Final = frozenset({"auto", "seconds", "hours", "days"})


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
