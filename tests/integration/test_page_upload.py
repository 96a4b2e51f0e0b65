"""Integration tests of the Upload page: callbacks called as functions against a tmp store.

The loader really runs (in its sandboxed subprocess) and really publishes; every store here is
built in tmp_path, never the session's demo store.
"""

from __future__ import annotations

import base64
import json
import re
import sys
import threading
import zipfile
from datetime import date
from pathlib import Path

import pytest

from dashboard import body_limits, config, db, upload_mapping, uploads
from dashboard.ids import UploadIds
from dashboard.ids import UploadMappingIds as MAP
from dashboard.scope import Scope, reset_scope, set_scope
from loaders import profiles
from loaders.ingest import ingest
from tests.conftest import DEMO_TODAY, dashboard_at, run_callback, write_status_csv


def data_url(path: Path) -> str:
    return "data:text/csv;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def text_of(component) -> str:
    """Every string and number in a component tree, one per line (what the user would read)."""
    if component is None:
        return ""
    if isinstance(component, (str, int, float)):
        return str(component)
    if isinstance(component, (list, tuple)):
        return "\n".join(text_of(c) for c in component)
    props = component.to_plotly_json()["props"]
    parts = [text_of(props.get("children"))]
    parts += [str(props[k]) for k in ("id", "accept", "href") if k in props]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def page():
    import app  # noqa: F401 (registers the pages)

    return sys.modules["dashboard.pages.upload"]


@pytest.fixture
def store(tmp_path: Path):
    """A small published store in tmp_path, with the dashboard pointed at it."""
    data_dir = tmp_path / "data"
    seed = write_status_csv(tmp_path / "seed.csv", 3, date(2026, 10, 1), prefix="S")
    assert ingest([seed], data_dir).ok
    with dashboard_at(data_dir):
        yield data_dir


def committed_loads(data_dir: Path) -> list:
    with db.snapshot() as snap:
        runs = snap.load_runs()
    return runs[runs["status"] == "committed"].sort_values("load_id")


def test_upload_previews_then_confirm_publishes_a_new_version(page, store, tmp_path):
    csv = write_status_csv(tmp_path / "team_status.csv", 4, date(2026, 11, 2))
    before = db.data_version()

    preview, pending, disabled, status, result, *_ = page.on_upload(
        [data_url(csv)], ["team_status.csv"]
    )
    text = text_of(preview)
    assert "Status reports (status_reports)" in text
    assert "Project Code → project_id" in text  # the column mapping
    assert "\n4\n4\n0\n0" in text  # read, would load, rejected, ignored
    assert [p["name"] for p in pending] == ["team_status.csv"] and disabled is False
    assert "1 file(s) ready to load" in status and result is None
    assert db.data_version() == before  # the preview wrote nothing to the store

    result, disabled, status, pending_after, *_ = page.on_confirm(1, pending)
    assert db.data_version() == before + 1
    assert status == f"Done: data version {before + 1} published."
    assert f"Published data version {before + 1}" in text_of(result)
    assert disabled is True and pending_after == []
    newest = committed_loads(store).iloc[-1]
    assert newest["file_name"] == "team_status.csv"  # the user's name, as Data & compliance shows
    assert newest["file_sha256"] == pending[0]["sha256"]
    assert newest["rows_loaded"] == 4

    # The same bytes again are a no-op, and the page says which load they were
    # (docs/architecture.md §5.6).
    preview, pending, _, status, *_ = page.on_upload([data_url(csv)], ["team_status.csv"])
    assert f"already loaded as load #{newest['load_id']}" in text_of(preview)
    assert "already loaded" in status
    result, _, status, *_ = page.on_confirm(2, pending)
    assert status == "Done." and "Nothing changed" in text_of(result)
    assert db.data_version() == before + 1


