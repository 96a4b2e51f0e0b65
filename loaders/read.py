"""Read a source file into raw sheets: a grid of cell texts per sheet, nothing interpreted yet.

The file type comes from the content (magic bytes), not the extension: a CSV renamed to .xlsx is
read as a CSV, and an encrypted workbook is refused with a reason instead of a parser traceback.

Every reader hands over the same thing, a grid of Arrow-backed strings (NA = empty cell), so one
vectorised path validates CSV and workbook rows alike:

- Workbooks (.xlsx/.xlsm, and .xls/.ods where calamine reads them) go through
  :mod:`loaders.guards` first (zip bombs, DTDs, huge grids) and are then read by fastexcel straight
  into Arrow strings (faster than python-calamine's Python lists, measured by
  benchmarks/bench_loaders.py; docs/architecture.md §10).
  Date cells arrive as ISO text already converted with the workbook's date system; numbers as
  their shortest text.
- Text files are decoded (UTF-8 with or without BOM, UTF-16 with BOM, cp1252, latin-1), their
  delimiter sniffed, and parsed by pyarrow's multi-threaded CSV reader. Rows it cannot split
  become structural rejects with their row number; files it cannot handle (a preamble of title
  lines, an unclosed quote) take the exact path through the standard csv module.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from loaders import guards
from loaders.exception_text import first_line
from loaders.templates import MARKER_REASON, MARKER_SHEET

ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Formats whose first bytes could pass the text test below (a PDF's header has no NUL byte);
# other binaries (executables, images, archives) are caught by their NUL and control bytes.
BINARY_MAGICS = (b"%PDF-", b"\x7fELF", b"\x89PNG", b"\xff\xd8\xff", b"\x1f\x8b", b"7z\xbc\xaf")
DELIMITERS = (",", ";", "\t", "|")
SNIFF_BYTES = 64 * 1024
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
MAX_XLS_BYTES = 100 * 1024 * 1024
STRING = pd.StringDtype("pyarrow")
_BLOCK = 16 * 1024 * 1024
_ERROR_TEXT = {
    "Div0": "#DIV/0!",
    "NA": "#N/A",
    "Name": "#NAME?",
    "Null": "#NULL!",
    "Num": "#NUM!",
    "Ref": "#REF!",
    "Value": "#VALUE!",
    "GettingData": "#GETTING_DATA",
}
_ERROR_DETAIL = re.compile(r"Error\((\w+)\)")
# Calamine renders time-of-day and duration cells as datetimes on its day zero.
_DAY_ZERO = r"^1899-12-3[01] (\d\d:\d\d:\d\d)$"

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


class UnreadableFile(ValueError):
    """The file cannot be read at all; the message says why in the user's terms."""


@dataclass
class RawSheet:
    """One sheet of raw cells.

    Attributes:
        name: Sheet name, or None for a text file.
        grid: Cells by position (columns 0..n-1), Arrow-backed strings, NA for an empty cell.
        row_numbers: The 1-based row number a spreadsheet shows for each grid row.
        structural_rejects: Rows the reader could not split into cells: (row number, reason, raw).
        hidden_rows: Row numbers hidden in the workbook (loaded, but reported).
        outline_levels: Row number -> Excel outline level, for grouped (indented) rows.
        first_column: 0-based spreadsheet column of grid column 0 (column letters in messages).
        merged: Merged ranges in grid coordinates, inclusive (top, left, bottom, right).
        uncached_formulas: (row number, grid column) of formulas saved without a value.
        subtotal_rows: Row numbers computed by ``SUBTOTAL``/``AGGREGATE`` formulas.
        skip_reason: Why the whole sheet is not data (chart sheet, hidden sheet), if it is not.
        notes: What the reader changed or noticed, for the sheet message.
        unreadable: The sheet could not be read at all (``skip_reason`` says why).
    """

    name: str | None
    grid: pd.DataFrame
    row_numbers: np.ndarray
    structural_rejects: list[tuple[int, str, str]] = field(default_factory=list)
    hidden_rows: set[int] = field(default_factory=set)
    outline_levels: dict[int, int] = field(default_factory=dict)
    first_column: int = 0
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    uncached_formulas: list[tuple[int, int]] = field(default_factory=list)
    subtotal_rows: set[int] = field(default_factory=set)
    skip_reason: str | None = None
    notes: list[str] = field(default_factory=list)
    unreadable: bool = False


