"""Browser tests of a dashboard managers keep open: filters that follow, real links, colour.

A real headless Chromium through dash_duo; colours are read with getComputedStyle, because a
test that finds an element does not prove it is coloured.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from selenium.webdriver.support.ui import WebDriverWait

from dashboard.ids import AppIds, FilterIds, PortfolioIds, ProjectIds

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
        cell.get_attribute("textContent")
        for cell in dash_duo.find_elements(f"#{PortfolioIds.GRID} .ag-cell[col-id='division']")
    }
    assert divisions == {"Finance"}
    assert dash_duo.get_logs() == []


def _wait_for_path(dash_duo, path: str) -> None:
    WebDriverWait(dash_duo.driver, 20).until(
        lambda d: urlparse(d.current_url).path == path, f"never reached {path}"
    )


def test_grid_project_links_open_the_project_in_a_new_tab_with_the_filters(dash_duo, app_settings):
    from app import app

    dash_duo.start_server(app)
    dash_duo.driver.get(f"{dash_duo.server_url}/?division=Finance")
    dash_duo.wait_for_element(f"#{PortfolioIds.GRID} .ag-row a.pmo-grid-link", timeout=20)
    link = dash_duo.find_element(f"#{PortfolioIds.GRID} .ag-cell[col-id='project_id'] a")
    # Below the first screen Selenium reads no text: look at the grid as a user would.
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
    project_id = link.get_attribute("textContent")
    assert project_id
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
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", badge)
    assert badge.get_attribute("textContent") == "Red"
    # Okabe-Ito vermillion #D55E00, the project page's red badge.
    assert dash_duo.driver.execute_script(BACKGROUND_JS, badge) == "rgb(213, 94, 0)"
    cell = dash_duo.find_element(f"#{PortfolioIds.GRID} .ag-cell[col-id='overall']")
    assert "rag-cell-red" in cell.get_attribute("class")
    green = dash_duo.driver.execute_script(
        "return document.querySelector('.rag-badge-green') &&"
        " window.getComputedStyle(document.querySelector('.rag-badge-green')).backgroundColor;"
    )
    assert green in (None, "rgb(0, 158, 115)")
    assert dash_duo.get_logs() == []


def test_an_empty_filter_says_what_to_do_and_reset_brings_everything_back(dash_duo, app_settings):
    from app import app

    dash_duo.start_server(app)
    # Closed projects are not "open": this filter leaves nothing to show.
    dash_duo.driver.get(f"{dash_duo.server_url}/?stage=Closed&division=Finance")
    dash_duo.wait_for_contains_text(
        f"#{PortfolioIds.EMPTY}", "No open projects match these filters", timeout=20
    )
    assert dash_duo.find_element(f"#{PortfolioIds.COUNT}").text.startswith("0 open of")
    dash_duo.find_element(f"#{PortfolioIds.EMPTY} a").click()
    dash_duo.wait_for_text_to_equal(
        f"#{PortfolioIds.COUNT}", "126 open of 150 projects", timeout=20
    )
    assert urlparse(dash_duo.driver.current_url).query == ""
    # The filter bar's own reset clears a filter the same way.
    dash_duo.driver.get(f"{dash_duo.server_url}/capacity?division=Finance")
    dash_duo.wait_for_contains_text(f"#{FilterIds.DIVISION}", "Finance", timeout=20)
    dash_duo.find_element(f"#{FilterIds.RESET}").click()
    _wait_for_path(dash_duo, "/capacity")
    dash_duo.wait_for_contains_text(f"#{FilterIds.DIVISION}", "All", timeout=20)
    assert urlparse(dash_duo.driver.current_url).query == ""
    assert dash_duo.get_logs() == []


FIRST_SCREEN_JS = """
const r = document.getElementById(arguments[0]).getBoundingClientRect();
return [r.top, window.innerHeight, document.documentElement.scrollWidth, window.innerWidth];
"""


def test_a_phone_gets_a_folded_navbar_and_filters_and_content_in_the_first_screen(
    dash_duo, app_settings
):
    from app import app

    dash_duo.start_server(app)
    dash_duo.driver.set_window_size(390, 844)
    dash_duo.driver.get(f"{dash_duo.server_url}/?division=Finance")
    dash_duo.wait_for_element(f"#{PortfolioIds.KPI_ROW} .kpi-value", timeout=20)
    # Navbar links and the filters fold behind one button each.
    assert dash_duo.find_element(f"#{AppIds.NAV_TOGGLER}").is_displayed()
    assert not nav_link(dash_duo, "/capacity").is_displayed()
    assert not dash_duo.find_element(f"#{FilterIds.DIVISION}").is_displayed()
    toggle = dash_duo.find_element(f"#{FilterIds.TOGGLE}")
    assert toggle.text == "Filters (1 active)"
    # The KPI tiles start inside the first screen; nothing makes the page scroll sideways.
    top, height, page_width, width = dash_duo.driver.execute_script(
        FIRST_SCREEN_JS, PortfolioIds.KPI_ROW
    )
    assert top < height / 2
    assert page_width <= width
    # The wide projects grid scrolls inside its own box.
    box = dash_duo.find_element(f".pmo-grid-scroll #{PortfolioIds.GRID}").find_element(
        "xpath", ".."
    )
    assert dash_duo.driver.execute_script(
        "return arguments[0].scrollWidth > arguments[0].clientWidth", box
    )
    # Both panels unfold on demand.
    toggle.click()
    dash_duo.wait_for_element(f"#{FilterIds.DIVISION}", timeout=5)
    _wait_displayed(dash_duo, f"#{FilterIds.DIVISION}")
    dash_duo.find_element(f"#{AppIds.NAV_TOGGLER}").click()
    WebDriverWait(dash_duo.driver, 5).until(
        lambda d: nav_link(dash_duo, "/capacity").is_displayed()
    )
    # The review's tables scroll in their cards too, not the page.
    dash_duo.driver.get(f"{dash_duo.server_url}/review")
    dash_duo.wait_for_element(".review-table", timeout=20)
    _, _, page_width, width = dash_duo.driver.execute_script(FIRST_SCREEN_JS, AppIds.NAVBAR)
    assert page_width <= width
    assert dash_duo.get_logs() == []


def _wait_displayed(dash_duo, selector: str) -> None:
    WebDriverWait(dash_duo.driver, 5).until(
        lambda d: dash_duo.find_element(selector).is_displayed(), f"{selector} stayed hidden"
    )


CLICK_ONE_PROJECT_BUBBLE_JS = """
const gd = document.querySelector('#' + arguments[0] + ' .js-plotly-plot');
for (const trace of gd.data) {
    for (const point of trace.customdata) {
        if (point[0]) {
            // What dcc.Graph reports for a click on this bubble (its customdata).
            const clickData = {points: [{customdata: point}]};
            window.dash_clientside.set_props(arguments[0], {clickData: clickData});
            return point[0];
        }
    }
}
return null;
"""


def test_a_clicked_one_project_bubble_opens_it_with_the_filters(dash_duo, app_settings):
    from app import app

    dash_duo.start_server(app)
    dash_duo.driver.get(f"{dash_duo.server_url}/?division=Finance")
    dash_duo.wait_for_element(f"#{PortfolioIds.BUBBLE_CHART} .js-plotly-plot", timeout=20)
    project_id = dash_duo.driver.execute_script(
        CLICK_ONE_PROJECT_BUBBLE_JS, PortfolioIds.BUBBLE_CHART
    )
    assert project_id
    _wait_for_path(dash_duo, f"/project/{project_id}")
    assert parse_qs(urlparse(dash_duo.driver.current_url).query) == {"division": ["Finance"]}
    dash_duo.wait_for_contains_text(f"#{ProjectIds.HEADER}", project_id, timeout=20)
    assert dash_duo.get_logs() == []
