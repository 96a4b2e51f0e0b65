"""Sign-in and roles: off for the local single-user setup, required beyond 127.0.0.1.

Users and roles live in a TOML file (``PMO_USERS``) with hashed passwords::

    [users.alice]
    password_hash = "scrypt:32768:8:1$..."   # python -m dashboard.auth hash
    role = "pmo"                             # pmo | division_manager | viewer

    [users.bob]
    password_hash = "scrypt:..."
    role = "division_manager"
    divisions = ["Finance", "Operations"]

Modes (``PMO_AUTH``): ``off`` (only allowed when the app binds to a loopback address),
``password`` (the sign-in form checks the file), ``proxy`` (an SSO reverse proxy authenticates
and passes the user name in ONE configured header, ``PMO_AUTH_HEADER``; the file still says what
each user may see, and a user the file does not know is refused). A secret key
(``PMO_SECRET_KEY``, 32+ characters) is required whenever sign-in is on.
"""

from __future__ import annotations

import argparse
import getpass
import ipaddress
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, Response, redirect, request, session
from werkzeug.security import check_password_hash, generate_password_hash

from dashboard.scope import ROLES, UNRESTRICTED, Scope, reset_scope, set_scope

MODES = ("off", "password", "proxy")
PUBLIC_PATHS = ("/login", "/assets/", "/_favicon.ico", "/healthz")
MIN_SECRET_LENGTH = 32
_DUMMY_HASH = generate_password_hash("not a real password, only makes timing equal")


class AuthConfigError(ValueError):
    """Sign-in is misconfigured; the app refuses to start and says why."""


@dataclass(frozen=True)
class User:
    """One user of the users file."""

    name: str
    role: str
    password_hash: str | None
    divisions: tuple[str, ...] | None

    def scope(self) -> Scope:
        """What this user may see."""
        divisions = self.divisions if self.role != "pmo" else None
        return Scope(user=self.name, role=self.role, divisions=divisions)


def load_users(path: Path) -> dict[str, User]:
    """Read and check the users file; raises AuthConfigError naming the bad entry."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise AuthConfigError(f"users file {path}: {exc}") from exc
    users = {}
    for name, entry in data.get("users", {}).items():
        role = entry.get("role")
        if role not in ROLES:
            raise AuthConfigError(
                f"users file: [users.{name}].role must be one of {', '.join(ROLES)}, got {role!r}"
            )
        divisions = entry.get("divisions")
        if role == "division_manager" and not divisions:
            raise AuthConfigError(f"users file: [users.{name}] needs divisions = [...]")
        users[name] = User(
            name=name,
            role=role,
            password_hash=entry.get("password_hash"),
            divisions=tuple(divisions) if divisions else None,
        )
    return users


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_startup(mode: str, host: str, secret_key: str | None, users_file: Path | None) -> None:
    """Refuse unsafe combinations before serving (RELIABILITY.md S7, S8)."""
    if mode not in MODES:
        raise AuthConfigError(f"PMO_AUTH must be one of {', '.join(MODES)}, got {mode!r}")
    if mode == "off":
        if not is_loopback(host):
            raise AuthConfigError(
                f"sign-in is off but the app would listen on {host}: set PMO_AUTH=password "
                "(with PMO_USERS and PMO_SECRET_KEY) or proxy, or bind to 127.0.0.1"
            )
        return
    if not secret_key or len(secret_key) < MIN_SECRET_LENGTH or secret_key.startswith("change"):
        raise AuthConfigError(
            f"sign-in needs PMO_SECRET_KEY: {MIN_SECRET_LENGTH}+ random characters, e.g. "
            "python -c 'import secrets; print(secrets.token_urlsafe(48))'"
        )
    if users_file is None or not users_file.exists():
        raise AuthConfigError("sign-in needs PMO_USERS naming the users file")


def install(
    server: Flask,
    *,
    mode: str,
    users: dict[str, User],
    secret_key: str | None,
    header: str = "X-Forwarded-User",
    secure_cookies: bool = True,
) -> None:
    """Protect every route but the public ones and set the request's scope."""
    if mode == "off":
        return
    server.secret_key = secret_key
    server.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure_cookies,
    )

    @server.before_request
    def require_user() -> Response | None:
        if request.path.startswith(PUBLIC_PATHS):
            return None
        user = _proxy_user(users, header) if mode == "proxy" else users.get(session.get("user"))
        if user is None:
            if mode == "proxy" or request.path.startswith("/_dash") or request.method != "GET":
                return Response('{"error": "sign-in required"}', 401, mimetype="application/json")
            return redirect(f"/login?next={_safe_next(request.full_path)}")
        request.environ["pmo.scope_token"] = set_scope(user.scope())
        return None

    @server.teardown_request
    def clear_scope(_error: BaseException | None) -> None:
        token = request.environ.pop("pmo.scope_token", None)
        if token is not None:
            reset_scope(token)

    if mode == "password":
        _install_login(server, users)


def _install_login(server: Flask, users: dict[str, User]) -> None:
    @server.route("/login", methods=["GET", "POST"])
    def login() -> Response:
        error = ""
        if request.method == "POST":
            name = request.form.get("user", "")
            password = request.form.get("password", "")
            user = users.get(name)
            # Unknown users are checked against a dummy hash: same answer, same work.
            stored = user.password_hash if user and user.password_hash else _DUMMY_HASH
            if check_password_hash(stored, password) and user is not None:
                session.clear()
                session["user"] = user.name
                return redirect(_safe_next(request.args.get("next", "/")))
            error = "<p class='text-danger'>Unknown user or wrong password.</p>"
        return Response(_LOGIN_PAGE.format(error=error), mimetype="text/html")

    @server.route("/logout")
    def logout() -> Response:
        session.clear()
        return redirect("/login")


def _proxy_user(users: dict[str, User], header: str) -> User | None:
    name = request.headers.get(header, "").strip()
    return users.get(name) if name else None


def _safe_next(target: str) -> str:
    """Only same-site relative paths (no open redirect)."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target.rstrip("?") or "/"


_LOGIN_PAGE = """<!doctype html><html><head><title>PMO Lens · Sign in</title>
<link rel="stylesheet" href="/assets/bootstrap.min.css"></head>
<body class="bg-light"><main class="container" style="max-width:380px;margin-top:10vh">
<h1 class="h4 mb-3">PMO Lens</h1>{error}
<form method="post"><div class="mb-2"><label class="form-label" for="user">User</label>
<input class="form-control" id="user" name="user" autocomplete="username" required></div>
<div class="mb-3"><label class="form-label" for="password">Password</label>
<input class="form-control" id="password" name="password" type="password"
 autocomplete="current-password" required></div>
<button class="btn btn-primary w-100" type="submit">Sign in</button></form></main></body></html>"""


def main(argv: list[str] | None = None) -> int:
    """``python -m dashboard.auth hash``: print a password hash for the users file."""
    parser = argparse.ArgumentParser(prog="python -m dashboard.auth")
    parser.add_argument("command", choices=["hash"])
    parser.parse_args(argv)
    password = getpass.getpass("Password: ")
    if len(password) < 12:
        sys.stderr.write("error: use at least 12 characters\n")
        return 1
    sys.stdout.write(generate_password_hash(password) + "\n")
    return 0


__all__ = ["UNRESTRICTED", "AuthConfigError", "User", "check_startup", "install", "load_users"]

if __name__ == "__main__":
    sys.exit(main())