@dataclass
class RawFile:
    """What a reader made of one file."""

    path: Path
    file_format: str
    sheets: list[RawSheet]
    encoding: str | None = None
    delimiter: str | None = None
    date1904: bool = False
    notes: list[str] = field(default_factory=list)


def sniff_format(head: bytes, suffix: str = "") -> str:
    """Name the file's real format from its first bytes: xlsx, xls, empty, binary or text."""
    if head.startswith((ZIP_MAGIC, EMPTY_ZIP_MAGIC)):
        return "xlsx"
    if head.startswith(OLE_MAGIC):
        return "xls"
    if not head:
        return "empty"
    if head.startswith(BINARY_MAGICS):
        return "binary"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "text"
    sample = head[:4096]
    if b"\x00" in sample:
        text_like = sum(32 <= b < 127 or b in (9, 10, 13) for b in sample) / len(sample)
        if text_like < 0.6:
            return "binary"
    return "text"


def read_file(path: Path, data: bytes | None = None) -> RawFile:
    """Read ``path`` into raw sheets.

    Args:
        path: The file (its name is used in messages; its content decides the format).
        data: The file's bytes when the caller already read them (text files reuse them).

    Raises:
        UnreadableFile: Empty, binary, encrypted, corrupt, unsafe or otherwise unreadable files.
    """
    try:
        if data is None:
            with open(path, "rb") as handle:
                head = handle.read(SNIFF_BYTES)
        else:
            head = data[:SNIFF_BYTES]
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
    return read_text(path, data if data is not None else path.read_bytes())


def read_workbook(path: Path, kind: str) -> RawFile:
    """Read every sheet of an .xlsx/.xlsm/.xls workbook (guards first, then fastexcel)."""
    info = guards.WorkbookInfo()
    notes: list[str] = []
    if kind == "xls":
        _check_ole(path)
    else:
        try:
            info = guards.inspect_workbook(path)
        except guards.WorkbookRefused as exc:
            raise UnreadableFile(str(exc)) from exc
        if info.has_macros:
            notes.append("macros present: ignored, never run")
        if info.has_external_links:
            notes.append("external links: the values Excel last saved are used, never refreshed")
    import fastexcel

    try:
        reader = fastexcel.read_excel(path)
        names = reader.sheet_names
    except Exception as exc:  # fastexcel raises its own error types for broken files
        raise UnreadableFile(_workbook_error(exc)) from exc
    sheets = []
    broken: list[str] = []
    for name in names:
        part = info.sheet(name)
        try:
            sheets.append(_read_sheet(reader, name, part))
        except UnreadableFile:
            raise
        except Exception as exc:
            # One unreadable sheet fails alone; its siblings are still read (docs/loaders.md,
            # "One sheet never fails another").
            broken.append(f"sheet '{name}': {_workbook_error(exc)}")
            sheets.append(_skipped_sheet(name, f"the sheet cannot be read: {_workbook_error(exc)}"))
            sheets[-1].unreadable = True
    if broken and all(s.unreadable or s.skip_reason for s in sheets):
        raise UnreadableFile(broken[0])
    listed = set(names)
    for part in info.sheets:
        if part.name not in listed:  # chart sheets are not listed by the cell reader
            reason = f"{part.kind.replace('sheet', ' sheet')}: no table data"
            sheets.append(_skipped_sheet(part.name, reason))
    return RawFile(path=path, file_format=kind, sheets=sheets, date1904=info.date1904, notes=notes)


def read_text(path: Path, data: bytes) -> RawFile:
    """Read a delimited text file (CSV/TSV/TXT) after detecting its encoding and delimiter."""
    encoding, data = decode_to_utf8(data)
    notes = []
    if encoding not in ("utf-8", "utf-8-sig"):
        notes.append(f"text encoding {encoding} converted to UTF-8")
    if b"\x00" in data:
        notes.append("NUL characters found: removed from values")
    sample = data[:SNIFF_BYTES].decode("utf-8", errors="ignore")
    delimiter = detect_delimiter(sample)
    widths = _record_widths(sample, delimiter)
    if not widths:
        raise UnreadableFile("the file has no rows")
    sheet = None
    if widths[0] == max(widths):
        sheet = _read_text_fast(data, delimiter, widths[0])
    if sheet is None:
        sheet = _read_text_exact(data.decode("utf-8", errors="replace"), delimiter)
    sheet.notes = notes
    return RawFile(
        path=path,
        file_format="csv",
        sheets=[sheet],
        encoding=encoding,
        delimiter=delimiter,
        notes=notes,
    )


