"""Browser tests of the Capacity page: a real headless Chromium through dash_duo."""

from __future__ import annotations

from selenium.webdriver.support.ui import WebDriverWait

from dashboard.ids import CapacityIds
from tests.browser.conftest import save_screenshot

ROW_JS = """
const gd = document.querySelector('#' + arguments[0] + ' .js-plotly-plot');
const trace = gd.data[0];
const row = trace.y.indexOf(arguments[1]);
return row < 0 ? null : trace.text[row];
"""


def heatmap_row(dash_duo, role: str) -> list[str] | None:
    """One role's cell labels as the browser holds them."""
    return dash_duo.driver.execute_script(ROW_JS, CapacityIds.HEATMAP, role)


LABELS_JS = """
return Array.from(document.querySelectorAll('#' + arguments[0] + ' text[data-unformatted]'))
    .map(node => node.getAttribute('data-unformatted'));
"""


def rendered_labels(dash_duo) -> list[str]:
    """Every cell label drawn in the heatmap's SVG (read in one go: redraws replace nodes)."""
    return dash_duo.driver.execute_script(LABELS_JS, CapacityIds.HEATMAP)


def percent(label: str) -> float | None:
    return float(label[:-1]) if label and label.endswith("%") else None


def test_capacity_page_renders_without_console_errors(dash_duo, app_settings):
    from app import app

    dash_duo.start_server(app)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/capacity", timeout=20)
    dash_duo.wait_for_element(f"#{CapacityIds.HEATMAP} .main-svg", timeout=20)
    dash_duo.wait_for_element(f"#{CapacityIds.PEOPLE_GRID} .ag-row", timeout=20)
    # Data Engineers are booked beyond their supply in the coming months (demo store), and the
    # cells say so in numbers, not only in colour.
    coming = heatmap_row(dash_duo, "Data Engineer")[:3]
    assert any(percent(label) > 100 for label in coming)
    assert set(coming) <= set(rendered_labels(dash_duo))
    assert "Data Engineer" in dash_duo.find_element(f"#{CapacityIds.KPI_ROW}").text
    dash_duo.driver.set_window_size(1400, 2600)
    save_screenshot(dash_duo, "capacity")
    assert dash_duo.get_logs() == []


def test_pipeline_switch_adds_weighted_requests_to_the_heatmap(dash_duo, app_settings):
    from app import app

    dash_duo.start_server(app)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/capacity", timeout=20)
    dash_duo.wait_for_element(f"#{CapacityIds.HEATMAP} .main-svg", timeout=20)
    before = rendered_labels(dash_duo)
    dash_duo.find_element(f"#{CapacityIds.PIPELINE}").click()
    WebDriverWait(dash_duo.driver, 20).until(lambda _: rendered_labels(dash_duo) != before)
    after = rendered_labels(dash_duo)
    pairs = [(percent(b), percent(a)) for b, a in zip(before, after, strict=True)]
    pairs = [(b, a) for b, a in pairs if b is not None and a is not None]
    assert any(a > b for b, a in pairs) and all(a >= b for b, a in pairs)
    assert dash_duo.get_logs() == []


def test_picking_a_request_shows_its_impact_and_earliest_start(dash_duo, app_settings):
    from app import app

    dash_duo.start_server(app)
    dash_duo.driver.set_window_size(1400, 2600)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/capacity", timeout=20)
    dash_duo.wait_for_element(f"#{CapacityIds.PEOPLE_GRID} .ag-row", timeout=20)
    dash_duo.select_dcc_dropdown(f"#{CapacityIds.REQUEST}", index=0)
    dash_duo.wait_for_contains_text(f"#{CapacityIds.EARLIEST_START}", "REQ-", timeout=20)
    text = dash_duo.find_element(f"#{CapacityIds.EARLIEST_START}").text
    assert "can start" in text or "cannot start" in text
    dash_duo.wait_for_element(f"#{CapacityIds.IMPACT_GRID} .ag-row", timeout=20)
    dash_duo.wait_for_element(f"#{CapacityIds.IMPACT_CHART} .main-svg", timeout=20)
    assert dash_duo.get_logs() == []
