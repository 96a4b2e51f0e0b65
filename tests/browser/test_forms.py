"""Browser tests of the forms: a contributor's status update, the request intake (issue 13).

The app runs with sign-in off (one local user); the signed-in user's scope is set the way the
auth layer sets it, through ``dashboard.scope``: the server's threads read the scope variable's
default, which the ``as_contributor`` fixture replaces for the test.
"""

from __future__ import annotations

import contextvars

import pytest
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from dashboard.ids import MyProjectsIds, ProjectIds, StatusFormIds

MANAGER = "Hannah Gill"  # manages PRJ-041, PRJ-067, ... in the demo register
MINE = "PRJ-041"
NOT_MINE = "PRJ-040"  # Owen Fraser's


@pytest.fixture
def private_store(store_copy_on_2_december):
    """A copy of the demo store (these tests write to it), opened on 2 Dec 2026."""
    return store_copy_on_2_december


def use_scope(monkeypatch, scope) -> None:
    """Every request of the test server (and this thread) runs as ``scope``."""
    from dashboard import scope as scope_module

    monkeypatch.setattr(
        scope_module, "_current", contextvars.ContextVar("pmo_scope", default=scope)
    )


@pytest.fixture
def as_contributor(monkeypatch):
    from dashboard.scope import Scope

    scope = Scope(user="hannah", role="contributor", project_manager=MANAGER)
    use_scope(monkeypatch, scope)
    return scope


def test_contributor_submits_an_amber_status_and_sees_it_on_the_project_page(
    dash_duo, private_store, as_contributor
):
    from app import app

    dash_duo.start_server(app)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/my-projects", timeout=20)
    dash_duo.wait_for_element(f"#{MyProjectsIds.LIST}", timeout=30)
    listed = dash_duo.find_element(f"#{MyProjectsIds.LIST}").text
    assert MINE in listed and NOT_MINE not in listed
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/status/{NOT_MINE}", timeout=20)
    dash_duo.wait_for_contains_text(f"#{StatusFormIds.REFUSED}", "may not submit", timeout=30)
    assert not dash_duo.driver.find_elements("id", StatusFormIds.SUBMIT)  # no form to submit
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/status/{MINE}", timeout=20)
    dash_duo.wait_for_contains_text(f"#{StatusFormIds.TITLE}", MINE, timeout=30)
    Select(dash_duo.find_element(f"#{StatusFormIds.field('overall_rag')}")).select_by_value("amber")
    summary = dash_duo.find_element(f"#{StatusFormIds.field('summary')}")
    summary.send_keys(Keys.CONTROL, "a")
    summary.send_keys(Keys.DELETE)  # as a user empties it (React sees the keys)
    dash_duo.find_element(f"#{StatusFormIds.SUBMIT}").click()
    # A non-green RAG without a comment is refused next to the summary; nothing published.
    dash_duo.wait_for_contains_text(
        f"#{StatusFormIds.feedback('summary')}", "needs a comment", timeout=30
    )
    summary.send_keys("Vendor late with the data feed; recovery plan agreed")
    # The demo's forecast may be after the baseline: then the form asks for the reason.
    reason = dash_duo.find_element(f"#{StatusFormIds.field('forecast_reason')}")
    reason.send_keys("Data feed two weeks late")
    dash_duo.find_element(f"#{StatusFormIds.SUBMIT}").click()
    dash_duo.wait_for_contains_text(f"#{StatusFormIds.RESULT}", "Saved", timeout=30)
    dash_duo.driver.save_screenshot("/tmp/forms-status.png")
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/project/{MINE}", timeout=20)
    dash_duo.wait_for_contains_text(f"#{ProjectIds.NARRATIVE}", "Vendor late", timeout=30)
    narrative = dash_duo.find_element(f"#{ProjectIds.NARRATIVE}").text
    assert "2026-12-02" in narrative and "Reported: Amber" in narrative
    assert "Reported by hannah" in narrative
    # The Project page links to the form for the contributor's own projects only.
    link = dash_duo.find_element(f"#{ProjectIds.REPORT_LINK}")
    assert link.get_attribute("href").endswith(f"/status/{MINE}")
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/project/{NOT_MINE}", timeout=20)
    dash_duo.wait_for_element(f"#{ProjectIds.NARRATIVE}", timeout=30)
    assert not dash_duo.driver.find_elements("id", ProjectIds.REPORT_LINK)
    assert dash_duo.get_logs() == []


