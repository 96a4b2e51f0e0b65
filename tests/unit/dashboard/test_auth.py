"""Unit tests of dashboard/auth.py: start-up checks, sign-in, proxy mode, the users file, redirects
- no browser."""

from __future__ import annotations

import dash
import pytest
from dash import html
from werkzeug.security import generate_password_hash

from dashboard import auth
from dashboard.scope import Scope, current_scope
from dashboard.sessions import SessionStore
from tests.unit.dashboard.conftest import SECRET, make_app

pytestmark = pytest.mark.usefixtures("config_in_tmp")

USERS = {
    "alice": auth.User("alice", "pmo", generate_password_hash("correct horse battery"), None),
    "bob": auth.User(
        "bob", "division_manager", generate_password_hash("bobs password 1"), ("Finance",)
    ),
}


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


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/capacity?division=A&x=B", "/capacity?division=A&x=B"),
        ("/project/PRJ-1", "/project/PRJ-1"),
        ("//evil.example", "/"),
        ("///evil.example/x", "/evil.example/x"),
        ("/\t/evil.example", "/"),
        ("/\r\nSet-Cookie: a=b", "/"),
        ("/\\evil.example", "/"),
        ("https://evil.example", "/"),
        ("evil.example", "/"),
        ("", "/"),
        (None, "/"),
        ("/\x00", "/"),
    ],
)
def test_next_is_a_path_on_this_site(target, expected):
    assert auth._safe_next(target) == expected


def test_proxy_mode_needs_trusted_proxies_off_loopback(tmp_path):
    users = tmp_path / "users.toml"
    users.write_text('[users.alice]\nrole = "pmo"\n')
    secret = "s" * 48
    with pytest.raises(auth.AuthConfigError, match="needs PMO_TRUSTED_PROXIES"):
        auth.check_startup("proxy", "0.0.0.0", secret, users)
    auth.check_startup("proxy", "0.0.0.0", secret, users, ["10.1.2.3"])
    auth.check_startup("proxy", "127.0.0.1", secret, users)
    with pytest.raises(auth.AuthConfigError, match="not an address or network"):
        auth.check_startup("proxy", "0.0.0.0", secret, users, ["proxy.example"])


def test_revoke_ends_every_session_of_a_user(tmp_path, capsys):
    from dashboard import config
    from dashboard.state_db import state_path

    store = SessionStore(state_path(tmp_path), idle_seconds=600, max_seconds=3600)
    hashes = {"alice": "h", "bob": "h"}
    alices = [store.create("alice", "h") for _ in range(3)]
    bob = store.create("bob", "h")
    try:
        assert auth.main(["revoke", "alice", "--data-dir", str(tmp_path)]) == 0
    finally:
        config._overrides.clear()
        config.get_settings.cache_clear()
    assert capsys.readouterr().out == "ended 3 session(s) of alice\n"
    assert [store.user(sid, hashes.get) for sid in alices] == [None, None, None]
    assert store.user(bob, hashes.get) == "bob"


def write(path, body: str):
    path.write_text(body, encoding="utf-8")
    return path


def test_users_file_gives_a_contributor_projects_or_a_manager_name(tmp_path):
    path = write(
        tmp_path / "users.toml",
        '[users.carol]\nrole = "contributor"\nprojects = ["PRJ-001", "PRJ-002"]\n'
        '[users.dave]\nrole = "contributor"\nproject_manager = " Dave Lee "\n',
    )
    users = auth.load_users(path, "proxy")
    assert users["carol"].scope() == Scope(
        user="carol", role="contributor", projects=("PRJ-001", "PRJ-002")
    )
    assert users["dave"].scope().project_manager == "Dave Lee"


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('role = "contributor"\n', "needs projects"),
        ('role = "contributor"\nprojects = "PRJ-001"\n', "must be a list of ids"),
        ('role = "contributor"\nproject_manager = 3\n', "must be a name"),
    ],
)
def test_a_contributor_without_a_valid_scope_is_refused(tmp_path, entry, message):
    path = write(tmp_path / "users.toml", "[users.carol]\n" + entry)
    with pytest.raises(auth.AuthConfigError, match=message):
        auth.load_users(path, "proxy")
