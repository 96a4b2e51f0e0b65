"""Dates as exports spell them: ISO, slash dates in either order, month names, Excel serials.

The public ``coerce_date`` (re-exported by ``loaders.coerce``) and its parsers; the column
settles the day/month order (docs/loaders.md, "Values").
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from loaders.coerce_cells import (
    DATE_PLACEHOLDERS,
    Coerced,
    _Cells,
    _clean,
    _finish,
    _leftovers,
    _match,
    _quote,
    _split,
)

#: Dates outside these years are rejected as typos (e.g. 1024 for 2024).
MIN_YEAR: Final[int] = 1900
MAX_YEAR: Final[int] = 2200

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
_ISO_DATE_RE2: Final[str] = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"(?:[T ](?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\.[0-9]+)?)?)?$"
)

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


def _read_dates(
    cells: _Cells,
    days: npt.NDArray[np.int64],
    errors: npt.NDArray[np.object_],
    order: str,
    *,
    date1904: bool,
) -> None:
    """Fill ``days`` and ``errors`` of the text cells: ISO in one pass, the rest once each."""
    claimed = _iso_dates_fast(cells.strs, cells.str_pos, days)
    idx, codes, uniques = _leftovers(cells.strs, ~claimed)
    if not uniques:
        return
    parsed = [_read_date_text(text) for text in uniques]
    column_order = _column_date_order(parsed) if order == "auto" else order
    results = [
        _settle_date(text, item, column_order, date1904=date1904)
        for text, item in zip(uniques, parsed, strict=True)
    ]
    positions = cells.str_pos[idx]
    days[positions] = np.array([day for day, _ in results], dtype=np.int64)[codes]
    errors[positions] = np.array([err for _, err in results], dtype=object)[codes]


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
