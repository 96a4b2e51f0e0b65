"""Integration tests: the bad-input corpus (tests/fixtures/make_corpus.py, B1-B6), real loaders.

Each case asserts its expected behaviour (RJ reject the file, QR quarantine rows, NM normalise,
OK load cleanly) and the accounting invariant (docs/architecture.md §5.6) on every sheet. The
size/DoS cases (B4) run the loader in a subprocess under an address-space limit and a timeout.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from loaders.ingest import FileReport, ingest, parse_file
from loaders.validate import Options
from tests.conftest import ROOT, loader_env
from tests.fixtures import make_corpus
from tests.fixtures.store import query

TODAY = date(2026, 11, 26)


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every corpus file, built once per session into a temporary folder."""
    return make_corpus.build(tmp_path_factory.mktemp("corpus"))


def parse(corpus: dict[str, Path], name: str, **options) -> FileReport:
    report = parse_file(corpus[name], Options(**options))
    for sheet in report.sheets:  # read = loaded + rejected + ignored on every sheet of every case
        assert sheet.rows_read == sheet.rows_loaded + sheet.rows_rejected + sheet.rows_ignored
    return report


def only_sheet(report: FileReport):
    tables = [s for s in report.sheets if s.kind]
    assert len(tables) == 1, [s.message for s in report.sheets]
    return tables[0]


def rejects(sheet) -> dict[int, str]:
    return {r.row: r.reason for r in sheet.rejects}


def loaded(sheet, column: str) -> list:
    return sheet.staged.sort_values("source_row")[column].tolist()


# ------------------------------------------------------------------ B1 CSV structure


def test_clean_baseline_loads_every_row(corpus):
    sheet = only_sheet(parse(corpus, "clean_baseline.csv"))
    assert (sheet.kind, sheet.header_row, sheet.rows_read, sheet.rows_loaded) == (
        "projects",
        1,
        50,
        50,
    )
    assert loaded(sheet, "project_id")[:2] == ["P-001", "P-002"]
    assert loaded(sheet, "budget")[:2] == [1000.0, 2000.0]


def test_utf8_bom_does_not_leak_into_the_first_header(corpus):
    sheet = only_sheet(parse(corpus, "utf8_bom.csv"))
    assert "Project ID" in sheet.columns and sheet.rows_loaded == 5


def test_cp1252_is_transcoded_and_flagged(corpus):
    report = parse(corpus, "cp1252_euro.csv")
    assert report.raw.encoding == "cp1252" and "cp1252" in report.message
    assert loaded(only_sheet(report), "name")[0] == "Café “Ops” rollout €"


def test_utf16_excel_unicode_text_is_read(corpus):
    report = parse(corpus, "utf16le_excel.csv")
    assert (report.raw.encoding, report.raw.delimiter) == ("utf-16", "\t")
    assert only_sheet(report).rows_loaded == 4


def test_semicolon_and_decimal_comma(corpus):
    report = parse(corpus, "semicolon_decimal_comma.csv")
    sheet = only_sheet(report)
    assert report.raw.delimiter == ";"
    assert loaded(sheet, "budget") == [1234.5] * 3
    assert str(loaded(sheet, "baseline_finish")[0].date()) == "2024-12-31"


def test_quoted_newlines_keep_the_comment_and_count_logical_rows(corpus):
    sheet = only_sheet(parse(corpus, "quoted_newlines.csv"))
    assert sheet.rows_read == 5 and sheet.rows_loaded == 5
    assert loaded(sheet, "summary")[1] == "line1\nline2, with comma"
    assert loaded(sheet, "source_row") == [2, 3, 4, 5, 6]


def test_unterminated_quote_rejects_the_file_naming_line_40(corpus):
    report = parse(corpus, "unterminated_quote.csv")
    assert report.status == "failed"
    assert report.message.startswith("line 40:") and "never closed" in report.message


