"""Issue 11, points 1-8 and 11: each bypass reproduced against a real server and refused.

Every test runs against ``python app.py`` (Werkzeug) and gunicorn started as subprocesses
(tests/server/conftest.py); nothing here uses Flask's test client.
"""

from __future__ import annotations

import json
import re
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest

from tests.server.conftest import (
    KINDS,
    PASSWORDS,
    SECRET,
    exit_of,
    launch,
    own_outside_address,
    stop,
    write_users,
)

# --------------------------------------------------------------------------- 1. loopback guard


@pytest.mark.parametrize("kind", [*KINDS, "gunicorn-preload"])
def test_1_sign_in_off_on_a_public_bind_refuses_to_start(kind, tmp_path):
    server = launch(kind, tmp_path, host="0.0.0.0", wait=False, auth="off")
    code, output = exit_of(server)
    assert code != 0
    assert "sign-in is off but the app would listen on 0.0.0.0" in output
    assert "Traceback" not in output


def test_1_without_the_gunicorn_hook_every_outside_request_is_refused(tmp_path):
    """gunicorn started with another config file: no start-up check, the per-request one holds."""
    empty = tmp_path / "empty.conf.py"
    empty.write_text("")
    server = launch("gunicorn", tmp_path, host="0.0.0.0", config=empty, auth="off")
    try:
        assert server.request("GET", "/_dash-layout").status == 200  # this machine: served
        relayed = server.request("GET", "/_dash-layout", headers={"X-Forwarded-For": "203.0.113.7"})
        assert relayed.status == 403 and b"serves only the machine" in relayed.body
        outside = own_outside_address()
        assert outside is not None, "this machine needs a non-loopback address for this test"
        direct = server.request("GET", "/_dash-layout", host=outside)
        assert direct.status == 403
        upload = server.request(
            "POST", "/_dash-update-component", body=b"{}", host=outside,
            headers={"Content-Type": "application/json"},
        )  # fmt: skip
        assert upload.status == 403
        assert f"from {outside}" in server.log_text()
    finally:
        stop(server)


# --------------------------------------------------------------------------- 2. users file


@pytest.mark.parametrize("kind", KINDS)
def test_2_password_mode_refuses_an_entry_without_a_hash(kind, tmp_path):
    users = write_users(tmp_path / "users.toml", extra='[users.carol]\nrole = "pmo"\n')
    server = launch(
        kind, tmp_path, wait=False, auth="password", users=str(users), secret_key=SECRET
    )
    code, output = exit_of(server)
    assert code != 0
    assert "[users.carol] needs a valid password_hash" in output
    assert "Traceback" not in output


def test_2_the_timing_hash_has_no_known_password():
    from werkzeug.security import check_password_hash

    from dashboard import auth

    assert not check_password_hash(auth._DUMMY_HASH, "not a real password, only makes timing equal")
    assert auth.valid_hash(auth._DUMMY_HASH)


# --------------------------------------------------------------------------- 3. proxy mode


@pytest.mark.parametrize("kind", [*KINDS, "gunicorn-preload"])
def test_3_proxy_mode_on_a_public_bind_needs_trusted_proxies(kind, tmp_path):
    users = write_users(tmp_path / "users.toml")
    server = launch(
        kind, tmp_path, host="0.0.0.0", wait=False, auth="proxy", users=str(users),
        secret_key=SECRET,
    )  # fmt: skip
    code, output = exit_of(server)
    assert code != 0 and "needs PMO_TRUSTED_PROXIES" in output


@pytest.mark.parametrize("kind", KINDS)
def test_3_the_user_header_counts_only_from_a_trusted_proxy(kind, tmp_path):
    users = write_users(tmp_path / "users.toml")
    server = launch(
        kind, tmp_path, host="0.0.0.0", auth="proxy", users=str(users), secret_key=SECRET,
        trusted_proxies="127.0.0.1",
    )  # fmt: skip
    try:
        as_alice = {"X-Forwarded-User": "alice"}
        assert server.request("GET", "/_dash-layout", headers=as_alice).status == 200
        outside = own_outside_address()
        assert outside is not None
        forged = server.request("GET", "/_dash-layout", headers=as_alice, host=outside)
        assert forged.status == 401
        assert f"ignored X-Forwarded-User header from {outside}" in server.log_text()
    finally:
        stop(server)


# --------------------------------------------------------------------------- 4. redirects


@pytest.mark.parametrize(
    "target",
    ["/\t/evil.example", "//evil.example", "/\\evil.example", "https://evil.example/",
     "/\r\nSet-Cookie: x=1", " //evil.example", "/%2F/evil.example"],
)  # fmt: skip
def test_4_next_never_leaves_the_site(password_server, target):
    answer = password_server.login("alice", PASSWORDS["alice"], next_=target)
    assert answer.status == 302
    location = answer.headers["Location"]
    assert location.startswith("/") and not location.startswith("//")
    # Where a browser goes: still this site.
    assert urlsplit(urljoin("https://pmo.example/login", location)).netloc == "pmo.example"
    if any(c in target for c in "\t\r\n\\ :"):
        assert location == "/"


