"""Browser tests of the Monthly review page: a real headless Chromium through dash_duo."""

from __future__ import annotations

import os
from datetime import date

import pytest
from selenium.webdriver.common.by import By

from dashboard.ids import ReviewIds
from tests.browser.conftest import save_screenshot


@pytest.fixture
def on_2_december(demo_store):
    """The demo store opened on 2 Dec 2026: November has just closed."""
    from dashboard import config, db
    from dashboard.services.cache import clear_cache

    config._overrides.clear()
    clear_cache()
    yield config.configure(data_dir=demo_store, today=date(2026, 12, 2))
    db.close_all()
    clear_cache()
    config._overrides.clear()
    config.get_settings.cache_clear()


def test_review_opens_on_the_last_closed_month_with_decisions_first(dash_duo, on_2_december):
    from app import app

    dash_duo.start_server(app)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/review?division=Finance", timeout=20)
    dash_duo.wait_for_text_to_equal(
        f"#{ReviewIds.TITLE}", "Monthly review: 31 Oct 2026 → 30 Nov 2026", timeout=60
    )
    assert "Finance" in dash_duo.find_element(f"#{ReviewIds.DIVISION}").text
    decisions = dash_duo.find_element(f"#{ReviewIds.DECISIONS}")
    exceptions = dash_duo.find_element(f"#{ReviewIds.SUMMARY}")
    assert decisions.location["y"] < exceptions.location["y"]  # decisions come first
    assert "Decisions for this meeting" in decisions.text
    assert "Requests ready for a decision" in decisions.text
    # PRJ-127 (Finance) turned red; PRJ-029 (Operations) did too but is filtered out.
    new_reds = dash_duo.find_element(f"#{ReviewIds.section('new_reds')}").text
    assert "PRJ-127" in new_reds and "PRJ-029" not in new_reds
    dash_duo.wait_for_element(f"#{ReviewIds.TREND_CHART} .main-svg", timeout=20)
    save_screenshot(dash_duo, "review")
    if os.environ.get("PMO_REVIEW_SHOT"):
        dash_duo.driver.save_screenshot(os.environ["PMO_REVIEW_SHOT"])

    dash_duo.find_element(f"#{ReviewIds.PERIOD_MTD}").click()  # month to date: one click
    dash_duo.wait_for_text_to_equal(
        f"#{ReviewIds.TITLE}", "Monthly review: 30 Nov 2026 → 2 Dec 2026", timeout=60
    )
    url = dash_duo.driver.current_url
    assert "from=2026-11-30" in url and "to=2026-12-02" in url and "division=Finance" in url

    dash_duo.find_element(f"#{ReviewIds.PERIOD_CLOSED}").click()
    dash_duo.wait_for_text_to_equal(
        f"#{ReviewIds.TITLE}", "Monthly review: 31 Oct 2026 → 30 Nov 2026", timeout=60
    )
    assert "from=" not in dash_duo.driver.current_url
    assert dash_duo.get_logs() == []


@pytest.fixture
def private_store_on_2_december(demo_store, tmp_path):
    """A copy of the demo store (this test writes to it), opened on 2 Dec 2026."""
    import shutil

    from dashboard import config, db
    from dashboard.services.cache import clear_cache
    from loaders import publish

    target = tmp_path / "data"
    target.mkdir()
    current = publish.current_version(demo_store)
    shutil.copyfile(current.path, target / current.path.name)
    (target / "CURRENT").write_text((demo_store / "CURRENT").read_text())
    config._overrides.clear()
    clear_cache()
    yield config.configure(data_dir=target, today=date(2026, 12, 2))
    db.close_all()
    clear_cache()
    config._overrides.clear()
    config.get_settings.cache_clear()