def decode_to_utf8(data: bytes) -> tuple[str, bytes]:
    """Detect the encoding and return (its name, the content as UTF-8 without a BOM).

    UTF-8 is checked without decoding (Arrow's validator); cp1252 is the usual Windows export,
    latin-1 takes what cp1252 cannot (it maps every byte).
    """
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
        return "utf-8-sig", data if _is_utf8(data) else data.decode("utf-8", "replace").encode()
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", data.decode("utf-16", errors="replace").encode("utf-8")
    if _is_utf8(data):
        return "utf-8", data
    try:
        return "cp1252", data.decode("cp1252").encode("utf-8")
    except UnicodeDecodeError:
        return "latin-1", data.decode("latin-1").encode("utf-8")


def detect_delimiter(text: str) -> str:
    """Pick the delimiter that splits the first lines most consistently into several fields."""
    lines = [line for line in text.splitlines()[:50] if line.strip()]
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


def _read_text_fast(data: bytes, delimiter: str, width: int) -> RawSheet | None:
    """Parse with pyarrow; None when only the exact path can tell what happened."""
    names = [f"c{i}" for i in range(width)]
    table, bad = _arrow_csv(data, delimiter, names, threads=True)
    if table is None or any("\n" in text or "\r" in text for _, _, _, text in bad):
        return None
    if table.num_rows and _has_line_break(table.slice(table.num_rows - 1)):
        # An unclosed quote swallows the rest of the file into the last row; only the exact
        # path can tell that from a genuine multi-line last value.
        return None
    if bad and any(number is None for number, _, _, _ in bad):
        table, bad = _arrow_csv(data, delimiter, names, threads=False)
        if table is None:
            return None
    total = table.num_rows + len(bad)
    numbers = np.arange(1, total + 1, dtype=np.int64)
    rejects = []
    if bad:
        skipped = np.array([number for number, _, _, _ in bad], dtype=np.int64)
        numbers = np.delete(numbers, skipped - 1)
        rejects = [
            (number, _width_reason(actual, expected), text)
            for number, expected, actual, text in bad
        ]
    # Read as large_string: pandas holds its string columns that way, so nothing is re-cast.
    grid = pd.DataFrame(
        {
            i: pd.arrays.ArrowStringArray(
                table.column(i)
                if table.column(i).num_chunks
                else pa.chunked_array([pa.array([], pa.large_string())])
            )
            for i in range(width)
        }
    )
    sheet = RawSheet(name=None, grid=grid, row_numbers=numbers, structural_rejects=rejects)
    _reject_long_cells(sheet)
    return sheet


def _has_line_break(row: pa.Table) -> bool:
    return any(
        pc.any(pc.match_substring_regex(column, r"[\r\n]")).as_py() for column in row.columns
    )


