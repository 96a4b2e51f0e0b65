"""Browser tests of a dashboard managers keep open: filters that follow, real links, colour.

A real headless Chromium through dash_duo; colours are read with getComputedStyle, because a
test that finds an element does not prove it is coloured.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from dashboard.ids import AppIds, FilterIds, PortfolioIds, ProjectIds
from tests.browser.conftest import save_screenshot

NAV_PAGES = ("/capacity", "/intake", "/data", "/review", "/glossary", "/")

BACKGROUND_JS = "return window.getComputedStyle(arguments[0]).backgroundColor;"


def nav_link(dash_duo, path: str):
    """The navbar link to ``path`` (pattern-matching ids render as JSON in the DOM id)."""
    for link in dash_duo.find_elements(f"#{AppIds.NAVBAR} a.nav-link"):
        if urlparse(link.get_attribute("href")).path == path:
            return link
    raise AssertionError(f"no navbar link to {path}")


def test_division_filter_follows_the_user_through_every_page(dash_duo, app_settings):
    from app import app

    dash_duo.start_server(app)
    dash_duo.driver.get(f"{dash_duo.server_url}/?division=Finance")
    dash_duo.wait_for_contains_text(f"#{FilterIds.SUMMARY}", "Division: Finance", timeout=20)
    for path in NAV_PAGES:
        link = nav_link(dash_duo, path)
        dash_duo.wait_for_element(f"#{AppIds.NAVBAR}")
        query = parse_qs(urlparse(link.get_attribute("href")).query)
        assert query == {"division": ["Finance"]}, (path, link.get_attribute("href"))
        link.click()
        dash_duo.wait_for_element(f"#{AppIds.NAVBAR}")
        dash_duo.driver.implicitly_wait(0)
        _wait_for_path(dash_duo, path)
        assert parse_qs(urlparse(dash_duo.driver.current_url).query) == {"division": ["Finance"]}
    # Back on the portfolio, the filter still applies: every grid row is a Finance project.
    dash_duo.wait_for_contains_text(f"#{FilterIds.SUMMARY}", "Division: Finance", timeout=20)
    dash_duo.wait_for_element(f"#{PortfolioIds.GRID} .ag-row", timeout=20)
    divisions = {
        cell.text
        for cell in dash_duo.find_elements(f"#{PortfolioIds.GRID} .ag-cell[col-id='division']")
    }
    assert divisions == {"Finance"}
    assert dash_duo.get_logs() == []


def _wait_for_path(dash_duo, path: str) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(dash_duo.driver, 20).until(
        lambda d: urlparse(d.current_url).path == path, f"never reached {path}"
    )


def test_grid_project_links_open_the_project_in_a_new_tab_with_the_filters(dash_duo, app_settings):
    from app import app

    dash_duo.start_server(app)
    dash_duo.driver.get(f"{dash_duo.server_url}/?division=Finance")
    dash_duo.wait_for_element(f"#{PortfolioIds.GRID} .ag-row a.pmo-grid-link", timeout=20)
    link = dash_duo.find_element(f"#{PortfolioIds.GRID} .ag-cell[col-id='project_id'] a")
    project_id = link.text
    href = urlparse(link.get_attribute("href"))
    assert href.path == f"/project/{project_id}"
    assert parse_qs(href.query) == {"division": ["Finance"]}
    assert link.get_attribute("target") == "_blank"
    assert "noopener" in link.get_attribute("rel")
    # The link works: opened as a browser would in the new tab, the project page shows it,
    # and its breadcrumb goes back to the filtered portfolio.
    dash_duo.driver.get(link.get_attribute("href"))
    dash_duo.wait_for_contains_text(f"#{ProjectIds.HEADER}", project_id, timeout=20)
    back = urlparse(dash_duo.find_element(f"#{ProjectIds.BACK}").get_attribute("href"))
    assert (back.path, parse_qs(back.query)) == ("/", {"division": ["Finance"]})
    assert dash_duo.get_logs() == []


def test_a_red_cell_is_red_on_screen(dash_duo, app_settings):
    from app import app

    dash_duo.start_server(app)
    dash_duo.driver.get(f"{dash_duo.server_url}/?health=red")
    badge = dash_duo.wait_for_element(
        f"#{PortfolioIds.GRID} .ag-cell[col-id='overall'] .rag-badge", timeout=20
    )
    assert badge.text == "Red"
    # Okabe-Ito vermillion #D55E00, the project page's red badge.
    assert dash_duo.driver.execute_script(BACKGROUND_JS, badge) == "rgb(213, 94, 0)"
    cell = dash_duo.find_element(f"#{PortfolioIds.GRID} .ag-cell[col-id='overall']")
    assert "rag-cell-red" in cell.get_attribute("class")
    green = dash_duo.driver.execute_script(
        "return document.querySelector('.rag-badge-green') &&"
        " window.getComputedStyle(document.querySelector('.rag-badge-green')).backgroundColor;"
    )
    assert green in (None, "rgb(0, 158, 115)")
    save_screenshot(dash_duo, "portfolio-red")
    dash_duo.driver.save_screenshot("/tmp/ux/red.png")
    assert dash_duo.get_logs() == []


def test_an_empty_filter_says_what_to_do_and_reset_brings_everything_back(dash_duo, app_settings):
    from app import app

    dash_duo.start_server(app)
    # Health "unknown" on Finance's closed stage: a combination with no open project.
    dash_duo.driver.get(f"{dash_duo.server_url}/?division=Finance&health=unknown&health=green")
    dash_duo.driver.get(f"{dash_duo.server_url}/?stage=__none__&health=unknown")
    dash_duo.wait_for_element(f"#{FilterIds.SUMMARY}", timeout=20)
    dash_duo.driver.save_screenshot("/tmp/ux/empty.png")