def test_ragged_rows_are_quarantined_with_their_row_numbers(corpus):
    sheet = only_sheet(parse(corpus, "ragged_rows.csv"))
    found = rejects(sheet)
    assert set(found) == {10, 11}
    assert "MISSING COLUMNS" in found[10] and "TOO MANY COLUMNS" in found[11]
    assert sheet.rows_loaded == 10


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("header_only.csv", "the file has no data rows"),
        ("empty.csv", "the file is empty (0 bytes): it has no data rows"),
        ("password_protected.xlsx", "password-protected workbook"),
        ("corrupt_truncated.xlsx", "corrupt or truncated"),
    ],
)
def test_files_without_data_or_unreadable_are_rejected_without_traceback(corpus, name, message):
    report = parse(corpus, name)
    assert report.status == "failed" and message in report.message
    assert "Traceback" not in report.message


def test_duplicate_column_loads_the_first_and_lists_the_other(corpus):
    # Issue 10 pattern 1: two headers feeding one column never fail a file.
    report = parse(corpus, "dup_header_cols.csv")
    sheet = only_sheet(report)
    assert report.status == "ok" and sheet.rows_loaded == 3
    assert sheet.columns == {
        "Project ID": "project_id",
        "Project Name": "name",
        "Division": "division",
        "Status": "stage",
    }
    assert loaded(sheet, "stage") == ["Execution"] * 3  # the first of two filled columns
    assert sheet.passed_over == {
        "Status (column E)": "repeats 'Status (column D)' (loaded as stage), not loaded"
    }
    assert "columns not loaded: 'Status (column E)': repeats" in sheet.message
    assert "column F (no header)" in sheet.unmapped


def test_renamed_headers_map_and_unknown_required_header_lists_expectations(corpus):
    sheet = only_sheet(parse(corpus, "renamed_headers.csv"))
    assert sheet.columns["PROJECT_ID"] == "project_id"
    assert sheet.columns["project name"] == "name"
    assert loaded(sheet, "budget") == [1_250_000.0, 100.0]
    report = parse(corpus, "renamed_headers_unknown.csv")
    assert report.status == "failed" and "could not tell what the sheet holds" in report.message
    assert "'Proj ID'" in report.message


def test_extra_unknown_columns_are_reported_not_fatal(corpus):
    sheet = only_sheet(parse(corpus, "extra_unknown_cols.csv"))
    assert sheet.rows_loaded == 3
    assert sheet.unmapped == ["Colour Code", "Legacy Ref", "Internal Notes"]
    assert "ignored columns: Colour Code, Legacy Ref, Internal Notes" in sheet.message


def test_long_line_is_quarantined_without_loading_the_rest_wrongly(corpus):
    sheet = only_sheet(parse(corpus, "long_line.csv"))
    assert list(rejects(sheet)) == [3]
    assert "LINE SIZE OVER MAXIMUM" in rejects(sheet)[3]
    assert sheet.rows_loaded == 3


def test_nul_bytes_are_removed_and_flagged(corpus):
    report = parse(corpus, "nul_bytes.csv")
    assert "NUL characters" in report.message
    assert loaded(only_sheet(report), "name")[1] == "Project 2"


def test_mixed_newlines_count_rows_correctly(corpus):
    sheet = only_sheet(parse(corpus, "mixed_newlines.csv"))
    assert (sheet.rows_read, sheet.rows_loaded) == (4, 4)


# ------------------------------------------------------------------ B2 values


def test_numbers_as_text(corpus):
    sheet = only_sheet(parse(corpus, "numbers_as_text.csv"))
    assert loaded(sheet, "budget") == [1200.0, 1200.0, 1200.0]
    found = rejects(sheet)
    assert "-500 is outside" in found[4]  # (500) read as -500, then refused as a budget
    assert "'1.2k' is not a number" in found[6]


def test_percent_scale_rule_per_column(corpus):
    sheet = only_sheet(parse(corpus, "percent_fraction.csv"))
    assert loaded(sheet, "percent_complete") == [0.45, 0.45, 0.45, 0.5]
    found = rejects(sheet)
    assert "'4500%' is outside" in found[5] and "'-5' is outside" in found[6]
    assert "'1.2' is ambiguous" in found[7]
    hundred = only_sheet(parse(corpus, "percent_scale100.csv"))
    assert loaded(hundred, "percent_complete") == [0.45, 0.6, 1.0, 0.0]


