"""Flask wiring: the request body limit and a clear 413 for an oversized upload.

Flask refuses a request body over ``MAX_CONTENT_LENGTH`` before any callback runs, so nothing
over the limit is ever read or written (docs/security.md, "Requests and responses").
"""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, request
from markupsafe import escape
from werkzeug.exceptions import RequestEntityTooLarge

from dashboard.config import get_settings
from dashboard.scope import current_scope
from dashboard.uploads.limits import max_upload_bytes, request_limit_bytes

LOG = logging.getLogger("pmo.uploads")


def configure_uploads(server: Flask) -> None:
    """Limit request bodies to the upload limit and answer an oversized one with a clear 413.

    ``MAX_CONTENT_LENGTH`` is set from the settings at start-up; each request then takes the
    current setting, so ``configure(max_upload_mb=...)`` applies without a restart.
    """
    server.config["MAX_CONTENT_LENGTH"] = request_limit_bytes(max_upload_bytes(get_settings()))

    @server.before_request
    def limit_request_body() -> None:
        limit = request_limit_bytes(max_upload_bytes(get_settings()))
        request.max_content_length = limit  # a body without Content-Length stops at the limit
        if request.content_length is not None and request.content_length > limit:
            raise RequestEntityTooLarge()

    server.register_error_handler(413, _too_large)


def _too_large(_error: Exception) -> Response:
    limit = get_settings().max_upload_mb
    LOG.warning(
        "upload refused with 413: %s bytes to %s from %s (user %s, limit %g MB); nothing written",
        request.content_length,
        request.path,
        request.remote_addr,
        current_scope().user or "-",
        limit,
    )
    message = (
        f"The upload is too large: at most {limit:g} MB of files can be uploaded at once. "
        "Nothing was saved."
    )
    if request.path.startswith("/_dash") or request.is_json:
        response = jsonify({"error": message, "max_upload_mb": limit})
    else:
        response = Response(
            f"<!doctype html><title>PMO Lens</title><p>{escape(message)}</p>",
            mimetype="text/html",
        )
    response.status_code = 413
    return response
