"""Unit tests of dashboard/throttle.py with a fake clock: backoff and password-check slots - no
browser."""

from __future__ import annotations

import threading
import time

from dashboard import throttle
from dashboard.throttle import Throttle
from tests.unit.dashboard.conftest import Clock


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
