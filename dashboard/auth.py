"""Sign-in and roles: off for the local single-user setup, required beyond 127.0.0.1.

Users and roles live in a TOML file (``PMO_USERS``) with hashed passwords::

    [users.alice]
    password_hash = "scrypt:32768:8:1$..."   # python -m dashboard.auth hash
    role = "pmo"                             # pmo | division_manager | contributor | viewer

    [users.bob]
    password_hash = "scrypt:..."
    role = "division_manager"
    divisions = ["Finance", "Operations"]

    [users.carol]                            # a team lead: status updates for her projects
    password_hash = "scrypt:..."
    role = "contributor"
    projects = ["PRJ-001", "PRJ-002"]        # and/or project_manager = "Carol Jones"

Modes (``PMO_AUTH``): ``off`` (only allowed when the app binds to a loopback address),
``password`` (the sign-in form checks the file), ``proxy`` (an SSO reverse proxy authenticates
and passes the user name in ONE configured header, ``PMO_AUTH_HEADER``; the file still says what
each user may see, and a user the file does not know is refused). A secret key
(``PMO_SECRET_KEY``, 32+ characters) is required whenever sign-in is on.

What holds it in production (each control, its threat and its test: docs/security.md):

- One rule decides whether sign-in is required: the address actually bound (``check_startup``,
  called by ``python app.py`` and by gunicorn's ``when_ready`` hook in gunicorn.conf.py) and,
  on every request with sign-in off, the client's own address (``_guard``).
- Password mode refuses a users file entry without a valid hash; the hash that equalises the
  timing of unknown users is of a random per-process password.
- Proxy mode honours the user header only from ``PMO_TRUSTED_PROXIES`` (loopback by default,
  and required on a non-loopback bind).
- Public paths are exact; the ``next`` target is parsed and only a same-site path followed.
- Sign-in attempts are throttled (``dashboard.throttle``); sessions are server records that end
  (``dashboard.sessions``); ``POST /logout`` needs the form's token.
"""

from __future__ import annotations

import argparse
import functools
import getpass
import hashlib
import hmac
import logging
import re
import secrets
import sys
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

from flask import Flask, Response, current_app, redirect, request, session
from werkzeug.security import check_password_hash, generate_password_hash

from dashboard.config import configure, get_settings
from dashboard.network import (
    NetworkConfigError,
    client_address,
    forwarded_addresses,
    in_networks,
    is_loopback,
    parse_networks,
)
from dashboard.scope import ROLES, UNRESTRICTED, Scope, reset_scope, set_scope
from dashboard.sessions import SessionStore
from dashboard.state_db import state_path
from dashboard.throttle import Throttle, password_check_slot

LOG = logging.getLogger("pmo.auth")
MODES = ("off", "password", "proxy")
PUBLIC_PATHS = frozenset({"/login", "/healthz", "/_favicon.ico"})
MIN_SECRET_LENGTH = 32
MAX_FIELD_CHARS = 1024
LOOPBACK_PROXIES = ("127.0.0.0/8", "::1/128")
# Unknown users are checked against this hash so they cost the same work; its password is
# random and never known, so no input matches it.
_DUMMY_HASH = generate_password_hash(secrets.token_urlsafe(32))
_HASH_FORMAT = re.compile(r"^(scrypt:\d+:\d+:\d+|pbkdf2:sha(?:256|512):\d+)\$[^$]+\$[0-9a-f]{32,}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\\]")


class AuthConfigError(ValueError):
    """Sign-in is misconfigured; the app refuses to start and says why."""


@dataclass(frozen=True)
class User:
    """One user of the users file."""

    name: str
    role: str
    password_hash: str | None
    divisions: tuple[str, ...] | None
    projects: tuple[str, ...] | None = None
    project_manager: str | None = None

    def scope(self) -> Scope:
        """What this user may see (and, for a contributor, report on: docs/forms.md)."""
        divisions = self.divisions if self.role != "pmo" else None
        return Scope(
            user=self.name,
            role=self.role,
            divisions=divisions,
            projects=self.projects,
            project_manager=self.project_manager,
        )


def valid_hash(value: object) -> bool:
    """True for a Werkzeug scrypt or pbkdf2 hash as ``python -m dashboard.auth hash`` prints."""
    return isinstance(value, str) and _HASH_FORMAT.match(value) is not None


