"""Browser tests of the Portfolio page: a real headless Chromium through dash_duo."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from dashboard.ids import AppIds, FilterIds, PortfolioIds
from tests.browser.conftest import save_screenshot
from tests.conftest import DEMO_TODAY


def test_portfolio_page_shows_the_demo_portfolio_without_console_errors(dash_duo, app_settings):
    from app import app

    dash_duo.start_server(app)
    # 150 projects in the register; 18 closed and 6 cancelled leave 126 open (data/sample README).
    dash_duo.wait_for_text_to_equal(
        f"#{PortfolioIds.COUNT}", "126 open of 150 projects", timeout=20
    )
    dash_duo.wait_for_element(f"#{PortfolioIds.GRID} .ag-row", timeout=20)
    footer = dash_duo.find_element(f"#{AppIds.FOOTER_VERSION}").text
    assert "Data version" in footer and "as of 2026-11-26" in footer
    save_screenshot(dash_duo, "portfolio")
    assert dash_duo.get_logs() == []


def open_and_all_finance_projects(register: Path) -> tuple[int, int]:
    """Finance projects in the demo's current register, and how many are not closed (by hand)."""
    book = openpyxl.load_workbook(register, read_only=True)
    try:  # read-only workbooks keep the file open until closed
        rows = list(book["Register"].iter_rows(min_row=5, values_only=True))
    finally:
        book.close()
    finance = [r for r in rows if r[2] == "Finance"]
    open_ = [r for r in finance if str(r[7]).lower() not in ("closed", "cancelled", "completed")]
    return len(open_), len(finance)


def test_division_filter_changes_the_figures_and_lives_in_the_url(
    dash_duo, app_settings, demo_store
):
    from app import app

    register = demo_store.parent / "exports" / f"Project Register {DEMO_TODAY.isoformat()}.xlsx"
    open_count, finance_count = open_and_all_finance_projects(register)
    dash_duo.start_server(app)
    dash_duo.wait_for_text_to_equal(
        f"#{PortfolioIds.COUNT}", "126 open of 150 projects", timeout=20
    )
    dash_duo.select_dcc_dropdown(f"#{FilterIds.DIVISION}", value="Finance")
    expected = f"{open_count} open of {finance_count} projects"
    dash_duo.wait_for_text_to_equal(f"#{PortfolioIds.COUNT}", expected, timeout=20)
    tile = dash_duo.find_element(f"#{PortfolioIds.KPI_ROW} .kpi-value").text
    assert tile == str(open_count)  # the "Projects" tile follows the filter
    assert "division=Finance" in dash_duo.driver.current_url
    # The back button returns to the unfiltered view.
    dash_duo.driver.back()
    dash_duo.wait_for_text_to_equal(
        f"#{PortfolioIds.COUNT}", "126 open of 150 projects", timeout=20
    )
    # A shared link restores the filtered view: open it fresh.
    dash_duo.driver.get(f"{dash_duo.server_url}/?division=Finance")
    dash_duo.wait_for_text_to_equal(f"#{PortfolioIds.COUNT}", expected, timeout=20)
    assert "Finance" in dash_duo.find_element(f"#{FilterIds.DIVISION}").text
    assert dash_duo.get_logs() == []
