"""Unit tests of upload checks, safe storage and loader-failure messages - no browser required."""

from __future__ import annotations

import base64
import json
import logging
import os
import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest
from dash.development.base_component import Component
from flask import Flask
from hypothesis import given
from hypothesis import strategies as st

from dashboard import config, uploads
from dashboard.components import upload_report
from dashboard.uploads import (
    FileOutcome,
    LoaderResult,
    Reject,
    SheetOutcome,
    UploadCheck,
    UploadedFile,
    UploadRefused,
    decode_upload,
    flow,
    safe_filename,
    save_upload,
)
from dashboard.uploads.report import file_outcome
from loaders.read import sniff_format

XLSX_HEAD = b"PK\x03\x04" + b"\x14\x00\x06\x00" + b"\x00" * 56
XLS_HEAD = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 56
CSV = b"Project Code,Report Date,Overall RAG\nP-1,2026-01-02,Green\n"
MAX = 1024


def data_url(data: bytes, mime: str = "application/octet-stream") -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def settings_for(data_dir: Path, max_upload_mb: float = 1.0) -> config.Settings:
    return replace(config.settings_from_env({}), data_dir=data_dir, max_upload_mb=max_upload_mb)


# --------------------------------------------------------------------------- size
def test_file_one_byte_over_the_limit_is_refused_and_nothing_is_written(tmp_path, caplog):
    settings = settings_for(tmp_path, max_upload_mb=MAX / uploads.MB)
    caplog.set_level(logging.INFO, logger="pmo.uploads")
    check = uploads.check_upload(
        [data_url(CSV + b"x" * (MAX + 1 - len(CSV)), "text/csv")], ["big.csv"], settings
    )
    assert check.saved == [] and check.result is None and check.pending == []
    assert "over the" in check.refused[0].reason
    assert files_under(tmp_path) == []
    # docs/security.md, "Uploads" (audit): a refused attempt leaves a log line naming the file.
    assert any("upload refused" in r.message and "big.csv" in r.message for r in caplog.records)


def test_file_exactly_at_the_limit_is_accepted():
    data = CSV + b"x" * (MAX - len(CSV))
    outcome = decode_upload(data_url(data), "ok.csv", MAX)
    assert isinstance(outcome, UploadedFile) and outcome.size == MAX


def test_oversized_base64_is_refused_before_decoding():
    outcome = decode_upload("data:text/csv;base64," + "A" * 10_000_000, "huge.csv", MAX)
    assert isinstance(outcome, UploadRefused) and "limit" in outcome.reason


