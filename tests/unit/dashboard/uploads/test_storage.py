"""Unit tests of dashboard/uploads/storage.py: uploads stored inside their folder, forged tokens
refused - no browser."""

from __future__ import annotations

import json
import os

import pytest

from dashboard import uploads
from dashboard.uploads import (
    UploadedFile,
    UploadRefused,
    decode_upload,
    safe_filename,
    save_upload,
)
from tests.unit.dashboard.uploads.conftest import CSV, MAX, XLSX_HEAD, data_url, files_under

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