def load_users(path: Path, mode: str = "password") -> dict[str, User]:
    """Read and check the users file; raises AuthConfigError naming the bad entry.

    In password mode every entry needs a valid ``password_hash``: an entry without one would
    otherwise be a user nobody can sign in as at best, and an open door at worst.
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
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
        projects = entry.get("projects")
        manager = entry.get("project_manager")
        if role == "contributor" and not (projects or manager):
            raise AuthConfigError(
                f'users file: [users.{name}] needs projects = [...] or project_manager = "..."'
            )
        if projects is not None and (
            not isinstance(projects, list) or not all(isinstance(p, str) for p in projects)
        ):
            raise AuthConfigError(f"users file: [users.{name}].projects must be a list of ids")
        if manager is not None and not isinstance(manager, str):
            raise AuthConfigError(f"users file: [users.{name}].project_manager must be a name")
        password_hash = entry.get("password_hash")
        if mode == "password" and not valid_hash(password_hash):
            raise AuthConfigError(
                f"users file: [users.{name}] needs a valid password_hash in password mode "
                "(python -m dashboard.auth hash prints one)"
            )
        users[name] = User(
            name=name,
            role=role,
            password_hash=password_hash,
            divisions=tuple(divisions) if divisions else None,
            projects=tuple(projects) if projects else None,
            project_manager=manager.strip() if manager else None,
        )
    return users


def sign_in_required(bound_host: str) -> bool:
    """The one rule: anything but a loopback bind needs sign-in."""
    return not is_loopback(bound_host)


def check_startup(
    mode: str,
    host: str,
    secret_key: str | None,
    users_file: Path | None,
    trusted_proxies: Iterable[str] = (),
) -> None:
    """Refuse unsafe combinations before serving (docs/security.md, "Start-up checks").

    Args:
        mode: ``PMO_AUTH``.
        host: The address actually bound (``python app.py``'s host, gunicorn's listeners).
        secret_key: ``PMO_SECRET_KEY``.
        users_file: ``PMO_USERS``.
        trusted_proxies: ``PMO_TRUSTED_PROXIES``.
    """
    if mode not in MODES:
        raise AuthConfigError(f"PMO_AUTH must be one of {', '.join(MODES)}, got {mode!r}")
    try:
        proxies = parse_networks(trusted_proxies)
    except NetworkConfigError as exc:
        raise AuthConfigError(str(exc)) from exc
    if mode == "off":
        if sign_in_required(host):
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
    if mode == "proxy" and sign_in_required(host) and not proxies:
        raise AuthConfigError(
            f"proxy mode on {host} needs PMO_TRUSTED_PROXIES (the SSO proxy's addresses): "
            "without it anybody reaching the app could send the user header"
        )
    load_users(users_file, mode)


@functools.lru_cache(maxsize=8)
def trusted_proxy_networks(values: tuple[str, ...]) -> tuple:
    """``PMO_TRUSTED_PROXIES`` as networks; loopback when unset (a proxy on this machine)."""
    return parse_networks(values or LOOPBACK_PROXIES)


def install(
    server: Flask,
    *,
    mode: str,
    users: dict[str, User],
    secret_key: str | None,
    header: str = "X-Forwarded-User",
    secure_cookies: bool = True,
    assets_folder: Path | None = None,
) -> None:
    """Check every request: who is connecting, then who is signed in; set the request's scope.

    The data folder, session lifetimes and trusted proxies are read from the settings on each
    request, so ``python app.py --data-dir`` (applied after the app is built) is honoured.
    """
    public = PUBLIC_PATHS | _asset_paths(assets_folder)
    if mode != "off":
        server.secret_key = secret_key
        server.config.update(
            SESSION_COOKIE_NAME="pmo_session",
            SESSION_COOKIE_HTTPONLY=True,
            SESSION_COOKIE_SAMESITE="Lax",
            SESSION_COOKIE_SECURE=secure_cookies,
        )

    @server.before_request
    def require_user() -> Response | None:
        if mode == "off":
            return _refuse_remote_clients()
        if request.path in public:
            return None
        user = _proxy_user(users, header) if mode == "proxy" else _session_user(users)
        if user is None:
            if mode == "proxy" or request.path.startswith("/_dash") or request.method != "GET":
                return Response('{"error": "sign-in required"}', 401, mimetype="application/json")
            return redirect("/login?" + urlencode({"next": _here()}))
        request.environ["pmo.scope_token"] = set_scope(user.scope())
        return None

    @server.teardown_request
    def clear_scope(_error: BaseException | None) -> None:
        token = request.environ.pop("pmo.scope_token", None)
        if token is not None:
            reset_scope(token)

    if mode == "password":
        _install_login(server, users)


def sessions() -> SessionStore:
    """The session store of the configured data folder and lifetimes."""
    settings = get_settings()
    return SessionStore(
        state_path(settings.data_dir),
        idle_seconds=settings.session_idle_minutes * 60,
        max_seconds=settings.session_max_hours * 3600,
    )


def throttle() -> Throttle:
    """The sign-in throttle of the configured data folder."""
    return Throttle(state_path(get_settings().data_dir))


def request_client() -> str:
    """The client's address, through trusted proxies only."""
    proxies = trusted_proxy_networks(get_settings().trusted_proxies)
    return client_address(request.remote_addr, request.headers.get("X-Forwarded-For"), proxies)


