"""Hardening for every response, local mode included (docs/security.md).

- A Host allow-list (``PMO_ALLOWED_HOSTS``; default loopback names and the bound host) checked
  on every request: a page on a DNS-rebinding domain that resolves to 127.0.0.1 reaches the app
  with its own name in ``Host`` and is refused before anything else runs.
- Security headers: a Content-Security-Policy (scripts only from this origin plus the hashes of
  Dash's own inline scripts; no ``eval``; no framing), ``X-Content-Type-Options: nosniff``, a
  strict referrer policy, ``Cache-Control: no-store`` on everything but static files (data
  answers never sit in a shared cache), and HSTS when cookies are Secure (served over HTTPS).
- No versions: the page config Dash sends to the browser loses its Python, Dash and Plotly
  versions (the ``Server`` header is set in app.py and gunicorn.conf.py).
- An Origin check on state-changing requests: a browser sends ``Origin`` with every POST, so a
  POST whose Origin is another site is refused (cross-site request forgery), as is a
  ``text/plain`` "simple request" to Dash's callback endpoint, which a form on another site
  could send without a CORS preflight.
- Errors: a generic page or JSON body with an error id; the traceback goes to the server log
  only, next to that id.
"""

from __future__ import annotations

import functools
import logging
import uuid
from urllib.parse import urlsplit

from dash import Dash
from flask import Flask, Response, jsonify, request
from markupsafe import escape
from werkzeug.exceptions import HTTPException

from dashboard.config import get_settings
from dashboard.network import default_allowed_hosts

LOG = logging.getLogger("pmo.security")
STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
DASH_ENDPOINT_PREFIX = "/_dash-update-component"
STATIC_PREFIXES = ("/assets/", "/_dash-component-suites/", "/_favicon.ico")
HSTS = "max-age=31536000"
# Keys of Dash's page config that only tell an attacker which versions to look up.
VERSION_KEYS = (
    "dash_version",
    "python_version",
    "dash_version_url",
    "ddk_version",
    "plotly_version",
)


def content_security_policy(script_hashes: list[str]) -> str:
    """The CSP: same-origin everything, Dash's inline scripts by hash, no framing.

    No ``'unsafe-eval'``: Dash 4's renderer and the Plotly traces the pages draw run without it
    (tests/browser/test_csp.py loads every page and finds no violation in the console). React
    components set inline styles, hence ``'unsafe-inline'`` for styles only.
    """
    scripts = " ".join(script_hashes)  # Dash returns them quoted: 'sha256-...'
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' {scripts}".strip(),
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def harden(app: Dash, *, hsts: bool = False) -> None:
    """Install the Host check, headers, the Origin check and the error handlers on ``app``.

    Args:
        app: The Dash app.
        hsts: Send ``Strict-Transport-Security`` (when cookies are Secure: served over HTTPS).
    """
    server: Flask = app.server
    _hide_versions(app)

    @server.before_request
    def refuse_unknown_hosts() -> Response | None:
        if host_allowed(request.host, allowed_hosts()):
            return None
        LOG.warning("refused Host %s from %s", ascii(request.host[:100]), request.remote_addr)
        return _refuse(400, "unknown host name (PMO_ALLOWED_HOSTS)")

    @server.before_request
    def refuse_cross_site_writes() -> Response | None:
        if request.method not in STATE_CHANGING:
            return None
        if not same_origin(request.headers.get("Origin"), request.host_url):
            return _refuse(403, "cross-site request refused")
        if request.path.startswith(DASH_ENDPOINT_PREFIX) and not request.is_json:
            return _refuse(415, "callbacks accept application/json only")
        return None

    @server.after_request
    def add_security_headers(response: Response) -> Response:
        # Hashed per response, not once: Dash Pages registers its own inline clientside script
        # on the first request, after the app was created.
        policy = content_security_policy(app.csp_hashes())
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        if not request.path.startswith(STATIC_PREFIXES):
            response.headers["Cache-Control"] = "no-store"
        if hsts:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        return response

    @server.errorhandler(Exception)
    def hide_internal_errors(error: Exception) -> Response:
        if isinstance(error, HTTPException):
            return _refuse(error.code or 500, error.description or error.name)
        error_id = uuid.uuid4().hex[:12]
        LOG.exception("unhandled error %s on %s %s", error_id, request.method, request.path)
        return _refuse(500, f"Something went wrong on the server (error id {error_id}).")


def allowed_hosts() -> tuple[str, ...]:
    """``PMO_ALLOWED_HOSTS``, else the loopback names and the bound host."""
    settings = get_settings()
    return settings.allowed_hosts or _defaults(settings.host)


@functools.lru_cache(maxsize=8)
def _defaults(bound: str) -> tuple[str, ...]:
    return default_allowed_hosts(bound)


def host_allowed(host: str, allowed: tuple[str, ...]) -> bool:
    """True when the ``Host`` header's name (port ignored) is one of ``allowed``.

    An entry starting with a dot allows that domain's subdomains (``.example.org``).
    """
    host = host.strip().lower()
    if host.startswith("["):
        name = host[1 : host.find("]")] if "]" in host else ""
    else:
        name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    if not name or not all(c.isalnum() or c in "-.:_" for c in name):
        return False
    for entry in allowed:
        entry = entry.strip().lower().strip("[]")
        if name == entry or (entry.startswith(".") and name.endswith(entry)):
            return True
    return False


def _hide_versions(app: Dash) -> None:
    """Drop version numbers from the config Dash writes into every page."""
    original = app._config

    @functools.wraps(original)
    def config_without_versions() -> dict:
        config = original()
        for key in VERSION_KEYS:
            config.pop(key, None)
        return config

    app._config = config_without_versions


def same_origin(origin: str | None, host_url: str) -> bool:
    """True when ``origin`` is absent (not a browser) or names this server's scheme+host+port."""
    if not origin:
        return True
    if origin == "null":
        return False
    theirs, ours = urlsplit(origin), urlsplit(host_url)
    return (theirs.scheme, theirs.netloc) == (ours.scheme, ours.netloc)


def _refuse(status: int, message: str) -> Response:
    wants_json = request.path.startswith("/_dash") or request.is_json
    if wants_json:
        response = jsonify({"error": message})
    else:
        response = Response(
            f"<!doctype html><title>PMO Lens</title><p>{escape(message)}</p>",
            mimetype="text/html",
        )
    response.status_code = status
    return response
