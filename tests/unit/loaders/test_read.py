"""Unit tests for loaders.read and loaders.guards: sniffing, decoding, parsing paths, guards."""

from __future__ import annotations

import codecs
import zipfile
from pathlib import Path

import pytest

from loaders import guards
from loaders.read import (
    UnreadableFile,
    decode_to_utf8,
    detect_delimiter,
    read_file,
    read_text,
    sniff_format,
)


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"PK\x03\x04rest", "xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "xls"),
        (b"", "empty"),
        (codecs.BOM_UTF16_LE + "a\tb".encode("utf-16-le"), "text"),
        (bytes(range(256)) * 4, "binary"),
        (b"a,b\n1,2\n", "text"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "binary"),  # no NUL byte: caught by its magic
    ],
)
def test_sniff_format_reads_content_not_names(head, expected):
    assert sniff_format(head) == expected


@pytest.mark.parametrize(
    ("data", "encoding", "text"),
    [
        (b"caf\xc3\xa9", "utf-8", "café"),
        (codecs.BOM_UTF8 + b"id", "utf-8-sig", "id"),
        (codecs.BOM_UTF16_LE + "é;x".encode("utf-16-le"), "utf-16", "é;x"),
        ("“€”".encode("cp1252"), "cp1252", "“€”"),
        (b"\x81\x8d", "latin-1", "\x81\x8d"),
    ],
)
def test_decode_to_utf8(data, encoding, text):
    found, utf8 = decode_to_utf8(data)
    assert (found, utf8.decode("utf-8")) == (encoding, text)


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("a,b,c\n1,2,3\n", ","),
        ("a;b;c\n1;2,5;3\n", ";"),
        ("a\tb\n1\t2\n", "\t"),
        ("a|b\n1|2\n", "|"),
    ],
)
def test_detect_delimiter(text, delimiter):
    assert detect_delimiter(text) == delimiter


def grid_of(path: Path, data: bytes) -> tuple[list[list], list[int], list]:
    sheet = read_text(path, data).sheets[0]
    rows = [[None if v is None else str(v) for v in r] for r in sheet.grid.astype(object).values]
    return rows, sheet.row_numbers.tolist(), sheet.structural_rejects


def test_fast_path_numbers_records_around_quoted_newlines_and_bad_rows(tmp_path):
    data = b'a,b,c\n1,"x\ny",3\n4,5\n6,7,8\n'
    rows, numbers, rejects = grid_of(tmp_path / "f.csv", data)
    assert rows == [["a", "b", "c"], ["1", "x\ny", "3"], ["6", "7", "8"]]
    assert numbers == [1, 2, 4]
    assert [(r[0], "MISSING COLUMNS" in r[1]) for r in rejects] == [(3, True)]


def test_exact_path_keeps_title_lines_and_matches_record_numbers(tmp_path):
    data = b"Register export\n\na,b,c\n1,2,3\n4,5,6,7\n"
    rows, numbers, rejects = grid_of(tmp_path / "f.csv", data)
    assert rows[0] == ["Register export", "", ""] and rows[2] == ["a", "b", "c"]
    assert numbers == [1, 2, 3, 4]
    assert rejects[0][0] == 5 and "TOO MANY COLUMNS" in rejects[0][1]


def test_unclosed_quote_names_the_line_it_opened_on(tmp_path):
    with pytest.raises(UnreadableFile, match=r"^line 3: a quoted value"):
        grid_of(tmp_path / "f.csv", b'a,b\n1,2\n3,"oops\n5,6\n7,8\n')


def test_workbook_grid_keeps_spreadsheet_rows_and_error_values(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet["C3"], sheet["D3"] = "Project ID", "Budget"
    sheet["C4"], sheet["D4"] = "P-1", "#REF!"
    book.save(tmp_path / "w.xlsx")
    raw = read_file(tmp_path / "w.xlsx").sheets[0]
    assert raw.row_numbers.tolist() == [1, 2, 3, 4]
    assert raw.first_column == 2
    assert raw.grid.iloc[3].tolist() == ["P-1", "#REF!"]


def test_guards_refuse_a_lying_entry_size(tmp_path):
    path = tmp_path / "lie.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "<worksheet>" + " " * 5000 + "</worksheet>")
    data = bytearray(path.read_bytes())
    # Shrink the declared size of the sheet part in the central directory.
    at = data.rfind(b"PK\x01\x02")
    data[at + 24 : at + 28] = (100).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    with pytest.raises(guards.WorkbookRefused, match="corrupt or truncated"):
        guards.inspect_workbook(path)


@pytest.mark.parametrize(("letters", "index"), [("A", 0), ("Z", 25), ("AA", 26), ("BXX", 1999)])
def test_column_letters_round_trip(letters, index):
    assert guards.column_index(letters) == index and guards.column_letters(index) == letters