def test_dates_mixed_with_auto_and_declared_order(corpus):
    sheet = only_sheet(parse(corpus, "dates_mixed.csv"))
    found = rejects(sheet)
    assert "ambiguous" in found[3] and "2024-02-30" in found[6] and 7 not in found
    days = [None if d != d else str(d.date()) for d in loaded(sheet, "baseline_finish")]
    # Issue 10 (pattern 6): TBD in a date column is "no date yet", loaded as empty.
    assert days == ["2024-03-05", "2024-03-05", "2024-03-05", None, None]
    dmy = only_sheet(parse(corpus, "dates_mixed.csv", date_order="dmy"))
    assert 3 not in rejects(dmy)


def test_excel_1904_dates_are_not_shifted(corpus):
    report = parse(corpus, "excel_1904_dates.xlsx")
    assert report.raw.date1904 is True
    days = [str(d.date()) for d in loaded(only_sheet(report), "baseline_finish")]
    assert days == ["2027-01-02", "2027-01-03"]


def test_booleans_map_and_unknown_is_quarantined(corpus):
    sheet = only_sheet(parse(corpus, "booleans.csv"))
    assert loaded(sheet, "mandatory") == [True, False, True, False, True, True, True, True]
    assert "'maybe' is not yes/no" in rejects(sheet)[10]


def test_rag_variants_and_unknown_lists_allowed_values(corpus):
    sheet = only_sheet(parse(corpus, "rag_status_variants.csv"))
    assert loaded(sheet, "reported_rag") == ["green"] * 5 + ["amber"] * 2 + ["red", "amber"]
    assert "Green/Amber/Red" in rejects(sheet)[11]


def test_negative_and_outliers_are_quarantined(corpus):
    sheet = only_sheet(parse(corpus, "negative_and_outliers.csv"))
    found = rejects(sheet)
    assert set(found) == {2, 3, 4}
    assert "before" in found[3] and "outside" in found[2] and "outside" in found[4]


def test_unicode_ids_normalise_and_collisions_reject_both(corpus):
    sheet = only_sheet(parse(corpus, "unicode_ids.csv"))
    found = rejects(sheet)
    assert set(found) == {2, 3} and all("duplicate key in file" in r for r in found.values())
    assert loaded(sheet, "project_id") == ["P-003", "PX-004", "P-005"]


def test_leading_zero_ids_stay_text(corpus):
    assert loaded(only_sheet(parse(corpus, "leading_zero_ids.csv")), "project_id") == [
        "00123",
        "000456",
    ]


def test_null_tokens_and_excel_errors(corpus):
    sheet = only_sheet(parse(corpus, "null_tokens.csv"))
    assert all(v != v for v in loaded(sheet, "budget"))  # five tokens -> NULL
    assert {r: reason[:17] for r, reason in rejects(sheet).items()} == {
        7: "Excel error value",
        8: "Excel error value",
        9: "Excel error value",
    }


# ------------------------------------------------------------------ B3 Excel layout


def test_title_rows_header_found_on_row_4(corpus):
    report = parse(corpus, "title_rows.xlsx")
    assert only_sheet(report).header_row == 4 and report.as_of == date(2026, 10, 31)


def test_merged_cells_are_filled_and_flagged(corpus):
    sheet = only_sheet(parse(corpus, "merged_cells.xlsx"))
    assert loaded(sheet, "division")[3:] == ["Sales"] * 4  # C7 = Sales (P-004), filled down
    assert "merged cells filled down: C7:C10" in sheet.message


def test_totals_rows_are_ignored_with_reason(corpus):
    sheet = only_sheet(parse(corpus, "totals_row.xlsx"))
    assert sheet.rows_loaded == 4
    assert sheet.ignored == [
        (6, "totals row"),
        (7, "totals row"),
        (8, "totals row"),
        (9, "totals row"),
    ]


