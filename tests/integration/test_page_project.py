"""Integration tests: the Project and Glossary pages build against the demo store (no browser)."""

from __future__ import annotations

import base64
import sys

import pytest
from dash import dcc, html

from dashboard.components.project_status import status_narrative
from dashboard.config import get_standards
from dashboard.ids import GlossaryIds, ProjectIds
from dashboard.scope import Scope, reset_scope, set_scope
from dashboard.services import portfolio as portfolio_service
from dashboard.services import project as services
from dashboard.services.cache import clear_cache
from dashboard.standards import describe_standards
from tests.conftest import DEMO_TODAY, run_callback

WATERMELON = "PRJ-021"  # CRM Rollout: reported green; CPI 0.76 says red (one critical: amber)
CLOSED = "PRJ-001"  # Loyalty Scheme Consolidation, Closed
NEW_THIS_MONTH = "PRJ-145"  # in the November register, not in October's


def run_callback_on(function, trigger: str, *args):
    """Call ``function`` as if the ``trigger`` button had been clicked."""
    return run_callback(f"{trigger}.n_clicks", lambda: function(*args))


@pytest.fixture(scope="module")
def pages():
    import app  # noqa: F401  (page modules exist once the app is created)

    return {name: sys.modules[f"dashboard.pages.{name}"] for name in ("project", "glossary")}


@pytest.fixture(autouse=True)
def fresh_cache():
    clear_cache()
    yield
    clear_cache()


def walk(node):
    """Every component and string in a layout tree, depth first."""
    if node is None:
        return
    if isinstance(node, list | tuple):
        for child in node:
            yield from walk(child)
        return
    yield node
    if not isinstance(node, str | int | float):
        yield from walk(getattr(node, "children", None))


def text_of(tree) -> str:
    return " ".join(str(n) for n in walk(tree) if isinstance(n, str | int | float))


def by_id(tree, component_id: str):
    return next(n for n in walk(tree) if getattr(n, "id", None) == component_id)


def test_open_project_shows_facts_health_reasons_and_the_latest_narrative(app_settings, pages):
    tree = pages["project"].layout(WATERMELON)
    text = text_of(tree)
    assert by_id(tree, ProjectIds.NAME).children == "CRM Rollout"
    health = text_of(by_id(tree, ProjectIds.HEALTH_TABLE))
    assert "CPI 0.76 < 0.80 → red" in health
    # One open critical item alone no longer escalates (docs/analytics.md, "Health", RAID).
    assert "2 open high/critical ≥ 1 → amber" in health
    assert "Watermelon" in text and "Yes" in text
    view = services.project_view(WATERMELON, DEMO_TODAY)
    narrative = text_of(by_id(tree, ProjectIds.NARRATIVE))
    assert view.latest_report["summary"] in narrative
    assert f"Reported by {view.latest_report['reported_by']}" in narrative
    raid_rows = by_id(tree, ProjectIds.RAID_GRID).rowData
    assert raid_rows[0]["status"] == "open" and raid_rows[-1]["status"] == "closed"
    assert not any(isinstance(n, dcc.Markdown) for n in walk(tree))
    history = by_id(tree, ProjectIds.HISTORY_CHART).figure
    assert 2 <= len(history.data[0].x) <= 24


def test_closed_project_builds_with_its_history_but_no_current_health(app_settings, pages):
    tree = pages["project"].layout(CLOSED)
    assert by_id(tree, ProjectIds.NAME).children == "Loyalty Scheme Consolidation"
    assert "This project is Closed" in text_of(by_id(tree, ProjectIds.CLOSED_NOTICE))
    assert not any(getattr(n, "id", None) == ProjectIds.HEALTH_TABLE for n in walk(tree))
    view = services.project_view(CLOSED, DEMO_TODAY)
    # Assessed at report dates only: the history stops at the last report, not at today.
    assert view.history["as_of"].max() == view.latest_report["report_date"]


def test_unknown_project_shows_the_not_found_card_with_a_way_back(app_settings, pages):
    tree = pages["project"].layout("NOPE")
    alert = by_id(tree, ProjectIds.NOT_FOUND)
    assert "No project with id “NOPE” in the register as of 2026-11-26" in text_of(alert)
    assert any(isinstance(n, dcc.Link) and n.href == "/" for n in walk(alert))


def test_project_id_from_the_url_is_percent_decoded_and_shown_as_text(app_settings, pages):
    tree = pages["project"].layout("%3Cb%3ENO%20PE%3C%2Fb%3E")
    assert "No project with id “<b>NO PE</b>”" in text_of(tree)
    assert pages["project"].page_title("PRJ%2D021") == "PMO Lens · PRJ-021"


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [("2026-10-31", "2026-10-31"), ("2099-01-01", "2026-11-26"), ("not-a-date", "2026-11-26")],
)
def test_as_of_from_the_url_is_checked_and_never_after_today(app_settings, pages, as_of, expected):
    tree = pages["project"].layout(WATERMELON, as_of=as_of)
    assert by_id(tree, ProjectIds.CONTEXT).data == {"project_id": WATERMELON, "as_of": expected}


