"""Browser tests of the Glossary page: every standard from pmo.toml, with its value."""

from __future__ import annotations

from dashboard.ids import GlossaryIds
from tests.browser.conftest import save_screenshot


def test_glossary_lists_standards_with_values_without_console_errors(dash_duo, app_settings):
    from app import app

    dash_duo.start_server(app)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/glossary", timeout=20)
    table = f"#{GlossaryIds.section('reporting')}"
    dash_duo.wait_for_contains_text(table, "cadence_days", timeout=20)
    row = next(r for r in dash_duo.find_elements(f"{table} tbody tr") if "cadence_days" in r.text)
    assert row.find_elements("css selector", "td")[1].text == "14"
    definitions = dash_duo.find_element(f"#{GlossaryIds.DEFINITIONS}").text
    assert "Watermelon" in definitions and "SPI = EV ÷ PV" in definitions
    save_screenshot(dash_duo, "glossary")
    assert dash_duo.get_logs() == []