def test_hidden_rows_are_loaded_and_counted(corpus):
    sheet = only_sheet(parse(corpus, "hidden_rows_cols.xlsx"))
    assert sheet.rows_loaded == 5 and "1 hidden row(s) loaded (rows 4)" in sheet.message


def test_duplicate_ids_reject_both_copies(corpus):
    sheet = only_sheet(parse(corpus, "duplicate_ids.xlsx"))
    assert set(rejects(sheet)) == {8, 9} and sheet.rows_loaded == 6


def test_multi_sheet_each_sheet_classified_on_its_own(corpus):
    report = parse(corpus, "multi_sheet.xlsx")
    messages = {s.sheet: (s.kind, s.message) for s in report.sheets}
    assert messages["Data"][0] == "projects"
    assert messages["Instructions"] == (None, "instructions, not data")
    assert messages["Lookups"] == (None, "lookup lists, not data")
    assert messages["Sheet3"][1].startswith("hidden sheet")
    assert messages["Chart"][1].startswith("chart sheet")


def test_formula_without_cached_value_is_quarantined(corpus):
    sheet = only_sheet(parse(corpus, "formulas_no_cache.xlsx"))
    assert list(rejects(sheet)) == [3] and "never calculated" in rejects(sheet)[3]


def test_formula_with_cached_value_loads_the_value(corpus):
    assert loaded(only_sheet(parse(corpus, "formulas_cached.xlsx")), "budget") == [1000.0, 2000.0]


def test_external_links_use_cached_values_and_are_flagged(corpus):
    report = parse(corpus, "external_links.xlsx")
    assert "external links" in report.message
    assert loaded(only_sheet(report), "budget") == [750.0]


def test_xlsm_is_accepted_and_macros_never_run(corpus):
    report = parse(corpus, "xlsm_macro.xlsm")
    assert report.status == "ok" and "macros present" in report.message


def test_legacy_xls_is_read_by_calamine(corpus):
    pytest.importorskip("xlwt", reason="xlwt writes the BIFF8 fixture (requirements-dev)")
    report = parse(corpus, "legacy.xls")
    assert report.raw.file_format == "xls"
    assert loaded(only_sheet(report), "budget") == [1000.0, 2000.0, 3000.0]


def test_type_comes_from_content_not_extension(corpus):
    assert parse(corpus, "renamed_csv.xlsx").raw.file_format == "csv"
    assert parse(corpus, "real_xlsx.csv").raw.file_format == "xlsx"


def test_rejected_file_leaves_data_unchanged_and_is_logged(corpus, data_dir):
    ingest([corpus["clean_baseline.csv"]], data_dir, today=TODAY)
    before = query(data_dir, "SELECT count(*), sum(budget) FROM projects")
    report = ingest([corpus["renamed_headers_unknown.csv"]], data_dir, today=TODAY)
    assert not report.ok
    assert query(data_dir, "SELECT count(*), sum(budget) FROM projects") == before
    assert query(data_dir, "SELECT file_name, status FROM load_runs ORDER BY load_id")[-1] == (
        "renamed_headers_unknown.csv",
        "failed",
    )


