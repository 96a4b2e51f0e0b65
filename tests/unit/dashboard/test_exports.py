"""Unit tests of table exports: formula injection neutralised, numbers kept.

See docs/security.md, "Data shown and exported".
"""

from __future__ import annotations

import base64
import csv
import io
from datetime import date

import openpyxl
import pandas as pd
import pytest

from dashboard.exports import (
    ExportContext,
    column_kind,
    download,
    export_filename,
    safe_cell,
    to_csv_bytes,
    to_xlsx_bytes,
)

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


def report() -> pd.DataFrame:
    """Three projects as a page exports them (readable headers, codes not yet worded)."""
    return pd.DataFrame(
        {
            "Project": ["=cmd()", "Beta", "Gamma"],
            "Computed RAG": ["red", "amber", None],
            "Budget": [2_614_000.0, 1_000.5, None],
            "% complete": [0.6, 0.05, None],
            "Baseline finish": pd.to_datetime(["2026-01-02", "2026-12-31", None]),
            "Watermelon": [True, False, False],
            "Days since report": [12, 40, 3],
        }
    )


CONTEXT = ExportContext(
    title="Projects (worst first)",
    filters="Filtered to Division: Finance · as of 2026-11-26",
    as_of=date(2026, 11, 26),
    data_version=7,
)


def test_xlsx_export_looks_made_by_a_pmo():
    book = openpyxl.load_workbook(
        io.BytesIO(to_xlsx_bytes(report(), sheet="Projects", context=CONTEXT))
    )
    # First sheet: what the file shows.
    assert book.sheetnames == ["About", "Projects"]
    about = {row[0]: row[1] for row in book["About"].iter_rows(values_only=True)}
    assert about["Filters"] == "Filtered to Division: Finance · as of 2026-11-26"
    assert (about["As of"], about["Data version"], about["Rows"]) == ("2026-11-26", "7", "3")
    sheet = book["Projects"]
    # Bold, frozen, filterable header over every row.
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:G4"
    # Widths from the text; numbers with their formats; dates without 00:00:00; Yes/No.
    assert sheet.column_dimensions["A"].width >= len("Project") + 2
    budget, percent, finish, melon = sheet["C2"], sheet["D2"], sheet["E2"], sheet["F2"]
    assert (budget.value, budget.number_format) == (2_614_000, '"£"#,##0;-"£"#,##0')
    assert (percent.value, percent.number_format) == (0.6, "0%")
    assert finish.number_format == "yyyy-mm-dd" and finish.value.date() == date(2026, 1, 2)
    assert melon.value == "Yes" and sheet["F3"].value == "No"
    assert sheet["G2"].number_format == "#,##0"
    assert sheet["A2"].value == "'=cmd()"  # formula injection still neutralised


def test_csv_export_starts_with_a_header_comment_then_the_table():
    text = to_csv_bytes(report(), context=CONTEXT).decode("utf-8-sig")
    lines = text.split("\r\n")
    assert lines[:4] == [
        "# Export: PMO Lens · Projects (worst first)",
        "# Filters: Filtered to Division: Finance · as of 2026-11-26",
        "# As of: 2026-11-26",
        "# Data version: 7",
    ]
    table = [line for line in lines if line and not line.startswith("# ")]
    assert (
        table[0]
        == "Project,Computed RAG,Budget,% complete,Baseline finish,Watermelon,Days since report"
    )
    assert table[1] == "'=cmd(),red,2614000,0.6,2026-01-02,Yes,12"


def test_download_writes_codes_in_the_screens_words():
    payload = download(report(), stem="projects", as_of=date(2026, 11, 26), fmt="csv")
    rows = list(csv.reader(io.StringIO(base64.b64decode(payload["content"]).decode("utf-8-sig"))))
    assert [r[1] for r in rows[1:]] == ["Red", "Amber", "Unknown"]


@pytest.mark.parametrize(
    ("name", "values", "kind"),
    [
        ("Utilisation (%)", [112.3, 80.0], "number"),
        ("Probability", [0.2, 0.9], "percent"),
        ("Estimated cost", [10.0, 20.0], "money"),
        ("Rows read", [1.0, 2.0], "integer"),
        ("Title", ["a", "b"], "text"),
    ],
)
def test_column_kind(name, values, kind):
    assert column_kind(name, pd.Series(values)) == kind