def test_files_together_over_the_limit_refuse_the_one_that_does_not_fit(tmp_path, monkeypatch):
    monkeypatch.setattr(flow, "run_loader", lambda *_a, **_k: LoaderResult(dry_run=True))
    settings = settings_for(tmp_path, max_upload_mb=MAX / uploads.MB)
    half = CSV + b"x" * (MAX // 2 + 10 - len(CSV))
    check = uploads.check_upload(
        [data_url(half), data_url(half + b"y")], ["a.csv", "b.csv"], settings
    )
    assert [u.name for u in check.saved] == ["a.csv"]
    assert check.refused[0].original_name == "b.csv" and "together" in check.refused[0].reason


def test_request_limit_leaves_room_for_base64_of_a_full_size_file():
    max_bytes = 25 * uploads.MB
    body = len(data_url(b"\xff" * max_bytes))
    limit = uploads.request_limit_bytes(max_bytes)
    assert body < limit < body + 2 * uploads.REQUEST_OVERHEAD_BYTES


# --------------------------------------------------------------------------- type
@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("tool.xlsx", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" * 8),
        ("picture.csv", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
        ("binary.txt", b"\x7fELF\x02\x01\x01" + b"\x00" * 64),
        ("noise.csv", bytes(range(32)) * 16),
        ("empty_zip.xlsx", b"PK\x05\x06" + b"\x00" * 18),
        ("report.xls", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"),
        ("archive.csv", b"7z\xbc\xaf\x27\x1c" + b"\x00" * 32),
        ("random.xlsx", bytes((i * 7919 + 13) % 256 for i in range(1000))),
    ],
)
def test_wrong_magic_bytes_are_refused(name, data):
    outcome = decode_upload(data_url(data), name, MAX)
    assert isinstance(outcome, UploadRefused)
    assert "not a spreadsheet or a text export" in outcome.reason


@pytest.mark.parametrize(
    ("head", "loader_says", "upload_says"),
    [
        (XLSX_HEAD, "xlsx", "zip"),
        (XLS_HEAD, "xls", "ole"),
        (CSV, "text", "text"),
        (b"%PDF-1.7\n", "binary", None),
        (bytes(range(32)) * 16, "binary", None),
        (b"", "empty", None),
        (b"PK\x05\x06" + b"\x00" * 18, "xlsx", None),  # an empty archive holds no workbook
    ],
)
def test_upload_check_and_loader_agree_on_content(head, loader_says, upload_says):
    assert sniff_format(head) == loader_says
    assert uploads.limits.sniff_content(head) == upload_says


@pytest.mark.parametrize(
    ("name", "data", "content"),
    [
        ("register.xlsx", XLSX_HEAD, "zip"),
        ("macro.xlsm", XLSX_HEAD, "zip"),
        ("legacy.xls", XLS_HEAD, "ole"),
        ("status.csv", CSV, "text"),
        ("cp1252.csv", "Café;€ 1.234,50\n".encode("cp1252"), "text"),
        ("unicode.txt", "\ufeffa\tb\n1\t2\n".encode("utf-16"), "text"),
        ("renamed_csv.xlsx", CSV, "text"),  # routed by content (docs/loaders.md, "Accepted files")
        ("mz.csv", b"MZ code,Name\nMZ-1,Alpha\n", "text"),
        ("nul_field.csv", b"id,name\n1,a\x00b\n" + b"2,plain text row\n" * 20, "text"),
    ],
)
def test_allowed_types_are_accepted(name, data, content):
    outcome = decode_upload(data_url(data), name, MAX)
    assert isinstance(outcome, UploadedFile)
    assert outcome.content == content


@pytest.mark.parametrize("name", ["setup.exe", "data.json", "README", "a.xlsx.exe", "x.csv "])
def test_extensions_outside_the_allowlist_are_refused(name):
    outcome = decode_upload(data_url(XLSX_HEAD), name, MAX)
    if name == "x.csv ":
        assert isinstance(outcome, UploadedFile) and outcome.name == "x.csv"
        return
    assert isinstance(outcome, UploadRefused) and ".xlsx, .xlsm, .xls, .csv" in outcome.reason


@pytest.mark.parametrize(
    "contents",
    [None, 42, "not a data url", "data:text/csv;base64,@@@notbase64@@@", "data:text/csv,plain"],
)
def test_damaged_uploads_are_refused(contents):
    assert isinstance(decode_upload(contents, "x.csv", MAX), UploadRefused)


def test_empty_file_is_refused():
    outcome = decode_upload("data:text/csv;base64,", "empty.csv", MAX)
    assert isinstance(outcome, UploadRefused) and "empty" in outcome.reason


# --------------------------------------------------------------------------- names
# Server-built names (docs/security.md, "Uploads").
ATTACK_NAMES = [
    "../../etc/passwd.xlsx",
    "..\\..\\win.ini",
    "con.xlsx",
    "ü名前.xlsx",
    "A" * 300 + ".xlsx",
    "a.xlsx\x00.exe",
    "/abs/path/report.xlsx",
    "C:\\Users\\me\\report.xlsx",
    "..",
    ".xlsx",
    "-rf --dry-run.xlsx",
    "evil\u202egnp.xlsx",
    "ＡＢＣ／．．／x.xlsx",
    "<img src=x onerror=alert(1)>.xlsx",
]


@pytest.mark.parametrize("name", ATTACK_NAMES)
def test_path_name_attacks_are_stored_inside_the_upload_dir_with_a_safe_name(tmp_path, name):
    data_dir = tmp_path / "data"
    outcome = decode_upload(data_url(XLSX_HEAD), name, MAX)
    if isinstance(outcome, UploadRefused):
        assert ".xlsx, .xlsm, .xls, .csv" in outcome.reason
        assert files_under(tmp_path) == []
        return
    path = save_upload(outcome, data_dir)
    root = os.path.realpath(data_dir / "uploads")
    assert os.path.realpath(path).startswith(root + os.sep)
    assert path.parent.name == outcome.sha256
    assert path.name == safe_filename(name)
    assert path.read_bytes() == XLSX_HEAD
    assert all(p.resolve().is_relative_to(root) for p in files_under(tmp_path))
    meta = json.loads(path.with_name(path.name + ".json").read_text(encoding="utf-8"))
    assert meta["original_name"] == name and meta["sha256"] == outcome.sha256


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd.xlsx", "passwd.xlsx"),
        ("con.xlsx", "_con.xlsx"),
        ("ü名前.xlsx", "ü名前.xlsx"),
        ("a.xlsx\x00.exe", "a.xlsx.exe"),
        ("Q3 Status (final).CSV", "Q3 Status (final).csv"),
        ("evil\u202egnp.xlsx", "evilgnp.xlsx"),
        ("<img src=x onerror=alert(1)>.xlsx", "_img src_x onerror_alert(1)_.xlsx"),
        ("..", "upload"),
    ],
)
def test_safe_filename(name, expected):
    assert safe_filename(name) == expected


