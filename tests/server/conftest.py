"""Real servers for the security tests: ``python app.py`` and gunicorn as subprocesses.

Each server listens on a free port; every request goes to this machine (127.0.0.1, or this
machine's own non-loopback address where a test needs a client that is not on loopback: the
kernel delivers it locally, and the app sees a non-loopback peer address).
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import pytest
from werkzeug.security import generate_password_hash

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
SECRET = "k" * 48
PASSWORDS = {"alice": "alice correct horse", "bob": "bob battery staple"}
KINDS = ["werkzeug", "gunicorn"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def own_outside_address() -> str | None:
    """This machine's own non-loopback IPv4 address (a UDP connect sends nothing)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            sock.connect(("192.0.2.1", 9))
            address = sock.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def write_users(path: Path, passwords: dict[str, str] | None = None, extra: str = "") -> Path:
    passwords = passwords or PASSWORDS
    roles = {"alice": "pmo", "bob": "viewer"}
    lines = []
    for name, password in passwords.items():
        lines += [
            f"[users.{name}]",
            f'role = "{roles.get(name, "viewer")}"',
            f'password_hash = "{generate_password_hash(password)}"',
        ]
    path.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    return path


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    cookies: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


@dataclass
class Server:
    kind: str
    process: subprocess.Popen
    port: int
    log: Path
    data_dir: Path
    connect_host: str = "127.0.0.1"

    def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        host: str | None = None,
        timeout: float = 60,
    ) -> Answer:
        conn = http.client.HTTPConnection(host or self.connect_host, self.port, timeout=timeout)
        try:
            conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            sent = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
            if body is not None:
                sent.setdefault("Content-Length", str(len(body)))
            for name, value in sent.items():
                conn.putheader(name, value)
            conn.endheaders(body)
            response = conn.getresponse()
            data = response.read()
            cookies = response.headers.get_all("Set-Cookie") or []
            return Answer(response.status, dict(response.headers.items()), data, cookies)
        finally:
            conn.close()

    def login(self, user: str, password: str, next_: str | None = None) -> Answer:
        path = "/login" + ("?" + urlencode({"next": next_}) if next_ is not None else "")
        return self.request(
            "POST",
            path,
            body=urlencode({"user": user, "password": password}).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )

    def cookie_of(self, user: str) -> str:
        answer = self.login(user, PASSWORDS[user])
        assert answer.status == 302, answer.text[:300]
        return session_cookie(answer)

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def pids(self) -> list[int]:
        """The server process and its children (gunicorn's workers)."""
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                children.append(int(stat.parent.name))
        return [self.process.pid, *children]

    def peak_rss_mb(self) -> dict[int, float]:
        """The high-water RSS (VmHWM) of each of the server's processes, in MB."""
        peaks = {}
        for pid in self.pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            match = re.search(r"VmHWM:\s+(\d+) kB", status)
            if match:
                peaks[pid] = int(match.group(1)) / 1024
        return peaks


def session_cookie(answer: Answer) -> str:
    for cookie in answer.cookies:
        if cookie.startswith("pmo_session="):
            return cookie.split(";", 1)[0]
    raise AssertionError(f"no session cookie in {answer.cookies}")


def server_env(data_dir: Path, **settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PMO_")}
    env.update(
        {
            "PYTHONPATH": str(ROOT),
            "PMO_DATA_DIR": str(data_dir),
            "PMO_STANDARDS": str(ROOT / "pmo.toml"),
            "PMO_DB_THREADS": "1",
        }
    )
    env.update({f"PMO_{k.upper()}": v for k, v in settings.items()})
    return env


def command(kind: str, host: str, port: int, config: Path | None = None) -> list[str]:
    if kind == "werkzeug":
        return [PYTHON, "app.py", "--host", host, "--port", str(port)]
    assert kind.startswith("gunicorn"), kind
    cmd = [GUNICORN, "--bind", f"{host}:{port}", "--workers", "2", "--timeout", "120"]
    if kind == "gunicorn-preload":  # the README's production command
        cmd.append("--preload")
    if config is not None:
        cmd += ["--config", str(config)]
    return [*cmd, "app:server"]


def launch(
    kind: str,
    tmp: Path,
    *,
    host: str = "127.0.0.1",
    config: Path | None = None,
    data_dir: Path | None = None,
    wait: bool = True,
    **settings: str,
) -> Server:
    """Start a server; with ``wait``, return once /healthz answers (or fail with its log)."""
    port = free_port()
    data_dir = data_dir or tmp / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    log = tmp / f"{kind}-{port}.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            command(kind, host, port, config),
            cwd=ROOT,
            env=server_env(data_dir, **settings),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(kind, process, port, log, data_dir)
    if wait:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise AssertionError(f"{kind} exited {process.returncode}:\n{server.log_text()}")
            try:
                if server.request("GET", "/healthz", timeout=5).status == 200:
                    return server
            except OSError:
                pass
            time.sleep(0.3)
        stop(server)
        raise AssertionError(f"{kind} did not answer in time:\n{server.log_text()}")
    return server


def stop(server: Server) -> None:
    if server.process.poll() is None:
        os.killpg(server.process.pid, signal.SIGTERM)
        try:
            server.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.process.pid, signal.SIGKILL)
            server.process.wait(timeout=10)


def exit_of(server: Server, timeout: float = 90) -> tuple[int, str]:
    """Wait for a server that should refuse to start; its exit code and output."""
    try:
        code = server.process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        stop(server)
        raise AssertionError(f"{server.kind} kept running:\n{server.log_text()}") from None
    return code, server.log_text()


@pytest.fixture(scope="module", params=KINDS)
def password_server(request, tmp_path_factory):
    """Password mode, alice (PMO) and bob (viewer), 12-second idle timeout, plain HTTP."""
    tmp = tmp_path_factory.mktemp(f"pw-{request.param}")
    users = write_users(tmp / "users.toml")
    server = launch(
        request.param,
        tmp,
        auth="password",
        users=str(users),
        secret_key=SECRET,
        secure_cookies="false",
        session_idle_minutes="0.2",
    )
    yield server
    stop(server)