def test_a_decision_recorded_on_a_request_changes_its_status(dash_duo, private_store_on_2_december):
    from app import app

    dash_duo.start_server(app)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/review?division=Finance", timeout=20)
    dash_duo.wait_for_text_to_equal(
        f"#{ReviewIds.TITLE}", "Monthly review: 31 Oct 2026 → 30 Nov 2026", timeout=60
    )
    dash_duo.wait_for_element(f"#{ReviewIds.TREND_CHART} .main-svg", timeout=30)  # layout settled
    click = dash_duo.driver.execute_script  # the form is below the fold: click without scrolling
    click("arguments[0].click()", dash_duo.find_element(f"#{ReviewIds.RECORD_SUBJECT}"))
    first = dash_duo.find_element(".dash-dropdown-options .dash-dropdown-option")
    click("arguments[0].click()", first)
    chosen = dash_duo.find_element(f"#{ReviewIds.RECORD_SUBJECT}").text
    request_id = chosen.split()[0]
    assert request_id.startswith("REQ-")  # the best-scored request ready for a decision
    approve = dash_duo.driver.find_element(
        By.XPATH, f"//*[@id='{ReviewIds.RECORD_DECISION}']//label[normalize-space()='Approve']"
    )
    click("arguments[0].click()", approve)
    click("arguments[0].click()", dash_duo.find_element(f"#{ReviewIds.RECORD_BUTTON}"))
    dash_duo.wait_for_contains_text(
        f"#{ReviewIds.RECORD_STATUS}", "the request is now approved", timeout=60
    )
    # Month to date (30 Nov → 2 Dec) lists the decision among the requests decided.
    click("arguments[0].click()", dash_duo.find_element(f"#{ReviewIds.PERIOD_MTD}"))
    dash_duo.wait_for_text_to_equal(
        f"#{ReviewIds.TITLE}", "Monthly review: 30 Nov 2026 → 2 Dec 2026", timeout=60
    )
    dash_duo.wait_for_contains_text(
        f"#{ReviewIds.section('decisions')}", f"Request {request_id}", timeout=30
    )
    decided = dash_duo.find_element(f"#{ReviewIds.section('decisions')}").text
    line = next(t for t in decided.splitlines() if f"Request {request_id}" in t)
    assert "was approved (was under_review)" in line or "was approved (was submitted)" in line
    assert dash_duo.get_logs() == []


A4_LANDSCAPE_CONTENT_PX = 1032  # 297 mm less two 12 mm margins, at 96 px per inch


def test_review_prints_on_a4_landscape_with_whole_charts(dash_duo, on_2_december):
    import base64
    import re

    from app import app

    dash_duo.start_server(app)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/review?division=Finance", timeout=20)
    dash_duo.wait_for_text_to_equal(
        f"#{ReviewIds.TITLE}", "Monthly review: 31 Oct 2026 → 30 Nov 2026", timeout=60
    )
    for chart in (ReviewIds.DIVISION_CHART, ReviewIds.TREND_CHART):
        dash_duo.wait_for_element(f"#{chart} .svg-container .legend", timeout=30)
    driver = dash_duo.driver
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    for chart in (ReviewIds.DIVISION_CHART, ReviewIds.TREND_CHART):
        box = driver.execute_script(
            "const plot = document.querySelector(arguments[0] + ' .svg-container');"
            "const legend = plot.querySelector('.legend').getBoundingClientRect();"
            "const r = plot.getBoundingClientRect();"
            "return [r.width, r.height, legend.left - r.left, legend.right - r.left,"
            " legend.top - r.top, legend.bottom - r.top];",
            f"#{chart}",
        )
        width, height, left, right, top, bottom = box
        assert width <= A4_LANDSCAPE_CONTENT_PX, chart  # the whole chart fits the page width
        assert height <= 700, chart  # and its height (186 mm = 703 px)
        assert 0 <= left < right <= width and 0 <= top < bottom <= height, chart  # legend kept
    titles = driver.execute_script(
        "return [...document.querySelectorAll('h2, h3, .card-header span.fw-semibold')]"
        ".filter(e => e.offsetParent !== null).map(e => e.textContent)"
    )
    for title in ("Monthly review", "Decisions for this meeting", "Exceptions", "New reds"):
        assert any(t.startswith(title) for t in titles), title
    assert "Record a decision or action" not in titles  # the form is not printed
    pdf = base64.b64decode(
        driver.execute_cdp_cmd(
            "Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True}
        )["data"]
    )
    pages = re.findall(rb"/Type\s*/Page\b(?!s)", pdf)
    boxes = set(re.findall(rb"/MediaBox\s*\[0 0 ([\d.]+) ([\d.]+)\]", pdf))
    assert boxes and all(float(w) > float(h) for w, h in boxes)  # landscape pages
    assert all(abs(float(w) - 842) < 2 and abs(float(h) - 595) < 2 for w, h in boxes)  # A4
    assert 3 <= len(pages) <= 12, len(pages)
