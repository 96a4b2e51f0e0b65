"""Unit tests of dashboard/security.py: headers, Origin and Host checks, generic errors - no
browser."""

from __future__ import annotations

import pytest

from dashboard.security import content_security_policy, host_allowed, same_origin
from tests.unit.dashboard.conftest import make_app

pytestmark = pytest.mark.usefixtures("config_in_tmp")


def test_every_response_carries_security_headers():
    response = make_app().server.test_client().get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp
    assert "'sha256-" in csp and "''" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_cross_origin_posts_and_simple_requests_are_refused():
    client = make_app().server.test_client()
    forged = client.post(
        "/_dash-update-component", json={}, headers={"Origin": "http://evil.example"}
    )
    assert forged.status_code == 403
    simple = client.post("/_dash-update-component", data="{}", content_type="text/plain")
    assert simple.status_code == 415


@pytest.mark.parametrize(
    ("origin", "ok"),
    [
        (None, True),
        ("http://localhost", True),
        ("http://localhost:8050", False),
        ("https://localhost", False),
        ("null", False),
        ("http://evil.example", False),
    ],
)
def test_same_origin(origin, ok):
    assert same_origin(origin, "http://localhost/") is ok


def test_errors_show_no_traceback_or_path():
    response = make_app().server.test_client().get("/boom")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "error id" in body
    assert "Traceback" not in body and "/srv/pmo" not in body and "secret detail" not in body


def test_csp_allows_only_this_origin():
    policy = content_security_policy(["'sha256-abc'"])
    assert "script-src 'self' 'sha256-abc'" in policy and "unsafe-eval" not in policy
    assert "object-src 'none'" in policy


def test_an_html_refusal_escapes_its_message():
    from flask import Flask

    from dashboard import security

    with Flask(__name__).test_request_context("/page"):
        response = security._refuse(400, 'bad <script>alert("x")</script> & more')
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<script>" not in body
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; more" in body


@pytest.mark.parametrize(
    ("host", "ok"),
    [
        ("localhost:8050", True),
        ("127.0.0.1:8050", True),
        ("[::1]:8050", True),
        ("LOCALHOST", True),
        ("attacker.rebind.example:8050", False),
        ("127.0.0.1.nip.io", False),
        ("localhost.evil.example", False),
        ("pmo.example.org", True),
        ("a.pmo.example.org", False),
        ("team.corp.example", True),
        ("corp.example", False),
        ("local host", False),
        ("", False),
    ],
)
def test_host_allow_list(host, ok):
    allowed = ("localhost", "127.0.0.1", "::1", "pmo.example.org", ".corp.example")
    assert host_allowed(host, allowed) is ok
