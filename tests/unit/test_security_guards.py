"""Issue 11 point 10: the workbook guard trusts no declared size and reads wide encodings."""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

import pytest

from loaders import guards

WORKBOOK = (
    b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    b'<sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
RELS = (
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET = "xl/worksheets/sheet1.xml"
ROW = b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'


def book(path: Path, sheet: bytes) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", RELS)
        archive.writestr(SHEET, sheet)
    return path


def understate(path: Path, name: str, declared: int, content: bytes) -> None:
    """Rewrite ``name``'s sizes in both headers to ``declared`` bytes, with a CRC forged to
    match the first ``declared`` bytes: zipfile then reads it happily and stops early."""
    data = bytearray(path.read_bytes())
    crc = zlib.crc32(content[:declared])
    encoded = name.encode()
    local = data.find(b"PK\x03\x04" + data[4:4])  # first local header
    while local >= 0:
        name_len = struct.unpack_from("<H", data, local + 26)[0]
        if bytes(data[local + 30 : local + 30 + name_len]) == encoded:
            struct.pack_into("<L", data, local + 14, crc)
            struct.pack_into("<L", data, local + 22, declared)
            break
        local = data.find(b"PK\x03\x04", local + 4)
    central = data.find(b"PK\x01\x02")
    while central >= 0:
        name_len = struct.unpack_from("<H", data, central + 28)[0]
        if bytes(data[central + 46 : central + 46 + name_len]) == encoded:
            struct.pack_into("<L", data, central + 16, crc)
            struct.pack_into("<L", data, central + 24, declared)
            break
        central = data.find(b"PK\x01\x02", central + 4)
    path.write_bytes(bytes(data))


def numbered_rows(count: int) -> bytes:
    return b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>P-%d</t></is></c></row>' % (i, i, i * 7)
        for i in range(1, count + 1)
    )


def test_a_zip_that_understates_its_sizes_is_refused(tmp_path):
    rows = numbered_rows(200_000)
    sheet = b'<worksheet xmlns="x"><sheetData>' + rows + b"</sheetData></worksheet>"
    path = book(tmp_path / "bomb.xlsx", sheet)
    understate(path, SHEET, 4096, sheet)
    with zipfile.ZipFile(path) as archive:  # the reader the old guard relied on
        assert len(archive.read(SHEET)) == 4096  # stops at the lie, CRC "matches"
        assert archive.getinfo(SHEET).file_size == 4096
    with pytest.raises(guards.WorkbookRefused, match=r"misstates its size.*more than the 4,096"):
        guards.inspect_workbook(path)


def test_a_part_longer_than_its_compressed_size_is_refused(tmp_path):
    sheet = b'<worksheet xmlns="x"><sheetData>' + ROW * 5000 + b"</sheetData></worksheet>"
    path = book(tmp_path / "cut.xlsx", sheet)
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(SHEET)
    data = bytearray(path.read_bytes())
    central = data.find(b"PK\x01\x02")
    while central >= 0:
        name_len = struct.unpack_from("<H", data, central + 28)[0]
        if bytes(data[central + 46 : central + 46 + name_len]) == SHEET.encode():
            struct.pack_into("<L", data, central + 20, info.compress_size // 2)
        central = data.find(b"PK\x01\x02", central + 4)
    path.write_bytes(bytes(data))
    with pytest.raises(guards.WorkbookRefused, match="corrupt or truncated"):
        guards.inspect_workbook(path)


def test_an_honest_workbook_still_passes(tmp_path):
    sheet = (
        b'<worksheet xmlns="x"><sheetData>' + numbered_rows(30_000) + b"</sheetData></worksheet>"
    )
    info = guards.inspect_workbook(book(tmp_path / "ok.xlsx", sheet))
    assert [s.name for s in info.sheets] == ["Data"] and info.sheets[0].last_row == 30_000


@pytest.mark.parametrize(
    "encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"]
)
def test_a_dtd_in_a_wide_encoding_is_refused(tmp_path, encoding):
    text = (
        f'<?xml version="1.0" encoding="{encoding.upper()}"?>'
        '<!DOCTYPE lol [<!ENTITY lol "lol">]><worksheet xmlns="x"><sheetData>'
        + ROW.decode() + "</sheetData></worksheet>"
    )  # fmt: skip
    raw = text.encode(encoding)
    assert b"<!DOCTYPE" not in raw  # the byte check alone would miss it
    path = book(tmp_path / f"dtd-{encoding}.xlsx", raw)
    with pytest.raises(guards.WorkbookRefused, match="declares a DTD"):
        guards.inspect_workbook(path)
