"""Table exports (CSV and XLSX) that cannot smuggle formulas into the user's spreadsheet.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, tab, carriage return or NUL (after
leading whitespace) is prefixed with ``'`` so Excel shows it as text (OWASP ASVS 1.2.10,
../shared/RELIABILITY.md S12). Only text is escaped: a genuine number such as -2.5 in a numeric
column stays a number, so exported figures still add up.
"""

from __future__ import annotations

import base64
import csv
import io
import math
from datetime import date, datetime
from typing import Any

import openpyxl
import pandas as pd

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\0")
CSV_MEDIA_TYPE = "text/csv"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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


def _records(frame: pd.DataFrame) -> list[list[Any]]:
    rows = frame.astype(object).where(frame.notna(), None).to_numpy().tolist()
    return [[safe_cell(v) for v in row] for row in rows]


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a BOM (Excel then reads accents right), RFC 4180 quoting, escaped cells."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([safe_cell(str(c)) for c in frame.columns])
    for row in _records(frame):
        writer.writerow(["" if v is None else _csv_text(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx_bytes(frame: pd.DataFrame, *, sheet: str = "Export") -> bytes:
    """An .xlsx with one sheet: header row, then values (numbers stay numbers, text is escaped)."""
    book = openpyxl.Workbook(write_only=True)
    ws = book.create_sheet(title=sheet[:31] or "Export")
    ws.append([safe_cell(str(c)) for c in frame.columns])
    for row in _records(frame):
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


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


def download(frame: pd.DataFrame, *, stem: str, as_of: date, fmt: str) -> dict:
    """The ``dcc.Download`` payload for ``frame`` as CSV or XLSX (``fmt`` = "csv" | "xlsx")."""
    if fmt == "xlsx":
        content, media = to_xlsx_bytes(frame, sheet=stem[:31]), XLSX_MEDIA_TYPE
    else:
        content, media = to_csv_bytes(frame), CSV_MEDIA_TYPE
    return {
        "content": base64.b64encode(content).decode("ascii"),
        "filename": export_filename(stem, as_of, fmt),
        "type": media,
        "base64": True,
    }
