"""Integration tests: every template generated, filled as a user would, loaded through ``ingest``.

No browser. The filler picks drop-down values from the ranges the sheet's own data validations
point at, so a list that offered a value the loader refuses would fail here.
"""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import duckdb
import openpyxl
import pytest

from loaders import publish, templates
from loaders.ingest import ingest
from loaders.kinds import BOOL, DATE, HOURS, ID, INT, MONEY, NUMBER, PERCENT, SCORE
from loaders.validate import Options
from tests.conftest import ROOT, loader_env

TEMPLATE_COMMAND = (sys.executable, "-m", "loaders", "template")
TODAY = date(2026, 12, 2)
LISTS = templates.TemplateLists.from_values(
    divisions=["Finance", "Operations"],
    portfolios=["Growth", "Run"],
    stages=["Delivery", "Initiation"],
    closed_stages=["closed"],
    project_ids=["PRJ-001", "PRJ-002"],
    request_ids=["REQ-001", "REQ-002"],
    resource_ids=["U-001", "U-002"],
)
# One sample per value type (dates all equal: no start-after-finish rule can trip).
SAMPLES = {
    DATE: datetime(2026, 11, 30),
    MONEY: 12500.5,
    PERCENT: 0.45,
    SCORE: 4,
    INT: 6,
    NUMBER: 2.5,
    HOURS: 7.5,
}


def bounds(sheet) -> dict[str, float]:
    """Column letter -> the middle of the range its number validation allows, if bounded."""
    middle = {}
    for rule in sheet.data_validations.dataValidation:
        if rule.type == "decimal" and rule.formula2 is not None:
            for ranges in rule.sqref.ranges:
                column = ranges.coord.split(":")[0].rstrip("0123456789")
                middle[column] = (float(rule.formula1) + float(rule.formula2)) / 2
    return middle


def dropdowns(book: openpyxl.Workbook, sheet) -> dict[str, list[str]]:
    """Column letter -> the values its drop-down offers, read from the lists sheet."""
    offered = {}
    for rule in sheet.data_validations.dataValidation:
        if rule.type != "list":
            continue
        source, cells = rule.formula1.split("!")
        lists = book[source.strip("'")]
        first, last = (c.replace("$", "") for c in cells.split(":"))
        values = [row[0].value for row in lists[first:last]]
        for ranges in rule.sqref.ranges:
            offered[ranges.coord.split(":")[0].rstrip("0123456789")] = values
    return offered


