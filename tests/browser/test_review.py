"""Browser tests of the Monthly review page: a real headless Chromium through dash_duo."""

from __future__ import annotations

import base64
import io
import os
import re
import unicodedata
from datetime import date

import pytest
from pypdf import PdfReader
from selenium.webdriver.common.by import By

from dashboard.ids import ReviewIds
from tests.browser.conftest import opened_on, save_screenshot


@pytest.fixture
def on_2_december(demo_store):
    """The demo store opened on 2 Dec 2026: November has just closed."""
    yield from opened_on(demo_store, date(2026, 12, 2))


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


def test_a_decision_recorded_on_a_request_changes_its_status(dash_duo, store_copy_on_2_december):
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
    assert "was approved (was under review)" in line or "was approved (was submitted)" in line
    assert dash_duo.get_logs() == []


A4_LANDSCAPE_CONTENT_PX = 1032  # 297 mm less two 12 mm margins, at 96 px per inch
A4_LANDSCAPE_CONTENT_HEIGHT_PX = 703  # 210 mm less two 12 mm margins
A4_LANDSCAPE_PT = (842, 595)  # the PDF's page size in points


def squeezed(text: str) -> str:
    """Text without spaces or line breaks, ligatures undone: PDF text wraps where HTML does not."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def laid_out_on_a4(driver, chart: str) -> list[str]:
    """Check ``chart``'s box (legend included) fits the A4 landscape area; return its texts."""
    box = driver.execute_script(
        "const plot = document.querySelector(arguments[0] + ' .svg-container');"
        "const legend = plot.querySelector('.legend').getBoundingClientRect();"
        "const r = plot.getBoundingClientRect();"
        "return [r.left, r.right, r.width, r.height, legend.left, legend.right,"
        " legend.top - r.top, legend.bottom - r.top];",
        f"#{chart}",
    )
    left, right, _width, height, legend_left, legend_right, legend_top, legend_bottom = box
    assert 0 <= left < right <= A4_LANDSCAPE_CONTENT_PX, (chart, box)  # fits the width
    assert height <= A4_LANDSCAPE_CONTENT_HEIGHT_PX, (chart, box)  # and one page's height
    assert left <= legend_left < legend_right <= right, (chart, box)  # legend kept
    assert 0 <= legend_top < legend_bottom <= height, (chart, box)
    texts = driver.execute_script(
        "const root = document.querySelector(arguments[0]);"
        "return [...root.querySelectorAll('.gtitle, .legendtext')].map(e => e.textContent);",
        f"#{chart}",
    )
    assert len(texts) >= 3, chart  # a title and at least two legend entries
    return texts


def printed_pages(driver) -> list[str]:
    """Chrome's print-to-PDF of the page: A4 landscape pages, their text squeezed."""
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    pdf = base64.b64decode(
        driver.execute_cdp_cmd(
            "Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True}
        )["data"]
    )
    reader = PdfReader(io.BytesIO(pdf))
    assert 3 <= len(reader.pages) <= 12, len(reader.pages)
    for page in reader.pages:  # A4 landscape, every page
        size = (float(page.mediabox.width), float(page.mediabox.height))
        assert all(abs(a - b) < 2 for a, b in zip(size, A4_LANDSCAPE_PT, strict=True)), size
    return [squeezed(page.extract_text()) for page in reader.pages]


