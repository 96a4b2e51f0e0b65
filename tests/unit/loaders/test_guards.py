"""Unit tests of loaders.guards: the workbook guard, its fast paths and its refusals.

The guard clears chunks of plain rows with numpy/RE2 tests. The chunk tests shrink the chunk
size so that a small sheet spans many chunks, put facts and limit breaches at chunk boundaries
and deep in the part, and check that the result is the one the full scan gives. The size and
encoding tests check that the guard trusts no declared size and reads wide encodings.
"""

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


def plain_row(number: int) -> bytes:
    return (
        f'<row r="{number}"><c r="A{number}" t="inlineStr"><is><t>P-{number:05d}</t></is></c>'
        f'<c r="B{number}" t="n"><v>{number * 3}</v></c>'
        f'<c r="C{number}" t="inlineStr"><is><t>Execution</t></is></c></row>'
    ).encode()


def sheet_xml(rows: dict[int, bytes], count: int, tail: bytes = b"") -> bytes:
    """A sheet of ``count`` plain rows, with ``rows`` replacing some of them."""
    body = b"".join(rows.get(n, plain_row(n)) for n in range(1, count + 1))
    head = b'<dimension ref="A1:C%d"/><sheetData>' % count
    return (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + head
        + body
        + b"</sheetData>"
        + tail
        + b"</worksheet>"
    )


