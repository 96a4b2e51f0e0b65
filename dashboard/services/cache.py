"""A small per-process cache for page data, keyed by (what, data version, as-of date, ...).

A new published version is a new key, so a load is picked up on the next request, while repeated
filter changes on one version cost a dictionary lookup.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from dashboard.config import get_settings
from dashboard.lru import LRU, MISSING
from dashboard.scope import current_scope
from dashboard.services import derived

T = TypeVar("T")
CACHE_SIZE = 64

_cache = LRU(CACHE_SIZE)


def cached(key: tuple, build: Callable[[], T]) -> T:
    """Return the cached value for ``key`` or build it (thread-safe LRU).

    The data folder and the caller's scope (``dashboard.scope``) are always part of the key, so
    results computed for one division manager are never served to another (docs/security.md,
    "Data shown and exported"). Two concurrent requests for one new key may both build it; that
    is harmless and avoids holding a lock while the analytics run.
    """
    key = (str(get_settings().data_dir), current_scope().cache_key, *key)
    value = _cache.get(key)
    if value is MISSING:
        value = build()
        _cache.put(key, value)
    return value  # type: ignore[return-value]


def clear_cache() -> None:
    """Forget every cached result in this process, derived ones included (tests)."""
    _cache.clear()
    derived.clear_memory()