def test_safe_filename_cuts_long_names_to_fit_any_filesystem():
    name = safe_filename("名" * 300 + ".xlsx")
    assert name.endswith(".xlsx") and len(name.encode("utf-8")) <= 160


@given(st.text(max_size=400))
def test_safe_filename_is_always_one_harmless_component(name):
    safe = safe_filename(name)
    assert safe and safe not in (".", "..")
    assert "/" not in safe and "\\" not in safe and "\x00" not in safe
    assert not safe.startswith((".", "-", " "))
    assert not any(unicodedata.category(ch)[0] == "C" for ch in safe)
    assert len(safe.encode("utf-8")) <= 200
    assert safe_filename(safe) == safe


def test_save_upload_resanitises_a_forged_name(tmp_path):
    forged = UploadedFile("x", "../../../outside.xlsx", XLSX_HEAD, "zip")
    path = save_upload(forged, tmp_path)
    assert path == tmp_path / "uploads" / forged.sha256 / "outside.xlsx"
    assert not (tmp_path.parent / "outside.xlsx").exists()


def test_save_upload_refuses_a_disallowed_extension(tmp_path):
    with pytest.raises(uploads.UnsafePath):
        save_upload(UploadedFile("x", "run.sh", b"echo", "text"), tmp_path)
    assert files_under(tmp_path) == []


def test_save_upload_is_idempotent(tmp_path):
    upload = UploadedFile("status.csv", "status.csv", CSV, "text")
    first, second = save_upload(upload, tmp_path), save_upload(upload, tmp_path)
    assert first == second and first.read_bytes() == CSV
    assert not [p for p in first.parent.iterdir() if p.name.startswith(".part-")]


# --------------------------------------------------------------------------- pending tokens
def test_resolve_pending_accepts_a_genuine_token(tmp_path):
    upload = UploadedFile("My file.csv", "My file.csv", CSV, "text")
    save_upload(upload, tmp_path)
    token = {"sha256": upload.sha256, "name": "My file.csv", "original": "My file.csv"}
    saved = uploads.resolve_pending(token, tmp_path)
    assert saved is not None and saved.path.read_bytes() == CSV


def test_resolve_pending_refuses_forged_tokens(tmp_path):
    upload = UploadedFile("status.csv", "status.csv", CSV, "text")
    path = save_upload(upload, tmp_path)
    sha = upload.sha256
    (tmp_path / "secret.csv").write_bytes(CSV)
    link = path.parent / "link.csv"
    link.symlink_to(tmp_path / "secret.csv")
    forged = [
        None,
        "status.csv",
        {"sha256": "../" + sha[3:], "name": "status.csv"},
        {"sha256": sha.upper(), "name": "status.csv"},
        {"sha256": sha, "name": "../../secret.csv"},
        {"sha256": sha, "name": "status.csv.json"},
        {"sha256": sha, "name": "link.csv"},
        {"sha256": "0" * 64, "name": "status.csv"},
    ]
    for token in forged:
        assert uploads.resolve_pending(token, tmp_path) is None, token
    path.write_bytes(CSV + b"P-2,2026-01-02,Red\n")  # changed on disk since the preview
    assert uploads.resolve_pending({"sha256": sha, "name": "status.csv"}, tmp_path) is None


# --------------------------------------------------------------------------- loader process
def test_run_loader_timeout_becomes_a_friendly_message(tmp_path):
    path = save_upload(UploadedFile("s.csv", "s.csv", CSV, "text"), tmp_path)
    result = uploads.run_loader([path], tmp_path, dry_run=True, timeout=0.05)
    assert not result.ok and "longer than" in result.error
    assert (
        result.reference and "Traceback" not in result.error and str(tmp_path) not in result.error
    )


def test_run_loader_timeout_of_a_real_load_says_loading_again_is_safe(tmp_path):
    path = save_upload(UploadedFile("s.csv", "s.csv", CSV, "text"), tmp_path)
    result = uploads.run_loader([path], tmp_path, dry_run=False, timeout=0.05)
    assert not result.ok and "files already loaded are skipped" in result.error


