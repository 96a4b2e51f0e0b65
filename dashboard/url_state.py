"""The filter state lives in the URL query string, so any view can be bookmarked and shared.

``?division=Finance&division=Operations&stage=Execution&as_of=2026-10-31`` reproduces a view.
Values from the URL are untrusted: each is checked against the values that exist (an allowlist
built from the data), and anything else is dropped (docs/security.md, "Data shown and exported").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from urllib.parse import parse_qs, urlencode

from dashboard.analytics.filters import FilterState

QUERY_KEYS = {
    "division": "divisions",
    "portfolio": "portfolios",
    "stage": "stages",
    "manager": "managers",
    "health": "health",
}
HEALTH_VALUES = ("red", "amber", "green", "unknown")
CARRIED_KEYS = (*QUERY_KEYS, "as_of")
"""Query keys every link carries from page to page (assets/pmo.js keeps the same list)."""


@dataclass(frozen=True)
class FilterOptions:
    """The values each filter may take (from the data), used as the allowlist."""

    divisions: tuple[str, ...] = ()
    portfolios: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    managers: tuple[str, ...] = ()
    health: tuple[str, ...] = field(default=HEALTH_VALUES)


@dataclass(frozen=True)
class ViewState:
    """What a page shows: the project filters and the as-of date."""

    filters: FilterState
    as_of: date


def parse_view(query: dict[str, str | list[str]], options: FilterOptions, today: date) -> ViewState:
    """Read the URL query (as Dash Pages passes it to ``layout``) into a checked view state."""
    values = {}
    for key, attr in QUERY_KEYS.items():
        allowed = set(getattr(options, attr))
        values[attr] = tuple(v for v in _as_list(query.get(key)) if v in allowed)
    as_of = today
    raw = _as_list(query.get("as_of"))
    if raw:
        try:
            as_of = min(date.fromisoformat(raw[0]), today)
        except ValueError:
            as_of = today
    return ViewState(filters=FilterState(**values), as_of=as_of)


def view_query(state: ViewState, today: date) -> str:
    """The query string for a view (``""`` when nothing is filtered and as-of is today)."""
    pairs = [
        (key, value) for key, attr in QUERY_KEYS.items() for value in getattr(state.filters, attr)
    ]
    if state.as_of != today:
        pairs.append(("as_of", state.as_of.isoformat()))
    return f"?{urlencode(pairs)}" if pairs else ""


def carried_query(query: dict[str, str | list[str]]) -> str:
    """The part of a page's URL query that links carry on: the global filters and as-of.

    Page-only keys (the review's ``from``/``to``) stay behind; values are re-encoded, so the
    result is safe to append to any path. ``""`` when nothing is filtered.
    """
    pairs = [(key, value) for key in CARRIED_KEYS for value in _as_list(query.get(key))]
    return f"?{urlencode(pairs)}" if pairs else ""


def with_filters(path: str, query: dict[str, str | list[str]]) -> str:
    """``path`` with the current filters: ``with_filters("/", {"division": "Finance"})``."""
    return path + carried_query(query)


def _as_list(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else [v for v in value if isinstance(v, str)]


def query_from_search(search: str | None) -> dict[str, list[str]]:
    """``"?division=A&division=B"`` -> ``{"division": ["A", "B"]}`` (callbacks read the URL)."""
    return parse_qs((search or "").lstrip("?"), keep_blank_values=False)
