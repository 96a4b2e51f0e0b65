"""Integration tests of the Templates page and the outdated-template finding on real stores:
layout() and the callbacks called as plain functions - no browser."""

from __future__ import annotations

import base64
import io
import json
import sys
from datetime import date

import openpyxl
import pytest
from dash import no_update

from dashboard.ids import TemplatesIds as ids
from loaders import templates
from loaders.ingest import ingest
from loaders.validate import Options
from tests.conftest import DEMO_TODAY, find, run_callback
from tests.integration.test_template_roundtrip import LISTS, dropdowns, fill

TODAY = date(2026, 12, 2)


def click(page, kind: str):
    prop = json.dumps({"kind": kind, "type": ids.DOWNLOAD_BUTTON}, separators=(",", ":"))
    return run_callback(f"{prop}.n_clicks", lambda: page.on_template_click([None, 1]))


@pytest.fixture
def page(app_settings):
    import app  # noqa: F401  (pages exist once the app is created)

    return sys.modules["dashboard.pages.templates"]


def test_layout_lists_the_seven_templates_with_a_button_each(page):
    tree = page.layout()
    entries = find(tree, ids.LIST).children
    assert len(entries) == 7
    text = str(tree)
    for title in templates.TITLES.values():
        assert title in text
    assert "'kind': 'allocations'" in text


def test_download_is_the_template_with_the_demo_registers_lists(page, demo_store):
    payload = click(page, "status_reports")

    assert payload["filename"] == f"pmo-template-status-reports-v1-{DEMO_TODAY}.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(payload["content"])))
    assert book.sheetnames == ["Status report", templates.LISTS_SHEET, templates.MARKER_SHEET]
    project_ids = dropdowns(book, book.worksheets[0])["A"]
    assert len(project_ids) > 10 and all(isinstance(p, str) and p for p in project_ids)
    assert project_ids == sorted(project_ids, key=str.casefold)


def test_a_forged_kind_downloads_nothing(page):
    assert click(page, "budgets") is no_update


def test_outdated_templates_are_named_on_the_data_page(tmp_path, monkeypatch):
    from dashboard import config, db
    from dashboard.services import templates as template_services
    from dashboard.services.cache import clear_cache

    store = tmp_path / "data"
    register = tmp_path / "register.xlsx"
    book = fill(templates.build_template("projects", LISTS, TODAY))
    book.worksheets[0]["A2"], book.worksheets[0]["A3"] = "PRJ-001", "PRJ-002"
    book.save(register)
    monkeypatch.setitem(templates.VERSIONS, 2, "a later issue (test)")
    monkeypatch.setattr(templates, "CURRENT_VERSION", 2)
    old = tmp_path / "old.xlsx"
    fill(templates.build_template("status_reports", LISTS, TODAY, version=1), rows=1).save(old)
    current = tmp_path / "current.xlsx"
    book = fill(templates.build_template("status_reports", LISTS, TODAY, version=2), rows=2)
    book.worksheets[0].delete_rows(2)  # PRJ-002 only, on the current template
    book.save(current)
    reports = ingest([register, old, current], store, Options(), today=TODAY)
    assert reports.ok and all(s.rows_rejected == 0 for f in reports.files for s in f.sheets)

    config._overrides.clear()
    config.configure(data_dir=store, today=TODAY)
    clear_cache()
    try:
        import app  # noqa: F401

        tree = sys.modules["dashboard.pages.data_quality"].layout()
        operations_only = sys.modules["dashboard.pages.data_quality"].layout(division="Operations")
        everyone = template_services.outdated_template_reports(TODAY)
    finally:
        db.close_all()
        clear_cache()
        config._overrides.clear()
        config.get_settings.cache_clear()

    note = str(find(tree, ids.OUTDATED))
    assert "1 project(s) report on an outdated template (the current template is v2)" in note
    assert "PRJ-001: v1 (old.xlsx, report of 2026-11-30)" in note
    assert "PRJ-002" not in note  # its latest report is on the current template
    assert everyone["project_id"].tolist() == ["PRJ-001"]
    # The section follows the filter bar: PRJ-001 is in Finance, not Operations.
    assert "No project's latest status report" in str(find(operations_only, ids.OUTDATED))


def test_a_filled_template_uploaded_on_the_upload_page_is_recognised(tmp_path):
    import app  # noqa: F401
    from dashboard import config, db
    from tests.integration.test_page_upload import text_of

    upload = sys.modules["dashboard.pages.upload"]
    store = tmp_path / "data"
    seed = tmp_path / "register.xlsx"
    fill(templates.build_template("projects", LISTS, TODAY)).save(seed)
    assert ingest([seed], store, Options(), today=TODAY).ok
    filled = tmp_path / "status.xlsx"
    fill(templates.build_template("status_reports", LISTS, TODAY)).save(filled)
    url = "data:application/octet-stream;base64," + base64.b64encode(filled.read_bytes()).decode()
    config._overrides.clear()
    config.configure(data_dir=store, today=TODAY)
    try:
        preview, pending, disabled, *_ = upload.on_upload([url], ["status.xlsx"])
    finally:
        db.close_all()
        config._overrides.clear()
        config.get_settings.cache_clear()

    text = text_of(preview)
    assert "PMO Lens template status_reports v1" in text
    assert disabled is False and [p["name"] for p in pending] == ["status.xlsx"]
