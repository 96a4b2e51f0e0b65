"""Integration tests: the Capacity page builds against the demo store; callbacks as functions."""

from __future__ import annotations

import base64
import csv
import io
import re
import sys

import pytest
from dash import dcc

from dashboard import config, db
from dashboard.ids import CapacityIds, FilterIds
from dashboard.services.cache import clear_cache
from tests.conftest import DEMO_TODAY, export_text, find, run_callback

FULL_TIME_JAN_2027 = (21 - 25 / 12) / 21
"""January 2027: 21 weekdays, no holiday in pmo.toml; leave 25 days a year = 25/12 a month."""


@pytest.fixture(scope="module")
def page():
    import app  # noqa: F401  (page modules exist once the app is created)

    return sys.modules["dashboard.pages.capacity"]


@pytest.fixture(autouse=True)
def fresh_cache():
    clear_cache()
    yield
    clear_cache()


def cell(figure, role: str, month: str) -> tuple[str, list]:
    """(label, [demand FTE, supply FTE, band]) of one heatmap cell."""
    trace = figure.data[0]
    row, col = list(trace.y).index(role), list(trace.x).index(month)
    return trace.text[row][col], list(trace.customdata[row][col])


def text_of(tree) -> str:
    """All the text in a layout tree."""
    if isinstance(tree, str | int | float):
        return str(tree)
    if isinstance(tree, list):
        return " ".join(text_of(c) for c in tree)
    children = getattr(tree, "children", None)
    if children is None:
        return ""
    return " ".join(text_of(c) for c in (children if isinstance(children, list) else [children]))


