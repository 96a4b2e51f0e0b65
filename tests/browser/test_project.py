"""Browser tests of the Project page: a real headless Chromium through dash_duo."""

from __future__ import annotations

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


def test_clicking_a_portfolio_row_opens_that_project(dash_duo, app_settings):
    from app import app

    dash_duo.start_server(app)
    row = dash_duo.wait_for_element(
        f"#{PortfolioIds.GRID} .ag-center-cols-container .ag-row", timeout=20
    )
    cell = row.find_element("css selector", ".ag-cell[col-id='name']")
    name = cell.text
    # The grid sits below the charts: bring the row into view (instantly: Bootstrap's smooth
    # scrolling would still be moving the row when the click lands).
    dash_duo.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", cell
    )
    cell.click()
    dash_duo.wait_for_text_to_equal(f"#{ProjectIds.NAME}", name, timeout=20)
    assert "/project/" in dash_duo.driver.current_url
    assert dash_duo.get_logs() == []


def test_unknown_project_shows_the_not_found_card(dash_duo, app_settings):
    from app import app

    dash_duo.start_server(app)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/project/NOPE", timeout=20)
    dash_duo.wait_for_contains_text(f"#{ProjectIds.NOT_FOUND}", "No project with id “NOPE”")
    link = dash_duo.find_element(f"#{ProjectIds.NOT_FOUND} a")
    assert link.get_attribute("href").rstrip("/") == dash_duo.server_url.rstrip("/")
    assert dash_duo.get_logs() == []