def test_project_not_yet_registered_on_the_as_of_date_is_not_found(app_settings, pages):
    tree = pages["project"].layout(NEW_THIS_MONTH, as_of="2026-10-31")
    assert "as of 2026-10-31" in text_of(by_id(tree, ProjectIds.NOT_FOUND))


@pytest.mark.parametrize("project_id", ["PRJ-021", "PRJ-090", "PRJ-029", "PRJ-145"])
def test_current_health_is_the_portfolio_pages_health(app_settings, project_id):
    mine = services.project_view(project_id, DEMO_TODAY).health
    row = portfolio_service.portfolio(DEMO_TODAY).health.set_index("project_id").loc[project_id]
    assert mine["overall"] == row["overall"]
    assert mine["overall_reason"] == row["overall_reason"]
    assert mine["reported_rag"] == row["reported_rag"]


def test_raid_export_is_the_log_open_first_as_csv(app_settings, pages):
    context = {"project_id": WATERMELON, "as_of": "2026-11-26"}
    payload = run_callback_on(
        pages["project"].on_raid_export, ProjectIds.RAID_EXPORT_CSV, 1, None, context
    )
    assert payload["filename"] == "pmo-prj-021-raid-2026-11-26.csv"
    lines = base64.b64decode(payload["content"]).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("RAID ID,Project ID,Type,Title,Severity,Status")
    assert ",open," in lines[1] and ",closed," in lines[-1]


def test_milestone_export_as_xlsx_rechecks_the_date(app_settings, pages):
    context = {"project_id": WATERMELON, "as_of": "2099-01-01"}
    payload = run_callback_on(
        pages["project"].on_milestone_export, ProjectIds.MILESTONE_EXPORT_XLSX, None, 1, context
    )
    assert payload["filename"] == "pmo-prj-021-milestones-2026-11-26.xlsx"
    assert base64.b64decode(payload["content"])[:2] == b"PK"


@pytest.fixture
def as_finance_manager(app_settings):
    token = set_scope(Scope(user="bob", role="division_manager", divisions=("Finance",)))
    yield
    reset_scope(token)


def test_a_division_manager_sees_only_their_divisions_projects(as_finance_manager, pages):
    # PRJ-090 is Finance; PRJ-021 is Customer Services: not found, as if it did not exist.
    assert by_id(pages["project"].layout("PRJ-090"), ProjectIds.NAME).children
    assert any(
        getattr(n, "id", None) == ProjectIds.NOT_FOUND
        for n in walk(pages["project"].layout(WATERMELON))
    )
    forged = {"project_id": WATERMELON, "as_of": "2026-11-26"}
    payload = run_callback_on(
        pages["project"].on_raid_export, ProjectIds.RAID_EXPORT_CSV, 1, None, forged
    )
    lines = base64.b64decode(payload["content"]).decode("utf-8-sig").splitlines()
    assert len(lines) == 1  # the header row only


def test_status_narrative_shows_markup_as_typed():
    report = {
        "report_date": "2026-11-20",
        "overall_rag": "green",
        "summary": "<img src=x onerror=alert(1)> **bold**\nsecond line",
        "next_steps": "=HYPERLINK()",
        "reported_by": "Ann",
    }
    card = status_narrative(report, card_id="x")
    paragraphs = [n for n in walk(card) if isinstance(n, html.P)]
    assert paragraphs[0].children == report["summary"]
    assert paragraphs[1].children == "=HYPERLINK()"


def test_glossary_lists_every_standard_and_the_definitions(app_settings, pages):
    tree = pages["glossary"].layout()
    rows = describe_standards(get_standards())
    cells = [n for n in walk(by_id(tree, GlossaryIds.STANDARDS)) if isinstance(n, html.Tr)]
    assert len(cells) == len(rows) + len({r["term"].rpartition(".")[0] for r in rows})
    reporting = text_of(by_id(tree, GlossaryIds.section("reporting")))
    assert "cadence_days 14" in reporting
    definitions = text_of(by_id(tree, GlossaryIds.DEFINITIONS))
    for term in ("Computed health", "Watermelon", "SPI", "CPI", "EAC"):
        assert term in definitions
    # The text is docs/analytics.md's Health section, with each standard's current value.
    assert "Milestone without an actual date" in definitions
    assert "health.spi_red = 0.8" in definitions and "reporting.cadence_days = 14" in definitions
    assert "pmo.toml" in text_of(by_id(tree, GlossaryIds.SOURCE))
