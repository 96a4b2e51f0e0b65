"""Unit tests of hardening and sign-in (docs/security.md) - Flask test client."""

from __future__ import annotations

import dash
import pytest
from dash import html
from werkzeug.security import generate_password_hash

from dashboard import auth
from dashboard.scope import current_scope
from dashboard.security import content_security_policy, harden, same_origin

SECRET = "s" * 48


@pytest.fixture(autouse=True)
def state_in_tmp(tmp_path):
    """Sessions and throttle counts go to a fresh data folder for each test."""
    from dashboard import config

    config._overrides.clear()
    config.configure(data_dir=tmp_path)
    yield
    config._overrides.clear()
    config.get_settings.cache_clear()


def make_app(mode: str = "off", users: dict | None = None) -> dash.Dash:
    app = dash.Dash(__name__, serve_locally=True)
    app.layout = html.Div("hello")

    @app.server.route("/boom")
    def boom():
        raise RuntimeError("secret detail /srv/pmo/app.py")

    @app.server.route("/whoami")
    def whoami():
        scope = current_scope()
        return {"user": scope.user, "role": scope.role, "divisions": scope.divisions}

    harden(app)
    auth.install(app.server, mode=mode, users=users or {}, secret_key=SECRET, secure_cookies=False)
    return app


USERS = {
    "alice": auth.User("alice", "pmo", generate_password_hash("correct horse battery"), None),
    "bob": auth.User(
        "bob", "division_manager", generate_password_hash("bobs password 1"), ("Finance",)
    ),
}


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


def test_sign_in_off_is_refused_beyond_loopback():
    auth.check_startup("off", "127.0.0.1", None, None)
    auth.check_startup("off", "::1", None, None)
    with pytest.raises(auth.AuthConfigError, match="sign-in is off"):
        auth.check_startup("off", "0.0.0.0", None, None)


def test_sign_in_needs_a_real_secret_and_a_users_file(tmp_path):
    users = tmp_path / "users.toml"
    users.write_text("")
    with pytest.raises(auth.AuthConfigError, match="PMO_SECRET_KEY"):
        auth.check_startup("password", "0.0.0.0", "short", users)
    with pytest.raises(auth.AuthConfigError, match="PMO_SECRET_KEY"):
        auth.check_startup("password", "0.0.0.0", "change-me" + "x" * 40, users)
    with pytest.raises(auth.AuthConfigError, match="PMO_USERS"):
        auth.check_startup("password", "0.0.0.0", SECRET, tmp_path / "missing.toml")
    auth.check_startup("password", "0.0.0.0", SECRET, users)


def test_unauthenticated_requests_are_redirected_or_refused():
    client = make_app("password", USERS).server.test_client()
    page = client.get("/")
    assert page.status_code == 302 and page.headers["Location"].startswith("/login")
    for path in ("/_dash-layout", "/_dash-dependencies"):
        assert client.get(path).status_code == 401
    assert client.post("/_dash-update-component", json={}).status_code == 401
    assert client.get("/login").status_code == 200


def test_login_sets_the_scope_and_wrong_passwords_fail():
    client = make_app("password", USERS).server.test_client()
    bad = client.post("/login", data={"user": "bob", "password": "nope"})
    assert "wrong password" in bad.get_data(as_text=True)
    assert client.post("/login", data={"user": "nobody", "password": "x"}).status_code == 200
    ok = client.post(
        "/login?next=//evil.example", data={"user": "bob", "password": "bobs password 1"}
    )
    assert ok.status_code == 302 and ok.headers["Location"] == "/"
    assert client.get("/whoami").get_json() == {
        "user": "bob",
        "role": "division_manager",
        "divisions": ["Finance"],
    }
    cookie = ok.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_proxy_mode_trusts_only_the_configured_header_and_known_users():
    app = dash.Dash(__name__)
    app.layout = html.Div()

    @app.server.route("/whoami")
    def whoami():
        return {"user": current_scope().user}

    auth.install(
        app.server, mode="proxy", users=USERS, secret_key=SECRET, header="X-Forwarded-User"
    )
    client = app.server.test_client()
    assert client.get("/whoami", headers={"X-Forwarded-User": "alice"}).get_json() == {
        "user": "alice"
    }
    assert client.get("/whoami", headers={"X-Remote-User": "alice"}).status_code == 401
    assert client.get("/whoami", headers={"X-Forwarded-User": "mallory"}).status_code == 401


def test_users_file_is_validated(tmp_path):
    path = tmp_path / "users.toml"
    path.write_text('[users.eve]\nrole = "admin"\n')
    with pytest.raises(auth.AuthConfigError, match="role must be one of"):
        auth.load_users(path)
    path.write_text('[users.dan]\nrole = "division_manager"\n')
    with pytest.raises(auth.AuthConfigError, match="needs divisions"):
        auth.load_users(path)
    path.write_text('[users.dan]\nrole = "division_manager"\ndivisions = ["Ops"]\n')
    assert auth.load_users(path, "proxy")["dan"].scope().divisions == ("Ops",)
    with pytest.raises(auth.AuthConfigError, match=r"\[users.dan\] needs a valid password_hash"):
        auth.load_users(path, "password")
    hashed = generate_password_hash("a long enough password")
    path.write_text(f'[users.dan]\nrole = "viewer"\npassword_hash = "{hashed}"\n')
    assert auth.load_users(path, "password")["dan"].password_hash == hashed


def test_an_html_refusal_escapes_its_message():
    from flask import Flask

    from dashboard import security

    with Flask(__name__).test_request_context("/page"):
        response = security._refuse(400, 'bad <script>alert("x")</script> & more')
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<script>" not in body
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; more" in body
