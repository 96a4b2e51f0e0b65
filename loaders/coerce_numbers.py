"""Numbers as exports spell them: grouped digits, currency signs, percent signs, ``1.2k``.

Part of ``loaders.coerce``: the public ``coerce_number``/``coerce_money``/``coerce_percent`` use
these parsers (docs/loaders.md, "Values").
"""

from __future__ import annotations

import math
import re
from typing import Final

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from loaders.coerce_cells import _Cells, _leftovers, _match, _quote

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
