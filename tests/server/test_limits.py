"""Issue 11, points 9 and 10 against real servers: body limits per route, upload gaps."""

from __future__ import annotations

import base64
import http.client
import json
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor

from tests.server.conftest import Server
from tests.unit.loaders.test_guards import SHEET, numbered_rows, understate, write_book

MB = 1024 * 1024


def callback_outputs(server: Server, cookie: str) -> tuple[str, str]:
    """(the upload callback's output key, another callback's) from the app's dependencies."""
    deps = json.loads(server.request("GET", "/_dash-dependencies", headers={"Cookie": cookie}).body)
    upload = next(
        d["output"] for d in deps if any(i["property"] == "contents" for i in d["inputs"])
    )
    other = next(d["output"] for d in deps if d["output"] != upload and "upload" not in d["output"])
    return upload, other


def callback_body(output: str, size: int) -> bytes:
    head = json.dumps({"output": output, "outputs": [], "inputs": [], "pad": ""}).encode()
    return head[:-2] + b" " * max(0, size - len(head)) + head[-2:]


def send_partly(server: Server, cookie: str, body: bytes, sent: int) -> int:
    """Declare the whole body, send only its first ``sent`` bytes, return the status."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    try:
        conn.putrequest("POST", "/_dash-update-component", skip_host=True)
        for name, value in {
            "Host": f"127.0.0.1:{server.port}",
            "Cookie": cookie,
            "Content-Type": "application/json",
            "Content-Length": str(len(body)),
        }.items():
            conn.putheader(name, value)
        conn.endheaders(body[:sent])
        return conn.getresponse().status
    finally:
        conn.close()


def test_9_a_viewer_cannot_make_workers_hold_large_bodies(password_server):
    viewer = password_server.cookie_of("bob")
    upload, other = callback_outputs(password_server, viewer)
    big = callback_body(other, 33 * MB)
    before = password_server.peak_rss_mb()
    started = time.monotonic()
    with ThreadPoolExecutor(16) as pool:
        statuses = list(pool.map(lambda _: send_partly(password_server, viewer, big, 64 * 1024),
                                 range(16)))  # fmt: skip
    elapsed = time.monotonic() - started
    after = password_server.peak_rss_mb()
    growth = sum(after[pid] - before.get(pid, 0) for pid in after)
    print(
        f"{password_server.kind}: 16 x 33 MB bodies refused in {elapsed:.1f} s, "
        f"grew {growth:.0f} MB"
    )
    assert statuses == [413] * 16
    assert growth < 50  # nothing but the first 4 KB of each body was read
    # The upload callback's output does not help a viewer either.
    assert send_partly(password_server, viewer, callback_body(upload, 2 * MB), 64 * 1024) == 413


def test_9_small_limit_for_every_callback_but_the_upload(password_server):
    pmo = password_server.cookie_of("alice")
    upload, other = callback_outputs(password_server, pmo)
    headers = {"Cookie": pmo, "Content-Type": "application/json"}
    too_big = password_server.request(
        "POST", "/_dash-update-component", body=callback_body(other, 300 * 1024), headers=headers
    )
    assert too_big.status == 413 and "256 KB" in too_big.text
    # The same size to the upload callback passes the limit (and reaches the callback).
    passes = password_server.request(
        "POST", "/_dash-update-component", body=callback_body(upload, 300 * 1024), headers=headers
    )
    assert passes.status != 413


def test_10_an_understated_zip_is_refused_and_not_kept(password_server, tmp_path):
    pmo = password_server.cookie_of("alice")
    upload, _ = callback_outputs(password_server, pmo)
    rows = numbered_rows(300_000)
    sheet = b'<worksheet xmlns="x"><sheetData>' + rows + b"</sheetData></worksheet>"
    path = write_book(tmp_path / "bomb.xlsx", sheet)
    understate(path, SHEET, 4096, sheet)
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo(SHEET).file_size == 4096
    data_url = (
        "data:application/octet-stream;base64," + base64.b64encode(path.read_bytes()).decode()
    )
    deps = json.loads(
        password_server.request("GET", "/_dash-dependencies", headers={"Cookie": pmo}).body
    )
    spec = next(d for d in deps if d["output"] == upload)
    body = {
        "output": upload,
        "outputs": [{"id": o.split(".")[0], "property": o.split(".")[1].split("@")[0]}
                    for o in upload.strip(".").split("...")],
        "inputs": [{"id": spec["inputs"][0]["id"], "property": "contents", "value": [data_url]}],
        "state": [{"id": s["id"], "property": s["property"],
                   "value": ["bomb.xlsx"] if s["property"] == "filename" else None}
                  for s in spec["state"]],
        "changedPropIds": [f"{spec['inputs'][0]['id']}.contents"],
    }  # fmt: skip
    answer = password_server.request(
        "POST", "/_dash-update-component", body=json.dumps(body).encode(),
        headers={"Cookie": pmo, "Content-Type": "application/json"}, timeout=180,
    )  # fmt: skip
    assert answer.status == 200, answer.text[:500]
    assert "misstates its size" in answer.text
    stored = password_server.data_dir / "uploads"
    assert not stored.exists() or list(stored.iterdir()) == []  # the refused file is not kept