def test_4_the_login_redirect_keeps_the_whole_query(password_server):
    wanted = "/capacity?division=Finance&division=Sales+%26+Marketing&as_of=2026-11-01"
    bounce = password_server.request("GET", wanted)
    assert bounce.status == 302
    next_ = parse_qs(urlsplit(bounce.headers["Location"]).query)["next"][0]
    assert next_ == wanted
    answer = password_server.login("alice", PASSWORDS["alice"], next_=next_)
    assert answer.headers["Location"] == wanted


# --------------------------------------------------------------------------- 5. throttling


def _password_server(kind: str, tmp_path):
    """A server of ``kind`` with password sign-in and the test users, over plain HTTP."""
    users = write_users(tmp_path / "users.toml")
    return launch(
        kind, tmp_path, auth="password", users=str(users), secret_key=SECRET,
        secure_cookies="false",
    )  # fmt: skip


@pytest.mark.parametrize("kind", KINDS)
def test_5_thirty_wrong_passwords_then_the_right_one_is_refused(kind, tmp_path):
    server = _password_server(kind, tmp_path)
    try:
        statuses = [server.login("alice", "wrong guess").status for _ in range(30)]
        assert statuses[:5] == [200] * 5  # the free attempts: "wrong password" page
        assert statuses.count(429) >= 20
        right = server.login("alice", PASSWORDS["alice"])
        assert right.status == 429 and int(right.headers["Retry-After"]) >= 1
        assert "pmo_session=" not in " ".join(right.cookies)
    finally:
        stop(server)


@pytest.mark.parametrize("kind", KINDS)
def test_5_150_parallel_wrong_logins_keep_memory_low(kind, tmp_path, record_property):
    server = _password_server(kind, tmp_path)
    try:
        for _ in range(2):  # each worker has checked one password: the baseline holds one hash
            server.login("warm", "up")
        before = server.peak_rss_mb()
        started = time.monotonic()
        with ThreadPoolExecutor(150) as pool:
            statuses = list(
                pool.map(lambda i: server.login(f"user{i % 7}", f"guess {i}").status, range(150))
            )
        elapsed = time.monotonic() - started
        after = server.peak_rss_mb()
        growth = sum(after[pid] - before.get(pid, 0) for pid in after)
        record_property("peak_rss_mb", round(max(after.values())))
        print(
            f"{kind}: 150 parallel wrong logins in {elapsed:.1f} s; peak RSS per process "
            f"{sorted(round(v) for v in after.values())} MB, grew {growth:.0f} MB; "
            f"statuses {sorted((s, statuses.count(s)) for s in set(statuses))}"
        )
        assert set(statuses) <= {200, 429, 503}, statuses
        assert statuses.count(429) > 0
        assert max(after.values()) < 600  # each server process
        assert growth < 150  # a few scrypt checks at a time, not 150 x 32 MB
        assert server.request("GET", "/healthz").status == 200  # still serving
    finally:
        stop(server)


# --------------------------------------------------------------------------- 6. sessions


def _logout_token(server, cookie: str) -> str:
    page = server.request("GET", "/logout", headers={"Cookie": cookie})
    assert page.status == 200
    return re.search(r'name="csrf" value="([0-9a-f]+)"', page.text).group(1)


def test_6_logout_revokes_the_copied_cookie(password_server):
    cookie = password_server.cookie_of("alice")
    copy = cookie  # what an attacker copied before the logout
    assert password_server.request("GET", "/_dash-layout", headers={"Cookie": copy}).status == 200
    token = _logout_token(password_server, cookie)
    # A GET no longer signs out, so a link or image on another site cannot.
    assert password_server.request("GET", "/_dash-layout", headers={"Cookie": cookie}).status == 200
    form = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
    cross = password_server.request(
        "POST", "/logout", body=f"csrf={token}".encode(),
        headers={**form, "Origin": "http://evil.example"},
    )  # fmt: skip
    assert cross.status == 403
    assert password_server.request("POST", "/logout", body=b"csrf=0", headers=form).status == 403
    out = password_server.request("POST", "/logout", body=f"csrf={token}".encode(), headers=form)
    assert out.status == 302 and out.headers["Location"] == "/login"
    assert password_server.request("GET", "/_dash-layout", headers={"Cookie": copy}).status == 401


def test_6_an_idle_session_ends(password_server):
    cookie = password_server.cookie_of("bob")
    assert password_server.request("GET", "/_dash-layout", headers={"Cookie": cookie}).status == 200
    time.sleep(13)  # the server's idle timeout is 0.2 minutes
    assert password_server.request("GET", "/_dash-layout", headers={"Cookie": cookie}).status == 401


@pytest.mark.parametrize("kind", KINDS)
def test_6_a_password_change_ends_the_users_sessions(kind, tmp_path):
    users = write_users(tmp_path / "users.toml")
    settings = {"auth": "password", "users": str(users), "secret_key": SECRET,
                "secure_cookies": "false"}  # fmt: skip
    first = launch(kind, tmp_path, **settings)
    try:
        alice, bob = first.cookie_of("alice"), first.cookie_of("bob")
    finally:
        stop(first)
    write_users(users, {"alice": "alice NEW password", "bob": PASSWORDS["bob"]})
    second = launch(kind, tmp_path, **settings)
    try:
        assert second.request("GET", "/_dash-layout", headers={"Cookie": alice}).status == 401
        # bob's password hash was re-generated too (new salt), so his session ends as well:
        # what counts is the hash in the file, not the password.
        assert second.request("GET", "/_dash-layout", headers={"Cookie": bob}).status == 401
        fresh = second.cookie_of("bob")
        assert second.request("GET", "/_dash-layout", headers={"Cookie": fresh}).status == 200
    finally:
        stop(second)


# --------------------------------------------------------------------------- 7. Host allow-list


@pytest.mark.parametrize("kind", KINDS)
def test_7_dns_rebinding_hosts_are_refused_in_local_mode(kind, tmp_path):
    server = launch(kind, tmp_path, auth="off")
    try:
        rebound = {"Host": f"attacker.rebind.example:{server.port}"}
        assert server.request("GET", "/_dash-layout", headers=rebound).status == 400
        post = server.request(
            "POST", "/_dash-update-component", body=b"{}",
            headers={**rebound, "Content-Type": "application/json",
                     "Origin": f"http://attacker.rebind.example:{server.port}"},
        )  # fmt: skip
        assert post.status == 400
        for host in ("127.0.0.1", "localhost"):
            ok = server.request("GET", "/_dash-layout", headers={"Host": f"{host}:{server.port}"})
            assert ok.status == 200
    finally:
        stop(server)


# --------------------------------------------------------------------------- 8. public paths


@pytest.mark.parametrize(
    "path", ["/loginX", "/healthzX", "/assets//etc/passwd", "/login/../x", "/assets/../app.py"]
)
def test_8_only_exact_public_paths_are_served_signed_out(password_server, path):
    answer = password_server.request("GET", path)
    assert answer.status in (302, 401, 404)
    assert b"_dash-config" not in answer.body and b"python_version" not in answer.body


def test_8_public_assets_and_no_versions(password_server):
    css = password_server.request("GET", "/assets/bootstrap.min.css")
    assert css.status == 200 and b"Bootstrap" in css.body[:500]
    login = password_server.request("GET", "/login")
    assert login.headers["Server"] == "PMO Lens"
    cookie = password_server.cookie_of("alice")
    page = password_server.request("GET", "/", headers={"Cookie": cookie})
    assert page.status == 200 and b"_dash-config" in page.body
    for word in (b"python_version", b"plotly_version", b"dash_version", b"Werkzeug", b"gunicorn"):
        assert word not in page.body
    assert page.headers["Server"] == "PMO Lens"


# --------------------------------------------------------------------------- 11. minor


def test_11_malformed_callbacks_get_400_without_a_traceback(password_server):
    cookie = password_server.cookie_of("bob")
    headers = {"Cookie": cookie, "Content-Type": "application/json"}
    for body in (b"{}", b"[1]", b'{"output": "nope.children", "inputs": []}', b"{not json",
                 b'{"output": 5}'):  # fmt: skip
        answer = password_server.request("POST", "/_dash-update-component", body=body,
                                         headers=headers)  # fmt: skip
        assert answer.status == 400, (body, answer.status)
        assert json.loads(answer.body)["error"] == "malformed callback request"
        assert answer.headers["Cache-Control"] == "no-store"
    assert "Traceback" not in password_server.log_text()


def test_11_hsts_with_secure_cookies(tmp_path):
    users = write_users(tmp_path / "users.toml")
    server = launch("gunicorn", tmp_path, auth="password", users=str(users), secret_key=SECRET)
    try:
        login = server.request("GET", "/login")
        assert login.headers["Strict-Transport-Security"].startswith("max-age=")
        assert login.headers["Cache-Control"] == "no-store"
        answer = server.login("alice", PASSWORDS["alice"])
        assert "Secure" in session_cookie_header(answer)
    finally:
        stop(server)


def session_cookie_header(answer) -> str:
    return next(c for c in answer.cookies if c.startswith("pmo_session="))


def test_11_no_hsts_on_plain_http(password_server):
    assert "Strict-Transport-Security" not in password_server.request("GET", "/login").headers
