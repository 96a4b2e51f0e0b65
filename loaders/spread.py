"""Allocation ranges (``From``, ``To``, ``% Allocation``) spread over their months.

Why: many resource plans say "Ana, Apollo, 50 % from 16 March to 15 May" instead of one column
per month. The ``allocations`` table holds one row per month, so each range becomes one row per
month it touches, with the share of that month it covers (docs/loaders.md, "Months and
allocation ranges").

The rule, chosen because capacity is counted in working days: the fte of a month is the
allocation times the share of the month's working days (Monday to Friday; no holiday calendar)
that fall inside the range, both ends included. 50 % from Mon 16 to Tue 31 March 2026 covers 12
of March's 22 working days: 0.5 × 12 / 22 = 0.2727 fte. A planned-hours column is spread the
same way: each month gets the hours of its share of the range's working days.

Pure and vectorised (numpy business-day counts over every row-month at once): no I/O, no clock.
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from loaders import coerce, months
from loaders.headers import normalise
from loaders.kinds import ID, TABLES
from loaders.mapping import KindGuess
from loaders.row_errors import concat_errors, error_frame, invalid_cells

#: Headers of the range start, normalised. The start maps onto ``month`` in loaders.synonyms;
#: a sheet whose ``month`` column has one of these headers and that has a range end is a
#: range plan.
FROM_HEADERS: Final = frozenset(
    normalise(h) for h in ("from", "from date", "start", "start date", "allocation start")
)
#: The helper column (loaders.synonyms.AUX_SYNONYMS) that holds the range end.
END_COLUMN: Final[str] = "period_end"
#: An allocation header with this in it (``% Allocation``, ``Allocation %``, after
#: normalising) holds a percentage (50 %, 50 or 0.5, one scale per column); others (``FTE``,
#: ``Allocation``) hold FTE as written.
PERCENT_MARK: Final[str] = "percent"
#: Said in the sheet's message, so the user knows where the monthly rows came from.
NOTE: Final[str] = (
    "allocation ranges (From/To) spread over their months by working days (Monday to Friday)"
)
#: A range longer than this many months is a typo (2206 for 2026), not a plan.
MAX_MONTHS: Final[int] = 120


def is_range_plan(guess: KindGuess, headers: list[Any]) -> bool:
    """Whether an allocations sheet gives ranges (``From``/``To``) instead of a month per row.

    Args:
        guess: The sheet's kind and column mapping.
        headers: The sheet's header cells, by position.
    """
    if guess.kind != "allocations" or END_COLUMN not in guess.aux.values():
        return False
    start = next((p for p, c in guess.columns.items() if c == "month"), None)
    return start is not None and normalise(headers[start]) in FROM_HEADERS


def is_spread_plan(guess: KindGuess, headers: list[Any]) -> bool:
    """Whether :func:`spread_plan` reads the sheet rather than the plain column path.

    That is a range plan, or a long plan (a ``Month`` per row) whose allocation is a
    percentage (``% Allocation``), which the plain path would read as FTE.

    Args:
        guess: The sheet's kind and column mapping.
        headers: The sheet's header cells, by position.
    """
    if guess.kind != "allocations" or guess.month_columns:
        return False
    if is_range_plan(guess, headers):
        return True
    fte = next((p for p, c in guess.columns.items() if c == "fte"), None)
    has_month = "month" in guess.columns.values()
    return has_month and fte is not None and PERCENT_MARK in normalise(headers[fte])


def spread_plan(
    body: pd.DataFrame,
    guess: KindGuess,
    headers: list[Any],
    numbers: pd.Series,
    *,
    order: str = "auto",
    date1904: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Turn a range plan into allocation rows, one per source row and month.

    A long plan (a month per row, no range end) is the same with each range a whole month.

    Args:
        body: The sheet's data rows, columns by position.
        guess: The sheet's mapping; ``month`` is the range start (or the month), ``aux`` holds
            the range end.
        headers: Header cells by position (see :data:`PERCENT_MARK`).
        numbers: The spreadsheet row number of each body row.
        order: Day/month order for slash dates (``auto`` decides from both date columns).
        date1904: The workbook counts serial dates from 1904.

    Returns:
        ``(typed, errors)``: typed has the allocations columns plus ``_src`` (the body index it
        came from, also its index) and ``source_row``; errors is indexed by body row with
        ``column``, ``value``, ``rule`` and ``reason``. Every body row either yields at least one
        month or has an error, so the sheet's accounting holds.
    """
    position = {c: p for p, c in guess.columns.items()}
    end_at = next((p for p, c in guess.aux.items() if c == END_COLUMN), None)
    problems: list[pd.DataFrame] = []
    ids = _ids(body, position, problems)
    n = len(body)
    start_raw = body[position["month"]]
    end_raw = start_raw if end_at is None else body[end_at]
    start, end = _range_ends(
        start_raw, None if end_at is None else end_raw, problems, order=order, date1904=date1904
    )
    fte, hours = _amounts(body, position, headers, problems)
    bad = np.zeros(n, dtype=bool)
    for frame in problems:
        bad |= body.index.isin(frame.index)
    rules = _range_rules(start, end, ~bad, ranges=end_at is not None)
    problems.append(_frame(body.index, rules, start_raw, end_raw))
    usable = ~bad & (rules == None)  # noqa: E711 (element-wise on an object array)
    pieces = spread_months(start[usable], end[usable])
    rows = np.flatnonzero(usable)[pieces["row"]]
    typed = _allocation_rows(body.index, numbers, ids, rows, pieces, fte, hours)
    return typed, concat_errors(problems)


