"""Unit tests of dashboard/sessions.py with a fake clock - no browser."""

from __future__ import annotations

from dashboard.sessions import SessionStore
from tests.unit.dashboard.conftest import Clock


def test_sessions_end_when_idle_when_old_and_when_the_password_changes(tmp_path):
    clock = Clock()
    store = SessionStore(tmp_path / "s.sqlite3", idle_seconds=600, max_seconds=3600, clock=clock)
    hashes = {"alice": "hash-1"}
    sid = store.create("alice", "hash-1")
    assert store.user(sid, hashes.get) == "alice"
    clock.now += 599  # just inside the idle window (touched: last_seen moves on)
    assert store.user(sid, hashes.get) == "alice"
    clock.now += 599
    assert store.user(sid, hashes.get) == "alice"
    clock.now += 601  # idle 601 s > 600
    assert store.user(sid, hashes.get) is None
    assert store.user(sid, hashes.get) is None  # and the record is gone

    sid = store.create("alice", "hash-1")
    for _ in range(6):  # active every 10 minutes ...
        clock.now += 590
        assert store.user(sid, hashes.get) == "alice"
    clock.now += 300  # ... but 3840 s after sign-in > 3600: over
    assert store.user(sid, hashes.get) is None

    sid = store.create("alice", "hash-1")
    hashes["alice"] = "hash-2"  # password changed in the users file
    assert store.user(sid, hashes.get) is None
    hashes["alice"] = "hash-1"
    assert store.user(sid, hashes.get) is None  # revoked for good, not just hidden

    sid = store.create("alice", "hash-1")
    store.end(sid)
    assert store.user(sid, hashes.get) is None
    a, b = store.create("alice", "hash-1"), store.create("alice", "hash-1")
    assert store.end_all("alice") == 2
    assert store.user(a, hashes.get) is None and store.user(b, hashes.get) is None
    for forged in (None, "", 5, ["x"], "not-a-session"):
        assert store.user(forged, hashes.get) is None