def _refuse_remote_clients() -> Response | None:
    """Sign-in off: serve this machine only, whatever address the server was bound to.

    A direct client is judged by the socket's peer address; a client relayed by a proxy on this
    machine shows up in the forwarding headers, and is refused as well.
    """
    relayed = [a for a in forwarded_addresses(request.headers) if not is_loopback(a)]
    if is_loopback(request.remote_addr) and not relayed:
        return None
    LOG.warning(
        "refused %s %s from %s (forwarded for %s): sign-in is off",
        request.method,
        request.path,
        request.remote_addr,
        ascii(relayed),
    )
    return Response(
        "Sign-in is off, so this app serves only the machine it runs on. "
        "Set PMO_AUTH=password or proxy to serve other machines.\n",
        403,
        mimetype="text/plain",
    )


def _session_user(users: dict[str, User]) -> User | None:
    def current_hash(name: str) -> str | None:
        user = users.get(name)
        return user.password_hash if user else None

    name = sessions().user(session.get("sid"), current_hash)
    return users.get(name) if name else None


def _proxy_user(users: dict[str, User], header: str) -> User | None:
    name = request.headers.get(header, "").strip()
    if not name:
        return None
    if not in_networks(request.remote_addr, trusted_proxy_networks(get_settings().trusted_proxies)):
        LOG.warning(
            "ignored %s header from %s: not a trusted proxy (PMO_TRUSTED_PROXIES)",
            header,
            request.remote_addr,
        )
        return None
    return users.get(name)


def _asset_paths(folder: Path | None) -> frozenset[str]:
    """``/assets/<file>`` for each file that exists: the only asset URLs served signed out."""
    if folder is None or not folder.is_dir():
        return frozenset()
    return frozenset(
        "/assets/" + path.relative_to(folder).as_posix()
        for path in folder.rglob("*")
        if path.is_file()
    )


def _here() -> str:
    """This request's path and whole query (kept percent-encoded), for the login's ``next``."""
    query = request.query_string.decode("latin-1")
    return request.path + ("?" + query if query else "")


def _csrf_token(session_id: str) -> str:
    key = (get_secret() or "").encode()
    return hmac.new(key, b"logout:" + session_id.encode(), hashlib.sha256).hexdigest()


def get_secret() -> str | None:
    """The Flask app's secret key (set by ``install``)."""
    return current_app.secret_key