def _allocation_rows(
    index: pd.Index,
    numbers: pd.Series,
    ids: dict[str, pd.Series],
    rows: npt.NDArray[np.intp],
    pieces: dict[str, Any],
    fte: npt.NDArray[np.float64] | None,
    hours: npt.NDArray[np.float64] | None,
) -> pd.DataFrame:
    """One allocation row per (source row, month) piece, indexed by the body row it came from."""
    typed = pd.DataFrame(
        {
            "_src": index[rows],
            "month": pieces["month"].astype("datetime64[ms]"),
            "fte": (fte[rows] * pieces["share"]) if fte is not None else np.nan,
        }
    )
    for column in ("project_id", "request_id", "resource_id", "role"):
        source = ids.get(column, pd.Series(pd.NA, index=index, dtype="string"))
        typed[column] = pd.array(source.to_numpy()[rows], dtype="string")
    typed["hours"] = hours[rows] * pieces["range_share"] if hours is not None else np.nan
    typed["source_row"] = numbers.to_numpy()[rows]
    typed["month"] = typed["month"].astype("datetime64[ms]")
    typed = typed.set_index("_src", drop=False)
    typed.index.name = None
    return typed


def spread_months(
    start: npt.NDArray[np.int64], end: npt.NDArray[np.int64]
) -> dict[str, npt.NDArray[Any]]:
    """Split date ranges into the months they touch, with the working-day share of each.

    Args:
        start: First day of each range, as days since 1970-01-01.
        end: Last day of each range (included), as days since 1970-01-01; not before ``start``.

    Returns:
        One entry per (range, month) with at least one working day of the range: ``row`` (the
        range's position), ``month`` (``datetime64[D]``, the first of the month), ``share``
        (working days of the range in that month / working days of the month) and
        ``range_share`` (working days of the range in that month / working days of the range).
    """
    first = start.astype("datetime64[D]").astype("datetime64[M]")
    last = end.astype("datetime64[D]").astype("datetime64[M]")
    count = (last - first).astype(np.int64) + 1
    row = np.repeat(np.arange(len(start)), count)
    offset = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
    month = first[row] + offset.astype("timedelta64[M]")
    month_start = month.astype("datetime64[D]")
    month_after = (month + np.timedelta64(1, "M")).astype("datetime64[D]")
    low = np.maximum(start.astype("datetime64[D]")[row], month_start)
    high = np.minimum(end.astype("datetime64[D]")[row], month_after - np.timedelta64(1, "D"))
    inside = np.busday_count(low, high + np.timedelta64(1, "D"))
    in_month = np.busday_count(month_start, month_after)
    per_range = np.bincount(row, weights=inside, minlength=len(start))
    keep = inside > 0
    row, month_start, inside, in_month = row[keep], month_start[keep], inside[keep], in_month[keep]
    return {
        "row": row,
        "month": month_start,
        "share": inside / in_month,
        "range_share": inside / per_range[row],
    }


def _days(values: pd.Series) -> npt.NDArray[np.int64]:
    """Dates (``datetime64[ms]``, NaT allowed) as days since 1970-01-01 (NaT stays NaT-like)."""
    return values.to_numpy(dtype="datetime64[ms]").astype("datetime64[D]").astype(np.int64)


def _amounts(
    body: pd.DataFrame,
    position: dict[str, int],
    headers: list[Any],
    problems: list[pd.DataFrame],
) -> tuple[npt.NDArray[np.float64] | None, npt.NDArray[np.float64] | None]:
    """The allocation (as fte) and planned hours per row, reporting cells that are not numbers."""
    fte = hours = None
    if "fte" in position:
        cells = body[position["fte"]]
        as_percent = PERCENT_MARK in normalise(headers[position["fte"]])
        coerced = coerce.coerce_percent(cells) if as_percent else coerce.coerce_number(cells)
        fte = coerced.values.to_numpy(dtype=np.float64)
        problems.append(invalid_cells("fte", cells, coerced.errors))
    if "hours" in position:
        cells = body[position["hours"]]
        coerced = coerce.coerce_duration_hours(cells, unit="hours")
        hours = coerced.values.to_numpy(dtype=np.float64)
        problems.append(invalid_cells("hours", cells, coerced.errors))
    return fte, hours


