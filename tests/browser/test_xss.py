"""Stored XSS: hostile text shows as text on every page.

Corpus section B5 of tests/fixtures/make_corpus.py; the control is docs/security.md, "Data shown
and exported" (no raw HTML).

A project named ``<img src=x onerror=alert(1)>``, with a script in its status summary and a
``javascript:`` URL as a RAID title, is loaded through the real loaders next to the demo data;
every page then renders it as characters, creates no such element, and opens no dialog.
"""

from __future__ import annotations

from datetime import date

import pytest
from selenium.common.exceptions import NoAlertPresentException

from dashboard import config, db
from dashboard.services.cache import clear_cache
from tests.conftest import DEMO_TODAY

PAYLOAD = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert('xss')</script>"
PAGES = ["/", "/project/PRJ-XSS", "/capacity", "/intake", "/data", "/review", "/glossary"]


@pytest.fixture
def hostile_store(tmp_path):
    from loaders.demo import build_demo
    from loaders.ingest import ingest

    data = tmp_path / "data"
    build_demo(data, exports_dir=tmp_path / "exports", today=DEMO_TODAY)
    register = tmp_path / "hostile register.csv"
    register.write_text(
        "Project ID,Project Name,Division,Stage,Project Manager,Start Date,Baseline Finish,"
        "Budget,% Complete,RAG Status\n"
        f'PRJ-XSS,"{PAYLOAD}",Finance,Execution,"{SCRIPT}",2026-01-05,2027-06-30,100000,40%,Green\n'
    )
    status = tmp_path / "hostile status.csv"
    status.write_text(
        "Project Code,Report Date,Overall RAG,Summary\n"
        f'PRJ-XSS,2026-11-20,Green,"{SCRIPT} {PAYLOAD}"\n'
    )
    raid = tmp_path / "hostile raid.csv"
    raid.write_text(
        "ID,Project,Type,Title,Severity,Status\n"
        "RAID-X,PRJ-XSS,Risk,javascript:alert(1),Critical,Open\n"
    )
    report = ingest([register, status, raid], data, today=date(2026, 11, 26))
    assert report.ok and all(f.status == "ok" for f in report.files), report.to_json()
    config._overrides.clear()
    config.configure(data_dir=data, today=DEMO_TODAY)
    clear_cache()
    yield data
    db.close_all()
    clear_cache()
    config._overrides.clear()
    config.get_settings.cache_clear()


def test_hostile_text_renders_as_text_on_every_page(dash_duo, hostile_store):
    from app import app

    dash_duo.start_server(app)
    for path in PAGES:
        dash_duo.driver.get(f"{dash_duo.server_url}{path}")
        dash_duo.wait_for_element("#app-footer", timeout=20)
        dash_duo.wait_for_no_elements("._dash-loading", timeout=20)
        with pytest.raises(NoAlertPresentException):
            dash_duo.driver.switch_to.alert.text  # noqa: B018 (raises when no dialog is open)
        assert dash_duo.driver.find_elements("css selector", "img[src='x']") == [], path
        assert dash_duo.driver.find_elements("css selector", "main script") == [], path
    dash_duo.driver.get(f"{dash_duo.server_url}/project/PRJ-XSS")
    dash_duo.wait_for_contains_text("body", PAYLOAD, timeout=20)
    dash_duo.wait_for_contains_text("body", SCRIPT, timeout=20)
    dash_duo.driver.get(f"{dash_duo.server_url}/?division=Finance")
    dash_duo.wait_for_contains_text("#portfolio-projects-grid", PAYLOAD, timeout=20)
    with pytest.raises(NoAlertPresentException):
        dash_duo.driver.switch_to.alert.text  # noqa: B018
    logs = dash_duo.get_logs()
    assert logs == [], [entry["message"][:160] for entry in logs]
