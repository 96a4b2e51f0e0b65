"""The shared in-process LRU (dashboard/lru.py)."""

from __future__ import annotations

from dashboard.lru import LRU, MISSING


def test_the_least_recently_read_entry_is_dropped_first():
    lru = LRU(2)
    lru.put(("a",), 1)
    lru.put(("b",), None)  # None is a value like any other
    assert lru.get(("a",)) == 1  # "a" is now the newest
    lru.put(("c",), 3)
    assert lru.get(("b",)) is MISSING
    assert (lru.get(("a",)), lru.get(("c",))) == (1, 3)


def test_peek_does_not_refresh_an_entry_and_clear_forgets_all():
    lru = LRU(2)
    lru.put(("a",), 1)
    lru.put(("b",), 2)
    assert lru.peek(("a",)) == 1  # not made the newest
    lru.put(("c",), 3)
    assert lru.peek(("a",)) is MISSING
    lru.clear()
    assert lru.get(("b",)) is MISSING and lru.get(("c",)) is MISSING
