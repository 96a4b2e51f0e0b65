"""Unit tests of dashboard/uploads/wiring.py: the request size limit and its clear 413 - no
browser."""

from __future__ import annotations

import logging

from flask import Flask

from dashboard import config, uploads


def test_oversized_request_gets_a_clear_413_and_a_log_line(caplog):
    server = Flask(__name__)
    server.add_url_rule("/echo", "echo", lambda: "ok", methods=["POST"])  # never reads the body
    config._overrides.clear()
    config.configure(max_upload_mb=0.01)
    try:
        uploads.configure_uploads(server)
        limit = uploads.request_limit_bytes(uploads.max_upload_bytes(config.get_settings()))
        client = server.test_client()
        caplog.set_level(logging.WARNING, logger="pmo.uploads")
        too_big = client.post("/echo", data=b"x" * (limit + 1), content_type="application/json")
        assert too_big.status_code == 413
        assert "at most 0.01 MB" in too_big.get_json()["error"]
        assert any("413" in r.message for r in caplog.records)
        page = client.post("/echo", data=b"x" * (limit + 1), content_type="text/plain")
        assert page.status_code == 413 and page.mimetype == "text/html"
        assert client.post("/echo", data=b"x" * limit).status_code == 200
    finally:
        config._overrides.clear()
        config.get_settings.cache_clear()
