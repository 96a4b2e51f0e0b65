"""Request bodies sized per route: uploads keep their limit, everything else gets a small one.

The upload limit (tens of MB, for base64 files inside a callback) used to apply to every request,
so any signed-in viewer could make each worker hold 33 MB bodies for callbacks that never take
more than a few KB (docs/security.md, "Requests and responses"). Now, before Flask reads anything:

- a body without ``Content-Length`` is refused with 411 (browsers always send the length; a
  chunked body could otherwise grow until read);
- a body over ``PMO_CALLBACK_BODY_KB`` is refused with 413, unless it is a callback request whose
  ``output`` (the first key the Dash renderer writes, read from the first bytes only) is a
  callback fed by a ``dcc.Upload`` — and then only from a user who may upload, up to the upload
  limit that dashboard/uploads/ enforces with its own clear message;
- a callback request that is not well-formed JSON naming a registered callback gets 400 and one
  log line, instead of a 500 with a traceback each time.
"""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Callable, Iterable

from dash import Dash
from dash import _callback as dash_callback
from flask import Response, jsonify, request

from dashboard.config import get_settings
from dashboard.scope import current_scope

LOG = logging.getLogger("pmo.security")
CALLBACK_PATH = "/_dash-update-component"
HEAD_BYTES = 4096
_OUTPUT = re.compile(rb'^\s*\{\s*"output"\s*:\s*("(?:[^"\\]|\\.)*")')
WRITES = ("POST", "PUT", "PATCH", "DELETE")


class _Prefixed(io.RawIOBase):
    """The bytes already read (to see the callback's output) followed by the rest of the body.

    Reads pass straight to the server's stream with the size asked for, never more: Werkzeug
    asks for at most what ``Content-Length`` leaves, and asking a socket for more would wait
    for bytes the client never sends.
    """

    def __init__(self, head: bytes, rest: io.RawIOBase) -> None:
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:  # type: ignore[override]
        if self._head:
            cut = len(self._head) if size is None or size < 0 else size
            data, self._head = self._head[:cut], self._head[cut:]
            return data
        return self._rest.read(size)

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def upload_outputs(app: Dash) -> frozenset[str]:
    """The callbacks (by output key) that take a ``dcc.Upload``'s ``contents``.

    Callbacks declared with ``dash.callback`` (the pages') wait in Dash's global map until a
    worker's first request moves them into ``app.callback_map``; this middleware runs before
    that, so both maps are read.
    """
    callbacks = {**getattr(dash_callback, "GLOBAL_CALLBACK_MAP", {}), **app.callback_map}
    return frozenset(
        key
        for key, spec in callbacks.items()
        if any(item.get("property") == "contents" for item in _flat(spec.get("inputs", [])))
    )


def _flat(items: Iterable) -> Iterable[dict]:
    for item in items:
        if isinstance(item, list):
            yield from _flat(item)
        elif isinstance(item, dict):
            yield item


class BodyLimit:
    """WSGI middleware: refuse oversized or length-less bodies before the app reads them."""

    def __init__(self, wsgi_app: Callable, app: Dash) -> None:
        self.wsgi_app = wsgi_app
        self.app = app

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        """Answer 411/413 at once, or pass the request on (with its peeked bytes put back)."""
        method = environ.get("REQUEST_METHOD", "GET")
        length_text = environ.get("CONTENT_LENGTH") or ""
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        if method in WRITES and chunked and not length_text:
            return _plain(start_response, "411 Length Required", "a request body needs a length")
        try:
            length = int(length_text or 0)
        except ValueError:
            return _plain(start_response, "400 Bad Request", "bad Content-Length")
        small = get_settings().callback_body_kb * 1024
        if length <= small:
            return self.wsgi_app(environ, start_response)
        if environ.get("PATH_INFO") == CALLBACK_PATH:
            stream = environ["wsgi.input"]
            head = stream.read(min(HEAD_BYTES, length))
            environ["wsgi.input"] = _Prefixed(head, stream)
            if _output_of(head) in upload_outputs(self.app):
                environ["pmo.large_body"] = True
                return self.wsgi_app(environ, start_response)
        LOG.warning(
            "refused a %s-byte body to %s from %s (limit %s bytes)",
            length,
            ascii(environ.get("PATH_INFO", "")[:100]),
            environ.get("REMOTE_ADDR"),
            small,
        )
        return _plain(
            start_response,
            "413 Content Too Large",
            f"request body too large: at most {small // 1024} KB outside uploads",
        )


def _output_of(head: bytes) -> str | None:
    match = _OUTPUT.match(head)
    if not match:
        return None
    try:
        value = json.loads(match.group(1))
    except ValueError:
        return None
    return value if isinstance(value, str) else None


def _plain(start_response: Callable, status: str, message: str) -> list[bytes]:
    body = json.dumps({"error": message}).encode()
    start_response(
        status,
        [
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(body))),
            ("Cache-Control", "no-store"),
            ("Connection", "close"),
        ],
    )
    return [body]


def install_body_limits(app: Dash) -> None:
    """Wrap the WSGI app and check callback requests after sign-in has run.

    Call after ``dashboard.auth.install`` so the role check sees the signed-in user's scope.
    """
    server = app.server
    server.wsgi_app = BodyLimit(server.wsgi_app, app)  # type: ignore[method-assign]

    @server.before_request
    def check_callback_requests() -> Response | None:
        if request.environ.get("pmo.large_body") and not current_scope().can_upload:
            return _refuse(413, "request body too large")
        if request.path != CALLBACK_PATH or request.method != "POST":
            return None
        if not well_formed(request.get_json(silent=True), app.callback_map):
            LOG.warning("malformed callback request from %s refused", request.remote_addr)
            return _refuse(400, "malformed callback request")
        return None


def well_formed(body: object, callbacks: dict) -> bool:
    """True for the shape the Dash renderer sends, naming a registered callback."""
    if not isinstance(body, dict):
        return False
    output = body.get("output")
    if not isinstance(output, str) or output not in callbacks:
        return False
    for key in ("inputs", "state"):
        items = body.get(key, [])
        if items is None and key == "state":
            continue
        if not isinstance(items, list) or not all(_is_dependency(i) for i in items):
            return False
    outputs = body.get("outputs", [])
    if not isinstance(outputs, list | dict):
        return False
    changed = body.get("changedPropIds", [])
    return isinstance(changed, list) and all(isinstance(c, str) for c in changed)


def _is_dependency(item: object) -> bool:
    if isinstance(item, list):
        return all(_is_dependency(i) for i in item)
    return (
        isinstance(item, dict)
        and isinstance(item.get("property"), str)
        and isinstance(item.get("id"), str | dict)
    )


def _refuse(status: int, message: str) -> Response:
    response = jsonify({"error": message})
    response.status_code = status
    return response
