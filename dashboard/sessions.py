"""Server-side sessions that can end (docs/security.md, "Sign-in, sessions, sign-out").

The browser's cookie carries only a random session id (signed by Flask); the record behind it
lives in the shared state file, so a session ends for every worker at once:

- on ``POST /logout`` (the record is deleted: a cookie copied earlier no longer works);
- after ``PMO_SESSION_IDLE_MINUTES`` without a request, and ``PMO_SESSION_MAX_HOURS`` after
  sign-in whatever the activity;
- when the user's password hash in the users file changes (the record keeps a fingerprint of the
  hash it was opened with) or the user is removed from the file.

Only a SHA-256 of the id is stored, so the state file alone does not let anyone sign in.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from dashboard import state_db

TOUCH_EVERY_SECONDS = 30.0


def fingerprint(password_hash: str | None) -> str:
    """A short digest of a user's password hash: changes when the password does."""
    return hashlib.sha256((password_hash or "").encode()).hexdigest()[:32]


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


@dataclass
class SessionStore:
    """Sessions in the shared state file.

    Attributes:
        path: The SQLite file (``dashboard.state_db.state_path``).
        idle_seconds: A session unused this long has ended.
        max_seconds: A session this old has ended, however active.
        clock: Seconds since the epoch (tests pass their own).
    """

    path: Path
    idle_seconds: float
    max_seconds: float
    clock: Callable[[], float] = time.time

    def create(self, user: str, password_hash: str | None) -> str:
        """Open a session for ``user``; returns the id to put in the cookie."""
        session_id = secrets.token_urlsafe(32)
        now = self.clock()
        state_db.add_session(self.path, _digest(session_id), user, fingerprint(password_hash), now)
        state_db.purge_sessions(self.path, now - self.max_seconds, now - self.idle_seconds)
        return session_id

    def user(self, session_id: object, current_hash: Callable[[str], str | None]) -> str | None:
        """The user of a live session (None when unknown, ended, or the password changed).

        Args:
            session_id: The id from the cookie (anything: cookies are client data).
            current_hash: The user's password hash now, from the users file (None: no such user).
        """
        if not isinstance(session_id, str) or not session_id:
            return None
        now = self.clock()
        key = _digest(session_id)
        row = state_db.get_session(self.path, key)
        if row is None:
            return None
        user, print_, created, last_seen = row
        ended = now - created > self.max_seconds or now - last_seen > self.idle_seconds
        if ended or fingerprint(current_hash(user)) != print_:
            state_db.delete_session(self.path, key)
            return None
        if now - last_seen > min(TOUCH_EVERY_SECONDS, self.idle_seconds / 4):
            state_db.touch_session(self.path, key, now)
        return user

    def end(self, session_id: object) -> None:
        """End one session (logout)."""
        if isinstance(session_id, str) and session_id:
            state_db.delete_session(self.path, _digest(session_id))

    def end_all(self, user: str) -> int:
        """End every session of ``user``; returns how many there were."""
        return state_db.delete_user_sessions(self.path, user)