def _range_rules(
    start: npt.NDArray[np.int64],
    end: npt.NDArray[np.int64],
    check: npt.NDArray[np.bool_],
    *,
    ranges: bool = True,
) -> npt.NDArray[np.object_]:
    """The reason a row's range cannot be spread, or None (only where ``check``)."""
    rules = np.full(len(start), None, dtype=object)
    nat = np.iinfo(np.int64).min
    no_start, no_end = start == nat, end == nat
    rules[check & no_start] = (
        "the allocation has no start ('From'): give the first day"
        if ranges
        else "'month' is empty: a allocations row needs it"
    )
    rules[check & ~no_start & no_end] = _NO_END
    dated = check & ~no_start & ~no_end
    backwards = dated & (end < start)
    rules[backwards] = _BACKWARDS
    ok = dated & ~backwards
    first = np.where(ok, start, 0).astype("datetime64[D]").astype("datetime64[M]")
    last = np.where(ok, end, 0).astype("datetime64[D]").astype("datetime64[M]")
    long = ok & ((last - first).astype(np.int64) >= MAX_MONTHS)
    rules[long] = f"the range spans more than {MAX_MONTHS // 12} years: check the years"
    ok &= ~long
    workdays = np.busday_count(
        np.where(ok, start, 0).astype("datetime64[D]"),
        np.where(ok, end + 1, 0).astype("datetime64[D]"),
    )
    rules[ok & (workdays == 0)] = "the range holds no working day (Monday to Friday)"
    return rules


def _ids(
    body: pd.DataFrame, position: dict[str, int], problems: list[pd.DataFrame]
) -> dict[str, pd.Series]:
    """The plan's project, request, person and role columns, coerced (errors to ``problems``)."""
    spec = TABLES["allocations"]
    ids: dict[str, pd.Series] = {}
    for column in ("project_id", "request_id", "resource_id", "role"):
        if column in position:
            convert = coerce.coerce_id if spec.columns[column] == ID else coerce.coerce_text
            coerced = convert(body[position[column]])
            ids[column] = coerced.values
            problems.append(invalid_cells(column, body[position[column]], coerced.errors))
    return ids


def _range_ends(
    start_raw: pd.Series,
    end_raw: pd.Series | None,
    problems: list[pd.DataFrame],
    *,
    order: str,
    date1904: bool,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """First and last day of each row's range (days since 1970); a month per row without an end."""
    if end_raw is None:  # a month per row: the range is the whole month
        month = months.coerce_month(start_raw, order=order, date1904=date1904)
        first = month.values.to_numpy(dtype="datetime64[ms]").astype("datetime64[M]")
        start = _days(pd.Series(first.astype("datetime64[ms]")))
        end = _days(pd.Series((first + 1).astype("datetime64[ms]"))) - 1
        end[np.isnat(first)] = np.iinfo(np.int64).min
        problems.append(invalid_cells("month", start_raw, month.errors))
        return start, end
    n = len(start_raw)
    # One coercion for both ends, so a day-first value in either decides the order of both.
    both = coerce.coerce_date(
        pd.concat([start_raw, end_raw], ignore_index=True), order=order, date1904=date1904
    )
    start = _days(both.values.iloc[:n])
    end = _days(both.values.iloc[n:])
    index = start_raw.index
    problems.append(invalid_cells("month", start_raw, both.errors.iloc[:n].set_axis(index)))
    problems.append(invalid_cells("To", end_raw, both.errors.iloc[n:].set_axis(index)))
    return start, end


def _frame(
    index: pd.Index, reasons: npt.NDArray[np.object_], starts: pd.Series, ends: pd.Series
) -> pd.DataFrame:
    """Range reasons (None where fine) as rows of the errors frame, naming the end at fault.

    A missing or early end is the ``To`` cell's fault; anything else is said of ``From``.
    """
    hit = np.flatnonzero(reasons != None)  # noqa: E711 (element-wise on an object array)
    blames_end = np.array([r in _END_FAULTS for r in reasons[hit]], dtype=bool)
    cells = pd.Series(
        np.where(
            blames_end,
            ends.iloc[hit].to_numpy(dtype=object),
            starts.iloc[hit].to_numpy(dtype=object),
        )
    )
    return error_frame(
        index[hit],
        np.where(blames_end, "To", "month"),
        cells.where(cells.notna(), "").astype(str).to_numpy(),
        "allocation range",
        reasons[hit],
    )


_NO_END: Final[str] = "the allocation has no end ('To'): give the last day"
_BACKWARDS: Final[str] = "'To' is before 'From'"
_END_FAULTS: Final = frozenset({_NO_END, _BACKWARDS})
