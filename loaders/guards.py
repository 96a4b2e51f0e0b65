"""Inspect an .xlsx/.xlsm container before any spreadsheet parser sees it.

A workbook is a zip of XML parts, which makes it a vehicle for zip bombs (a few hundred KB that
inflate to gigabytes), entity-expansion ("billion laughs") and external-entity (XXE) attacks. The
guards here refuse such files *before* python-calamine/fastexcel parse them (docs/security.md,
"Uploads"):

- the central directory must list at most :data:`MAX_ENTRIES` parts whose declared uncompressed
  sizes add up to at most :data:`MAX_UNCOMPRESSED` bytes, and no large part may claim a
  compression ratio above :data:`MAX_RATIO`;
- every part is then inflated by this module as a stream from its raw bytes, never trusting
  the declared sizes: a part that inflates to more than it declares (a zip that understates its
  sizes to pass the limits above) is refused the moment it does, as is one whose deflate stream
  does not end within its declared compressed size or whose CRC does not match (docs/security.md,
  "Uploads");
- every XML part is refused if it declares a DTD (``<!DOCTYPE``/``<!ENTITY``), after decoding a
  part written in UTF-16 or UTF-32 (detected from its first bytes, as an XML parser would), so
  the byte check cannot be dodged by the encoding: OOXML never needs a DTD, so nothing is ever
  expanded or resolved;
- a sheet claiming more than :data:`MAX_COLUMNS` columns or a grid of more than
  :data:`MAX_CELLS` cells is refused (the reader would allocate the whole grid).

The same single pass collects what the reader cannot tell: the 1904 date system flag, sheet
types and visibility, hidden rows, row outline levels (Smartsheet's and Excel's indented
hierarchy), merged ranges, formulas saved without a cached value, and whether the workbook
carries macros or external links.

The pass runs near zlib's inflation speed, so guarding costs a fraction of the cell read
(issue 3: ``read_file`` within 1.5x of fastexcel alone): a chunk of plain rows is cleared by
numpy and RE2 tests instead of the full regex scan, which only chunks that may hold a fact (or
break a limit) get.
"""

from __future__ import annotations

import codecs
import re
import struct
import zipfile
import zlib
from collections.abc import Generator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from defusedxml import ElementTree

from loaders.exception_text import first_line

MAX_UNCOMPRESSED = 256 * 1024 * 1024
MAX_ENTRIES = 10_000
MAX_RATIO = 100
RATIO_MIN_SIZE = 1024 * 1024
MAX_COLUMNS = 2_000
MAX_ROWS = 1_048_576
MAX_CELLS = 20_000_000
CHUNK = 1024 * 1024

_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_DTD = (b"<!DOCTYPE", b"<!ENTITY", b"<!doctype", b"<!entity")
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")  # a zip local file header, 30 bytes
_LOCAL_SIGNATURE = b"PK\x03\x04"
# How an XML document's first four bytes give its encoding (XML 1.0, appendix F); anything
# else is read as UTF-8, which the DTD byte check covers.
_WIDE_ENCODINGS = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\x00<\x00?", "utf-16-be"),
    (b"<\x00?\x00", "utf-16-le"),
    (b"\x00<", "utf-16-be"),
    (b"<\x00", "utf-16-le"),
)
_HIDDEN_ROW = re.compile(rb'<row\b[^>]*?\bhidden="(?:1|true)"[^>]*>')
_OUTLINE_ROW = re.compile(rb'<row\b[^>]*?\boutlineLevel="(\d+)"[^>]*>')
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')
_MERGE = re.compile(rb'<mergeCell\s+ref="([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?"')
_DIMENSION = re.compile(rb'<dimension\s+ref="(?:([A-Z]{1,3})(\d+):)?([A-Z]{1,3})(\d+)"')
# A cell reference beyond column BXX (the 2,000th column).
_THREE_LETTER_CELL = re.compile(rb'r="([A-Z]{3})\d')
_FORMULA = re.compile(rb"<f[\s/>]")
_CELL_REF = re.compile(rb'<c\s[^>]*?\br="([A-Z]{1,3})(\d+)"')
_SUBTOTAL = re.compile(rb"<f\b[^>]*>\s*_?(?:xlfn\.)?(?:SUBTOTAL|AGGREGATE)\(", re.IGNORECASE)
# Byte pairs contained in "<f" (formula), "<mergeCell ", 'hidden="' and 'outlineLevel="', as
# native 16-bit words.
_FACT_PAIRS = tuple(np.frombuffer(b"<f<mn=l=", np.uint16))


