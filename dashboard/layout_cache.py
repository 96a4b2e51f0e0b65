"""Rendered pages kept per published version: a warm page is served without rebuilding it.

A page's layout is a pure function of (published version, standards, the user's scope, the
page's path and query, today). Building it again on every visit cost 45-100 ms of CPU at the
demo size (plotly's figure validation, grid records) even when every result it shows was
stored; with 25 people moving between pages on 2 cores that CPU became the tail of the load test
(docs/performance.md, "Rendered pages"). So the read-only pages keep their component trees in
a small LRU per process, keyed by all of the above; Dash still serialises the tree per request.

Not kept: a page built while some result came from the previous version (it says so in the
footer and must be rebuilt once the new version is prepared), and pages holding a per-visit
value (a form's idempotency key), which simply do not use this decorator.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

from dashboard import db
from dashboard.config import get_settings
from dashboard.lru import LRU, MISSING
from dashboard.scope import current_scope
from dashboard.services import derived

T = TypeVar("T")

SIZE = 48
"""Rendered pages kept per process (a 10,000-project page is a few hundred kB of objects)."""

_pages = LRU(SIZE)


def cached_layout(page: str) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Keep the layouts ``page``'s function returns, per version, standards, scope and query."""

    def wrap(build: Callable[..., T]) -> Callable[..., T]:
        @functools.wraps(build)
        def layout(*args: object, **query: object) -> T:
            key = _key(page, args, query)
            if key is None:  # nothing published yet: the page says so, nothing to keep
                return build(*args, **query)
            kept = _pages.get(key)
            if kept is not MISSING:
                return kept  # type: ignore[return-value]
            with derived.tracking_stale() as stale:
                tree = build(*args, **query)
            if not stale:
                _keep(key, tree)
            return tree

        return layout

    return wrap


def _key(page: str, args: tuple, query: dict) -> tuple | None:
    version = db.data_version()
    if version is None:
        return None
    settings = get_settings()
    return (
        page,
        args,
        tuple(sorted((k, str(v)) for k, v in query.items())),
        str(settings.data_dir),
        version,
        derived.standards_hash(),
        current_scope(),
        settings.as_of_default(),
    )


def _keep(key: tuple, tree: object) -> None:
    _pages.put(key, tree)
    derived.keep_out_of_collector()


def clear() -> None:
    """Forget every kept page (tests)."""
    _pages.clear()
