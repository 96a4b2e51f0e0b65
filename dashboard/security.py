"""Hardening for every response, local mode included (RELIABILITY.md S9, S10, S13, S14).

- Security headers: a Content-Security-Policy (scripts only from this origin plus the hashes of
  Dash's own inline scripts; no framing), ``X-Content-Type-Options: nosniff``, a strict referrer
  policy.
- An Origin check on state-changing requests: a browser sends ``Origin`` with every POST, so a
  POST whose Origin is another site is refused (cross-site request forgery), as is a
  ``text/plain`` "simple request" to Dash's callback endpoint, which a form on another site
  could send without a CORS preflight.
- Errors: a generic page or JSON body with an error id; the traceback goes to the server log
  only, next to that id.
"""

from __future__ import annotations

import logging
import uuid
from urllib.parse import urlsplit

from dash import Dash
from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException

LOG = logging.getLogger("pmo.security")
STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
DASH_ENDPOINT_PREFIX = "/_dash-update-component"


def content_security_policy(script_hashes: list[str]) -> str:
    """The CSP: same-origin everything, Dash's inline scripts by hash, no framing.

    Plotly and the Dash renderer need ``'unsafe-eval'`` (they build functions at run time) and
    React components set inline styles, hence ``'unsafe-inline'`` for styles only.
    """
    scripts = " ".join(script_hashes)  # Dash returns them quoted: 'sha256-...'
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'unsafe-eval' {scripts}".strip(),
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


def harden(app: Dash) -> None:
    """Install headers, the Origin check and the error handlers on ``app``'s Flask server."""
    server: Flask = app.server

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
        return response

    @server.errorhandler(Exception)
    def hide_internal_errors(error: Exception) -> Response:
        if isinstance(error, HTTPException):
            return _refuse(error.code or 500, error.description or error.name)
        error_id = uuid.uuid4().hex[:12]
        LOG.exception("unhandled error %s on %s %s", error_id, request.method, request.path)
        return _refuse(500, f"Something went wrong on the server (error id {error_id}).")


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
            f"<!doctype html><title>PMO Lens</title><p>{_escape(message)}</p>",
            mimetype="text/html",
        )
    response.status_code = status
    return response


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )
