"""Slow down password guessing and bound the memory sign-in can take (docs/security.md).

Two limits, both shared by every worker through the state file:

- **Failures** are counted per user name and per client address. After ``free`` failures the
  key is locked for 1, 2, 4, ... seconds (capped at ``MAX_LOCK_SECONDS``) from each further
  failure; while locked, the sign-in form answers 429 with ``Retry-After`` *without* checking
  the password, so a guesser gets neither an answer nor CPU. A success clears the user's count
  (not the address's: one valid account must not buy an address fresh guesses). Counts decay
  after ``FORGET_SECONDS`` without a failure.
- **scrypt work**: each check of a Werkzeug scrypt hash takes ~32 MB and tens of milliseconds,
  so at most ``SCRYPT_SLOTS`` checks run at once per process; the others wait briefly, then get
  503 with ``Retry-After``. 150 parallel wrong logins thus cost 2 x 32 MB, not 150 x 32 MB.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from dashboard import state_db

USER_FREE_FAILURES = 5
ADDRESS_FREE_FAILURES = 20
MAX_LOCK_SECONDS = 15 * 60
FORGET_SECONDS = 30 * 60
SCRYPT_SLOTS = 2
SCRYPT_WAIT_SECONDS = 10.0

_scrypt = threading.BoundedSemaphore(SCRYPT_SLOTS)


@contextmanager
def password_check_slot(timeout: float = SCRYPT_WAIT_SECONDS) -> Iterator[bool]:
    """Hold one of the few password-check slots; yields False when none freed in time."""
    acquired = _scrypt.acquire(timeout=timeout)
    try:
        yield acquired
    finally:
        if acquired:
            _scrypt.release()


@dataclass
class Throttle:
    """Failure counts per user and per address in the shared state file."""

    path: Path
    user_free: int = USER_FREE_FAILURES
    address_free: int = ADDRESS_FREE_FAILURES
    clock: Callable[[], float] = time.time

    def retry_after(self, user: str, address: str) -> int:
        """Seconds until ``user`` from ``address`` may try again (0: now)."""
        now = self.clock()
        marks = state_db.locked_until(self.path, (_user_key(user), _address_key(address)))
        wait = max((until - now for until in marks), default=0.0)
        return math.ceil(wait) if wait > 0 else 0

    def failed(self, user: str, address: str) -> None:
        """Count one failure for both keys and lock them once past their free failures."""
        now = self.clock()
        free = {_user_key(user): self.user_free, _address_key(address): self.address_free}

        def step(key: str, count: int | None, last: float | None) -> tuple[int, float]:
            count = 1 if count is None or last is None or now - last > FORGET_SECONDS else count + 1
            over = count - free[key]
            return count, now + min(2 ** (over - 1), MAX_LOCK_SECONDS) if over > 0 else 0.0

        state_db.update_failures(self.path, tuple(free), now, step)

    def succeeded(self, user: str) -> None:
        """Clear the user's failures after a correct password."""
        state_db.clear_failures(self.path, _user_key(user))


def _user_key(user: str) -> str:
    return "user:" + user[:200].casefold()


def _address_key(address: str) -> str:
    return "addr:" + address