def people_csv(demo_store) -> list[dict[str, str]]:
    """The demo's staff list as the PMO sent it."""
    with open(demo_store.parent / "exports" / "People.csv", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def percent(label: str) -> float | None:
    """``"112%"`` -> 112; blank or "no supply" -> None."""
    return float(label[:-1]) if label.endswith("%") else None


def test_layout_shows_data_engineers_over_capacity_in_the_coming_months(
    page, app_settings, demo_store
):
    layout = page.layout()
    heatmap = find(layout, CapacityIds.HEATMAP).figure
    months = list(heatmap.data[0].x)
    # The default horizon is the next 6 months (the page's horizon control).
    assert months[:3] == ["Nov 2026", "Dec 2026", "Jan 2027"] and len(months) == 6
    coming = [cell(heatmap, "Data Engineer", m) for m in months[:3]]
    assert any(percent(label) > 100 for label, _ in coming)
    assert any(extra[2].startswith(("over", "critical")) for _, extra in coming)
    # Hand check of supply against People.csv: every Data Engineer employed all January 2027
    # supplies FTE x (21 working days - 25/12 days of leave) / 21.
    engineers = [p for p in people_csv(demo_store) if p["Role"] == "Data Engineer"]
    assert all(p["Start Date"] < "2027-01-01" for p in engineers)
    assert all(p["End Date"] in ("", None) or p["End Date"] > "2027-01-31" for p in engineers)
    contracted = sum(float(p["FTE"] or 1) for p in engineers)
    _, (demand, supply, _) = cell(heatmap, "Data Engineer", "Jan 2027")
    assert supply == pytest.approx(contracted * FULL_TIME_JAN_2027, abs=0.01)
    assert percent(cell(heatmap, "Data Engineer", "Jan 2027")[0]) == pytest.approx(
        100 * demand / supply, abs=1
    )
    assert "Data Engineer" in text_of(find(layout, CapacityIds.KPI_ROW))
    people = find(layout, CapacityIds.PEOPLE_GRID).rowData
    assert "Data Engineer" in {p["role"] for p in people}
    # The grid counts the tiles' horizon: as many people as the tile, none over in > 6 months.
    tile = re.search(
        r"People over-allocated \(next 6 months\)\s+(\d+)",
        text_of(find(layout, CapacityIds.KPI_ROW)),
        re.I,
    )
    assert tile and int(tile.group(1)) == len(people)
    assert all(1 <= p["months_over"] <= 6 for p in people)
    options = find(layout, CapacityIds.REQUEST).options
    assert options and not any("(approved)" in o["label"] for o in options)


def test_layout_with_a_division_shows_only_its_people(page, app_settings):
    layout = page.layout(division="Finance")
    assert find(layout, CapacityIds.SUMMARY).children == "Division: Finance · as of 2026-11-26"
    assert find(layout, FilterIds.DIVISION).value == ["Finance"]
    people = find(layout, CapacityIds.PEOPLE_GRID).rowData
    assert {p["division"] for p in people} <= {"Finance"}
    # Filters the page does not use stay in the page, hidden, for the URL sync.
    columns = find(layout, FilterIds.COLLAPSE).children.children
    hidden = [
        find(c, c.children[1].id) is not None and getattr(c, "className", None) == "d-none"
        for c in columns
    ]
    assert hidden == [False, True, True, True, True, False]


def test_unknown_division_in_the_url_is_dropped(page, app_settings):
    layout = page.layout(division=["Atlantis", "<script>"])
    assert find(layout, CapacityIds.SUMMARY).children.startswith("All divisions")


def test_pipeline_switch_adds_weighted_requests(page, app_settings):
    _, plain, _, _ = page.update_scenario(False, 12, "")
    _, heatmap, chart, _ = page.update_scenario(True, 12, "")
    before = [percent(v) for row in plain.data[0].text for v in row]
    after = [percent(v) for row in heatmap.data[0].text for v in row]
    pairs = [(b, a) for b, a in zip(before, after, strict=True) if b is not None and a is not None]
    assert any(a > b for b, a in pairs) and all(a >= b for b, a in pairs)
    assert "Demand: pipeline (weighted)" in [t.name for t in chart.data]
    assert "with weighted pipeline" in heatmap.layout.title.text


def test_picking_a_request_shows_its_impact_and_earliest_start(page, app_settings):
    options = find(page.layout(), CapacityIds.REQUEST).options
    request_id = options[0]["value"]
    panel = page.update_impact(request_id, False, "")
    text = text_of(panel)
    assert re.search(rf"{request_id} (can start (as planned )?in|cannot start between)", text)
    graph = next(c for c in panel if isinstance(c, dcc.Graph))
    names = [t.name for t in graph.figure.data]
    assert any(n.endswith("(before)") for n in names) and any(n.endswith("(after)") for n in names)


@pytest.mark.parametrize("request_id", ["REQ-005", "REQ-999", None, "' OR 1=1 --"])
def test_impact_ignores_requests_not_on_offer(page, app_settings, request_id):
    panel = page.update_impact(request_id, False, "")
    assert "Pick a request" in text_of(panel)


def test_export_of_utilisation_by_role_and_month(page, app_settings):
    payload = run_callback(
        f"{CapacityIds.EXPORT_ROLES_CSV}.n_clicks",
        lambda: page.on_export(1, None, None, None, False, 12, "?division=Technology"),
    )
    assert payload["filename"] == "pmo-utilisation-by-role-2026-11-26.csv"
    text = base64.b64decode(payload["content"]).decode("utf-8-sig")
    # The header comment records the view: horizon, scope, as-of date and data version.
    comments = [line for line in text.splitlines() if line.startswith("# ")]
    assert comments[0] == "# Export: PMO Lens · Utilisation by role, next 12 months"
    assert "# As of: 2026-11-26" in comments
    rows = list(csv.reader(io.StringIO(export_text(payload))))
    assert len({r[1] for r in rows[1:]}) == 12
    assert rows[0] == ["Role", "Month", "Supply (FTE)", "Demand (FTE)", "Utilisation (%)", "Band"]
    engineers = [r for r in rows[1 : 4 * 18] if r[0] == "Data Engineer"]
    assert any(r[5] in ("over", "critical") for r in engineers[:3])
    people = run_callback(
        f"{CapacityIds.EXPORT_PEOPLE_XLSX}.n_clicks",
        lambda: page.on_export(None, None, None, 1, True, 3, ""),
    )
    assert people["filename"] == "pmo-over-allocated-people-2026-11-26.xlsx"


def test_layout_without_data_says_how_to_load_it(page, data_dir):
    config._overrides.clear()
    config.configure(data_dir=data_dir, today=DEMO_TODAY)
    try:
        assert "python -m loaders demo" in text_of(page.layout())
    finally:
        db.close_all()
        config._overrides.clear()
        config.get_settings.cache_clear()
