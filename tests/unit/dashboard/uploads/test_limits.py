"""Unit tests of dashboard/uploads/limits.py: size, type and name checks of a dropped file - no
browser."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard import uploads
from dashboard.uploads import (
    UploadedFile,
    UploadRefused,
    decode_upload,
    safe_filename,
)
from loaders.read import sniff_format
from tests.unit.dashboard.uploads.conftest import CSV, MAX, XLS_HEAD, XLSX_HEAD, data_url


def test_file_exactly_at_the_limit_is_accepted():
    data = CSV + b"x" * (MAX - len(CSV))
    outcome = decode_upload(data_url(data), "ok.csv", MAX)
    assert isinstance(outcome, UploadedFile) and outcome.size == MAX


def test_oversized_base64_is_refused_before_decoding():
    outcome = decode_upload("data:text/csv;base64," + "A" * 10_000_000, "huge.csv", MAX)
    assert isinstance(outcome, UploadRefused) and "limit" in outcome.reason


def test_request_limit_leaves_room_for_base64_of_a_full_size_file():
    max_bytes = 25 * uploads.MB
    body = len(data_url(b"\xff" * max_bytes))
    limit = uploads.request_limit_bytes(max_bytes)
    assert body < limit < body + 2 * uploads.REQUEST_OVERHEAD_BYTES


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


@pytest.mark.parametrize(
    ("size", "text"),
    [(25 * uploads.MB, "25 MB"), (1536 * 1024, "1.5 MB"), (300 * 1024, "300 KB"), (5, "1 KB")],
)
def test_format_size(size, text):
    assert uploads.format_size(size) == text
