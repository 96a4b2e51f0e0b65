"""Browser tests: every page free of WCAG 2 A/AA violations as axe-core reports them.

axe-core is installed from the npm registry by ``make test`` / ``make test-browser``
(``tests/browser/vendor/node_modules/axe-core``, MPL-2.0); the test injects it into the page.
A missing axe-core fails the test with the command to run: this tier is never skipped.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from dashboard.ids import AppIds

AXE = Path(__file__).parent / "vendor" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PAGES = (
    "/",
    "/?division=Finance",
    "/project/PRJ-041",
    "/capacity",
    "/intake",
    "/data",
    "/review",
    "/glossary",
    "/upload",
    "/?as_of=2001-01-01",
)

RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: "tag", values: arguments[0]}, resultTypes: ["violations"]})
   .then(r => done(r.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " :: " + n.failureSummary)}))))
   .catch(e => done([{id: "axe-error", help: String(e), nodes: []}]));
"""


def axe_source() -> str:
    if not AXE.exists():
        pytest.fail(
            "axe-core is not installed: run `make axe` (npm install axe-core into "
            "tests/browser/vendor)"
        )
    return AXE.read_text(encoding="utf-8")


def violations(dash_duo, path: str) -> list[dict]:
    """axe-core's WCAG 2 A/AA violations on ``path`` once the page has rendered."""
    dash_duo.driver.get(f"{dash_duo.server_url}{path}")
    dash_duo.wait_for_element(f"#{AppIds.FOOTER}", timeout=20)
    dash_duo.wait_for_element("#_pages_content > *", timeout=20)
    # Scroll through the page as a reader would: AG Grid draws a grid's cells once it is in
    # view, and those cells are what axe must judge.
    height = dash_duo.driver.execute_script("return document.body.scrollHeight")
    for top in range(0, height + 800, 600):
        dash_duo.driver.execute_script("window.scrollTo(0, arguments[0])", top)
        time.sleep(0.15)
    WebDriverWait(dash_duo.driver, 20).until(
        lambda d: d.execute_script("return !document.querySelector('.ag-delay-render')"),
        "a grid never finished drawing",
    )
    time.sleep(0.5)
    dash_duo.driver.set_script_timeout(60)
    dash_duo.driver.execute_script(axe_source())
    return dash_duo.driver.execute_async_script(RUN_AXE, WCAG_TAGS)


@pytest.mark.parametrize("width", [1400, 390])
def test_every_page_has_no_wcag_a_or_aa_violation(dash_duo, app_settings, width):
    from app import app

    dash_duo.start_server(app)
    dash_duo.driver.set_window_size(width, 1000)
    found = {path: violations(dash_duo, path) for path in PAGES}
    found = {path: v for path, v in found.items() if v}
    assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)


FOCUS_JS = """
const el = document.activeElement;
const style = window.getComputedStyle(el);
return [el.tagName, el.textContent.trim().slice(0, 40), style.outlineStyle, style.outlineWidth];
"""


def test_keyboard_reaches_a_grid_link_with_visible_focus_and_opens_it(dash_duo, app_settings):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    from app import app

    dash_duo.start_server(app)
    dash_duo.wait_for_element("#portfolio-projects-grid a.pmo-grid-link", timeout=20)
    first = dash_duo.driver.current_window_handle
    for _ in range(80):
        ActionChains(dash_duo.driver).send_keys(Keys.TAB).perform()
        tag, text, outline, width = dash_duo.driver.execute_script(FOCUS_JS)
        if tag == "A":
            # Every link reached by keyboard shows a 3 px outline (assets/pmo.css).
            assert (outline, width) == ("solid", "3px"), (text, outline, width)
        if tag == "DIV" and text.startswith("PRJ-"):
            break  # AG Grid focuses the cell that holds the project link
    else:
        raise AssertionError("no project cell reached by Tab")
    assert dash_duo.driver.execute_script(
        "return document.activeElement.classList.contains('ag-cell-focus')"
    )
    ActionChains(dash_duo.driver).send_keys(Keys.ENTER).perform()
    WebDriverWait(dash_duo.driver, 10).until(lambda d: len(d.window_handles) == 2)
    new = next(h for h in dash_duo.driver.window_handles if h != first)
    dash_duo.driver.switch_to.window(new)
    WebDriverWait(dash_duo.driver, 10).until(lambda d: f"/project/{text}" in d.current_url)
    # Let the new tab finish loading before it closes (a request cut off mid-way would end
    # the test server's thread with an error).
    dash_duo.wait_for_contains_text("#project-header-card", text, timeout=20)
    dash_duo.wait_for_no_elements("._dash-loading", timeout=20)
    dash_duo.driver.close()
    dash_duo.driver.switch_to.window(first)
    assert dash_duo.get_logs() == []
