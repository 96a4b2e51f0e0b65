"""Integration tests of the Upload page: callbacks called as functions against a tmp store.

The loader really runs (in its sandboxed subprocess) and really publishes; every store here is
built in tmp_path, never the session's demo store.
"""

from __future__ import annotations

import base64
import json
import sys
import threading
import zipfile
from datetime import date
from pathlib import Path

import pytest

from dashboard import body_limits, config, db, uploads
from dashboard.ids import UploadIds
from dashboard.scope import Scope, reset_scope, set_scope
from loaders.ingest import ingest
from tests.conftest import DEMO_TODAY, write_status_csv


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
    config._overrides.clear()
    config.configure(data_dir=data_dir, today=DEMO_TODAY)
    yield data_dir
    db.close_all()
    config._overrides.clear()
    config.get_settings.cache_clear()


def committed_loads(data_dir: Path) -> list:
    with db.snapshot() as snap:
        runs = snap.load_runs()
    return runs[runs["status"] == "committed"].sort_values("load_id")


def test_upload_previews_then_confirm_publishes_a_new_version(page, store, tmp_path):
    csv = write_status_csv(tmp_path / "team_status.csv", 4, date(2026, 11, 2))
    before = db.data_version()

    preview, pending, disabled, status, result, _ = page.on_upload(
        [data_url(csv)], ["team_status.csv"]
    )
    text = text_of(preview)
    assert "Status reports (status_reports)" in text
    assert "Project Code → project_id" in text  # the column mapping
    assert "\n4\n4\n0\n0" in text  # read, would load, rejected, ignored
    assert [p["name"] for p in pending] == ["team_status.csv"] and disabled is False
    assert "1 file(s) ready to load" in status and result is None
    assert db.data_version() == before  # the preview wrote nothing to the store

    result, disabled, status, pending_after = page.on_confirm(1, pending)
    assert db.data_version() == before + 1
    assert status == f"Done: data version {before + 1} published."
    assert f"Published data version {before + 1}" in text_of(result)
    assert disabled is True and pending_after == []
    newest = committed_loads(store).iloc[-1]
    assert newest["file_name"] == "team_status.csv"  # the user's name, as Data & compliance shows
    assert newest["file_sha256"] == pending[0]["sha256"]
    assert newest["rows_loaded"] == 4

    # I5: the same bytes again are a no-op, and the page says which load they were.
    preview, pending, _, status, _, _ = page.on_upload([data_url(csv)], ["team_status.csv"])
    assert f"already loaded as load #{newest['load_id']}" in text_of(preview)
    assert "already loaded" in status
    result, _, status, _ = page.on_confirm(2, pending)
    assert status == "Done." and "Nothing changed" in text_of(result)
    assert db.data_version() == before + 1


def test_a_corrupt_workbook_is_explained_without_traceback_or_path(page, store, tmp_path):
    good = tmp_path / "register.xlsx"
    with zipfile.ZipFile(good, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>" * 2000)
    data = good.read_bytes()[: len(good.read_bytes()) * 6 // 10]  # #39: cut at 60 %
    url = "data:application/octet-stream;base64," + base64.b64encode(data).decode()
    preview, pending, disabled, status, _, _ = page.on_upload([url], ["register.xlsx"])
    text = text_of(preview)
    assert pending == [] and disabled is True and "Nothing to load" in status
    assert "cannot be loaded" in text
    assert "Traceback" not in text and str(tmp_path) not in text and "/work/" not in text


def test_refused_files_write_nothing(page, store):
    preview, pending, disabled, _, _, _ = page.on_upload(
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
    assert any("413" in r.message for r in caplog.records if r.name == "pmo.uploads")  # S15
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
    monkeypatch.setattr(uploads, "run_loader", lambda *_a, **_k: pytest.fail("loader ran"))
    forged = [{"sha256": "../../" + "a" * 58, "name": "../../pmo-000001.duckdb"}]
    result, _, status, _ = page.on_confirm(1, forged)
    assert "not recognised" in text_of(result) and status == "Nothing was loaded."


def test_only_the_pmo_may_upload(page, store, tmp_path):
    csv = write_status_csv(tmp_path / "x.csv", 2, date(2026, 11, 2))
    token = set_scope(Scope(user="bob", role="division_manager", divisions=("Finance",)))
    try:
        preview, pending, disabled, _, _, _ = page.on_upload([data_url(csv)], ["x.csv"])
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
    preview, pending, disabled, status, _, _ = page.on_upload(
        [data_url(good), exe, data_url(good)], ["good.csv", "tool.xlsx", "copy of good.csv"]
    )
    text = text_of(preview)
    assert "tool.xlsx" in text and "not a spreadsheet" in text
    assert [p["name"] for p in pending] == ["good.csv", "copy of good.csv"]
    assert disabled is False and "2 file(s) ready to load (1 cannot be loaded)" in status
    result, _, status, _ = page.on_confirm(1, pending)
    assert "same content as good.csv in this batch: skipped" in text_of(result)
    assert status.startswith("Done: data version")