def fill(content: bytes, rows: int = 2) -> openpyxl.Workbook:
    """Type ``rows`` rows into the template: drop-down values where offered, else a sample."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book.worksheets[0]
    offered = dropdowns(book, sheet)
    within = bounds(sheet)
    kind = book[templates.MARKER_SHEET]["B2"].value
    types = {c.header: c.value_type for c in templates.template_columns(kind, LISTS, TODAY)}
    for n in range(rows):
        row = []
        for cell in sheet[1]:
            values = offered.get(cell.column_letter)
            value_type = types[cell.value]
            if values:
                row.append(values[n % len(values)])
            elif cell.column_letter in within:
                row.append(within[cell.column_letter])
            elif value_type == ID:
                row.append(f"X-{n + 1:03d}")
            elif value_type == BOOL:
                row.append("yes")
            else:
                row.append(SAMPLES.get(value_type, f"{cell.value} {n + 1}"))
        sheet.append(row)
    return book


@pytest.mark.parametrize("kind", templates.TEMPLATE_KINDS)
def test_filled_template_loads_every_row_into_its_kind(kind, tmp_path, data_dir):
    path = tmp_path / f"{kind}.xlsx"
    fill(templates.build_template(kind, LISTS, TODAY)).save(path)

    report = ingest([path], data_dir, Options(date_order="dmy"), today=TODAY)

    (file,) = report.files
    assert file.status == "ok", file.message
    data, lists, marker = file.sheets
    assert data.kind == kind
    assert data.template_version == templates.CURRENT_VERSION
    label = f"PMO Lens template {kind} v{templates.CURRENT_VERSION}"
    assert data.message.startswith(label)
    assert label in file.message  # the load history and the upload preview show this one
    assert data.rows_rejected == 0, [r.reason for r in data.rejects]
    assert (data.rows_read, data.rows_loaded) == (2, 2)
    assert lists.kind is None and lists.message == templates.LISTS_REASON
    assert marker.kind is None
    assert {why for _, why in marker.ignored} == {"sheet ignored: PMO Lens template marker"}
    con = duckdb.connect(str(publish.current_version(data_dir).path), read_only=True)
    try:
        recorded = con.execute(
            "SELECT kind, template_version FROM load_sheets WHERE sheet = ?", [data.sheet]
        ).fetchall()
        # A wide plan is one allocation per person and month: 2 rows x 12 months.
        stored = con.execute(f"SELECT count(*) FROM {kind}").fetchall()[0][0]
    finally:
        con.close()
    assert recorded == [(kind, templates.CURRENT_VERSION)]
    assert stored == (2 * templates.PLAN_MONTHS if kind == "allocations" else 2)


def test_the_marker_decides_the_kind_not_the_headers(tmp_path, data_dir):
    # RAID headers typed over a status report template: by its headers the sheet is a RAID log,
    # but the marker says status report, so it is checked as one and nothing is guessed.
    book = openpyxl.load_workbook(
        io.BytesIO(templates.build_template("status_reports", LISTS, TODAY))
    )
    sheet = book.worksheets[0]
    sheet.delete_cols(1, sheet.max_column)
    sheet.append(["RAID ID", "Project ID", "Type", "Title"])
    sheet.append(["R-001", "PRJ-001", "risk", "Supplier late"])
    marked = tmp_path / "marked.xlsx"
    book.save(marked)
    del book[templates.MARKER_SHEET]
    unmarked = tmp_path / "unmarked.xlsx"
    book.save(unmarked)

    with_marker = ingest([marked], data_dir, Options(), today=TODAY, dry_run=True).files[0]
    without = ingest([unmarked], data_dir, Options(), today=TODAY, dry_run=True).files[0]

    assert without.sheets[0].kind == "raid"
    assert with_marker.sheets[0].kind == "status_reports"
    assert with_marker.sheets[0].rows_loaded == 0
    assert with_marker.status == "failed"
    assert "no column for 'report_date'" in with_marker.message


def test_an_outdated_template_still_loads_and_says_so(tmp_path, data_dir, monkeypatch):
    monkeypatch.setitem(templates.VERSIONS, 2, "a later issue (test)")
    monkeypatch.setattr(templates, "CURRENT_VERSION", 2)
    path = tmp_path / "old.xlsx"
    fill(templates.build_template("status_reports", LISTS, TODAY, version=1)).save(path)

    report = ingest([path], data_dir, Options(), today=TODAY)

    data = report.files[0].sheets[0]
    assert (data.kind, data.rows_loaded, data.rows_rejected) == ("status_reports", 2, 0)
    assert data.template_version == 1
    assert data.message.startswith(
        "PMO Lens template status_reports v1 (outdated: the current template is v2)"
    )


def test_a_marker_naming_no_known_kind_is_not_trusted(tmp_path, data_dir):
    book = fill(templates.build_template("status_reports", LISTS, TODAY))
    book[templates.MARKER_SHEET]["B2"] = "budgets"
    path = tmp_path / "tampered.xlsx"
    book.save(path)

    report = ingest([path], data_dir, Options(), today=TODAY, dry_run=True)

    data = report.files[0].sheets[0]
    assert data.kind == "status_reports"  # detected from the headers, as any file
    assert data.template_version is None


def test_cli_writes_a_template_with_the_registers_project_ids(tmp_path, data_dir):
    register = tmp_path / "register.xlsx"
    book = fill(templates.build_template("projects", LISTS, TODAY))
    book.save(register)
    assert ingest([register], data_dir, Options(), today=TODAY).ok
    out = tmp_path / "status.xlsx"
    run = [*TEMPLATE_COMMAND, "status_reports", "--out", str(out), "--data-dir", str(data_dir)]
    run += ["--today", "2026-12-02"]

    first = subprocess.run(run, cwd=ROOT, env=loader_env(), capture_output=True, text=True)
    again = subprocess.run(run, cwd=ROOT, env=loader_env(), capture_output=True, text=True)

    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == f"wrote {out}: Status report template v1"
    written = openpyxl.load_workbook(out)
    offered = dropdowns(written, written.worksheets[0])
    assert offered["A"] == ["X-001", "X-002"]  # the register loaded above, not LISTS
    assert again.returncode == 1
    assert again.stderr.strip() == f"error: {out} exists already: name a new file"


def test_cli_before_any_load_writes_a_template_without_data_lists(tmp_path, data_dir):
    out = tmp_path / "plan.xlsx"
    run = [*TEMPLATE_COMMAND, "allocations", "--out", str(out), "--data-dir", str(data_dir)]
    result = subprocess.run(
        [*run, "--today", "2027-11-15"],
        cwd=ROOT,
        env=loader_env(),
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stderr
    sheet = openpyxl.load_workbook(out).worksheets[0]
    headers = [c.value for c in sheet[1]]
    assert headers[4:6] == ["2027-11", "2027-12"] and headers[-1] == "2028-10"
    assert dropdowns(openpyxl.load_workbook(out), sheet) == {}
    assert Path(out).stat().st_size > 0
