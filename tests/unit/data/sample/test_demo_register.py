"""Unit tests of data/sample/demo_register.py: the register workbook's layout."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from types import ModuleType

import openpyxl
import pytest

from tests.unit.data.sample.demo_reading import TODAY


def test_register_layout(gen: ModuleType, demo: tuple[Path, list[Path]]) -> None:
    wb = openpyxl.load_workbook(demo[0] / f"Project Register {TODAY.isoformat()}.xlsx")
    assert wb.sheetnames == ["Instructions", "Register"]
    ws = wb["Register"]
    assert ws["A1"].value == "Contoso PMO – Project Register"
    assert ws["A2"].value == f"Exported {TODAY.isoformat()} by PMO Office"
    assert all(c.value is None for c in ws[3])
    header = [c.value for c in ws[4]]
    assert header == list(gen.REGISTER_HEADER)
    first = dict(zip(header, ws[5], strict=True))
    assert first["Project ID"].value == "PRJ-001"
    assert isinstance(first["Start Date"].value, datetime)
    assert first["% Complete"].number_format == "0%"
    assert 0 <= first["% Complete"].value <= 1
    assert first["RAG Status"].value in {"Green", "Amber", "Red"}
    last = {h: c.value for h, c in zip(header, ws[ws.max_row], strict=True)}
    assert last["Project Name"] == "Total"
    budgets = [ws.cell(r, 13).value for r in range(5, ws.max_row)]
    assert last["Budget (£)"] == pytest.approx(sum(budgets))
