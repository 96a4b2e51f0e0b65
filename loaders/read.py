"""Read a source file into raw sheets: a grid of cell values per sheet, nothing interpreted yet.

The file type comes from the content (magic bytes), not the extension: a CSV renamed to .xlsx is
read as a CSV, and an encrypted workbook is refused with a reason instead of a parser traceback.
Workbooks are read with python-calamine (about 11x faster than pandas with openpyxl here, see
../shared/PERFORMANCE.md); text files with the standard csv module after the encoding and
delimiter have been detected.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import python_calamine

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
DELIMITERS = (",", ";", "\t", "|")
SNIFF_BYTES = 64 * 1024


class UnreadableFile(ValueError):
    """The file cannot be read at all; the message says why in the user's terms."""


@dataclass
class RawSheet:
    """One sheet of raw cells.

    Attributes:
        name: Sheet name, or None for a text file.
        grid: Cells by position (columns 0..n-1), values as the reader gave them.
        row_numbers: The 1-based row number a spreadsheet shows for each grid row.
        structural_rejects: Rows the reader could not split into cells: (row number, reason, raw).
        hidden_rows: Row numbers hidden in the workbook (loaded, but reported).
    """

    name: str | None
    grid: pd.DataFrame
    row_numbers: list[int]
    structural_rejects: list[tuple[int, str, str]] = field(default_factory=list)
    hidden_rows: set[int] = field(default_factory=set)


@dataclass
class RawFile:
    """What a reader made of one file."""

    path: Path
    file_format: str
    sheets: list[RawSheet]
    encoding: str | None = None
    delimiter: str | None = None
    notes: list[str] = field(default_factory=list)


def sniff_format(head: bytes, suffix: str) -> str:
    """Name the file's real format from its first bytes: xlsx, xls, encrypted or text."""
    if head.startswith(ZIP_MAGIC):
        return "xlsx"
    if head.startswith(OLE_MAGIC):
        return "xls"
    if not head:
        return "empty"
    if b"\x00" in head[:4096] and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Text with NUL bytes and no UTF-16 BOM: most likely a binary file with a text extension.
        text_like = sum(32 <= b < 127 or b in (9, 10, 13) for b in head[:4096]) / min(
            len(head), 4096
        )
        if text_like < 0.6:
            return "binary"
    return "text"


def read_file(path: Path) -> RawFile:
    """Read ``path`` into raw sheets.

    Raises:
        UnreadableFile: Empty, binary, encrypted, corrupt or otherwise unreadable files.
    """
    try:
        with open(path, "rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError as exc:
        raise UnreadableFile(f"cannot open the file: {exc.strerror}") from exc
    kind = sniff_format(head, path.suffix.lower())
    if kind == "empty":
        raise UnreadableFile("the file is empty (0 bytes): it has no data rows")
    if kind == "binary":
        raise UnreadableFile(
            "not a spreadsheet or text file: save it as .xlsx or .csv and load it again"
        )
    if kind in ("xlsx", "xls"):
        return read_workbook(path, kind)
    return read_text(path)


def read_workbook(path: Path, kind: str) -> RawFile:
    """Read every sheet of an .xlsx/.xlsm/.xls workbook with python-calamine."""
    if kind == "xls" and _is_encrypted_ole(path):
        raise UnreadableFile(
            "password-protected workbook: remove the password in Excel and load it again"
        )
    if kind == "xlsx":
        _check_zip(path)
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        sheets = []
        for name in workbook.sheet_names:
            sheet = workbook.get_sheet_by_name(name)
            rows = sheet.to_python(skip_empty_area=False)
            sheets.append(_sheet_from_rows(name, rows))
    except UnreadableFile:
        raise
    except Exception as exc:  # calamine raises several error types for broken files
        raise UnreadableFile(f"the workbook is corrupt or truncated ({_first_line(exc)})") from exc
    return RawFile(path=path, file_format=kind, sheets=sheets)


def read_text(path: Path) -> RawFile:
    """Read a delimited text file (CSV/TSV/TXT) after detecting its encoding and delimiter."""
    data = path.read_bytes()
    encoding, text = decode_text(data)
    delimiter = detect_delimiter(text)
    rows: list[list[str]] = []
    rejects: list[tuple[int, str, str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        for record in reader:
            rows.append(record)
    except csv.Error as exc:
        raise UnreadableFile(
            f"line {reader.line_num}: {exc} (a quote is probably never closed)"
        ) from exc
    if not rows:
        raise UnreadableFile("the file has no rows")
    sheet = _sheet_from_rows(None, rows)
    sheet.structural_rejects = rejects
    return RawFile(
        path=path, file_format="csv", sheets=[sheet], encoding=encoding, delimiter=delimiter
    )


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode bytes, detecting UTF-8 (with or without BOM), UTF-16 (BOM) and cp1252/latin-1."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", data.decode("utf-16", errors="replace")
    try:
        return "utf-8", data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return "cp1252", data.decode("cp1252")
    except UnicodeDecodeError:
        return "latin-1", data.decode("latin-1")


def detect_delimiter(text: str) -> str:
    """Pick the delimiter that splits the first lines most consistently into several fields."""
    lines = [line for line in text[:SNIFF_BYTES].splitlines()[:50] if line.strip()]
    best, best_score = ",", -1.0
    for delim in DELIMITERS:
        counts = [len(next(csv.reader([line], delimiter=delim), [])) for line in lines]
        multi = [c for c in counts if c > 1]
        if not multi:
            continue
        mode = max(set(multi), key=multi.count)
        score = multi.count(mode) * mode
        if score > best_score:
            best, best_score = delim, score
    return best


def _sheet_from_rows(name: str | None, rows: list[list[Any]]) -> RawSheet:
    width = max((len(r) for r in rows), default=0)
    padded = [list(r) + [None] * (width - len(r)) for r in rows]
    grid = pd.DataFrame(padded, columns=range(width), dtype=object)
    return RawSheet(name=name, grid=grid, row_numbers=list(range(1, len(rows) + 1)))


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            bad = archive.testzip()
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise UnreadableFile(f"the workbook is corrupt or truncated ({exc})") from exc
    if bad is not None:
        raise UnreadableFile(f"the workbook is corrupt: part {bad} is damaged")


def _is_encrypted_ole(path: Path) -> bool:
    with open(path, "rb") as handle:
        blob = handle.read(1 << 20)
    return "EncryptionInfo".encode("utf-16-le") in blob


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
