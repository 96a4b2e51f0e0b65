"""Browser tests of the Project page: a real headless Chromium through dash_duo."""

from __future__ import annotations

from selenium.webdriver.support.ui import WebDriverWait

from dashboard.ids import PortfolioIds, ProjectIds
from tests.browser.conftest import save_screenshot

WATERMELON = "PRJ-021"
"""Open, reported green, computed red on CPI; one critical RAID issue is amber (demo store)."""


def test_project_page_shows_facts_and_health_reasons_without_console_errors(dash_duo, app_settings):
    from app import app

    dash_duo.start_server(app)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/project/{WATERMELON}", timeout=20)
    dash_duo.wait_for_text_to_equal(f"#{ProjectIds.NAME}", "CRM Rollout", timeout=20)
    dash_duo.wait_for_contains_text(f"#{ProjectIds.HEALTH_TABLE}", "CPI 0.76 < 0.80 → red")
    table = dash_duo.find_element(f"#{ProjectIds.HEALTH_TABLE}").text
    assert "2 open high/critical ≥ 1 → amber" in table
    assert "Red" in table and "Green" in table
    dash_duo.wait_for_element(f"#{ProjectIds.RAID_GRID} .ag-row", timeout=20)
    dash_duo.wait_for_element(f"#{ProjectIds.HISTORY_CHART} .main-svg", timeout=20)
    assert "Reported by" in dash_duo.find_element(f"#{ProjectIds.NARRATIVE}").text
    save_screenshot(dash_duo, "project")
    assert dash_duo.get_logs() == []


def test_clicking_a_project_link_in_the_grid_opens_it_in_a_new_tab(dash_duo, app_settings):
    from app import app

    dash_duo.start_server(app)
    row = dash_duo.wait_for_element(
        f"#{PortfolioIds.GRID} .ag-center-cols-container .ag-row", timeout=20
    )
    link = row.find_element("css selector", ".ag-cell[col-id='name'] a")
    # The grid sits below the charts: bring the row into view (instantly: Bootstrap's smooth
    # scrolling would still be moving the row when the click lands). AG Grid draws the rows
    # of a grid once it is in view.
    dash_duo.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", link
    )
    # textContent, not .text: Selenium's visible text is empty until the scroll has settled.
    name = link.get_attribute("textContent")
    assert name
    first = dash_duo.driver.current_window_handle
    link.click()
    WebDriverWait(dash_duo.driver, 10).until(lambda d: len(d.window_handles) == 2)
    # The portfolio stays open; the project opened in a second tab.
    dash_duo.driver.switch_to.window(next(h for h in dash_duo.driver.window_handles if h != first))
    dash_duo.wait_for_text_to_equal(f"#{ProjectIds.NAME}", name, timeout=20)
    assert "/project/" in dash_duo.driver.current_url
    assert dash_duo.get_logs() == []
    dash_duo.wait_for_no_elements("._dash-loading", timeout=20)
    dash_duo.driver.close()
    dash_duo.driver.switch_to.window(first)


def test_unknown_project_shows_the_not_found_card(dash_duo, app_settings):
    from app import app

    dash_duo.start_server(app)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/project/NOPE", timeout=20)
    dash_duo.wait_for_contains_text(f"#{ProjectIds.NOT_FOUND}", "No project with id “NOPE”")
    link = dash_duo.find_element(f"#{ProjectIds.NOT_FOUND} a")
    assert link.get_attribute("href").rstrip("/") == dash_duo.server_url.rstrip("/")
    assert dash_duo.get_logs() == []
