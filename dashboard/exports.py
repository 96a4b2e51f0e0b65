"""Table exports (CSV and XLSX) that cannot smuggle formulas into the user's spreadsheet.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, tab, carriage return or NUL (after
leading whitespace) is prefixed with ``'`` so Excel shows it as text (OWASP ASVS 1.2.10).
Only text is escaped: a genuine number such as -2.5 in a numeric column stays a number, so
exported figures still add up.
"""

from __future__ import annotations

import base64
import csv
import io
import math
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import openpyxl
import pandas as pd
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from dashboard import formats, vocabulary

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\0")
CSV_MEDIA_TYPE = "text/csv"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE3EA")
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="top")


def safe_cell(value: Any) -> Any:
    """Return ``value`` ready for a spreadsheet: text that could run as a formula gets a ``'``."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, str):
        stripped = value.lstrip(" \u00a0")
        if value.startswith(DANGEROUS_PREFIXES) or stripped.startswith(DANGEROUS_PREFIXES):
            return "'" + value
        return value
    return value


@dataclass(frozen=True)
class ExportContext:
    """What an export records about itself: which view, which filters, which data.

    The XLSX gets an "About" sheet first and the CSV ``#`` comment lines on top, so a file
    forwarded by e-mail still says what it shows (docs/ux.md "Exports").
    """

    title: str
    filters: str
    as_of: date
    data_version: int | None = None
    currency: str = "GBP"

    def lines(self, rows: int) -> list[tuple[str, str]]:
        """``(label, value)`` pairs, in the order both formats print them."""
        return [
            ("Export", f"PMO Lens · {self.title}"),
            ("Filters", self.filters),
            ("As of", self.as_of.isoformat()),
            ("Data version", "–" if self.data_version is None else str(self.data_version)),
            ("Rows", f"{rows:,}"),
            ("Money", f"{self.currency} (whole units)"),
            ("Note", "Text that could run as a formula starts with ' and is shown as text."),
        ]


def export_context(
    title: str, filters: str, as_of: date, *, data_version: int | None, currency: str
) -> ExportContext:
    """An :class:`ExportContext` (a keyword-only shorthand for the pages)."""
    return ExportContext(title, filters, as_of, data_version, currency)


MONEY_HINTS = ("budget", "eac", "cost", "spend", "benefit", "value (")
PERCENT_HINTS = ("%", "percent", "share", "utilisation", "probability")
MAX_WIDTH = 60


def column_kind(name: str, series: pd.Series) -> str:
    """``date``, ``money``, ``percent``, ``integer``, ``number``, ``bool`` or ``text``.

    Dates and booleans come from the dtype; money and percent from the header words the
    exports use ("Budget", "EAC", "% complete", "Peak utilisation"); other numbers by dtype.
    """
    lower = name.lower()
    if pd.api.types.is_bool_dtype(series.dtype):
        return "bool"
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        return "date"
    if pd.api.types.is_numeric_dtype(series.dtype):
        finite = series.dropna()
        # "Utilisation (%)" already holds percents (112.3); only 0-1 fractions get "0%".
        fraction = "(%)" not in lower and (not len(finite) or float(finite.abs().max()) <= 1.5)
        if fraction and any(hint in lower for hint in PERCENT_HINTS):
            return "percent"
        if any(hint in lower for hint in MONEY_HINTS):
            return "money"
        if pd.api.types.is_integer_dtype(series.dtype):
            return "integer"
        whole = bool(len(finite)) and bool((finite == finite.round()).all())
        return "integer" if whole else "number"
    sample = series.dropna().head(50)
    if len(sample) and all(isinstance(v, date) for v in sample):
        return "date"
    return "text"


def _number_formats(currency: str) -> dict[str, str]:
    return {
        "date": formats.XLSX_DATE,
        "money": formats.xlsx_money(currency),
        "percent": formats.XLSX_PERCENT,
        "integer": formats.XLSX_INTEGER,
        "number": formats.XLSX_DECIMAL,
    }


def _records(frame: pd.DataFrame) -> list[list[Any]]:
    rows = frame.astype(object).where(frame.notna(), None).to_numpy().tolist()
    return [[safe_cell(v) for v in row] for row in rows]


def _spreadsheet_value(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind == "bool":
        return "Yes" if value else "No"
    if kind == "date" and isinstance(value, datetime):
        return value.date() if value.time() == datetime.min.time() else value
    return value


def to_csv_bytes(frame: pd.DataFrame, *, context: ExportContext | None = None) -> bytes:
    """UTF-8 CSV with a BOM (Excel then reads accents right), RFC 4180 quoting, escaped cells.

    With a ``context``, ``# label: value`` lines come first (filters, as-of, data version).
    Booleans are written Yes/No and dates as ``YYYY-MM-DD``; numbers stay plain numbers.
    """
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    if context is not None:
        for label, value in context.lines(len(frame)):
            # Written as plain lines (not CSV fields), so a comma never quotes the "#" away.
            one_line = " ".join(str(value).split())
            buffer.write(f"# {label}: {one_line}\r\n")
    kinds = [column_kind(str(c), frame[c]) for c in frame.columns]
    writer.writerow([safe_cell(str(c)) for c in frame.columns])
    for row in _records(frame):
        writer.writerow(
            [
                "" if v is None else _csv_text(_spreadsheet_value(v, k))
                for v, k in zip(row, kinds, strict=True)
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx_bytes(
    frame: pd.DataFrame, *, sheet: str = "Export", context: ExportContext | None = None
) -> bytes:
    """An .xlsx a PMO can forward: an "About" sheet (with a ``context``), then the table.

    The table has a bold, frozen header with an auto-filter, columns sized to their text, and
    money, percent, date and count formats by column (:func:`column_kind`); numbers stay
    numbers and text that could run as a formula is escaped (:func:`safe_cell`).
    """
    book = openpyxl.Workbook(write_only=True)
    currency = context.currency if context else "GBP"
    if context is not None:
        about = book.create_sheet(title="About")
        about.column_dimensions["A"].width = 16
        about.column_dimensions["B"].width = 90
        for label, value in context.lines(len(frame)):
            key = WriteOnlyCell(about, value=label)
            key.font = BOLD
            about.append([key, safe_cell(value)])
    ws = book.create_sheet(title=_sheet_title(sheet))
    columns = [str(c) for c in frame.columns]
    kinds = [column_kind(c, frame[c]) for c in frame.columns]
    number_formats = _number_formats(currency)
    records = _records(frame)
    for index, name in enumerate(columns, start=1):
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = _width(name, [r[index - 1] for r in records[:500]])
    ws.freeze_panes = "A2"
    if columns:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(records) + 1}"
    header = []
    for name in columns:
        cell = WriteOnlyCell(ws, value=safe_cell(name))
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = HEADER_ALIGNMENT
        header.append(cell)
    ws.append(header)
    styled = [number_formats.get(kind) for kind in kinds]
    for row in records:
        out = []
        for value, kind, number_format in zip(row, kinds, styled, strict=True):
            value = _spreadsheet_value(value, kind)
            if number_format and value is not None and not isinstance(value, str):
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = number_format
                out.append(cell)
            else:
                out.append(value)
        ws.append(out)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_title(name: str) -> str:
    cleaned = "".join(ch for ch in name if ch not in "[]:*?/\\")[:31]
    return cleaned if cleaned and cleaned != "About" else "Export"


def _width(name: str, values: list[Any]) -> float:
    longest = max([len(name), *(len(_csv_text(v)) for v in values if v is not None)])
    return float(min(MAX_WIDTH, max(8, longest + 2)))


def export_filename(stem: str, as_of: date, extension: str) -> str:
    """A descriptive, safe file name: ``pmo-projects-2026-11-26.csv``."""
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in stem.lower()).strip("-")
    return f"pmo-{safe or 'export'}-{as_of.isoformat()}.{extension}"


def _csv_text(value: Any) -> str:
    if isinstance(value, datetime):
        # Canonical dates arrive as midnight timestamps: write them as plain dates.
        return (
            value.date().isoformat()
            if value.time() == datetime.min.time()
            else (value.isoformat(sep=" "))
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def download(
    frame: pd.DataFrame,
    *,
    stem: str,
    as_of: date,
    fmt: str,
    context: ExportContext | None = None,
) -> dict:
    """The ``dcc.Download`` payload for ``frame`` as CSV or XLSX (``fmt`` = "csv" | "xlsx").

    RAG, status and severity codes are written as the words the screen shows (vocabulary).
    """
    frame = vocabulary.label_export(frame)
    if fmt == "xlsx":
        content, media = to_xlsx_bytes(frame, sheet=stem[:31], context=context), XLSX_MEDIA_TYPE
    else:
        content, media = to_csv_bytes(frame, context=context), CSV_MEDIA_TYPE
    return {
        "content": base64.b64encode(content).decode("ascii"),
        "filename": export_filename(stem, as_of, fmt),
        "type": media,
        "base64": True,
    }