class WorkbookRefused(ValueError):
    """The container is unsafe or broken; the message says why in the user's terms."""


@dataclass
class SheetPart:
    """What the guard pass learned about one sheet of the workbook.

    Attributes:
        name: Sheet name as Excel shows it on the tab.
        kind: ``worksheet``, ``chartsheet``, ``dialogsheet`` or ``macrosheet``.
        state: ``visible``, ``hidden`` or ``veryHidden``.
        part: Path of the sheet's XML inside the zip (None when the workbook does not say).
        hidden_rows: 1-based row numbers marked hidden.
        outline_levels: 1-based row number -> Excel outline level (grouped/indented rows; a row
            not listed is at level 0).
        merged: Merged ranges as 0-based inclusive (first_row, first_col, last_row, last_col).
        uncached_formulas: (row, column) 1-based of formula cells saved without a value.
        subtotal_rows: Rows holding a ``SUBTOTAL``/``AGGREGATE`` formula (totals rows).
        last_row: The highest row number that holds a row element.
    """

    name: str
    kind: str = "worksheet"
    state: str = "visible"
    part: str | None = None
    hidden_rows: set[int] = field(default_factory=set)
    outline_levels: dict[int, int] = field(default_factory=dict)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    uncached_formulas: list[tuple[int, int]] = field(default_factory=list)
    subtotal_rows: set[int] = field(default_factory=set)
    last_row: int = 0


@dataclass
class WorkbookInfo:
    """Facts about a workbook container that the cell reader does not report."""

    date1904: bool = False
    sheets: list[SheetPart] = field(default_factory=list)
    has_macros: bool = False
    has_external_links: bool = False

    def sheet(self, name: str) -> SheetPart | None:
        """The part info of sheet ``name`` (None when the workbook XML did not list it)."""
        return next((s for s in self.sheets if s.name == name), None)


def inspect_workbook(path: Path) -> WorkbookInfo:
    """Check an OOXML workbook container and collect its sheet facts.

    Raises:
        WorkbookRefused: Corrupt, truncated, encrypted, oversized, bomb-like or DTD-carrying
            containers, and zips that are not workbooks at all.
    """
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise WorkbookRefused(
            "the workbook is corrupt or truncated: open it in Excel, save it again and reload "
            f"({first_line(exc)})"
        ) from exc
    with archive:
        infos = archive.infolist()
        _check_directory(infos)
        names = {info.filename for info in infos}
        if "xl/workbook.xml" not in names:
            if "xl/workbook.bin" in names:
                raise WorkbookRefused(
                    "binary workbook (.xlsb) is not supported: save it as .xlsx and load it again"
                )
            raise WorkbookRefused(
                "a zip file that is not an Excel workbook: save the data as .xlsx or .csv"
            )
        info = WorkbookInfo(
            has_macros="xl/vbaProject.bin" in names,
            has_external_links=any(n.startswith("xl/externalLinks/") for n in names),
        )
        rels_name = "xl/_rels/workbook.xml.rels"
        workbook = _scan_part(archive, archive.getinfo("xl/workbook.xml"), keep=True)
        rels = (
            _scan_part(archive, archive.getinfo(rels_name), keep=True)
            if rels_name in names
            else None
        )
        info.date1904, info.sheets = _read_workbook_xml(workbook, rels)
        by_part = {s.part: s for s in info.sheets if s.kind == "worksheet"}
        for entry in infos:
            if entry.filename in ("xl/workbook.xml", rels_name) or entry.is_dir():
                continue
            if entry.filename.endswith((".xml", ".rels", ".vml")) or entry.filename in by_part:
                _scan_part(archive, entry, sheet=by_part.get(entry.filename))
            else:
                for _chunk in _chunks(archive, entry):  # sizes checked, content not needed
                    pass
    return info


