"""The monthly Project Register workbook: title rows, header on row 4, a totals row.

Last month's register leaves out the projects registered this month; a stale project's numbers
stop at its last status report, as the PMO had nothing newer.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from demo_files import save_workbook
from demo_headers import DATE_FMT, MONEY_FMT, REGISTER_HEADER
from demo_project_state import (
    actual_cost_at,
    budget_at,
    eac_at,
    forecast_at,
    pct_complete,
    register_rag,
    stage_at,
)
from demo_records import Project
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

INSTRUCTIONS = (
    "Project Register: the PMO's master list of projects.",
    "Update the Register sheet by the last working day of each month.",
    "RAG Status follows the latest status report; money is in pounds sterling.",
    "Questions: pmo.office@contoso.example",
)
MONEY_COLUMNS = (13, 14, 15)  # Budget, Actual Cost, EAC
PERCENT_COLUMN = 16


def write_register(out_dir: Path, projects: Sequence[Project], as_of: date, *, prev: bool) -> Path:
    """Write ``Project Register <as_of>.xlsx``; ``prev`` is last month's (no new projects)."""
    wb = Workbook()
    info = wb.active
    info.title = "Instructions"
    for r, text in enumerate(INSTRUCTIONS, start=1):
        info.cell(r, 1, text)
    info.column_dimensions["A"].width = 80
    ws = wb.create_sheet("Register")
    ws.cell(1, 1, "Contoso PMO – Project Register").font = Font(bold=True, size=14)
    ws.cell(2, 1, f"Exported {as_of.isoformat()} by PMO Office")
    for c, name in enumerate(REGISTER_HEADER, start=1):
        ws.cell(4, c, name).font = Font(bold=True)
    listed = [p for p in projects if p.start <= as_of and not (prev and p.new)]
    row = 5
    total = 0.0
    for p in listed:
        values = _register_values(p, as_of)
        total += values[12]
        _write_row(ws, row, values)
        row += 1
    ws.cell(row, 2, "Total").font = Font(bold=True)
    ws.cell(row, 13, total).number_format = MONEY_FMT
    for c, width in enumerate((11, 34, 18, 22, 28, 18, 18, 11), start=1):
        ws.column_dimensions[chr(64 + c)].width = width
    ws.freeze_panes = "C5"
    wb.active = 1
    path = out_dir / f"Project Register {as_of.isoformat()}.xlsx"
    save_workbook(wb, path, as_of)
    return path


def _register_values(p: Project, as_of: date) -> tuple:
    """The project's register row at ``as_of`` (numbers as of its last report when stale)."""
    d = min(as_of, p.stale_from) if p.stale_from else as_of
    finish = p.finish if p.finish and as_of >= p.finish else None
    return (
        p.pid,
        p.name,
        p.division,
        p.portfolio,
        p.programme or None,
        p.sponsor,
        p.pm,
        stage_at(p, as_of),
        p.start,
        p.baseline,
        finish or forecast_at(p, d),
        finish,
        budget_at(p, d),
        actual_cost_at(p, d),
        eac_at(p, d),
        pct_complete(p, d),
        p.alignment,
        register_rag(p, d),
    )


def _write_row(ws: Worksheet, row: int, values: tuple) -> None:
    for c, value in enumerate(values, start=1):
        cell = ws.cell(row, c, value)
        if isinstance(value, date):
            cell.number_format = DATE_FMT
        elif c in MONEY_COLUMNS:
            cell.number_format = MONEY_FMT
        elif c == PERCENT_COLUMN:
            cell.number_format = "0%"
