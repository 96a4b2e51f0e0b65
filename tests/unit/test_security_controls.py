"""Unit tests of the issue-11 controls, each with hand-computed expectations (fake clocks)."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from dashboard import auth, throttle, upload_quota
from dashboard.body_limits import well_formed
from dashboard.network import client_address, default_allowed_hosts, is_loopback, parse_networks
from dashboard.security import host_allowed
from dashboard.sessions import SessionStore
from dashboard.throttle import Throttle
from dashboard.uploads import loader_failure_message


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


# --------------------------------------------------------------------------- sessions
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


# --------------------------------------------------------------------------- throttle
def test_failures_lock_with_doubling_backoff_per_user_and_per_address(tmp_path):
    clock = Clock()
    gate = Throttle(tmp_path / "t.sqlite3", user_free=5, address_free=20, clock=clock)
    for _ in range(5):
        assert gate.retry_after("alice", "10.0.0.1") == 0
        gate.failed("alice", "10.0.0.1")
    assert gate.retry_after("alice", "10.0.0.1") == 0  # five free failures
    gate.failed("alice", "10.0.0.1")  # 6th: locked 2**0 = 1 s
    assert gate.retry_after("alice", "10.0.0.2") == 1  # the user, from any address
    assert gate.retry_after("bob", "10.0.0.1") == 0  # the address still has free failures
    gate.failed("alice", "10.0.0.1")  # 7th: 2 s
    assert gate.retry_after("alice", "x") == 2
    gate.failed("alice", "10.0.0.1")  # 8th: 4 s
    assert gate.retry_after("ALICE", "x") == 4  # names are compared case-insensitively
    clock.now += 4.5
    assert gate.retry_after("alice", "x") == 0
    gate.succeeded("alice")
    gate.failed("alice", "10.0.0.1")
    assert gate.retry_after("alice", "x") == 0  # count restarted at 1

    for i in range(11):  # the address's 10th-20th failures (9 so far): names vary
        gate.failed(f"u{i}", "10.0.0.1")
    assert gate.retry_after("carol", "10.0.0.1") == 0  # 20 failures: still free
    gate.failed("u99", "10.0.0.1")  # 21st
    assert gate.retry_after("carol", "10.0.0.1") == 1
    assert gate.retry_after("carol", "10.0.0.9") == 0
    clock.now += throttle.FORGET_SECONDS + 1
    gate.failed("u100", "10.0.0.1")  # forgotten: counts from 1 again
    assert gate.retry_after("carol", "10.0.0.1") == 0


def test_backoff_is_capped(tmp_path):
    clock = Clock()
    gate = Throttle(tmp_path / "t.sqlite3", user_free=0, address_free=10_000, clock=clock)
    for _ in range(40):
        gate.failed("alice", "a")
    assert gate.retry_after("alice", "a") == throttle.MAX_LOCK_SECONDS


def test_at_most_two_password_checks_run_at_once():
    running, peak, lock = 0, 0, threading.Lock()
    answers = []

    def check() -> None:
        nonlocal running, peak
        with throttle.password_check_slot(timeout=30) as slot:
            answers.append(slot)
            with lock:
                running += 1
                peak = max(peak, running)
            time.sleep(0.05)
            with lock:
                running -= 1

    threads = [threading.Thread(target=check) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert peak == throttle.SCRYPT_SLOTS == 2 and answers == [True] * 12
    hold = [throttle.password_check_slot(timeout=1) for _ in range(2)]
    assert [h.__enter__() for h in hold] == [True, True]
    with throttle.password_check_slot(timeout=0.05) as slot:
        assert slot is False  # none free: the caller answers 503, no scrypt
    for h in hold:
        h.__exit__(None, None, None)


# --------------------------------------------------------------------------- redirects
@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/capacity?division=A&x=B", "/capacity?division=A&x=B"),
        ("/project/PRJ-1", "/project/PRJ-1"),
        ("//evil.example", "/"),
        ("///evil.example/x", "/evil.example/x"),
        ("/\t/evil.example", "/"),
        ("/\r\nSet-Cookie: a=b", "/"),
        ("/\\evil.example", "/"),
        ("https://evil.example", "/"),
        ("evil.example", "/"),
        ("", "/"),
        (None, "/"),
        ("/\x00", "/"),
    ],
)
def test_next_is_a_path_on_this_site(target, expected):
    assert auth._safe_next(target) == expected


# --------------------------------------------------------------------------- network
@pytest.mark.parametrize(
    ("host", "ok"),
    [
        ("localhost:8050", True),
        ("127.0.0.1:8050", True),
        ("[::1]:8050", True),
        ("LOCALHOST", True),
        ("attacker.rebind.example:8050", False),
        ("127.0.0.1.nip.io", False),
        ("localhost.evil.example", False),
        ("pmo.example.org", True),
        ("a.pmo.example.org", False),
        ("team.corp.example", True),
        ("corp.example", False),
        ("local host", False),
        ("", False),
    ],
)
def test_host_allow_list(host, ok):
    allowed = ("localhost", "127.0.0.1", "::1", "pmo.example.org", ".corp.example")
    assert host_allowed(host, allowed) is ok


def test_default_allowed_hosts_follow_the_bind():
    assert default_allowed_hosts("127.0.0.1") == ("127.0.0.1", "::1", "localhost")
    assert "pmo.internal" in default_allowed_hosts("pmo.internal")


def test_client_address_trusts_forwarded_for_only_from_trusted_proxies():
    proxies = parse_networks(["10.0.0.0/8"])
    assert client_address("203.0.113.5", "1.2.3.4", proxies) == "203.0.113.5"
    assert client_address("10.0.0.2", "198.51.100.7", proxies) == "198.51.100.7"
    # The client typed a first hop; the proxy appended the real one.
    assert client_address("10.0.0.2", "1.2.3.4, 198.51.100.7", proxies) == "198.51.100.7"
    assert client_address("10.0.0.2", "198.51.100.7, 10.0.0.3", proxies) == "198.51.100.7"
    assert is_loopback("::ffff:127.0.0.1") and not is_loopback("0.0.0.0")


def test_proxy_mode_needs_trusted_proxies_off_loopback(tmp_path):
    users = tmp_path / "users.toml"
    users.write_text('[users.alice]\nrole = "pmo"\n')
    secret = "s" * 48
    with pytest.raises(auth.AuthConfigError, match="needs PMO_TRUSTED_PROXIES"):
        auth.check_startup("proxy", "0.0.0.0", secret, users)
    auth.check_startup("proxy", "0.0.0.0", secret, users, ["10.1.2.3"])
    auth.check_startup("proxy", "127.0.0.1", secret, users)
    with pytest.raises(auth.AuthConfigError, match="not an address or network"):
        auth.check_startup("proxy", "0.0.0.0", secret, users, ["proxy.example"])


# --------------------------------------------------------------------------- callbacks
def test_well_formed_callback_requests():
    callbacks = {"a.children": {}}
    good = {
        "output": "a.children",
        "inputs": [{"id": "x", "property": "value", "value": 1}],
        "state": [],
        "outputs": {"id": "a", "property": "children"},
        "changedPropIds": [],
    }
    assert well_formed(good, callbacks)
    assert well_formed({**good, "inputs": [[{"id": {"i": 1}, "property": "v"}]]}, callbacks)
    for bad in ({}, [], None, {**good, "output": "b.children"}, {**good, "inputs": "x"},
                {**good, "inputs": [{"id": 1, "property": "v"}]},
                {**good, "changedPropIds": [1]}, {**good, "outputs": 5}):  # fmt: skip
        assert not well_formed(bad, callbacks)


# --------------------------------------------------------------------------- uploads
def _folder(root: Path, index: int, size: int, age: float) -> Path:
    folder = root / (f"{index:x}" * 64)[:64]
    folder.mkdir(parents=True)
    (folder / "file.csv").write_bytes(b"x" * size)
    stamp = time.time() - age
    os.utime(folder / "file.csv", (stamp, stamp))
    return folder


def test_quota_removes_the_oldest_uploads_first(tmp_path):
    root = tmp_path / "uploads"
    oldest, middle, newest = (
        _folder(root, i, 400, age) for i, age in ((1, 300), (2, 200), (3, 100))
    )
    (root / "notes").mkdir()  # not an upload folder: never touched
    assert upload_quota.used_bytes(root) == 1200
    # 1200 used + 400 needed > 1000: drop the oldest (800 + 400 > 1000), then the next (400+400).
    assert upload_quota.make_room(root, 400, 1000)
    assert not oldest.exists() and not middle.exists() and newest.exists()
    assert (root / "notes").exists()
    assert not upload_quota.make_room(root, 1001, 1000)  # can never fit
    assert newest.exists()


def test_reader_memory_errors_get_the_clear_message():
    message = loader_failure_message(-6, "memory allocation of 2147483648 bytes failed\n")
    assert "needs more memory than an upload may use" in message


def test_revoke_ends_every_session_of_a_user(tmp_path, capsys):
    from dashboard import config
    from dashboard.state_db import state_path

    store = SessionStore(state_path(tmp_path), idle_seconds=600, max_seconds=3600)
    hashes = {"alice": "h", "bob": "h"}
    alices = [store.create("alice", "h") for _ in range(3)]
    bob = store.create("bob", "h")
    try:
        assert auth.main(["revoke", "alice", "--data-dir", str(tmp_path)]) == 0
    finally:
        config._overrides.clear()
        config.get_settings.cache_clear()
    assert capsys.readouterr().out == "ended 3 session(s) of alice\n"
    assert [store.user(sid, hashes.get) for sid in alices] == [None, None, None]
    assert store.user(bob, hashes.get) == "bob"


def test_the_upload_callback_is_known_before_a_workers_first_request():
    """A fresh gunicorn worker's first request may be the upload: Pages callbacks still wait in
    Dash's global map then, and the body limit must already let the upload through."""
    import dash
    from dash import Input, Output, dcc, html
    from dash import _callback as dash_callback

    from dashboard.body_limits import upload_outputs

    saved_list = list(dash_callback.GLOBAL_CALLBACK_LIST)
    saved_map = dict(dash_callback.GLOBAL_CALLBACK_MAP)
    try:
        app = dash.Dash(__name__)
        app.layout = html.Div([dcc.Upload(id="drop"), html.Div(id="report")])

        @dash.callback(Output("report", "children"), Input("drop", "contents"))
        def report(contents):
            return ""

        assert app.callback_map == {}  # not moved yet: no request has been served
        assert upload_outputs(app) == {"report.children"}
    finally:
        dash_callback.GLOBAL_CALLBACK_LIST[:] = saved_list
        dash_callback.GLOBAL_CALLBACK_MAP.clear()
        dash_callback.GLOBAL_CALLBACK_MAP.update(saved_map)
