"""Browser test of the Upload page's mapping step: a real headless Chromium through dash_duo.

A sheet the loader cannot classify is mapped by hand, previewed, published and seen on the
Project page; a second file with the same headers then loads with the saved profile unasked.
"""

from __future__ import annotations

import os
from pathlib import Path

from dash.testing.wait import until
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from dashboard.ids import ProjectIds, UploadIds
from dashboard.ids import UploadMappingIds as MAP
from tests.browser.conftest import save_screenshot
from tests.browser.test_upload import choose_file, open_upload_page
from tests.browser.test_upload import upload_store as upload_store  # (the fixture)

HEADER = "Scheme Ref,Scheme Title,Business Area,Money Approved,Go Live\n"
MAPPED = ["project_id", "name", "division", "budget", "forecast_finish"]
SHOTS = os.environ.get("PMO_MAPSTEP_SHOTS")  # a folder: keep screenshots to look at


def schemes_csv(path: Path, prefix: str) -> Path:
    path.write_text(
        "Exported 2026-11-20\n"  # a title line: the headers are on row 2
        + HEADER
        + f'{prefix}-1,Website relaunch,Marketing,"£120,000",2026-03-31\n'
        + f'{prefix}-2,Data platform,Technology,"£450,000",2026-09-30\n',
        encoding="utf-8",
    )
    return path


def selects(dash_duo, kind: str) -> list:
    return dash_duo.driver.find_elements("css selector", f'select[id*=\'"type":"{kind}"\']')


def click(dash_duo, selector: str) -> None:
    """Bring the element into view first (instantly: smooth scrolling would move it mid-click)."""
    element = dash_duo.find_element(selector)
    dash_duo.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element
    )
    element.click()


def chosen_text(dash_duo, column: int) -> str:
    return Select(selects(dash_duo, MAP.MAP_COLUMN)[column]).first_selected_option.text


def shot(dash_duo, name: str) -> None:
    save_screenshot(dash_duo, name)
    if SHOTS:
        dash_duo.driver.save_screenshot(os.path.join(SHOTS, f"{name}.png"))


def test_map_an_unknown_sheet_publish_it_and_reuse_the_profile(dash_duo, upload_store, tmp_path):
    open_upload_page(dash_duo)
    choose_file(dash_duo, schemes_csv(tmp_path / "schemes_q3.csv", "SCH"))
    dash_duo.wait_for_contains_text(f"#{MAP.EDITOR}", "not recognised", timeout=60)
    dash_duo.wait_for_contains_text(f"#{UploadIds.UPLOAD_STATUS}", "Nothing to load", timeout=10)
    shot(dash_duo, "upload-mapping-unrecognised")

    Select(selects(dash_duo, MAP.MAP_KIND)[0]).select_by_value("projects")
    # The project table's columns are offered, with the loader's guesses filled in.
    dash_duo.wait_for_element("select[id*='\"column\":1'] option[value='project_id']", timeout=10)
    until(lambda: chosen_text(dash_duo, 1) == "name (required)", timeout=10)
    for element, column in zip(selects(dash_duo, MAP.MAP_COLUMN), MAPPED, strict=True):
        Select(element).select_by_value(column)
    name = dash_duo.find_element(f'input[id*=\'"type":"{MAP.MAP_NAME}"\']')
    name.send_keys(Keys.CONTROL, "a")
    name.send_keys("Schemes register")
    click(dash_duo, f"#{MAP.REMAP}")
    dash_duo.wait_for_contains_text(
        f"#{UploadIds.PREVIEW}", "Project register (projects)", timeout=60
    )
    dash_duo.wait_for_contains_text(f"#{UploadIds.UPLOAD_STATUS}", "1 file(s) ready", timeout=10)
    dash_duo.wait_for_contains_text(f"#{MAP.EDITOR}", "mapping 'Schemes register' applied")
    shot(dash_duo, "upload-mapping-mapped")

    dash_duo.wait_for_element(f"#{UploadIds.CONFIRM}:not([disabled])", timeout=10)
    click(dash_duo, f"#{UploadIds.CONFIRM}")
    dash_duo.wait_for_contains_text(f"#{UploadIds.RESULT}", "Published data version", timeout=60)
    result = dash_duo.find_element(f"#{UploadIds.RESULT}").text
    assert "Mapping profile 'Schemes register' saved" in result
    dash_duo.wait_for_contains_text(f"#{MAP.PROFILES}", "Schemes register", timeout=10)
    assert dash_duo.get_logs() == []

    # The rows are on the pages.
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/project/SCH-2", timeout=20)
    dash_duo.wait_for_text_to_equal(f"#{ProjectIds.NAME}", "Data platform", timeout=20)
    shot(dash_duo, "upload-mapping-project-page")

    # The next file with the same headers loads with the profile, without a question.
    open_upload_page_again(dash_duo)
    choose_file(dash_duo, schemes_csv(tmp_path / "schemes_q4.csv", "SCQ"))
    dash_duo.wait_for_contains_text(
        f"#{UploadIds.PREVIEW}", "mapping profile 'Schemes register' applied", timeout=60
    )
    dash_duo.wait_for_contains_text(f"#{UploadIds.UPLOAD_STATUS}", "1 file(s) ready", timeout=10)
    shot(dash_duo, "upload-mapping-profile-applied")
    dash_duo.wait_for_element(f"#{UploadIds.CONFIRM}:not([disabled])", timeout=10)
    click(dash_duo, f"#{UploadIds.CONFIRM}")
    dash_duo.wait_for_contains_text(f"#{UploadIds.RESULT}", "Published data version", timeout=60)
    assert "Mapping profile" not in dash_duo.find_element(f"#{UploadIds.RESULT}").text
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/project/SCQ-1", timeout=20)
    dash_duo.wait_for_text_to_equal(f"#{ProjectIds.NAME}", "Website relaunch", timeout=20)
    assert dash_duo.get_logs() == []


def open_upload_page_again(dash_duo) -> None:
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/upload", timeout=20)
    dash_duo.wait_for_contains_text(f"#{UploadIds.UPLOAD}", "Drag and drop", timeout=20)
