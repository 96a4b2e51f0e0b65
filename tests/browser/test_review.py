"""Browser tests of the Monthly review page: a real headless Chromium through dash_duo."""

from __future__ import annotations

from dashboard.ids import ReviewIds
from tests.browser.conftest import save_screenshot


def test_review_restores_a_shared_division_url_and_changes_dates(dash_duo, app_settings):
    from app import app

    dash_duo.start_server(app)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/review?division=Finance", timeout=20)
    # Default review: previous month-end vs "today" (the demo's 2026-11-26).
    dash_duo.wait_for_text_to_equal(
        f"#{ReviewIds.TITLE}", "Monthly review: 31 Oct 2026 → 26 Nov 2026", timeout=20
    )
    assert "Finance" in dash_duo.find_element(f"#{ReviewIds.DIVISION}").text
    # PRJ-127 (Finance) turned red this month; PRJ-029 (Operations) did too but is filtered out.
    new_reds = dash_duo.find_element(f"#{ReviewIds.section('new_reds')}").text
    assert "PRJ-127" in new_reds and "PRJ-029" not in new_reds
    save_screenshot(dash_duo, "review")

    dash_duo.select_dcc_dropdown(f"#{ReviewIds.FROM}", value="30 Sep 2026")
    dash_duo.wait_for_text_to_equal(
        f"#{ReviewIds.TITLE}", "Monthly review: 30 Sep 2026 → 26 Nov 2026", timeout=20
    )
    assert "from=2026-09-30" in dash_duo.driver.current_url
    assert "division=Finance" in dash_duo.driver.current_url
    assert dash_duo.get_logs() == []
