"""Row-level access: a division manager only ever receives their divisions.

See docs/architecture.md §8 and docs/security.md, "Data shown and exported".

Enforced in dashboard.db (every query) and dashboard.services.cache (every cache key), so these
tests call the same functions the pages and exports call, under a manager's scope.
"""

from __future__ import annotations

import base64
import csv
import io
from datetime import date

import pytest
from plotly.io.json import to_json_plotly

from dashboard import db
from dashboard.scope import Scope, reset_scope, set_scope
from dashboard.services import portfolio as portfolio_service
from tests.conftest import run_callback

TODAY = date(2026, 11, 26)


FINANCE = Scope(user="bob", role="division_manager", divisions=("Finance",))


@pytest.fixture
def as_finance_manager(app_settings):
    token = set_scope(FINANCE)
    yield
    reset_scope(token)


def test_every_table_is_limited_to_the_managers_divisions(app_settings, as_finance_manager):
    with db.snapshot() as snap:
        projects = snap.projects(TODAY)
        finance_ids = set(projects["project_id"])
        assert set(projects["division"]) == {"Finance"}
        assert set(snap.requests(TODAY)["division"]) == {"Finance"}
        assert set(snap.resources(TODAY)["division"]) <= {"Finance"}
        assert set(snap.latest_status(TODAY)["project_id"]) <= finance_ids
        assert set(snap.milestones(TODAY)["project_id"]) <= finance_ids
        assert set(snap.raid(TODAY)["project_id"]) <= finance_ids
        allocations = snap.allocations(TODAY)
        assert set(allocations["project_id"].dropna()) <= finance_ids
        assert snap.rejected_rows().empty and snap.orphans().empty and snap.load_runs().empty


def test_a_forged_division_in_the_url_returns_nothing_of_it(app_settings, as_finance_manager):
    view = portfolio_service.portfolio_view({"division": ["Operations"]}, TODAY)
    assert view.state.filters.divisions == ()  # not in this user's allowlist: dropped
    assert set(view.health["division"]) == {"Finance"}


def test_cache_entries_are_never_shared_across_scopes(app_settings):
    everyone = portfolio_service.portfolio(TODAY)
    token = set_scope(FINANCE)
    try:
        finance = portfolio_service.portfolio(TODAY)
    finally:
        reset_scope(token)
    assert len(finance.health) < len(everyone.health)
    assert set(finance.health["division"]) == {"Finance"}
    assert len(portfolio_service.portfolio(TODAY).health) == len(everyone.health)


def test_portfolio_page_and_export_under_a_managers_scope(app_settings, as_finance_manager):
    import app  # noqa: F401  (registers the pages)
    from dashboard.pages import portfolio

    layout = to_json_plotly(portfolio.layout(division="Operations"))
    assert '"Finance"' in layout
    assert '"Operations"' not in layout  # neither a row nor even a filter option
    download = run_callback(
        "portfolio-export-csv-button.n_clicks",
        lambda: portfolio.on_export(1, None, "?division=Operations"),
    )
    text = base64.b64decode(download["content"]).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and {r["Division"] for r in rows} == {"Finance"}