def _arrow_csv(
    data: bytes, delimiter: str, names: list[str], *, threads: bool
) -> tuple[pa.Table | None, list[tuple[int | None, int, int, str]]]:
    bad: list[tuple[int | None, int, int, str]] = []

    def on_invalid(row: pa_csv.InvalidRow) -> str:
        bad.append((row.number, row.expected_columns, row.actual_columns, row.text))
        return "skip"

    try:
        table = pa_csv.read_csv(
            io.BytesIO(data),
            read_options=pa_csv.ReadOptions(
                column_names=names, use_threads=threads, block_size=_BLOCK
            ),
            parse_options=pa_csv.ParseOptions(
                delimiter=delimiter,
                newlines_in_values=True,
                ignore_empty_lines=False,
                invalid_row_handler=on_invalid,
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.large_string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowException):
        return None, bad
    return table, bad


def _read_text_exact(text: str, delimiter: str) -> RawSheet:
    """The csv module's record-by-record parse: exact record and line numbers, slower."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[list[str]] = []
    starts: list[int] = []
    while True:
        start = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            if "end of data" in str(exc) or "EOF" in str(exc):
                raise UnreadableFile(
                    f'line {start}: a quoted value opened here is never closed (an unmatched " '
                    "character): fix the quote and load again"
                ) from exc
            raise UnreadableFile(
                f"line {reader.line_num}: {exc}: the file is not valid CSV"
            ) from exc
        records.append(record)
        starts.append(start)
    if not records:
        raise UnreadableFile("the file has no rows")
    lengths = [len(r) for r in records if len(r) > 1]
    width = max(set(lengths), key=lengths.count) if lengths else 1
    table_started = False
    rows, numbers, rejects = [], [], []
    for number, (record, start) in enumerate(zip(records, starts, strict=True), start=1):
        blank = not any(cell.strip() for cell in record)
        if len(record) == width:
            table_started = True
        if table_started and not blank and len(record) != width:
            raw = delimiter.join(record)
            reason = _width_reason(len(record), width)
            if number != start:
                reason += f" (line {start} of the file)"
            rejects.append((number, reason, raw))
            continue
        rows.append(record[:width] + [""] * (width - len(record)))
        numbers.append(number)
    grid = pd.DataFrame(rows, columns=range(width), dtype=STRING) if rows else _empty(width)
    sheet = RawSheet(
        name=None,
        grid=grid,
        row_numbers=np.array(numbers, dtype=np.int64),
        structural_rejects=rejects,
    )
    _reject_long_cells(sheet)
    return sheet


def _read_sheet(reader, name: str, part: guards.SheetPart | None) -> RawSheet:
    if part is not None and part.kind != "worksheet":
        return _skipped_sheet(name, f"{part.kind.replace('sheet', ' sheet')}: no table data")
    # A template's marker sheet is hidden from its users, not from the loader: its cells name
    # the template's kind and version (docs/templates.md, "The hidden sheet").
    marker = name == MARKER_SHEET
    if part is not None and part.state != "visible" and not marker:
        return _skipped_sheet(name, "hidden sheet (unhide it in Excel to load it)")
    sheet = reader.load_sheet(name, header_row=None, dtypes="string", skip_rows=0)
    columns = sheet.available_columns()
    batch, errors = sheet.to_arrow_with_errors()
    first_column = columns[0].absolute_index if columns else 0
    arrays = [batch.column(i) for i in range(batch.num_columns)]
    if errors is not None:
        arrays = _with_error_values(arrays, errors.errors)
    grid = pd.DataFrame(
        {i: pd.arrays.ArrowStringArray(_day_zero_times(a)) for i, a in enumerate(arrays)}
    )
    raw = RawSheet(
        name=name,
        grid=grid if len(arrays) else _empty(0),
        row_numbers=np.arange(1, batch.num_rows + 1, dtype=np.int64),
        first_column=first_column,
    )
    if part is not None:
        raw.hidden_rows = set(part.hidden_rows)
        raw.outline_levels = dict(part.outline_levels)
        raw.merged = [
            (top, left - first_column, bottom, right - first_column)
            for top, left, bottom, right in part.merged
        ]
        raw.subtotal_rows = set(part.subtotal_rows)
        raw.uncached_formulas = [
            (row, col - 1 - first_column) for row, col in part.uncached_formulas
        ]
    if marker:
        raw.skip_reason = MARKER_REASON
    return raw


def _with_error_values(arrays: list[pa.Array], errors) -> list[pa.Array]:
    """Put Excel error values (``#REF!``) back where the reader left nulls, so they are reported."""
    fixes: dict[int, dict[int, str]] = {}
    for error in errors:
        match = _ERROR_DETAIL.search(error.detail)
        if match:
            row, col = error.offset_position
            fixes.setdefault(col, {})[row] = _ERROR_TEXT.get(match.group(1), "#VALUE!")
    for col, cells in fixes.items():
        if col >= len(arrays):
            continue
        values = arrays[col].to_pylist()
        for row, text in cells.items():
            if row < len(values):
                values[row] = text
        arrays[col] = pa.array(values, pa.string())
    return arrays


def _day_zero_times(array: pa.Array) -> pa.Array:
    """Time-of-day and duration cells as ``HH:MM:SS`` instead of a date on 1899-12-31."""
    array = array.cast(pa.string())
    if not len(array) or not pc.any(pc.starts_with(array, "1899-12-3")).as_py():
        return array
    return pc.replace_substring_regex(array, _DAY_ZERO, r"\1")


def _skipped_sheet(name: str, reason: str) -> RawSheet:
    return RawSheet(
        name=name, grid=_empty(0), row_numbers=np.empty(0, np.int64), skip_reason=reason
    )


def _reject_long_cells(sheet: RawSheet) -> None:
    """Rows with a cell longer than Excel's 32,767-character limit become structural rejects."""
    grid = sheet.grid
    if not len(grid):
        return
    too_long = np.zeros(len(grid), dtype=bool)
    for column in grid.columns:
        cells = grid[column].array
        if not isinstance(cells, pd.arrays.ArrowStringArray):
            too_long |= (grid[column].str.len() > MAX_CELL_CHARS).fillna(False).to_numpy(bool)
            continue
        # A cell never has more characters than bytes: when no cell is that many bytes long
        # (nearly always), the per-character count is skipped.
        strings = pa.array(cells)
        if (pc.max(pc.binary_length(strings)).as_py() or 0) <= MAX_CELL_CHARS:
            continue
        chars = pc.utf8_length(strings)
        too_long |= np.asarray(pc.fill_null(pc.greater(chars, MAX_CELL_CHARS), False), bool)
    if not too_long.any():
        return
    for position in np.flatnonzero(too_long):
        longest = max(len(v) for v in grid.iloc[position].dropna())
        sheet.structural_rejects.append(
            (
                int(sheet.row_numbers[position]),
                f"a cell holds {longest:,} characters, more than a spreadsheet cell can "
                f"({MAX_CELL_CHARS:,}): LINE SIZE OVER MAXIMUM",
                str(grid.iloc[position, 0])[:200],
            )
        )
    sheet.grid = grid[~too_long].reset_index(drop=True)
    sheet.row_numbers = sheet.row_numbers[~too_long]
    sheet.structural_rejects.sort()


def _width_reason(actual: int, expected: int) -> str:
    if actual < expected:
        return (
            f"the row has {actual} cells but the table has {expected} (MISSING COLUMNS): "
            "a delimiter or a value is missing"
        )
    return (
        f"the row has {actual} cells but the table has {expected} (TOO MANY COLUMNS): "
        "probably a delimiter inside a value that is not quoted"
    )


def _record_widths(sample: str, delimiter: str) -> list[int]:
    """Cell counts of the first complete records of the sample (the last may be cut off)."""
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
    widths = []
    try:
        for record in reader:
            if record and any(cell.strip() for cell in record):
                widths.append(len(record))
            if len(widths) >= 50:
                break
    except csv.Error:
        pass
    return widths[:-1] if len(widths) > 1 and len(sample) >= SNIFF_BYTES else widths


def _is_utf8(data: bytes) -> bool:
    """Validate UTF-8 in place (no decoded copy of a large file)."""
    if data.isascii():
        return True
    buffer = pa.py_buffer(data)
    offsets = pa.py_buffer(np.array([0, len(data)], dtype=np.int64).tobytes())
    try:
        pa.Array.from_buffers(pa.large_string(), 1, [None, offsets, buffer]).validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def _check_ole(path: Path) -> None:
    """Refuse encrypted OLE containers (password-protected .xlsx and .xls) and oversized ones."""
    if path.stat().st_size > MAX_XLS_BYTES:
        raise UnreadableFile(
            f"legacy workbook over {MAX_XLS_BYTES // 2**20} MB: save it as .xlsx or .csv"
        )
    with open(path, "rb") as handle:
        blob = handle.read(1 << 20)
    if (
        "EncryptionInfo".encode("utf-16-le") in blob
        or "EncryptedPackage".encode("utf-16-le") in blob
    ):
        raise UnreadableFile(
            "password-protected workbook: remove the password in Excel and load it again"
        )
    if "Workbook".encode("utf-16-le") not in blob and "Book".encode("utf-16-le") not in blob:
        raise UnreadableFile(
            "an Office file that is not an Excel workbook: save the data as .xlsx or .csv"
        )


def _workbook_error(exc: BaseException) -> str:
    text = first_line(exc)
    if "password" in text.lower() or "encrypt" in text.lower():
        return "password-protected workbook: remove the password in Excel and load it again"
    return f"the workbook is corrupt or truncated: open it in Excel, save it again ({text})"


def _empty(width: int) -> pd.DataFrame:
    return pd.DataFrame({i: pd.Series([], dtype=STRING) for i in range(width)})