def _check_directory(infos: list[zipfile.ZipInfo]) -> None:
    """Refuse on what the central directory declares, before inflating anything."""
    if len(infos) > MAX_ENTRIES:
        raise WorkbookRefused(
            f"the workbook container holds {len(infos):,} parts (limit {MAX_ENTRIES:,}): "
            "refused as a possible zip bomb"
        )
    if any(entry.flag_bits & 0x1 for entry in infos):
        raise WorkbookRefused(
            "password-protected workbook: remove the password in Excel and load it again"
        )
    declared = sum(entry.file_size for entry in infos)
    if declared > MAX_UNCOMPRESSED:
        raise WorkbookRefused(
            f"the workbook would expand to {declared / 2**20:,.0f} MB "
            f"(limit {MAX_UNCOMPRESSED // 2**20} MB): refused as a possible zip bomb; "
            "export very large tables as CSV"
        )
    for entry in infos:
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size >= RATIO_MIN_SIZE and ratio > MAX_RATIO:
            raise WorkbookRefused(
                f"part {entry.filename} is compressed {ratio:,.0f}:1 (limit {MAX_RATIO}:1): "
                "refused as a possible zip bomb"
            )


def _scan_part(
    archive: zipfile.ZipFile,
    entry: zipfile.ZipInfo,
    *,
    keep: bool = False,
    sheet: SheetPart | None = None,
) -> bytes:
    """Inflate one XML part as a stream and refuse DTDs.

    Args:
        archive: The open container.
        entry: The part.
        keep: Return the inflated bytes (only for the small workbook parts).
        sheet: When the part is a worksheet, collect its facts into this record in the same pass.

    Returns:
        The part's bytes when ``keep``, else ``b""``.
    """
    kept: list[bytes] = []
    tail = carry = b""
    first = True
    for chunk in _decoded(_chunks(archive, entry), kept if keep else None):
        # "!" is rare in sheet XML, so a memchr-speed test spares the marker search.
        if (b"!" in chunk or b"!" in tail) and any(
            marker in chunk or marker in tail + chunk[:16] for marker in _DTD
        ):
            raise WorkbookRefused(
                f"part {entry.filename} declares a DTD/entities (<!DOCTYPE or <!ENTITY): "
                "refused, because Excel never writes one (entity-expansion or external-entity "
                "attack)"
            )
        tail = chunk[-16:]
        if sheet is not None:
            if first:
                carry = _scan_rows(carry, chunk, sheet, first=True)
                first = False
            else:
                carry = _scan_plain_rows(carry, chunk, sheet)
    if sheet is not None and carry:
        _scan_segment(carry, sheet)
    return b"".join(kept)


def _scan_plain_rows(carry: bytes, chunk: bytes, sheet: SheetPart) -> bytes:
    """:func:`_scan_rows`, short-cut for a chunk that holds nothing but plain rows.

    Most chunks of a data sheet are rows of plain values: no cell beyond column ZZ, no formula,
    merged range or hidden row. For those the full scan would refuse nothing and collect nothing
    but the last row number, which this reads straight from the chunk, without the
    ``carry + chunk`` copy and the four regex/substring passes. The segment boundaries stay
    exactly those of :func:`_scan_rows` (``last_row`` depends on them when rows are out of
    order), so every fact and refusal is the same; anything unusual (no ``</row>`` in the
    chunk, a chunk that may hold a fact) takes :func:`_scan_rows` itself.

    Returns:
        The carry: the chunk's bytes after its last ``</row>``, scanned with the next chunk.
    """
    end = chunk.rfind(b"</row>")
    if end >= 0:
        cut = end + len(b"</row>")
        last = chunk.rfind(b"<row ", 0, cut)
        # Any marker in carry + chunk lies in the chunk or starts in the carry and ends within
        # the chunk's first bytes (markers are shorter than 16 bytes), so the two tests cover
        # the whole segment and the new carry.
        if last >= 0 and _plain(chunk) and _plain(carry + chunk[:16]):
            match = _ROW_NUMBER.search(chunk, last, min(last + 200, cut))
            if match:
                sheet.last_row = max(sheet.last_row, int(match.group(1)))
            return chunk[cut:]
    return _scan_rows(carry, chunk, sheet)


