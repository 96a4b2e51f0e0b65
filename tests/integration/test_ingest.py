"""Integration tests: files -> loaders -> a published DuckDB version -> queries. No browser."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import duckdb
import openpyxl
import pytest

from loaders import publish
from loaders.ingest import ingest
from loaders.mapping import load_user_mapping
from loaders.validate import Options
from tests.conftest import ROOT, loader_env

REGISTER_HEADER = [
    "Project ID",
    "Project Name",
    "Division",
    "Stage",
    "Budget (£)",
    "% Complete",
    "Baseline Finish",
    "RAG Status",
]


def write_register(path: Path, rows: list[list], *, title: str | None = "Exported 2026-10-31"):
    """A register workbook: optional title block, header, rows, an Instructions sheet first."""
    book = openpyxl.Workbook()
    book.active.title = "Instructions"
    book.active["A1"] = "Fill in one row per project. Do not rename the columns."
    sheet = book.create_sheet("Register")
    if title:
        sheet.append(["Contoso PMO – Project Register"])
        sheet.append([title])
        sheet.append([])
    sheet.append(REGISTER_HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def query(data_dir: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(publish.current_version(data_dir).path), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def project_row(pid: str, budget, *, name: str | None = None, division: str = "Finance") -> list:
    return [
        pid,
        name or f"Project {pid}",
        division,
        "Execution",
        budget,
        0.4,
        datetime(2027, 3, 31),
        "Green",
    ]


def test_register_with_title_block_totals_and_instructions_sheet(tmp_path, data_dir):
    path = write_register(
        tmp_path / "register.xlsx",
        [
            project_row("P-001", 1000),
            project_row("P-002", "£2,500"),
            [None] * 8,
            [None, "Total", None, None, 3500, None, None, None],
        ],
    )
    report = ingest([path], data_dir, Options(date_order="dmy"), today=date(2026, 11, 26))
    (file,) = report.files
    instructions, register = file.sheets
    assert instructions.kind is None and "instructions" in instructions.message
    assert register.kind == "projects"
    assert register.header_row == 4
    assert (register.rows_read, register.rows_loaded, register.rows_rejected) == (4, 2, 0)
    assert sorted(reason for _, reason in register.ignored) == ["blank row", "totals row"]
    assert file.as_of == date(2026, 10, 31)  # from the title block
    assert query(
        data_dir,
        "SELECT project_id, budget, percent_complete, reported_rag, "
        "source_sheet, source_row, valid_from FROM projects ORDER BY 1",
    ) == [
        ("P-001", 1000.0, 0.4, "green", "Register", 5, date(2026, 10, 31)),
        ("P-002", 2500.0, 0.4, "green", "Register", 6, date(2026, 10, 31)),
    ]


def test_rejected_rows_name_row_column_value_and_reason(tmp_path, data_dir):
    path = write_register(
        tmp_path / "register.xlsx",
        [
            project_row("P-001", "12,5k"),
            project_row("P-002", 100),
            project_row("P-002", 200),
            project_row("P-003", 300, division=None),
        ],
        title=None,
    )
    report = ingest([path], data_dir, today=date(2026, 11, 26))
    register = report.files[0].sheets[1]
    assert (register.rows_read, register.rows_loaded, register.rows_rejected) == (4, 0, 4)
    by_row = {r.row: r for r in register.rejects}
    assert by_row[2].column == "Budget (£)" and "'12,5k'" in by_row[2].reason
    assert "duplicate key in file" in by_row[3].reason and "rows 3, 4" in by_row[3].reason
    assert "duplicate key in file" in by_row[4].reason
    assert "division" in by_row[5].reason
    stored = query(data_dir, "SELECT source_row, column_name, rule FROM rejected_rows ORDER BY 1")
    assert [r[0] for r in stored] == [2, 3, 4, 5]
    assert stored[0][1:] == ("Budget (£)", "invalid value")
    raw = json.loads(
        query(data_dir, "SELECT raw_json FROM rejected_rows WHERE source_row = 2")[0][0]
    )
    assert raw["Project ID"] == "P-001" and raw["Budget (£)"] == "12,5k"


def test_reload_with_changes_keeps_history_and_as_of_queries_work(tmp_path, data_dir):
    old = write_register(
        tmp_path / "old.xlsx", [project_row("P-001", 1000), project_row("P-002", 2000)]
    )
    new = write_register(
        tmp_path / "new.xlsx",
        [project_row("P-001", 1500), project_row("P-002", 2000)],
        title="Exported 2026-11-26",
    )
    ingest([old], data_dir, today=date(2026, 11, 26))
    report = ingest([new], data_dir, today=date(2026, 11, 26))
    assert report.files[0].message == "0 new, 1 changed, 1 unchanged records"
    history = query(
        data_dir,
        "SELECT budget, valid_from, valid_to FROM projects "
        "WHERE project_id = 'P-001' ORDER BY valid_from",
    )
    assert history == [
        (1000.0, date(2026, 10, 31), date(2026, 11, 26)),
        (1500.0, date(2026, 11, 26), None),
    ]
    older = write_register(
        tmp_path / "older.xlsx", [project_row("P-001", 900)], title="Exported 2026-09-30"
    )
    report = ingest([older], data_dir, today=date(2026, 11, 26))
    assert report.files[0].status == "failed"
    assert "older than the data already loaded" in report.files[0].message
    assert query(data_dir, "SELECT count(*) FROM projects")[0][0] == 3


def test_orphan_status_rows_load_and_are_flagged(status_csv, data_dir):
    report = ingest([status_csv(3, date(2026, 1, 2))], data_dir, today=date(2026, 11, 26))
    assert report.files[0].sheets[0].rows_loaded == 3
    assert query(data_dir, "SELECT count(*) FROM orphan_rows")[0][0] == 3


def test_unreadable_file_is_logged_and_changes_nothing_else(tmp_path, data_dir, status_csv):
    ingest([status_csv(5)], data_dir, today=date(2026, 11, 26))
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    report = ingest([broken], data_dir, today=date(2026, 11, 26))
    assert not report.ok
    assert "corrupt" in report.files[0].message
    assert query(data_dir, "SELECT count(*) FROM status_reports")[0][0] == 5
    assert query(data_dir, "SELECT file_name, status FROM load_runs ORDER BY load_id") == [
        ("status_2026-01-02.csv", "committed"),
        ("broken.xlsx", "failed"),
    ]


def test_a_file_over_the_size_limit_is_refused_unread_and_logged(monkeypatch, data_dir, status_csv):
    path = status_csv(5)
    monkeypatch.setattr("loaders.ingest.MAX_FILE_BYTES", path.stat().st_size - 1)
    report = ingest([path], data_dir, today=date(2026, 11, 26))
    assert not report.ok and report.files[0].sheets == []
    assert "more than the loader reads at once" in report.files[0].message
    assert "split the export" in report.files[0].message
    assert query(data_dir, "SELECT status, rows_read FROM load_runs") == [("failed", 0)]
    assert query(data_dir, "SELECT count(*) FROM status_reports")[0][0] == 0


def test_user_mapping_file_maps_unknown_headers(tmp_path, data_dir):
    csv_path = tmp_path / "odd.csv"
    csv_path.write_text("Ref No,Headline,Cost Centre\nX1,Alpha,Ops\nX2,Beta,Sales\n")
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(
        '[projects]\n"Ref No" = "project_id"\n"Headline" = "name"\n"Cost Centre" = "division"\n'
    )
    options = Options(user_mapping=load_user_mapping(mapping))
    report = ingest([csv_path], data_dir, options, today=date(2026, 11, 26))
    sheet = report.files[0].sheets[0]
    assert sheet.kind == "projects" and sheet.rows_loaded == 2
    assert sheet.columns == {"Ref No": "project_id", "Headline": "name", "Cost Centre": "division"}


def test_cli_json_document_shape_and_exit_codes(tmp_path, data_dir, status_csv):
    good = status_csv(4)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "loaders",
            "ingest",
            str(good),
            "--data-dir",
            str(data_dir),
            "--json",
            "--dry-run",
        ],
        cwd=ROOT,
        env=loader_env(),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    (file,) = document["files"]
    assert file["status"] == "ok"
    (sheet,) = file["sheets"]
    assert set(sheet) == {
        "sheet",
        "kind",
        "header_row",
        "rows_read",
        "rows_loaded",
        "rows_rejected",
        "rows_ignored",
        "columns",
        "mapping",
        "rejects",
    }
    assert (sheet["sheet"], sheet["kind"], sheet["header_row"], sheet["rows_loaded"]) == (
        None,
        "status_reports",
        1,
        4,
    )
    assert not (data_dir / "CURRENT").exists()  # dry run wrote nothing
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    result = subprocess.run(
        [sys.executable, "-m", "loaders", "ingest", str(empty), "--data-dir", str(data_dir)],
        cwd=ROOT,
        env=loader_env(),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1].startswith("error: empty.csv: the file is empty")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("header", ["Project Code", "project_code", "PROJECT CODE ", "Proj ID"])
def test_header_synonyms_are_case_space_and_punctuation_insensitive(tmp_path, data_dir, header):
    path = tmp_path / "s.csv"
    path.write_text(f"{header},Report Date,RAG\nP-1,2026-01-02,G\n")
    report = ingest([path], data_dir, Options(), dry_run=True)
    sheet = report.files[0].sheets[0]
    assert sheet.kind == "status_reports" and sheet.rows_loaded == 1