def write_book(path: Path, sheet: bytes, *, method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", RELS)
        archive.writestr(SHEET, sheet, compress_type=method)
    return path


def facts(path: Path) -> guards.SheetPart:
    return guards.inspect_workbook(path).sheets[0]


FACT_ROWS = {
    7: b'<row r="7" hidden="1"><c r="A7"><v>1</v></c></row>',
    40: b'<row r="40"><c r="A40"><f>SUM(B1:B39)</f><v></v></c></row>',
    41: b'<row r="41"><c r="A41"><f>SUBTOTAL(9,B1:B40)</f><v>9</v></c></row>',
    90: b'<row r="90" customHeight="1" hidden="true"><c r="A90"><v>2</v></c></row>',
    # Three column letters within the limit (ABC is column 731): collected, not refused.
    120: b'<row r="120"><c r="ABC120"><v>3</v></c></row>',
    150: b'<row r="150"><c r="B150"><f t="shared" si="0"/></c></row>',
    151: b'<row r="151"><c r="A151" t="inlineStr"><is><t>n=5 \xff\xfe</t></is></c></row>',
    # Grouped (indented) rows, alone in a chunk of plain rows at most chunk sizes.
    300: b'<row r="300" outlineLevel="1"><c r="A300"><v>4</v></c></row>',
    301: b'<row r="301" spans="1:3" outlineLevel="2" collapsed="1"><c r="A301"><v>5</v></c></row>',
}
MERGES = b'<mergeCells count="2"><mergeCell ref="A2:C3"/><mergeCell ref="D5"/></mergeCells>'


@pytest.mark.parametrize("chunk", [61, 700, 4096, 9000, 1 << 20])
def test_sheet_facts_do_not_depend_on_the_chunk_size(tmp_path, monkeypatch, chunk):
    path = write_book(tmp_path / "facts.xlsx", sheet_xml(FACT_ROWS, 400, MERGES))
    monkeypatch.setattr(guards, "CHUNK", chunk)
    sheet = facts(path)
    assert sheet.hidden_rows == {7, 90}
    assert sheet.merged == [(1, 0, 2, 2), (4, 3, 4, 3)]
    assert sheet.uncached_formulas == [(40, 1), (150, 2)]
    assert sheet.subtotal_rows == {41}
    assert sheet.outline_levels == {300: 1, 301: 2}
    assert sheet.last_row == 400


@pytest.mark.parametrize("chunk", [4096, 9000])
def test_plain_chunk_shortcut_matches_the_full_scan_with_rows_out_of_order(
    tmp_path, monkeypatch, chunk
):
    # With rows out of order, last_row depends on where segments end, so this also checks that
    # the shortcut cuts the stream exactly where the full scan does.
    rows = dict(FACT_ROWS)
    rows.update({n: plain_row(601 - n) for n in range(201, 401)})
    path = write_book(tmp_path / "shuffled.xlsx", sheet_xml(rows, 400, MERGES))
    monkeypatch.setattr(guards, "CHUNK", chunk)
    fast = facts(path)
    monkeypatch.setattr(guards, "_plain", lambda data: False)
    assert fast == facts(path)


def test_plain_chunk_shortcut_matches_the_full_scan_at_every_chunk_boundary(tmp_path, monkeypatch):
    # A row without a row number followed by a high, descending run (last_row then depends on
    # the exact cut), then every fact with plain rows between them, cut at every offset.
    rows = {11: b'<row spans="1:1"><c r="A11"><v>5</v></c></row>'}
    rows.update({n: plain_row(512 - n) for n in range(12, 31)})
    rows.update({33 + 5 * i: row for i, row in enumerate(FACT_ROWS.values())})
    rows[69] = b'<mergeCells count="1"><mergeCell ref="B5:C6"/></mergeCells>'
    path = write_book(tmp_path / "boundaries.xlsx", sheet_xml(rows, 75, MERGES))
    for chunk in range(90, 600, 3):
        monkeypatch.setattr(guards, "CHUNK", chunk)
        fast = facts(path)
        with monkeypatch.context() as full:
            full.setattr(guards, "_plain", lambda data: False)
            assert fast == facts(path), chunk


@pytest.mark.parametrize(
    ("rows", "method", "corrupt", "message"),
    [
        ({380: b'<!DOCTYPE x [<!ENTITY a "b">]>'}, zipfile.ZIP_DEFLATED, False, "declares a DTD"),
        (
            {
                380: b'<row r="380"><c r="A380" t="inlineStr"><is><t>\xff</t></is></c>'
                b'<c r="BXY380"><v>1</v></c></row>'
            },
            zipfile.ZIP_DEFLATED,
            False,
            "uses more than 2,000 columns",
        ),
        ({}, zipfile.ZIP_STORED, True, "corrupt or truncated"),
    ],
    ids=["dtd", "column-limit", "bad-crc"],
)
def test_refusals_deep_in_a_part_of_plain_chunks_are_still_made(
    tmp_path, monkeypatch, rows, method, corrupt, message
):
    path = write_book(tmp_path / "bad.xlsx", sheet_xml(rows, 400), method=method)
    if corrupt:
        data = bytearray(path.read_bytes())
        at = data.rfind(b'<row r="390">')
        data[at + 1] = ord("x")  # same size, different bytes: only the CRC can tell
        path.write_bytes(bytes(data))
    monkeypatch.setattr(guards, "CHUNK", 4096)
    assert zipfile.ZipFile(path).getinfo(SHEET).file_size > 2 * guards.CHUNK
    with pytest.raises(guards.WorkbookRefused, match=message):
        guards.inspect_workbook(path)


def test_a_cell_beyond_the_column_limit_in_a_chunk_of_plain_rows_is_refused(tmp_path, monkeypatch):
    # The only unusual byte run in the whole sheet: a cell in column BXY in the middle of a chunk.
    rows = {250: b'<row r="250"><c r="BXY250"><v>1</v></c></row>'}
    path = write_book(tmp_path / "wide.xlsx", sheet_xml(rows, 400))
    monkeypatch.setattr(guards, "CHUNK", 9000)
    with pytest.raises(guards.WorkbookRefused, match="uses more than 2,000 columns"):
        guards.inspect_workbook(path)


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
    path = write_book(tmp_path / "bomb.xlsx", sheet)
    understate(path, SHEET, 4096, sheet)
    with zipfile.ZipFile(path) as archive:  # the reader the old guard relied on
        assert len(archive.read(SHEET)) == 4096  # stops at the lie, CRC "matches"
        assert archive.getinfo(SHEET).file_size == 4096
    with pytest.raises(guards.WorkbookRefused, match=r"misstates its size.*more than the 4,096"):
        guards.inspect_workbook(path)


def test_a_part_longer_than_its_compressed_size_is_refused(tmp_path):
    sheet = b'<worksheet xmlns="x"><sheetData>' + ROW * 5000 + b"</sheetData></worksheet>"
    path = write_book(tmp_path / "cut.xlsx", sheet)
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
    info = guards.inspect_workbook(write_book(tmp_path / "ok.xlsx", sheet))
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
    path = write_book(tmp_path / f"dtd-{encoding}.xlsx", raw)
    with pytest.raises(guards.WorkbookRefused, match="declares a DTD"):
        guards.inspect_workbook(path)
