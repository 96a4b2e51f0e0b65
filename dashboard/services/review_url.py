"""The review's URL state: which divisions and dates are shown, checked against an allowlist.

URL: ``/review?division=Finance&from=2026-09-30&to=2026-10-31``; dates left at their defaults
are left out of the URL. Every value is checked against the allowlist (the divisions in the
register, the offered dates); anything else falls back to the default (docs/review.md "Period").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from dashboard.analytics import periods
from dashboard.analytics import review_periods as dates


@dataclass(frozen=True)
class ReviewOptions:
    """What the controls offer (the URL allowlist)."""

    divisions: tuple[str, ...]
    starts: tuple[date, ...]
    ends: tuple[date, ...]


@dataclass(frozen=True)
class ReviewState:
    """Which review is shown: divisions (empty = all) and the two dates, ``start < end``."""

    divisions: tuple[str, ...]
    start: date
    end: date


def review_options(divisions: tuple[str, ...], today: date) -> ReviewOptions:
    """The divisions and dates the controls offer; ``to`` adds today to the month-ends."""
    ends = dates.month_ends(today)
    starts = ends if ends[0] != today else ends[1:]
    return ReviewOptions(
        divisions=divisions,
        starts=starts,
        ends=(today, *(d for d in ends if d != today)),
    )


def parse_review(query: dict, options: ReviewOptions, today: date) -> ReviewState:
    """Read ``division``, ``from`` and ``to`` from the URL, keeping only allowed values.

    Reversed dates are swapped; equal or unknown dates fall back to the defaults.
    """
    divisions = tuple(v for v in _as_list(query.get("division")) if v in options.divisions)
    default_start, default_end = dates.default_dates(today)
    start = _pick_date(query.get("from"), options.starts, default_start)
    end = _pick_date(query.get("to"), options.ends, default_end)
    if start > end:
        start, end = end, start
    if start == end:
        start, end = default_start, default_end
    return ReviewState(divisions=tuple(sorted(divisions)), start=start, end=end)


def review_search(
    divisions: list[str] | None,
    start: str | None,
    end: str | None,
    options: ReviewOptions,
    today: date,
) -> str:
    """The URL query for the controls' values (checked like the URL), defaults left out."""
    state = parse_review({"division": divisions or [], "from": start, "to": end}, options, today)
    default_start, default_end = dates.default_dates(today)
    pairs = [("division", d) for d in state.divisions]
    if state.start != default_start:
        pairs.append(("from", state.start.isoformat()))
    if state.end != default_end:
        pairs.append(("to", state.end.isoformat()))
    return f"?{urlencode(pairs)}" if pairs else ""


def period_links(state: ReviewState, today: date) -> dict[str, str]:
    """URL queries of the two standard periods for the divisions shown.

    Returns:
        ``{"last_closed_month": ..., "month_to_date": ...}``; the last closed month is the
        default, so its query holds the divisions only; month to date names both dates so a
        shared link keeps meaning "up to that day".
    """
    divisions = [("division", d) for d in state.divisions]
    start, end = periods.month_to_date(today)
    mtd = [*divisions, ("from", start.isoformat()), ("to", end.isoformat())]
    return {
        "last_closed_month": f"?{urlencode(divisions)}" if divisions else "",
        "month_to_date": f"?{urlencode(mtd)}",
    }


def active_period(state: ReviewState, today: date) -> str | None:
    """``last_closed_month``, ``month_to_date`` or None: which standard period ``state`` is."""
    return dates.active_period(state.start, state.end, today)


def _as_list(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list | tuple) else []


def _pick_date(value: object, allowed: tuple[date, ...], default: date) -> date:
    raw = _as_list(value)
    try:
        chosen = date.fromisoformat(raw[0]) if raw else default
    except ValueError:
        return default
    return chosen if chosen in allowed else default
