"""Browser tests of the Portfolio page: a real headless Chromium through dash_duo."""

from __future__ import annotations

from dashboard.ids import AppIds, PortfolioIds
from tests.browser.conftest import save_screenshot


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