def test_a_file_the_server_cannot_store_is_refused_with_a_reference(tmp_path, monkeypatch, caplog):
    def disk_full(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(flow, "save_upload", disk_full)
    monkeypatch.setattr(flow, "run_loader", lambda *_a, **_k: pytest.fail("loader ran"))
    check = uploads.check_upload([data_url(CSV)], ["s.csv"], settings_for(tmp_path))
    assert check.saved == [] and "could not store the file (reference" in check.refused[0].reason
    assert "No space" not in check.refused[0].reason
    assert any("could not store" in r.message for r in caplog.records)


def test_run_loader_memory_limit_becomes_a_friendly_message(tmp_path):
    path = save_upload(UploadedFile("s.csv", "s.csv", CSV, "text"), tmp_path)
    result = uploads.run_loader([path], tmp_path, dry_run=True, memory_bytes=48 * uploads.MB)
    assert not result.ok and "memory" in result.error
    assert "Traceback" not in result.error and "/" not in result.error


@pytest.mark.parametrize(
    ("returncode", "stderr", "expected"),
    [
        (1, "Traceback (most recent call last):\n  File '/srv/x.py'\nMemoryError\n", "memory"),
        (-9, "", "memory"),
        (-24, "", "longer than"),
        (1, "error: Could not set lock on file '/data/pmo-000003.duckdb'", "Another load"),
        (1, "error: pmo.toml: [loading].date_order must be one of auto, dmy, mdy", "date_order"),
        (1, "error: /srv/data/CURRENT does not name a database version", "stopped unexpectedly"),
        (1, "Traceback (most recent call last):\nKeyError: 'x'\n", "stopped unexpectedly"),
        (-11, "", "stopped unexpectedly"),
    ],
)
def test_loader_failure_message(returncode, stderr, expected):
    message = uploads.loader_failure_message(returncode, stderr)
    assert expected in message
    assert "Traceback" not in message and "/srv" not in message and "/data" not in message


def test_loader_messages_are_scrubbed_of_server_paths(tmp_path):
    item = {
        "file": "x.csv",
        "status": "failed",
        "message": f"cannot open {tmp_path}/uploads/abc/x.csv",
        "sheets": [],
    }
    assert str(tmp_path) not in file_outcome(item, tmp_path).message


# --------------------------------------------------------------------------- the 413 handler
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


# --------------------------------------------------------------------------- what is shown
def walk(node):
    yield node
    children = getattr(node, "children", None)
    if isinstance(children, (list, tuple)):
        for child in children:
            yield from walk(child)
    elif children is not None:
        yield from walk(children)


def test_original_names_and_loader_text_are_shown_as_text_only():
    evil = "<img src=x onerror=alert(1)>.csv"
    check = UploadCheck(
        refused=[UploadRefused("<script>alert(1)</script>.exe", "only .xlsx ...")],
        saved=[uploads.SavedUpload(evil, "_img src=x onerror=alert(1)_.csv", "0" * 64, 1, Path())],
        result=LoaderResult(
            dry_run=True,
            files=(
                FileOutcome(
                    "_img src=x onerror=alert(1)_.csv",
                    "ok",
                    "",
                    (
                        SheetOutcome(
                            None,
                            "status_reports",
                            1,
                            2,
                            1,
                            1,
                            0,
                            {"<b>Code</b>": "project_id"},
                            (Reject(3, "<i>col</i>", "<svg onload=alert(1)> is not a date"),),
                        ),
                    ),
                ),
            ),
        ),
    )
    tree = upload_report.upload_preview(check)
    nodes = list(walk(tree))
    assert not [n for n in nodes if type(n).__name__ == "Markdown"]
    strings = [n for n in nodes if isinstance(n, str)]
    assert evil in strings
    assert "<script>alert(1)</script>.exe" in strings
    assert "<svg onload=alert(1)> is not a date" in strings
    assert all(isinstance(n, (str, int, float, Component)) for n in nodes if n is not None)
    assert "dangerously" not in json.dumps(tree.to_plotly_json(), default=str)


@pytest.mark.parametrize(
    ("size", "text"),
    [(25 * uploads.MB, "25 MB"), (1536 * 1024, "1.5 MB"), (300 * 1024, "300 KB"), (5, "1 KB")],
)
def test_format_size(size, text):
    assert uploads.format_size(size) == text


def test_display_name_drops_control_characters_and_truncates():
    assert uploads.display_name("a\x00b\u202ec.csv") == "abc.csv"
    assert len(uploads.display_name("x" * 500)) == 120


def test_preview_and_reject_rows():
    sheet = SheetOutcome(
        "Data", "projects", 4, 10, 7, 2, 1, {}, tuple(Reject(i, "Budget", "bad") for i in range(15))
    )
    result = LoaderResult(True, (FileOutcome("r.xlsx", "ok", "", (sheet,)),))
    assert uploads.preview_rows(result) == [
        {
            "file": "r.xlsx",
            "sheet": "Data",
            "kind": "projects",
            "header_row": 4,
            "read": 10,
            "loaded": 7,
            "rejected": 2,
            "ignored": 1,
        }
    ]
    assert len(uploads.reject_rows(result)) == uploads.REJECTS_SHOWN
