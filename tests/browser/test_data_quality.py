"""Browser tests of the Data & compliance page: a real headless Chromium through dash_duo."""

from __future__ import annotations

from dash.testing import wait

from dashboard.ids import DataQualityIds, FilterIds
from tests.browser.conftest import save_screenshot


def test_data_quality_page_filters_rejected_rows_and_division(dash_duo, app_settings):
    from app import app

    dash_duo.start_server(app)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/data", timeout=20)
    dash_duo.wait_for_element(f"#{DataQualityIds.REJECTED_GRID} .ag-row", timeout=20)
    total = dash_duo.find_element(f"#{DataQualityIds.REJECTED_COUNT}").text
    assert total.endswith("rejected rows")
    grid = dash_duo.find_element(f"#{DataQualityIds.REJECTED_GRID}")
    # Cells right of the visible box are laid out but not displayed: read their text content.
    assert "duplicate key in file" in grid.get_attribute("textContent")
    save_screenshot(dash_duo, "data-quality")

    dropdown = dash_duo.find_element(f"#{DataQualityIds.REJECTED_FILE}")
    dash_duo.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", dropdown
    )
    dash_duo.select_dcc_dropdown(dropdown, value="Milestones.csv")
    dash_duo.wait_for_text_to_equal(f"#{DataQualityIds.REJECTED_COUNT}", total, timeout=10)
    # The demo plants one "TBC" baseline and one duplicated milestone (both copies rejected).
    rule = dash_duo.find_element(f"#{DataQualityIds.REJECTED_RULE}")
    dash_duo.select_dcc_dropdown(rule, value="duplicate key")
    dash_duo.wait_for_text_to_equal(
        f"#{DataQualityIds.REJECTED_COUNT}", "2 of 3 rejected rows", timeout=10
    )

    # The global division filter rewrites the URL; the league then holds that division only.
    division = dash_duo.find_element(f"#{FilterIds.DIVISION}")
    dash_duo.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", division
    )
    dash_duo.select_dcc_dropdown(division, value="Finance")
    dash_duo.wait_for_contains_text(f"#{DataQualityIds.LEAGUE_GRID}", "Finance", timeout=20)
    wait.until(lambda: "division=Finance" in dash_duo.driver.current_url, timeout=10)
    wait.until(
        lambda: "Technology" not in dash_duo.find_element(f"#{DataQualityIds.LEAGUE_GRID}").text,
        timeout=20,
    )
    assert dash_duo.get_logs() == []