def test_review_prints_on_a4_landscape_with_whole_charts(dash_duo, on_2_december):
    from app import app

    charts = (ReviewIds.DIVISION_CHART, ReviewIds.TREND_CHART)
    dash_duo.start_server(app)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/review?division=Finance", timeout=20)
    dash_duo.wait_for_text_to_equal(
        f"#{ReviewIds.TITLE}", "Monthly review: 31 Oct 2026 → 30 Nov 2026", timeout=60
    )
    for chart in charts:
        dash_duo.wait_for_element(f"#{chart} .svg-container .legend", timeout=30)
    driver = dash_duo.driver
    # Print emulation laid out at the printable width of an A4 landscape page, as the printer
    # lays it out: every chart's box (legend included) must fit inside that area.
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {
            "width": A4_LANDSCAPE_CONTENT_PX,
            "height": A4_LANDSCAPE_CONTENT_HEIGHT_PX,
            "deviceScaleFactor": 1,
            "mobile": False,
        },
    )
    chart_text = {chart: laid_out_on_a4(driver, chart) for chart in charts}
    # Section titles as printed (the element's own text, without its count badge).
    titles = driver.execute_script(
        "return [...document.querySelectorAll('h2, h3, .card-header span.fw-semibold')]"
        ".filter(e => e.offsetParent !== null)"
        ".map(e => [...e.childNodes].filter(n => n.nodeType === 3)"
        ".map(n => n.textContent).join('').trim()).filter(t => t)"
    )
    for title in ("Monthly review", "Decisions for this meeting", "Exceptions", "New reds"):
        assert any(t.startswith(title) for t in titles), title
    assert "Record a decision or action" not in titles  # the form is not printed
    pages = printed_pages(driver)
    for title in titles:  # every section title is in the PDF's text
        assert any(squeezed(title) in page for page in pages), title
    for chart, texts in chart_text.items():  # each chart whole on one page: title and legend
        assert any(all(squeezed(t) in page for t in texts) for page in pages), (chart, texts)


def test_the_pmo_writes_the_summary_and_closes_one_action(dash_duo, store_copy_on_2_december):
    from datetime import datetime

    from app import app
    from dashboard.services import review as services
    from loaders.app_writes import DecisionInput

    for owner in ("Ann Lee", "Bo Chan"):
        services.record_decision(
            DecisionInput("project", "PRJ-127", "action", owner, date(2026, 11, 20), "Re-plan"),
            key=f"browser-{owner}",
            now=datetime(2026, 11, 5, 9, 0),
        )
    dash_duo.start_server(app)
    # Month to date: a "done" recorded today counts in a review that ends today.
    url = f"{dash_duo.server_url}/review?division=Finance&from=2026-11-30&to=2026-12-02"
    dash_duo.wait_for_page(url=url, timeout=20)
    dash_duo.wait_for_element(f"#{ReviewIds.EXEC_SUMMARY_INPUT}", timeout=60)
    box = dash_duo.find_element(f"#{ReviewIds.EXEC_SUMMARY_INPUT}")
    box.send_keys("Two new reds in VAT work; <i>approve</i> REQ-001.")
    dash_duo.find_element(f"#{ReviewIds.EXEC_SUMMARY_SAVE}").click()
    dash_duo.wait_for_contains_text(f"#{ReviewIds.EXEC_SUMMARY_STATUS}", "Summary saved", 30)
    buttons = dash_duo.driver.find_elements(
        By.CSS_SELECTOR, f"#{ReviewIds.ACTIONS} .btn-outline-success"
    )
    assert [b.text for b in buttons] == ["Done", "Done"]
    dash_duo.driver.execute_script("arguments[0].click();", buttons[1])
    dash_duo.wait_for_contains_text(f"#{ReviewIds.ACTION_STATUS}", "marked done", 30)
    refresh = dash_duo.find_element(f"#{ReviewIds.ACTION_STATUS} a")
    dash_duo.driver.execute_script("arguments[0].click();", refresh)  # rebuild the review
    dash_duo.wait_for_text_to_equal(
        f"#{ReviewIds.EXEC_SUMMARY_TEXT}",
        "Two new reds in VAT work; <i>approve</i> REQ-001.",  # as typed, not as HTML
        timeout=60,
    )
    rows = dash_duo.driver.find_elements(By.CSS_SELECTOR, f"#{ReviewIds.ACTIONS} tbody tr")
    states = sorted((r.find_elements(By.TAG_NAME, "td")[3].text, r.text.split()[0]) for r in rows)
    assert states == [("Ann Lee", "overdue"), ("Bo Chan", "done")]
    assert (
        "Written by local user on 2026-12-02"
        in dash_duo.find_element(f"#{ReviewIds.EXEC_SUMMARY}").text
    )
    dash_duo.driver.set_window_size(1400, 1400)
    dash_duo.driver.save_screenshot("/tmp/review2-summary.png")
    assert dash_duo.get_logs() == []
