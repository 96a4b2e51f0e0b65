"""Unit tests for loaders.profiles: names, fingerprints, the TOML, matching, and the CLI flags."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from loaders import profiles
from loaders.ingest import ingest
from loaders.user_mapping import MappingError, UserMapping
from tests.conftest import ROOT, loader_env

TODAY = date(2026, 11, 26)
SCHEMES = "Scheme Ref,Scheme Title,Business Area,Money Approved,Go Live\n"
ROWS = 'SCH-1,New website,Marketing,"£120,000",2026-03-31\nSCH-2,Data platform,IT,"£450,000",\n'
COLUMNS = {
    "Scheme Ref": "project_id",
    "Scheme Title": "name",
    "Business Area": "division",
    "Money Approved": "budget",
    "Go Live": "forecast_finish",
}


def schemes_csv(path: Path, *, title_rows: int = 0, rows: str = ROWS) -> Path:
    path.write_text("Scheme register,,,,\n" * title_rows + SCHEMES + rows, encoding="utf-8")
    return path


def schemes_profile(name: str = "Schemes", **extra) -> profiles.Profile:
    return profiles.Profile(
        name=name,
        mapping=UserMapping(per_kind={"projects": dict(COLUMNS)}),
        kind="projects",
        fingerprint=profiles.fingerprint(SCHEMES.strip().split(",")),
        headers=tuple(COLUMNS),
        **extra,
    )


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "loaders", *args],
        cwd=cwd,
        env=loader_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )


# --------------------------------------------------------------------------- names, fingerprints
def test_fingerprint_ignores_order_case_spacing_and_units():
    a = profiles.fingerprint(["Scheme Ref", "Budget (£)", "Go Live"])
    b = profiles.fingerprint(["go-live", "BUDGET", None, "", "scheme_ref"])
    assert a == b and len(a) == 16
    assert profiles.fingerprint(["Scheme Ref", "Budget", "Owner"]) != a
    assert profiles.fingerprint(["Only one", None, ""]) is None


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("Acme register", "acme-register"),
        ("../../etc/passwd", "etc-passwd"),
        ("C:\\Windows\\system32", "c-windows-system32"),
        ("Café  Plan\x00\u202e 2026", "cafe-plan-2026"),
    ],
)
def test_profile_names_become_safe_file_stems(name, stem):
    assert profiles.slug(name) == stem


def test_a_name_in_another_script_gets_a_stable_stem_and_an_empty_one_is_refused():
    assert profiles.slug("計画") == profiles.slug("計画") != profiles.slug("予算")
    assert profiles.slug("計画").startswith("profile-")
    with pytest.raises(MappingError, match="at least one letter or digit"):
        profiles.clean_name(" .. / \x07 ")


# --------------------------------------------------------------------------- the TOML
def test_hostile_headers_survive_the_toml_round_trip(tmp_path):
    headers = ['Say "hi"', "back\\slash", "new\nline", "ünï = code", "[x]"]
    profile = profiles.Profile(
        name="Odd",
        mapping=UserMapping(
            per_kind={"projects": dict(zip(headers, COLUMNS.values(), strict=True))}
        ),
        kind="projects",
        headers=tuple(headers),
    )
    path = tmp_path / "odd.toml"
    path.write_text(profiles.dumps(profile), encoding="utf-8")
    back = profiles.read_mapping(path)
    assert back.columns() == dict(zip(headers, COLUMNS.values(), strict=True))
    assert back.headers == tuple(headers) and back.kind == "projects"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[sheet]\nkind = "budgets"\n', "kind = 'budgets' is not a table"),
        ("[sheet]\nheader_row = 0\n", "header_row must be a row number"),
        ("[sheet]\nheader_row = 99\n", "the header must be in the first 30 rows"),
        ('[profile]\nfingerprint = "../x"\n', "fingerprint must be 16 hexadecimal digits"),
        ('[sheet]\ncolour = "red"\n', "unknown setting 'colour'"),
        ('[projects]\n"Ref" = "budgett"\n', "'budgett' is not a canonical column"),
    ],
)
def test_a_bad_entry_is_named(tmp_path, text, message):
    path = tmp_path / "m.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MappingError, match=message):
        profiles.read_mapping(path)


# --------------------------------------------------------------------------- the profile folder
def test_save_list_rename_delete(tmp_path):
    data = tmp_path / "data"
    saved = profiles.save_profile(data, schemes_profile(), now=datetime(2026, 11, 2, 9, 30))
    assert saved.path == data / "mappings" / "schemes.toml"
    assert [p.name for p in profiles.list_profiles(data)[0]] == ["Schemes"]
    assert not list((data / "mappings").glob(".part-*"))  # written atomically, nothing left over
    on_disk = tomllib.loads(saved.path.read_text(encoding="utf-8"))
    assert on_disk["profile"]["saved_at"] == "2026-11-02T09:30:00"
    assert on_disk["sheet"] == {"kind": "projects"}  # no header row: the matched row is used

    profiles.save_profile(data, schemes_profile("Other"))
    with pytest.raises(MappingError, match="called 'other' exists already"):
        profiles.rename_profile(data, "Schemes", "other")
    renamed = profiles.rename_profile(data, "schemes", "Schemes 2026")
    assert renamed.path.name == "schemes-2026.toml" and not saved.path.exists()
    assert profiles.find_profile(data, "Schemes 2026").columns() == COLUMNS
    assert profiles.delete_profile(data, "Schemes 2026").name == "Schemes 2026"
    assert [p.name for p in profiles.list_profiles(data)[0]] == ["Other"]
    with pytest.raises(MappingError, match="no mapping profile called 'Schemes 2026'"):
        profiles.delete_profile(data, "Schemes 2026")


def test_a_broken_profile_file_is_reported_and_skipped(tmp_path):
    data = tmp_path / "data"
    profiles.save_profile(data, schemes_profile())
    (data / "mappings" / "broken.toml").write_text("[sheet\n", encoding="utf-8")
    found, problems = profiles.list_profiles(data)
    assert [p.name for p in found] == ["Schemes"]
    assert len(problems) == 1 and problems[0].startswith("mapping profile broken.toml ignored")


# --------------------------------------------------------------------------- matching in a load
def test_an_unrecognised_sheet_says_what_it_saw(tmp_path):
    report = ingest([schemes_csv(tmp_path / "s.csv")], tmp_path / "data", dry_run=True)
    (sheet,) = report.files[0].sheets
    assert sheet.kind is None and report.files[0].status == "failed"
    info = sheet.mapping
    assert info["headers"] == list(COLUMNS) and info["header_row"] == 1
    assert info["fingerprint"] == profiles.fingerprint(list(COLUMNS))
    assert info["guesses"]["projects"]["Scheme Ref"] == "project_id"  # ends with "ref"
    assert info["guesses"]["projects"]["Scheme Title"] == "name"  # ends with "title"


def test_below_a_title_line_the_first_row_of_several_cells_is_the_header_guess(tmp_path):
    csv = tmp_path / "s.csv"
    csv.write_text("Exported 2026-11-20\n" + SCHEMES + ROWS, encoding="utf-8")
    (sheet,) = ingest([csv], tmp_path / "data", dry_run=True).files[0].sheets
    assert sheet.mapping["header_row"] == 2 and sheet.mapping["headers"] == list(COLUMNS)


def test_a_saved_profile_applies_where_its_headers_are_found(tmp_path):
    data = tmp_path / "data"
    profiles.save_profile(data, schemes_profile())
    csv = schemes_csv(tmp_path / "s.csv", title_rows=2)  # the headers moved to row 3
    report = ingest([csv], data, today=TODAY)
    (sheet,) = report.files[0].sheets
    assert report.files[0].status == "ok" and sheet.kind == "projects"
    assert sheet.header_row == 3 and sheet.columns == COLUMNS
    assert sheet.message.startswith("mapping profile 'Schemes' applied")
    assert sheet.mapping["profile"] == "Schemes"
    assert (sheet.rows_read, sheet.rows_loaded, sheet.rows_rejected, sheet.rows_ignored) == (
        2,
        2,
        0,
        0,
    )
    assert sheet.staged["budget"].tolist() == [120_000.0, 450_000.0]


def test_a_profile_for_other_headers_is_not_applied(tmp_path):
    data = tmp_path / "data"
    profiles.save_profile(data, schemes_profile())
    csv = tmp_path / "other.csv"
    csv.write_text(SCHEMES.replace("Go Live", "Go-Live Date") + ROWS, encoding="utf-8")
    (sheet,) = ingest([csv], data, dry_run=True).files[0].sheets
    assert sheet.kind is None and "applied" not in sheet.message


def test_not_loaded_and_header_row_overrides(tmp_path):
    csv = tmp_path / "register.csv"
    csv.write_text(
        "Project ID,Project Name,Division\n"  # looks like headers, but it is an old title
        "Register as exported,,\n"
        "Project ID,Project Name,Division,Budget\n"
        "P-1,Alpha,Ops,100\nP-2,Beta,IT,200\n",
        encoding="utf-8",
    )
    draft = profiles.Profile(
        name="Register",
        mapping=UserMapping(per_kind={"projects": {"Budget": ""}}),
        kind="projects",
        header_row=3,
    )
    report = ingest(
        [csv], tmp_path / "data", dry_run=True, profile_set=profiles.ProfileSet([draft])
    )
    (sheet,) = report.files[0].sheets
    assert sheet.header_row == 3 and sheet.rows_loaded == 2
    assert "budget" not in sheet.columns.values() and "Budget" in sheet.unmapped
    assert sheet.message.startswith("mapping 'Register' applied")
    assert "ignored columns: Budget" in sheet.message


# --------------------------------------------------------------------------- the command line
def test_cli_prints_headers_and_guesses_then_suggests_a_mapping(tmp_path):
    csv = schemes_csv(tmp_path / "schemes.csv")
    data = tmp_path / "data"
    result = run_cli("ingest", str(csv), "--data-dir", str(data), "--dry-run", cwd=ROOT)
    assert result.returncode == 1
    assert "not recognised: schemes.csv, headers on row 1; best guess: " in result.stdout
    assert "'Scheme Ref' -> " in result.stdout and "--suggest-mapping" in result.stdout

    target = tmp_path / "m.toml"
    result = run_cli(
        "ingest", str(csv), "--data-dir", str(data), "--suggest-mapping", str(target), cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    assert f"wrote {target}: a mapping for schemes.csv (headers on row 1)" in result.stdout
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Mapping for schemes.csv") and '"Go Live" = ""' in text
    suggested = profiles.read_mapping(target)
    assert suggested.fingerprint == profiles.fingerprint(list(COLUMNS))
    assert not (data / "CURRENT").exists()  # suggesting loads nothing
    again = run_cli(
        "ingest", str(csv), "--data-dir", str(data), "--suggest-mapping", str(target), cwd=ROOT
    )
    assert again.returncode == 1 and "exists already" in again.stderr


def test_cli_save_mapping_then_the_next_file_loads_by_itself(tmp_path):
    data = tmp_path / "data"
    mapping = tmp_path / "m.toml"
    mapping.write_text(
        '[sheet]\nkind = "projects"\n[projects]\n'
        + "".join(f'"{h}" = "{c}"\n' for h, c in COLUMNS.items()),
        encoding="utf-8",
    )
    first = schemes_csv(tmp_path / "q3.csv")
    result = run_cli(
        "ingest", str(first), "--data-dir", str(data), "--mapping", str(mapping),
        "--save-mapping", "Schemes", cwd=ROOT,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "mapping 'm' applied" in result.stdout
    assert "mapping profile 'Schemes' saved for the 5 headers of q3.csv" in result.stdout

    second = schemes_csv(tmp_path / "q4.csv", rows="SCH-9,Tooling,Ops,1000,\n")
    result = run_cli("ingest", str(second), "--data-dir", str(data), cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "mapping profile 'Schemes' applied" in result.stdout

    listed = run_cli("profiles", "--data-dir", str(data), cwd=ROOT)
    assert listed.stdout.startswith("Schemes  projects  5 headers  saved ")
    by_name = run_cli(
        "ingest", str(second), "--data-dir", str(data), "--mapping", "schemes", "--dry-run",
        cwd=ROOT,
    )  # fmt: skip
    assert by_name.returncode == 0 and "mapping 'Schemes' applied" in by_name.stdout
    unknown = run_cli("ingest", str(second), "--data-dir", str(data), "--mapping", "nope", cwd=ROOT)
    assert unknown.returncode == 1
    assert "no mapping file or profile called 'nope' (profiles: 'Schemes')" in unknown.stderr
    gone = run_cli("profiles", "delete", "Schemes", "--data-dir", str(data), cwd=ROOT)
    assert gone.stdout.strip() == "mapping profile 'Schemes' deleted"
    assert list((data / "mappings").glob("*.toml")) == []


def test_in_a_workbook_only_the_sheet_with_those_headers_takes_the_profile(tmp_path):
    data = tmp_path / "data"
    profiles.save_profile(data, schemes_profile())
    book = openpyxl.Workbook()
    schemes = book.active
    schemes.title = "Schemes"
    for row in [list(COLUMNS), ["SCH-1", "Website", "Marketing", 120000, "2026-03-31"]]:
        schemes.append(row)
    status = book.create_sheet("Status")
    for row in [["Project ID", "Report Date", "Overall RAG"], ["SCH-1", "2026-11-02", "Green"]]:
        status.append(row)
    path = tmp_path / "pmo.xlsx"
    book.save(path)
    sheets = {s.sheet: s for s in ingest([path], data, dry_run=True).files[0].sheets}
    assert sheets["Schemes"].kind == "projects" and sheets["Schemes"].rows_loaded == 1
    assert sheets["Schemes"].message.startswith("mapping profile 'Schemes' applied")
    assert sheets["Status"].kind == "status_reports" and "applied" not in sheets["Status"].message
    assert sheets["Status"].mapping["profile"] is None