def test_a_corrupt_workbook_is_explained_without_traceback_or_path(page, store, tmp_path):
    good = tmp_path / "register.xlsx"
    with zipfile.ZipFile(good, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>" * 2000)
    # Truncated at 60 %: "corrupt or truncated" (docs/loaders.md, "Every message").
    data = good.read_bytes()[: len(good.read_bytes()) * 6 // 10]
    url = "data:application/octet-stream;base64," + base64.b64encode(data).decode()
    preview, pending, disabled, status, *_ = page.on_upload([url], ["register.xlsx"])
    text = text_of(preview)
    assert pending == [] and disabled is True and "Nothing to load" in status
    assert "cannot be loaded" in text
    assert "Traceback" not in text and str(tmp_path) not in text and "/work/" not in text


def test_refused_files_write_nothing(page, store):
    preview, pending, disabled, *_ = page.on_upload(
        ["data:application/octet-stream;base64," + base64.b64encode(b"MZ\x00\x00" * 40).decode()],
        ["../../etc/passwd.xlsx"],
    )
    assert pending == [] and disabled is True
    assert "not a spreadsheet" in text_of(preview)
    assert not (store / "uploads").exists()


def test_oversized_request_gets_413_and_nothing_is_written(page, store, caplog):
    from app import app

    config.configure(max_upload_mb=0.5)
    limit = uploads.request_limit_bytes(uploads.max_upload_bytes(config.get_settings()))
    assert app.server.config["MAX_CONTENT_LENGTH"] > 0
    client = app.server.test_client()
    client.get("/")  # Dash registers the Pages callbacks on the first request
    # Only the upload callback takes a large body (dashboard/body_limits.py).
    (output,) = body_limits.upload_outputs(app)
    body = json.dumps({"output": output, "inputs": [], "pad": ""}).encode()
    over = body[:-2] + b" " * (limit + 1 - len(body)) + body[-2:]
    assert len(over) == limit + 1
    response = client.post("/_dash-update-component", data=over, content_type="application/json")
    assert response.status_code == 413
    assert "at most 0.5 MB" in response.get_json()["error"]
    assert any("413" in r.message for r in caplog.records if r.name == "pmo.uploads")  # audit
    at_limit = client.post(
        "/_dash-update-component",
        data=body[:-2] + b" " * (limit - len(body)) + body[-2:],
        content_type="application/json",
    )
    assert at_limit.status_code != 413
    assert not (store / "uploads").exists()


def test_two_confirms_at_once_both_land_one_after_the_other(page, store, tmp_path):
    files = [
        write_status_csv(tmp_path / f"division_{n}.csv", 5, date(2026, 11, 2), prefix=f"D{n}")
        for n in (1, 2)
    ]
    pendings = [page.on_upload([data_url(f)], [f.name])[1] for f in files]
    before = db.data_version()
    results: dict[int, tuple] = {}

    def confirm(n: int) -> None:
        results[n] = page.on_confirm(1, pendings[n])

    threads = [threading.Thread(target=confirm, args=(n,)) for n in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=240)
    statuses = sorted(results[n][2] for n in (0, 1))
    assert statuses == [
        f"Done: data version {before + 1} published.",
        f"Done: data version {before + 2} published.",
    ]
    for n in (0, 1):
        assert "lock" not in text_of(results[n][0]).lower()
    loads = committed_loads(store)
    assert {"division_1.csv", "division_2.csv"} <= set(loads["file_name"])
    assert db.data_version() == before + 2


def test_forged_pending_list_is_refused_without_running_the_loader(page, store, monkeypatch):
    monkeypatch.setattr(uploads.flow, "run_loader", lambda *_a, **_k: pytest.fail("loader ran"))
    forged = [{"sha256": "../../" + "a" * 58, "name": "../../pmo-000001.duckdb"}]
    result, _, status, *_ = page.on_confirm(1, forged)
    assert "not recognised" in text_of(result) and status == "Nothing was loaded."


def test_only_the_pmo_may_upload(page, store, tmp_path):
    csv = write_status_csv(tmp_path / "x.csv", 2, date(2026, 11, 2))
    token = set_scope(Scope(user="bob", role="division_manager", divisions=("Finance",)))
    try:
        preview, pending, disabled, *_ = page.on_upload([data_url(csv)], ["x.csv"])
        assert "Only the PMO" in text_of(preview) and pending == [] and disabled is True
        assert "Only the PMO" in text_of(page.layout())
        assert "Only the PMO" in text_of(page.on_confirm(1, [{"sha256": "0" * 64}])[0])
    finally:
        reset_scope(token)
    assert not (store / "uploads").exists()


def test_layout_has_the_drop_zone_and_a_disabled_confirm(page, store):
    layout = text_of(page.layout())
    for component_id in (UploadIds.UPLOAD, UploadIds.PREVIEW, UploadIds.CONFIRM):
        assert component_id in layout
    assert ".xlsx,.xlsm,.xls,.csv,.txt" in layout and "up to 25 MB" in layout


def test_preview_lists_the_first_rejected_rows_with_reasons(page, store, tmp_path):
    csv = write_status_csv(tmp_path / "late.csv", 15, date(2026, 11, 2))
    csv.write_text(csv.read_text(encoding="utf-8").replace("2026-11-02", "2026-02-30"), "utf-8")
    preview, *_ = page.on_upload([data_url(csv)], ["late.csv"])
    text = text_of(preview)
    assert f"First rejected rows ({uploads.REJECTS_SHOWN} of 15)" in text
    assert "Report Date" in text and "'2026-02-30' is not a valid date" in text
    assert "\n15\n0\n15\n0" in text  # read, would load, rejected, ignored


def test_several_files_in_one_drop_are_checked_one_by_one(page, store, tmp_path):
    good = write_status_csv(tmp_path / "good.csv", 3, date(2026, 11, 2), prefix="G")
    exe = "data:application/octet-stream;base64," + base64.b64encode(b"MZ" + b"\x00" * 99).decode()
    preview, pending, disabled, status, *_ = page.on_upload(
        [data_url(good), exe, data_url(good)], ["good.csv", "tool.xlsx", "copy of good.csv"]
    )
    text = text_of(preview)
    assert "tool.xlsx" in text and "not a spreadsheet" in text
    assert [p["name"] for p in pending] == ["good.csv", "copy of good.csv"]
    assert disabled is False and "2 file(s) ready to load (1 cannot be loaded)" in status
    result, _, status, *_ = page.on_confirm(1, pending)
    assert "same content as good.csv in this batch: skipped" in text_of(result)
    assert status.startswith("Done: data version")


# --------------------------------------------------------------------------- the mapping step
SCHEMES_HEADER = "Scheme Ref,Scheme Title,Business Area,Money Approved,Go Live\n"


def schemes_csv(path: Path, prefix: str = "SCH") -> Path:
    path.write_text(
        SCHEMES_HEADER
        + f'{prefix}-1,New website,Marketing,"£120,000",2026-03-31\n'
        + f'{prefix}-2,Data platform,Technology,"£450,000",2026-09-30\n',
        encoding="utf-8",
    )
    return path


def editor_values(sheets: list[dict], choices: dict[str, str]) -> tuple[list, list]:
    """The column selects' values and ids as the browser would send them for sheet 0."""
    headers = sheets[0]["headers"]
    ids = [{"type": MAP.MAP_COLUMN, "sheet": 0, "column": j} for j in range(len(headers))]
    return [choices.get(h, "") for h in headers], ids


MAPPED = {
    "Scheme Ref": "project_id",
    "Scheme Title": "name",
    "Business Area": "division",
    "Money Approved": "budget",
    "Go Live": "forecast_finish",
}


def test_an_unrecognised_sheet_is_mapped_previewed_loaded_and_reused(page, store, tmp_path):
    first = schemes_csv(tmp_path / "schemes_q3.csv")
    out = page.on_upload([data_url(first)], [first.name])
    preview, pending, disabled, _, _, _, editor, files, sheets, edits = out
    assert pending == [] and disabled is True and edits == []
    assert "not recognised" in text_of(editor) and "Scheme Title" in text_of(editor)
    (sheet,) = sheets
    assert sheet["kind"] is None and sheet["header_row"] == 1
    assert sheet["headers"] == list(MAPPED)

    # Choosing "projects" offers its columns and fills in the loader's guesses.
    options, guessed = upload_mapping.columns_for_kind(
        sheets, 0, "projects", *editor_values(sheets, {})
    )
    assert {"label": "project_id (required)", "value": "project_id"} in options
    assert guessed[:2] == ["project_id", "name"]  # "Scheme Ref" ends with "ref", "… Title"

    values, ids = editor_values(sheets, MAPPED)
    remap = page.on_remap(1, files, sheets, [], ["projects"], [1], values, ids, ["Schemes"])
    preview, pending, disabled, status, editor, sheets, edits, message = remap
    assert message == "" and "Project register (projects)" in text_of(preview)
    assert "mapping 'Schemes' applied" in text_of(editor)
    assert [p["name"] for p in pending] == [first.name] and disabled is False
    assert len(edits) == 1 and edits[0]["columns"] == MAPPED and edits[0]["kind"] == "projects"
    before = db.data_version()

    # A change after the preview is not loaded until it is previewed.
    changed = [v if v != "budget" else "" for v in values]
    refused = page.on_confirm(
        1, pending, sheets, edits, ["projects"], [1], changed, ids, ["Schemes"]
    )
    assert refused[2] == upload_mapping.PREVIEW_FIRST and db.data_version() == before

    done = page.on_confirm(1, pending, sheets, edits, ["projects"], [1], values, ids, ["Schemes"])
    result, _, status, _, profiles_table, options = done
    assert status == f"Done: data version {before + 1} published."
    assert "Mapping profile 'Schemes' saved" in text_of(result)
    assert (
        "Schemes" in text_of(profiles_table) and {"label": "Schemes", "value": "Schemes"} in options
    )
    with db.snapshot() as snap:
        projects = snap.projects(DEMO_TODAY).set_index("project_id")
    assert (
        projects.loc["SCH-2", "budget"] == 450_000
        and projects.loc["SCH-1", "division"] == "Marketing"
    )
    assert not list((store / "uploads" / "mappings").glob("*.toml"))  # drafts are removed

    # The next file with the same headers loads without a question.
    second = schemes_csv(tmp_path / "schemes_q4.csv", prefix="SCQ")
    preview, pending, disabled, _, _, _, editor, *_ = page.on_upload(
        [data_url(second)], [second.name]
    )
    assert "mapping profile 'Schemes' applied" in text_of(preview)
    assert [p["name"] for p in pending] == [second.name] and disabled is False
    result, _, status, *_ = page.on_confirm(1, pending)
    assert status == f"Done: data version {before + 2} published."


def test_mapping_values_off_the_allowlist_are_refused(store):
    good = {
        "file": "a.csv",
        "sheet": None,
        "fingerprint": "0123456789abcdef",
        "headers": ["Ref", "Title"],
        "kind": "projects",
        "header_row": 1,
        "columns": {"Ref": "project_id", "Title": "name"},
        "name": "../../etc/cron.d/x",
    }
    (profile,) = upload_mapping.checked_edits([good], {"a.csv"})
    assert profiles.slug(profile.name) == "etc-cron-d-x"  # a file name in the profile folder
    bad_cases = [
        ({"columns": {"Ref": "project_id; DROP TABLE projects"}}, "cannot load into"),
        ({"columns": {"Ref": "__import__('os')"}}, "cannot load into"),
        ({"kind": "../projects"}, "choose what the sheet holds"),
        ({"header_row": "1; rm"}, "header row must be a number"),
        ({"fingerprint": "../../x"}, "too few headers"),
        ({"file": "other.csv"}, "not recognised"),
        ({"columns": {"Ref": "name", "Title": "name"}}, "'Ref' and 'Title' both load into 'name'"),
        ({"name": " ../ "}, "at least one letter or digit"),
    ]
    for change, message in bad_cases:
        with pytest.raises(upload_mapping.MappingRefused, match=re.escape(message)):
            upload_mapping.checked_edits([{**good, **change}], {"a.csv"})


def test_only_the_pmo_may_map_or_manage_profiles(page, store, tmp_path):
    settings = config.get_settings()
    profiles.save_profile(settings.data_dir, profiles.Profile(name="Keep", kind="projects"))
    token = set_scope(Scope(user="val", role="viewer"))
    try:
        assert upload_mapping.rename_profile("Keep", "Gone", settings) == upload_mapping.PMO_ONLY
        assert upload_mapping.delete_profile("Keep", settings) == upload_mapping.PMO_ONLY
        with pytest.raises(upload_mapping.MappingRefused, match="Only the PMO"):
            upload_mapping.preview_mapped([{"sha256": "0" * 64}], [], settings)
        with pytest.raises(upload_mapping.MappingRefused, match="Only the PMO"):
            upload_mapping.confirm_mapped([], [], settings)
    finally:
        reset_scope(token)
    assert [p.name for p in profiles.list_profiles(settings.data_dir)[0]] == ["Keep"]


def test_profiles_are_listed_renamed_and_deleted_on_the_page(page, store):
    settings = config.get_settings()
    profiles.save_profile(
        settings.data_dir,
        profiles.Profile(name="<b>Bold</b>", kind="projects", headers=("Ref", "Title")),
    )
    layout = page.layout()
    assert "<b>Bold</b>" in text_of(layout)  # shown as text (React escapes it)
    table, options, value, message = run_callback(
        f"{MAP.PROFILE_RENAME}.n_clicks",
        lambda: page.on_profile_action(1, 0, "<b>Bold</b>", "Register v2"),
    )
    assert message == "Mapping profile '<b>Bold</b>' renamed to 'Register v2'."
    assert "Register v2" in text_of(table) and value == "-"
    assert [o["value"] for o in options] == ["-", "Register v2"]
    table, options, _, message = run_callback(
        f"{MAP.PROFILE_DELETE}.n_clicks", lambda: page.on_profile_action(0, 1, "Register v2", "")
    )
    assert message == "Mapping profile 'Register v2' deleted." and "No mapping profiles" in text_of(
        table
    )
    _, _, _, message = run_callback(
        f"{MAP.PROFILE_DELETE}.n_clicks", lambda: page.on_profile_action(0, 2, "Register v2", "")
    )
    assert message == "Not deleted: no mapping profile called 'Register v2'."


def test_a_wrong_header_row_is_corrected_then_the_columns_mapped(page, store, tmp_path):
    csv = tmp_path / "q3.csv"
    csv.write_text(
        "Scheme register,Q3 2026,,,\n" + SCHEMES_HEADER + "SCH-7,Kiosk,Retail,5000,2026-12-01\n",
        encoding="utf-8",
    )
    *_, editor, files, sheets, _ = page.on_upload([data_url(csv)], [csv.name])
    assert sheets[0]["header_row"] == 1 and sheets[0]["headers"] == ["Scheme register", "Q3 2026"]
    columns = [{"type": MAP.MAP_COLUMN, "sheet": 0, "column": j} for j in range(2)]

    # Step 1: the table and the right header row; the columns of row 2 are not mapped yet.
    out = page.on_remap(1, files, sheets, [], ["projects"], [2], ["", ""], columns, ["Schemes"])
    preview, pending, _, _, editor, sheets, edits, message = out
    assert message == "" and pending == []  # required columns are missing so far
    assert sheets[0]["header_row"] == 2 and sheets[0]["headers"] == list(MAPPED)
    assert [e["header_row"] for e in edits] == [2]
    assert len(find_all(editor, MAP.MAP_COLUMN)) == len(MAPPED)  # a select per header of row 2

    # Step 2: map them and preview again; now it loads.
    values, ids = editor_values(sheets, MAPPED)
    out = page.on_remap(2, files, sheets, edits, ["projects"], [2], values, ids, ["Schemes"])
    preview, pending, disabled, *_ = out
    assert [p["name"] for p in pending] == [csv.name] and disabled is False
    assert "\n2\n1\n1\n0\n0" in text_of(
        preview
    )  # header row 2; read, would load, rejected, ignored


def find_all(tree, kind: str) -> list:
    """Components whose pattern-matching id has ``type`` == ``kind``."""
    found = []
    ident = getattr(tree, "id", None)
    if isinstance(ident, dict) and ident.get("type") == kind:
        found.append(tree)
    children = tree if isinstance(tree, list | tuple) else getattr(tree, "children", None)
    if isinstance(children, list | tuple):
        for child in children:
            found.extend(find_all(child, kind))
    elif children is not None and not isinstance(children, str | int | float):
        found.extend(find_all(children, kind))
    return found
