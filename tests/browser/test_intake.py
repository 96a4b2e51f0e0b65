"""Browser tests of the Intake & prioritisation page: a real headless Chromium through dash_duo."""

from __future__ import annotations

import json
from datetime import date

from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from dashboard.ids import IntakeIds
from dashboard.services import intake as services
from tests.browser.conftest import save_screenshot


def slider_thumb(dash_duo, criterion: str):
    """The draggable handle of one weight slider."""
    # Dash writes a pattern-matching id as compact JSON with sorted keys.
    slider_id = json.dumps(
        {"index": criterion, "type": IntakeIds.WEIGHT_SLIDER}, separators=(",", ":")
    )
    return dash_duo.driver.execute_script(
        "return document.getElementById(arguments[0]).querySelector('[role=slider]');", slider_id
    )


def criterion_that_changes_the_top() -> tuple[str, str]:
    """A criterion whose weight at 0 puts another request on top, and that request."""
    view = services.intake_view({}, date(2026, 11, 26))
    top = services.rank_requests(view, view.data.weights, "weighted")["request_id"].iloc[0]
    for criterion in view.data.weights.criteria:
        weights, _ = services.weights_from_sliders(view.data.weights, {criterion.column: 0})
        new_top = services.rank_requests(view, weights, "weighted")["request_id"].iloc[0]
        if new_top != top:
            return criterion.column, new_top
    raise AssertionError("no single weight changes the top request")


def test_intake_page_renders_without_console_errors(dash_duo, app_settings):
    from app import app

    dash_duo.start_server(app)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/intake", timeout=20)
    dash_duo.wait_for_element(f"#{IntakeIds.GRID} .ag-row", timeout=20)
    dash_duo.wait_for_element(f"#{IntakeIds.FRONTIER} .main-svg", timeout=20)
    dash_duo.wait_for_text_to_equal(f"#{IntakeIds.INCOMPLETE}", "9 incomplete", timeout=20)
    assert dash_duo.find_element(f"#{IntakeIds.TOP}").text.startswith("Top by Weighted score")
    message = dash_duo.find_element(f"#{IntakeIds.SELECTION_MESSAGE}").text
    assert "requests recommended" in message and "budget." in message and "£" in message
    dash_duo.driver.set_window_size(1400, 2400)
    save_screenshot(dash_duo, "intake")
    assert dash_duo.get_logs() == []


def test_moving_a_weight_slider_re_ranks_the_requests(dash_duo, app_settings):
    from app import app

    criterion, new_top = criterion_that_changes_the_top()
    dash_duo.start_server(app)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/intake", timeout=20)
    dash_duo.wait_for_element(f"#{IntakeIds.GRID} .ag-row", timeout=20)
    assert dash_duo.find_element(f"#{IntakeIds.MOVES}").text.startswith("Same weighted order")
    thumb = slider_thumb(dash_duo, criterion)
    thumb.click()
    thumb.send_keys(Keys.HOME)  # the keyboard puts this weight at 0
    dash_duo.wait_for_contains_text(f"#{IntakeIds.TOP}", new_top, timeout=20)
    dash_duo.wait_for_contains_text(f"#{IntakeIds.MOVES}", "↑", timeout=20)
    first_row = dash_duo.find_element(
        f"#{IntakeIds.GRID} .ag-center-cols-container .ag-row[row-index='0']"
    )
    assert new_top in first_row.text
    assert dash_duo.get_logs() == []


def test_a_scenario_travels_in_the_url(dash_duo, app_settings):
    """Weights, budget and switches land in the address bar; that link reopens the scenario."""
    from app import app

    criterion, new_top = criterion_that_changes_the_top()
    dash_duo.start_server(app)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/intake", timeout=20)
    dash_duo.wait_for_element(f"#{IntakeIds.GRID} .ag-row", timeout=20)
    thumb = slider_thumb(dash_duo, criterion)
    thumb.click()
    thumb.send_keys(Keys.HOME)
    dash_duo.wait_for_contains_text(f"#{IntakeIds.TOP}", new_top, timeout=20)
    budget = dash_duo.find_element(f"#{IntakeIds.BUDGET}")
    budget.clear()
    budget.send_keys("5000000", Keys.ENTER)
    for switch in (IntakeIds.CAPACITY, IntakeIds.DECIDED):
        box = dash_duo.find_element(f"#{switch}")
        # A click from the page's script: a sticky header may cover the switch on screen.
        dash_duo.driver.execute_script("arguments[0].click();", box)
    expected = {f"w_{criterion}=0", "budget=5000000", "capacity=off", "decided=include"}

    def url_has_scenario(driver) -> bool:
        return expected <= set(
            driver.execute_script("return location.search").lstrip("?").split("&")
        )

    WebDriverWait(dash_duo.driver, 20).until(url_has_scenario)
    dash_duo.wait_for_contains_text(f"#{IntakeIds.SELECTION_MESSAGE}", "£5,000,000 budget", 20)
    message = dash_duo.find_element(f"#{IntakeIds.SELECTION_MESSAGE}").text
    assert "Constraints: budget." in message  # capacity is off
    shared = dash_duo.driver.current_url

    dash_duo.driver.get(f"{dash_duo.server_url}/")  # somewhere else, then the shared link
    dash_duo.wait_for_page(url=shared, timeout=20)
    dash_duo.wait_for_element(f"#{IntakeIds.GRID} .ag-row", timeout=20)
    dash_duo.wait_for_text_to_equal(f"#{IntakeIds.SELECTION_MESSAGE}", message, timeout=20)
    view = services.intake_view({}, date(2026, 11, 26))
    weights, _ = services.weights_from_sliders(view.data.weights, {criterion: 0})
    ranked = services.rank_requests(view, weights, "weighted", include_decided=True)
    dash_duo.wait_for_text_to_equal(
        f"#{IntakeIds.TOP}", services.top_text(ranked, "weighted"), timeout=20
    )
    assert slider_thumb(dash_duo, criterion).get_attribute("aria-valuenow") == "0"
    assert dash_duo.find_element(f"#{IntakeIds.BUDGET}").get_attribute("value") == "5000000"
    assert not dash_duo.find_element(f"#{IntakeIds.CAPACITY}").is_selected()
    assert dash_duo.find_element(f"#{IntakeIds.DECIDED}").is_selected()
    save_screenshot(dash_duo, "intake-shared-scenario")
    assert dash_duo.get_logs() == []
