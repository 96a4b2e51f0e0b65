"""Browser tests of the Templates page: a real headless Chromium through dash_duo."""

from __future__ import annotations

import openpyxl
from dash.testing import wait

from dashboard.ids import TemplatesIds
from loaders import templates
from tests.browser.conftest import save_screenshot
from tests.conftest import DEMO_TODAY


def test_templates_page_lists_seven_templates_and_downloads_one(dash_duo, app_settings, tmp_path):
    from app import app

    dash_duo.start_server(app)
    # Chromium saves downloads where DevTools says, so the test can open the file it received.
    dash_duo.driver.execute_cdp_cmd(
        "Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)}
    )
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/templates", timeout=20)
    dash_duo.wait_for_element(f"#{TemplatesIds.LIST} .template-entry", timeout=20)
    entries = dash_duo.find_elements(f"#{TemplatesIds.LIST} .template-entry")
    assert [e.find_element("css selector", "h5").text for e in entries] == list(
        templates.TITLES.values()
    )
    assert "Templates" in dash_duo.find_element(".navbar").text
    save_screenshot(dash_duo, "templates")

    entries[3].find_element("css selector", "button").click()  # RAID log

    name = f"pmo-template-raid-v{templates.CURRENT_VERSION}-{DEMO_TODAY}.xlsx"
    wait.until(lambda: (tmp_path / name).exists(), timeout=20)
    book = openpyxl.load_workbook(tmp_path / name)
    assert book.worksheets[0].title == "RAID log"
    assert book[templates.MARKER_SHEET]["B2"].value == "raid"
    assert dash_duo.get_logs() == []