def _plain(data: bytes) -> bool:
    """True when ``data`` certainly holds no fact :func:`_scan_segment` collects or refuses.

    Each marker the full scan looks for contains a two-byte pair (``<f`` in a formula, ``<m``
    in ``<mergeCell ``, ``n=`` in ``hidden="``, ``l=`` in ``outlineLevel="``). Comparing the
    bytes, viewed as 16-bit words at both alignments, with those pairs in numpy is several times
    faster than one substring search and releases the GIL; a pair anywhere else
    (``orientation=``, ``<mc:``, ``n=`` in a text) only sends the chunk down the full scan. The
    three-letter cell reference that the column limit looks for is searched with the same
    pattern by RE2 (pyarrow), twice as fast as ``re`` and also without the GIL; for binary data
    RE2 reads the bytes as Latin-1, so its matches are exactly those of ``re``'s bytes pattern.
    Small pieces skip the Arrow call's overhead.
    """
    if len(data) >= 2:
        even = np.frombuffer(data, np.uint16, len(data) // 2)
        odd = np.frombuffer(data, np.uint16, (len(data) - 1) // 2, offset=1)
        for pair in _FACT_PAIRS:
            if (even == pair).any() or (odd == pair).any():
                return False
    if len(data) < 4096:
        return _THREE_LETTER_CELL.search(data) is None
    cells = pa.Array.from_buffers(
        pa.binary(), 1, [None, pa.py_buffer(np.array([0, len(data)], np.int32)), pa.py_buffer(data)]
    )
    return not pc.match_substring_regex(cells, _THREE_LETTER_CELL.pattern.decode())[0].as_py()


def _scan_rows(carry: bytes, chunk: bytes, sheet: SheetPart, *, first: bool = False) -> bytes:
    """Scan ``carry + chunk`` up to its last ``</row>`` (else its last tag) as one segment.

    Cutting after a whole row keeps every row, cell and tag inside one segment, so the regexes
    never see half a marker.

    Returns:
        The carry: the bytes after the cut, scanned with the next chunk.
    """
    data = carry + chunk
    cut = data.rfind(b"</row>")
    cut = data.rfind(b">") if cut < 0 else cut + len(b"</row>") - 1
    segment, carry = data[: cut + 1], data[cut + 1 :]
    if first:
        _check_dimension(segment, sheet.name)
    _scan_segment(segment, sheet)
    return carry


def _scan_segment(segment: bytes, sheet: SheetPart) -> None:
    if any(column_index(m.decode()) >= MAX_COLUMNS for m in _THREE_LETTER_CELL.findall(segment)):
        raise WorkbookRefused(
            f"sheet '{sheet.name}' uses more than {MAX_COLUMNS:,} columns: delete the empty "
            "columns right of the data, save and load again"
        )
    last = segment.rfind(b"<row ")
    if last >= 0:
        match = _ROW_NUMBER.search(segment, last, last + 200)
        if match:
            sheet.last_row = max(sheet.last_row, int(match.group(1)))
    if b'hidden="' in segment:
        for match in _HIDDEN_ROW.finditer(segment):
            number = _ROW_NUMBER.search(match.group(0))
            if number:
                sheet.hidden_rows.add(int(number.group(1)))
    if b'outlineLevel="' in segment:
        for match in _OUTLINE_ROW.finditer(segment):
            number = _ROW_NUMBER.search(match.group(0))
            if number and int(match.group(1)) > 0:
                sheet.outline_levels[int(number.group(1))] = int(match.group(1))
    if b"<mergeCell " in segment:
        for first_col, first_row, last_col, last_row in _MERGE.findall(segment):
            top, left = int(first_row) - 1, column_index(first_col.decode())
            bottom = int(last_row) - 1 if last_row else top
            right = column_index(last_col.decode()) if last_col else left
            sheet.merged.append((top, left, bottom, right))
    if b"<f" in segment:
        sheet.uncached_formulas.extend(_uncached_formulas(segment))
        for match in _SUBTOTAL.finditer(segment):
            start = segment.rfind(b"<c ", 0, match.start())
            ref = _CELL_REF.match(segment, start) if start >= 0 else None
            if ref:
                sheet.subtotal_rows.add(int(ref.group(2)))


def _uncached_formulas(segment: bytes) -> list[tuple[int, int]]:
    """Cells that hold a formula but no cached value (written by a tool, never recalculated)."""
    found = []
    for match in _FORMULA.finditer(segment):
        start = segment.rfind(b"<c ", 0, match.start())
        end = segment.find(b"</c>", match.end())
        if start < 0 or end < 0:
            continue
        cell = segment[start:end]
        value = cell.find(b"<v>")
        if value < 0 or cell.find(b"</v>", value) == value + 3:
            ref = _CELL_REF.match(cell)
            if ref:
                found.append((int(ref.group(2)), column_index(ref.group(1).decode()) + 1))
    return found


def _check_dimension(segment: bytes, name: str) -> None:
    match = _DIMENSION.search(segment)
    if not match:
        return
    columns = column_index(match.group(3).decode()) + 1
    rows = int(match.group(4))
    if columns > MAX_COLUMNS:
        raise WorkbookRefused(
            f"sheet '{name}' claims {columns:,} columns (limit {MAX_COLUMNS:,}): delete the "
            "empty columns right of the data, save and load again"
        )
    if rows > MAX_ROWS or rows * columns > MAX_CELLS:
        raise WorkbookRefused(
            f"sheet '{name}' claims {rows:,} rows × {columns:,} columns (limit "
            f"{MAX_CELLS:,} cells): delete the empty rows below the data, or export it as CSV"
        )


def _decoded(
    chunks: Generator[bytes, None, None], kept: list[bytes] | None
) -> Generator[bytes, None, None]:
    """A part's chunks as UTF-8 for the scans, decoded when the part is UTF-16 or UTF-32.

    ``kept`` (when given) receives the original bytes, for the parts parsed afterwards.
    """
    decoder = None
    for index, chunk in enumerate(chunks):
        if kept is not None:
            kept.append(chunk)
        if index == 0:
            encoding = next((enc for bom, enc in _WIDE_ENCODINGS if chunk.startswith(bom)), None)
            if encoding:
                decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        yield decoder.decode(chunk).encode("utf-8") if decoder else chunk
    if decoder:
        rest = decoder.decode(b"", final=True).encode("utf-8")
        if rest:
            yield rest


def _chunks(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> Generator[bytes, None, None]:
    """:func:`_inflate`'s output in pieces of exactly ``CHUNK`` bytes (the last one shorter).

    The scans cut segments at chunk ends; equal pieces keep those cuts where they always were.
    """
    buffer = bytearray()
    for piece in _inflate(archive, entry):
        if not buffer and len(piece) == CHUNK:
            yield piece
            continue
        buffer += piece
        while len(buffer) >= CHUNK:
            yield bytes(buffer[:CHUNK])
            del buffer[:CHUNK]
    if buffer:
        yield bytes(buffer)


def _inflate(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> Generator[bytes, None, None]:
    """Inflate a part from its raw bytes in bounded chunks, checking every declared number.

    zipfile's reader stops at the declared size, so a part that declares a few KB but holds a
    deflate stream of gigabytes passes it (with a CRC forged for the first bytes) while the cell
    reader, which inflates the whole stream, runs out of memory. Here the stream is inflated to
    its real end: more bytes than declared, a stream longer than its compressed size, a
    different length or CRC all refuse the file before the reader sees it.
    """
    stored = entry.compress_type == zipfile.ZIP_STORED
    if not stored and entry.compress_type != zipfile.ZIP_DEFLATED:
        raise WorkbookRefused(
            f"part {entry.filename} uses a compression method Excel does not write: "
            "open the file in Excel, save it again and reload"
        )
    try:
        with open(archive.filename or "", "rb") as raw:
            raw.seek(entry.header_offset)
            header = raw.read(_LOCAL_HEADER.size)
            if len(header) != _LOCAL_HEADER.size or header[:4] != _LOCAL_SIGNATURE:
                raise WorkbookRefused(_corrupt(entry, "bad local header"))
            name_length, extra_length = _LOCAL_HEADER.unpack(header)[-2:]
            raw.seek(name_length + extra_length, 1)
            remaining = entry.compress_size
            inflater = zlib.decompressobj(-zlib.MAX_WBITS)
            size = crc = 0
            pending = b""
            while not (remaining <= 0 if stored else inflater.eof):
                if not pending and remaining > 0:
                    pending = raw.read(min(CHUNK, remaining))
                    if not pending:
                        raise WorkbookRefused(_corrupt(entry, "truncated"))
                    remaining -= len(pending)
                if stored:
                    chunk, pending = pending, b""
                else:
                    chunk = inflater.decompress(pending, CHUNK)
                    pending = inflater.unconsumed_tail
                    if not chunk and not pending and remaining <= 0 and not inflater.eof:
                        raise _misstated(entry, "its deflate stream runs past its compressed size")
                size += len(chunk)
                if size > entry.file_size:
                    raise _misstated(
                        entry, f"it inflates to more than the {entry.file_size:,} bytes it declares"
                    )
                crc = zlib.crc32(chunk, crc)
                if chunk:
                    yield chunk
    except (OSError, zlib.error) as exc:
        raise WorkbookRefused(_corrupt(entry, first_line(exc))) from exc
    if size != entry.file_size:
        raise _misstated(entry, f"it holds {size:,} bytes but declares {entry.file_size:,}")
    if crc != entry.CRC:
        raise WorkbookRefused(_corrupt(entry, "CRC mismatch"))


def _misstated(entry: zipfile.ZipInfo, why: str) -> WorkbookRefused:
    return WorkbookRefused(
        f"the workbook is corrupt or truncated: part {entry.filename} misstates its size "
        f"({why}), refused as a possible zip bomb"
    )


def _corrupt(entry: zipfile.ZipInfo, why: str) -> str:
    return (
        f"the workbook is corrupt or truncated (part {entry.filename}: {why}): "
        "open it in Excel, save it again and reload"
    )


def _read_workbook_xml(workbook: bytes, rels: bytes | None) -> tuple[bool, list[SheetPart]]:
    """The 1904 flag and the sheet list (name, state, part) from xl/workbook.xml and its rels."""
    try:
        root = ElementTree.fromstring(workbook)
        targets = {}
        if rels:
            for rel in ElementTree.fromstring(rels):
                targets[rel.get("Id")] = rel.get("Target", "")
    except Exception as exc:  # defusedxml raises several types for hostile or broken XML
        raise WorkbookRefused(f"the workbook structure is unreadable ({first_line(exc)})") from exc
    props = root.find(f"{_MAIN_NS}workbookPr")
    date1904 = props is not None and props.get("date1904", "0").lower() in ("1", "true")
    sheets = []
    for element in root.iter(f"{_MAIN_NS}sheet"):
        target = targets.get(element.get(_REL_ID), "")
        part = _resolve(target) if target else None
        kind = "worksheet"
        for folder in ("chartsheets", "dialogsheets", "macrosheets"):
            if f"{folder}/" in (part or ""):
                kind = folder[:-1]
        sheets.append(
            SheetPart(
                name=element.get("name", ""),
                kind=kind,
                state=element.get("state", "visible"),
                part=part,
            )
        )
    return date1904, sheets


def _resolve(target: str) -> str:
    """A relationship target (relative to xl/, or absolute from the root) as a zip path."""
    if target.startswith("/"):
        return target.lstrip("/")
    parts: list[str] = []
    for piece in PurePosixPath("xl", target).parts:
        if piece == "..":
            if parts:
                parts.pop()
        elif piece != ".":
            parts.append(piece)
    return "/".join(parts)


def column_index(letters: str) -> int:
    """0-based column index of Excel column letters (``A`` → 0, ``AA`` → 26)."""
    number = 0
    for char in letters:
        number = number * 26 + (ord(char) - 64)
    return number - 1


def column_letters(index: int) -> str:
    """Excel column letters of a 0-based column index (0 → ``A``)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