def _install_login(server: Flask, users: dict[str, User]) -> None:
    @server.route("/login", methods=["GET", "POST"])
    def login() -> Response:
        if request.method == "GET":
            return _page(_LOGIN_PAGE.format(error=""))
        name = request.form.get("user", "")[:MAX_FIELD_CHARS]
        password = request.form.get("password", "")[:MAX_FIELD_CHARS]
        address = request_client()
        gate = throttle()
        wait = gate.retry_after(name, address)
        if wait:
            return _too_many(name, address, wait)
        with password_check_slot() as slot:
            if not slot:
                LOG.warning("sign-in busy: no password-check slot for %s", address)
                return _page(_LOGIN_PAGE.format(error=_BUSY), 503, retry_after=2)
            # Another worker or thread may have locked the keys while this one waited.
            wait = gate.retry_after(name, address)
            if wait:
                return _too_many(name, address, wait)
            user = users.get(name)
            stored = user.password_hash if user and valid_hash(user.password_hash) else _DUMMY_HASH
            correct = check_password_hash(stored, password) and user is not None
        if not correct or user is None:
            gate.failed(name, address)
            LOG.info("sign-in failed for %s from %s", ascii(name[:80]), address)
            return _page(_LOGIN_PAGE.format(error=_WRONG))
        gate.succeeded(name)
        session.clear()
        session["sid"] = sessions().create(user.name, user.password_hash)
        LOG.info("signed in: %s from %s", user.name, address)
        return redirect(_safe_next(request.args.get("next", "/")))

    @server.route("/logout", methods=["GET", "POST"])
    def logout() -> Response:
        session_id = session.get("sid")
        if not isinstance(session_id, str):
            session.clear()
            return redirect("/login")
        token = _csrf_token(session_id)
        if request.method == "GET":
            return _page(_LOGOUT_PAGE.format(token=token))
        if not hmac.compare_digest(request.form.get("csrf", ""), token):
            return _page("<p>Sign-out refused: reload the page and try again.</p>", 403)
        sessions().end(session_id)
        session.clear()
        return redirect("/login")


def _too_many(name: str, address: str, wait: int) -> Response:
    LOG.warning("sign-in throttled for %s from %s: retry in %s s", ascii(name[:80]), address, wait)
    message = f"<p class='text-danger'>Too many attempts: try again in {wait} seconds.</p>"
    return _page(_LOGIN_PAGE.format(error=message), 429, retry_after=wait)


def _page(html: str, status: int = 200, retry_after: int | None = None) -> Response:
    response = Response(html, status, mimetype="text/html")
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    return response


def _safe_next(target: object) -> str:
    """``next`` parsed and normalised: only a path on this site, else ``/``.

    Browsers drop tabs and newlines inside URLs and read a backslash as ``/``, so any control
    character or backslash refuses the target outright (``/%09/evil.example`` would become
    ``//evil.example``, another site).
    """
    if not isinstance(target, str) or not target.startswith("/") or _CONTROL.search(target):
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return "/"
    path = "/" + parts.path.lstrip("/")  # never "//host": a path, always on this site
    return urlunsplit(("", "", path, parts.query, "")) or "/"


_WRONG = "<p class='text-danger'>Unknown user or wrong password.</p>"
_BUSY = "<p class='text-danger'>Sign-in is busy: try again in a moment.</p>"
_LOGOUT_PAGE = """<!doctype html><html><head><title>PMO Lens · Sign out</title>
<link rel="stylesheet" href="/assets/bootstrap.min.css"></head>
<body class="bg-light"><main class="container" style="max-width:380px;margin-top:10vh">
<h1 class="h4 mb-3">PMO Lens</h1><form method="post" action="/logout">
<input type="hidden" name="csrf" value="{token}">
<button class="btn btn-primary w-100" type="submit">Sign out</button></form>
<p class="mt-3"><a href="/">Back to the dashboard</a></p></main></body></html>"""
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
    """``python -m dashboard.auth hash | revoke USER [--data-dir DIR]``.

    ``hash`` prints a password hash for the users file; ``revoke`` ends every session of a user
    at once, in every worker (a stolen laptop, a leaver) without waiting for a restart.
    """
    parser = argparse.ArgumentParser(prog="python -m dashboard.auth")
    parser.add_argument("command", choices=["hash", "revoke"])
    parser.add_argument("user", nargs="?", help="revoke: whose sessions to end")
    parser.add_argument("--data-dir", help="revoke: the app's data folder (PMO_DATA_DIR)")
    args = parser.parse_args(argv)
    if args.command == "revoke":
        if not args.user:
            parser.error("revoke needs a user name")
        if args.data_dir:
            configure(data_dir=args.data_dir)
        ended = sessions().end_all(args.user)
        sys.stdout.write(f"ended {ended} session(s) of {args.user}\n")
        return 0
    password = getpass.getpass("Password: ")
    if len(password) < 12:
        sys.stderr.write("error: use at least 12 characters\n")
        return 1
    sys.stdout.write(generate_password_hash(password) + "\n")
    return 0


__all__ = [
    "UNRESTRICTED",
    "AuthConfigError",
    "User",
    "check_startup",
    "install",
    "load_users",
    "sign_in_required",
]

if __name__ == "__main__":
    sys.exit(main())
