"""Browser tests of the Upload page: a real headless Chromium through dash_duo.

Uploads go into a copy of the demo store in tmp_path; the session's demo store stays untouched.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from selenium.common.exceptions import NoAlertPresentException

from dashboard import config, db
from dashboard.components.upload_report import UPLOAD_DID_NOT_COMPLETE
from dashboard.ids import UploadIds
from tests.browser.conftest import save_screenshot
from tests.conftest import dashboard_at, write_status_csv


@pytest.fixture
def upload_store(demo_store: Path, tmp_path: Path):
    """A private copy of the demo store, with the dashboard pointed at it."""
    data_dir = tmp_path / "data"
    shutil.copytree(demo_store, data_dir, ignore=shutil.ignore_patterns("*.lock", "*.tmp"))
    with dashboard_at(data_dir):
        yield data_dir


def open_upload_page(dash_duo):
    from app import app

    dash_duo.start_server(app)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/upload", timeout=20)
    dash_duo.wait_for_contains_text(f"#{UploadIds.UPLOAD}", "Drag and drop", timeout=20)


def choose_file(dash_duo, path: Path) -> None:
    dash_duo.find_element(f"#{UploadIds.UPLOAD} input[type=file]").send_keys(str(path))


def test_upload_preview_and_confirm_without_console_errors(dash_duo, upload_store, tmp_path):
    csv = write_status_csv(tmp_path / "team_status.csv", 6, date(2026, 11, 20), prefix="UP")
    open_upload_page(dash_duo)
    assert dash_duo.get_logs() == []

    choose_file(dash_duo, csv)
    dash_duo.wait_for_contains_text(
        f"#{UploadIds.PREVIEW}", "Status reports (status_reports)", timeout=60
    )
    dash_duo.wait_for_contains_text(f"#{UploadIds.UPLOAD_STATUS}", "1 file(s) ready", timeout=10)
    assert "Project Code → project_id" in dash_duo.find_element(f"#{UploadIds.PREVIEW}").text
    save_screenshot(dash_duo, "upload")

    before = db.data_version()
    confirm = dash_duo.wait_for_element(f"#{UploadIds.CONFIRM}:not([disabled])", timeout=10)
    # The mapping step sits above the button: bring it into view (instantly, not smoothly).
    dash_duo.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", confirm
    )
    confirm.click()
    dash_duo.wait_for_contains_text(
        f"#{UploadIds.RESULT}", f"Published data version {before + 1}", timeout=60
    )
    dash_duo.wait_for_text_to_equal(
        f"#{UploadIds.CONFIRM_STATUS}", f"Done: data version {before + 1} published.", timeout=10
    )
    assert dash_duo.get_logs() == []


def test_a_hostile_file_name_is_shown_as_text(dash_duo, upload_store, tmp_path):
    name = "<img src=x onerror=alert(1)>.csv"
    path = write_status_csv(tmp_path / name, 2, date(2026, 11, 20), prefix="XSS")
    open_upload_page(dash_duo)
    choose_file(dash_duo, path)
    dash_duo.wait_for_contains_text(f"#{UploadIds.PREVIEW}", name, timeout=60)
    assert dash_duo.driver.find_elements("css selector", f"#{UploadIds.PREVIEW} img") == []
    with pytest.raises(NoAlertPresentException):
        dash_duo.driver.switch_to.alert.text  # noqa: B018 (no dialog was opened)
    assert dash_duo.get_logs() == []


def test_an_upload_over_the_server_limit_says_so(dash_duo, upload_store, tmp_path):
    config.configure(max_upload_mb=0.01)  # a 10 KB limit: the request limit is ~270 KB
    path = write_status_csv(tmp_path / "too_big.csv", 8000, date(2026, 11, 20))
    assert path.stat().st_size > 400_000
    open_upload_page(dash_duo)
    choose_file(dash_duo, path)
    dash_duo.wait_for_text_to_equal(
        f"#{UploadIds.UPLOAD_STATUS}", UPLOAD_DID_NOT_COMPLETE, timeout=30
    )
    assert not (upload_store / "uploads").exists()
