"""A small thread-safe LRU: the one in-process cache used by the services and the pages.

Three caches keep results per process (page data in ``services/cache.py``, stored derived results
in ``services/derived.py``, rendered pages in ``layout_cache.py``); they differ in their keys and
sizes, not in how they keep entries.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict

MISSING = object()
"""What :meth:`LRU.get` returns for an absent key (None can be a kept value)."""


class LRU:
    """At most ``size`` entries; a read moves an entry to the newest end."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[tuple, object] = OrderedDict()
        self._lock = threading.Lock()
        # A forked child starts with a fresh lock: one held by a parent's thread would never open.
        os.register_at_fork(after_in_child=self._fresh_lock)

    def _fresh_lock(self) -> None:
        self._lock = threading.Lock()

    def get(self, key: tuple) -> object:
        """The entry for ``key`` (made the newest), or :data:`MISSING`."""
        with self._lock:
            if key not in self._items:
                return MISSING
            self._items.move_to_end(key)
            return self._items[key]

    def peek(self, key: tuple) -> object:
        """The entry for ``key`` without making it the newest, or :data:`MISSING`."""
        with self._lock:
            return self._items.get(key, MISSING)

    def put(self, key: tuple, value: object) -> None:
        """Keep ``value`` under ``key``, dropping the oldest entries beyond ``size``."""
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._items.clear()