def test_forged_status_for_a_project_outside_the_scope_is_refused(private_store, as_contributor):
    from dashboard.pages import status_form
    from loaders import publish

    before = publish.current_version(private_store.data_dir).number
    values = ["amber", "", "", "", "", "50", "", "", "", "Forged", "", ""]
    result = status_form.on_submit(1, NOT_MINE, "forged-key", *values)
    assert "may not submit status reports for PRJ-040" in str(result[0])
    assert publish.current_version(private_store.data_dir).number == before
    result = status_form.on_submit(1, MINE, "own-key", *values)
    assert "Saved" in str(result[0])
    assert publish.current_version(private_store.data_dir).number == before + 1


def fill(dash_duo, name: str, text: str) -> None:
    from dashboard.ids import RequestFormIds

    dash_duo.find_element(f"#{RequestFormIds.field(name)}").send_keys(text)


def choose(dash_duo, name: str, value: str) -> None:
    from dashboard.ids import RequestFormIds

    Select(dash_duo.find_element(f"#{RequestFormIds.field(name)}")).select_by_value(value)


def press_enter(dash_duo, element_id: str) -> None:
    """Submit from the keyboard: focus the button and press Enter."""
    button = dash_duo.find_element(f"#{element_id}")
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    button.send_keys(Keys.ENTER)


def test_request_goes_from_draft_to_submitted_and_shows_scored_on_intake(dash_duo, private_store):
    from app import app
    from dashboard.ids import IntakeIds, RequestFormIds

    dash_duo.start_server(app)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/request", timeout=20)
    dash_duo.wait_for_element(f"#{RequestFormIds.field('title')}", timeout=30)
    fill(dash_duo, "title", "Instant payments gateway")
    choose(dash_duo, "division", "Finance")
    fill(dash_duo, "estimated_cost", "1000")

    def gate_names_benefit_not_cost(driver) -> bool:  # the gate runs as the user types
        text = driver.find_element("id", RequestFormIds.GATE).text
        return "expected benefit" in text and "estimated cost" not in text

    WebDriverWait(dash_duo.driver, 20).until(gate_names_benefit_not_cost)
    gate = dash_duo.find_element(f"#{RequestFormIds.GATE}").text
    assert gate.startswith("Draft: missing:") and "estimated cost" not in gate
    press_enter(dash_duo, RequestFormIds.SUBMIT)
    dash_duo.wait_for_contains_text(f"#{RequestFormIds.RESULT}", "as draft", timeout=30)
    request_id = dash_duo.find_element(f"#{RequestFormIds.RESULT}").text.split()[1]
    dash_duo.wait_for_contains_text(f"#{RequestFormIds.MINE}", request_id, timeout=20)
    assert "draft" in dash_duo.find_element(f"#{RequestFormIds.MINE}").text
    # Complete it: the best value on every criterion, so it tops the weighted ranking.
    fill(dash_duo, "expected_benefit", "900000000")
    choose(dash_duo, "strategic_alignment", "5")
    choose(dash_duo, "urgency", "5")
    choose(dash_duo, "risk", "1")
    fill(dash_duo, "effort_person_months", "0.1")
    dash_duo.wait_for_contains_text(f"#{RequestFormIds.GATE}", "Complete", timeout=20)
    dash_duo.driver.set_window_size(390, 900)
    dash_duo.driver.save_screenshot("/tmp/forms-request-390.png")
    press_enter(dash_duo, RequestFormIds.SUBMIT)
    dash_duo.wait_for_contains_text(
        f"#{RequestFormIds.RESULT}", f"Saved {request_id} as submitted", timeout=30
    )
    dash_duo.wait_for_contains_text(f"#{RequestFormIds.MINE}", "submitted", timeout=20)
    dash_duo.driver.set_window_size(1400, 1000)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/intake", timeout=20)
    dash_duo.wait_for_element(f"#{IntakeIds.GRID} .ag-row", timeout=30)
    dash_duo.wait_for_contains_text(f"#{IntakeIds.TOP}", request_id, timeout=30)
    assert dash_duo.get_logs() == []


def test_forged_request_for_another_division_is_refused(private_store, monkeypatch):
    from dashboard.pages import request_form
    from dashboard.scope import Scope
    from loaders import publish

    use_scope(monkeypatch, Scope(user="fiona", role="division_manager", divisions=("Finance",)))
    before = publish.current_version(private_store.data_dir).number
    values = dict.fromkeys(request_form.FIELDS) | {"title": "Forged", "division": "Operations"}
    result = request_form.on_submit(1, None, "forged", *values.values())
    assert "Finance only" in str(result[0])
    assert publish.current_version(private_store.data_dir).number == before
    values["division"] = "Finance"
    result = request_form.on_submit(1, None, "own", *values.values())
    assert "as draft" in str(result[0])
    assert publish.current_version(private_store.data_dir).number == before + 1