# ------------------------------------------------------------------ B4 size and DoS


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("zipbomb.xlsx", "refused as a possible zip bomb"),
        ("zipbomb_ratio.xlsx", "compressed 1,024:1"),
        ("billion_laughs.xlsx", "declares a DTD/entities"),
        ("xxe.xlsx", "declares a DTD/entities"),
        ("huge_dims.xlsx", "16,384 columns (limit 2,000)"),
        ("many_entries.zip.xlsx", "parts (limit 10,000)"),
    ],
)
def test_hostile_workbooks_are_refused_quickly_in_bounded_memory(corpus, tmp_path, name, message):
    def limits() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))

    started = time.perf_counter()
    out, err = tmp_path / "stdout.json", tmp_path / "stderr.txt"
    with open(out, "w") as stdout, open(err, "w") as stderr:
        child = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "loaders",
                "ingest",
                str(corpus[name]),
                "--dry-run",
                "--json",
                "--data-dir",
                str(tmp_path / "data"),
            ],
            cwd=ROOT,
            env=loader_env(),
            stdout=stdout,
            stderr=stderr,
            preexec_fn=limits,
        )
        # wait4 gives this child's own peak memory (RUSAGE_CHILDREN would be the largest of
        # every child the test run ever waited for).
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - started
    peak_mb = usage.ru_maxrss / 1024
    result = subprocess.CompletedProcess(
        child.args, child.returncode, out.read_text(), err.read_text()
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    (file,) = json.loads(result.stdout)["files"]
    assert file["status"] == "failed" and message in file["message"]
    assert elapsed < 20 and peak_mb < 400


def test_defusedxml_protects_openpyxl():
    assert openpyxl.xml.DEFUSEDXML is True


def test_xxe_contents_never_reach_the_database(corpus, data_dir):
    ingest([corpus["xxe.xlsx"]], data_dir, today=TODAY)
    assert query(data_dir, "SELECT count(*) FROM projects")[0][0] == 0
    stored = json.dumps(query(data_dir, "SELECT * FROM load_runs"), default=str)
    assert "root:" not in stored


# ------------------------------------------------------------------ B5 payloads stored verbatim


def test_injection_payloads_are_stored_verbatim(corpus, data_dir):
    names = ["xss_fields.xlsx", "formula_inject.csv", "sql_meta.csv"]
    report = ingest([corpus[n] for n in names], data_dir, today=TODAY)
    assert report.ok
    stored = {r[0] for r in query(data_dir, "SELECT name FROM projects")}
    assert set(make_corpus.XSS) | set(make_corpus.FORMULAS) <= stored
    divisions = {r[0] for r in query(data_dir, "SELECT division FROM projects")}
    assert set(make_corpus.SQL_META) <= divisions
    assert (
        query(data_dir, "SELECT count(*) FROM projects WHERE division = ?", [SQL := "a_b"])[0][0]
        == 1
    ), SQL


# ------------------------------------------------------------------ B6 idempotency and sequencing


def test_replay_is_a_no_op(corpus, data_dir):
    ingest([corpus["clean_baseline.csv"]], data_dir, today=TODAY)
    again = ingest([corpus["clean_baseline.csv"]], data_dir, today=TODAY)
    assert again.files[0].status == "skipped"
    assert again.files[0].message.startswith("already loaded as load #1")
    assert not again.published


def test_same_content_resaved_changes_nothing(corpus, data_dir, tmp_path):
    ingest([corpus["clean_baseline.csv"]], data_dir, today=TODAY)
    resaved = tmp_path / "resaved.csv"
    resaved.write_bytes(corpus["clean_baseline.csv"].read_bytes().replace(b"\n", b"\r\n"))
    report = ingest([resaved], data_dir, today=TODAY)
    assert report.files[0].message.startswith("0 new, 0 changed, 50 unchanged")


def test_delta_semantics_keep_keys_missing_from_a_newer_export(corpus, data_dir, tmp_path):
    ingest([corpus["clean_baseline.csv"]], data_dir, as_of=date(2026, 10, 1), today=TODAY)
    newer = tmp_path / "newer.csv"
    lines = corpus["clean_baseline.csv"].read_text().splitlines()
    newer.write_text("\n".join(line for line in lines if not line.startswith("P-009")) + "\n")
    ingest([newer], data_dir, as_of=date(2026, 11, 1), today=TODAY)
    assert query(data_dir, "SELECT valid_to FROM projects WHERE project_id = 'P-009'") == [(None,)]


def test_older_export_after_a_newer_one_is_refused(corpus, data_dir, tmp_path):
    ingest([corpus["clean_baseline.csv"]], data_dir, as_of=date(2026, 11, 1), today=TODAY)
    older = tmp_path / "older.csv"
    older.write_text(corpus["clean_baseline.csv"].read_text().replace("Project 1,", "Old 1,"))
    report = ingest([older], data_dir, as_of=date(2026, 10, 1), today=TODAY)
    assert report.files[0].status == "failed"
    assert "older than the data already loaded" in report.files[0].message
