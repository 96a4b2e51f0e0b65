"""Integration tests: the Intake page builds against the demo store; callbacks as functions."""

from __future__ import annotations

import csv
import io
import sys

import pytest
from python_calamine import CalamineWorkbook

from dashboard.ids import IntakeIds
from dashboard.services import intake as services
from dashboard.services.cache import clear_cache
from loaders.standards_model import REQUEST_CRITERIA
from tests.conftest import DEMO_TODAY, export_text, find, run_callback

CRITERIA = REQUEST_CRITERIA[:6]  # the six criteria pmo.toml weighs, in the sliders' order
SLIDER_IDS = [{"type": IntakeIds.WEIGHT_SLIDER, "index": c} for c in CRITERIA]
PMO_TOML = [30, 25, 15, 10, 10, 10]
LABELS = (
    "Strategic alignment",
    "Expected benefit",
    "Urgency",
    "Risk",
    "Estimated cost",
    "Effort (person-months)",
)


@pytest.fixture(scope="module")
def page():
    import app  # noqa: F401  (page modules exist once the app is created)

    return sys.modules["dashboard.pages.intake"]


@pytest.fixture(autouse=True)
def fresh_cache():
    clear_cache()
    yield
    clear_cache()


def intake_sheet(demo_store) -> dict[str, list]:
    """The demo's intake workbook as the PMO sent it, by request id."""
    book = CalamineWorkbook.from_path(demo_store.parent / "exports" / "Project Requests.xlsx")
    rows = book.get_sheet_by_name("Intake").to_python()
    return {row[0]: row for row in rows if row and row[0]}


def criterion_that_changes_the_top() -> str:
    """A criterion whose weight set to 0 puts another request on top (found with the services)."""
    view = services.intake_view({}, DEMO_TODAY)
    top = services.rank_requests(view, view.data.weights, "weighted")["request_id"].iloc[0]
    for column in CRITERIA:
        weights, _ = services.weights_from_sliders(view.data.weights, {column: 0})
        if services.rank_requests(view, weights, "weighted")["request_id"].iloc[0] != top:
            return column
    raise AssertionError("no single weight changes the top request")


def test_layout_ranks_every_request_and_flags_the_incomplete_ones(page, app_settings, demo_store):
    layout = page.layout(decided="include")
    assert find(layout, IntakeIds.INCOMPLETE).children == "9 incomplete"
    rows = find(layout, IntakeIds.GRID).rowData
    assert len(rows) == 40
    assert rows[0]["rank"] == 1 and rows[0]["score"] == pytest.approx(100)
    ranked = [r for r in rows if r["rank"] is not None]
    assert len(ranked) == 31 and all(r["change"] == "–" for r in ranked)
    assert [r["score"] for r in ranked] == sorted((r["score"] for r in ranked), reverse=True)
    by_id = {r["request_id"]: r for r in rows}
    # Hand check against the workbook: REQ-016 has no cost and no effort, so it is not scored.
    sheet = intake_sheet(demo_store)
    header = sheet["Request ID"]
    assert sheet["REQ-016"][header.index("Estimated Cost")] == ""
    assert sheet["REQ-016"][header.index("Effort (person-months)")] == ""
    assert by_id["REQ-016"]["completeness"] == "Missing: Estimated cost, Effort (person-months)"
    assert by_id["REQ-016"]["rank"] is None and by_id["REQ-016"]["change"] == ""
    incomplete = [r for r in rows if r["completeness"] != "Complete"]
    assert len(incomplete) == 9 and all(r["rank"] is None for r in incomplete)
    sliders = [find(layout, {"type": IntakeIds.WEIGHT_SLIDER, "index": c}) for c in CRITERIA]
    assert [s.value for s in sliders] == PMO_TOML
    top = find(layout, IntakeIds.TOP).children
    assert top.startswith(f"Top by Weighted score: {rows[0]['request_id']}")
    assert " requests recommended " in find(layout, IntakeIds.SELECTION_MESSAGE).children
    assert find(layout, IntakeIds.DECIDED).value is True


def test_layout_leaves_decided_requests_out_of_the_ranking(page, app_settings, demo_store):
    everyone = find(page.layout(decided="include"), IntakeIds.GRID).rowData
    rows = find(page.layout(), IntakeIds.GRID).rowData
    awaiting = [r for r in everyone if r["status"] in ("submitted", "under_review")]
    assert 0 < len(rows) == len(awaiting) < len(everyone)
    assert {r["status"] for r in rows} <= {"submitted", "under_review"}
    assert rows[0]["rank"] == 1 and rows[0]["score"] == pytest.approx(100)
    assert find(page.layout(), IntakeIds.DECIDED).value is False
    # Hand check: the workbook's mandatory requests read "Must do" (mandatory true in the grid).
    sheet = intake_sheet(demo_store)
    header = sheet["Request ID"]
    column = next(i for i, h in enumerate(header) if "mandatory" in str(h).lower())
    flagged = {
        k
        for k, row in sheet.items()
        if k != "Request ID" and row[column] in (True, "Yes", "Y", "TRUE", "true", 1)
    }
    assert flagged and {r["request_id"] for r in everyone if r["mandatory"]} == flagged


def test_layout_with_a_division_keeps_portfolio_ranks(page, app_settings):
    everyone = {r["request_id"]: r["rank"] for r in find(page.layout(), IntakeIds.GRID).rowData}
    rows = find(page.layout(division="Finance"), IntakeIds.GRID).rowData
    assert rows and {r["division"] for r in rows} == {"Finance"}
    assert all(r["rank"] == everyone[r["request_id"]] for r in rows)


def test_moving_a_weight_re_ranks_and_shows_the_moves(page, app_settings):
    column = criterion_that_changes_the_top()
    _, base_top, *_ = page.update_ranking(PMO_TOML, "weighted", False, SLIDER_IDS, "")
    values = [0 if c == column else w for c, w in zip(CRITERIA, PMO_TOML, strict=True)]
    rows, top, moves, notice, breakdown = page.update_ranking(
        values, "weighted", False, SLIDER_IDS, ""
    )
    assert top != base_top and top.startswith(f"Top by Weighted score: {rows[0]['request_id']}")
    assert moves.startswith("Moved vs pmo.toml weights") and "↑" in moves
    assert notice is None
    assert any(r["change"].startswith("↑") for r in rows)
    assert any(r["change"].startswith("↓") for r in rows)
    label = dict(zip(CRITERIA, LABELS, strict=True))[column]
    assert not any(t.name == label and any(t.x) for t in breakdown.data)


def test_unknown_criteria_and_methods_are_ignored(page, app_settings):
    _, base_top, *_ = page.update_ranking(PMO_TOML, "weighted", False, SLIDER_IDS, "")
    ids = [*SLIDER_IDS, {"type": IntakeIds.WEIGHT_SLIDER, "index": "__class__"}]
    _, top, moves, _, _ = page.update_ranking([*PMO_TOML, 99], "DROP TABLE", False, ids, "")
    assert top == base_top
    assert moves == "Same weighted order as the pmo.toml weights."


def test_all_weights_zero_keeps_the_pmo_toml_ranking_with_a_notice(page, app_settings):
    base, *_ = page.update_ranking(PMO_TOML, "weighted", False, SLIDER_IDS, "")
    rows, _, _, notice, _ = page.update_ranking([0] * 6, "weighted", False, SLIDER_IDS, "")
    assert "at least one criterion" in notice
    assert rows == base


def test_switching_method_ranks_by_wsjf(page, app_settings):
    rows, top, *_ = page.update_ranking(PMO_TOML, "wsjf", False, SLIDER_IDS, "")
    best = max(r["wsjf"] for r in rows if r["wsjf"] is not None)
    assert rows[0]["rank"] == 1 and rows[0]["wsjf"] == best
    assert top.startswith(f"Top by WSJF: {rows[0]['request_id']}")


def test_budget_and_forced_choices_give_the_recommended_set(page, app_settings):
    _, first, _ = page.update_selection(None, True, None, None, PMO_TOML, SLIDER_IDS, "")
    chosen = [r["request_id"] for r in first if r["decision_text"] == "Chosen"]
    assert len(chosen) >= 2
    keep, drop = chosen[-1], chosen[0]
    figure, rows, message = page.update_selection(
        6_000_000, True, [keep], [drop], PMO_TOML, SLIDER_IDS, ""
    )
    decisions = {r["request_id"]: r["decision_text"] for r in rows}
    assert decisions[keep] == "Forced in" and decisions[drop] == "Forced out"
    assert " requests recommended " in message and "role-by-month capacity" in message
    kept = ("Chosen", "Forced in", "Must do (mandatory)")
    spent = sum(r["estimated_cost"] for r in rows if r["decision_text"] in kept)
    assert spent <= 6_000_000
    assert list(figure.data[1].x) == [6_000_000]


def test_forcing_in_more_than_the_budget_says_why(page, app_settings):
    _, rows, _ = page.update_selection(None, False, None, None, PMO_TOML, SLIDER_IDS, "")
    dearest = max((r for r in rows if r["estimated_cost"]), key=lambda r: r["estimated_cost"])
    _, rows, message = page.update_selection(
        1000, False, [dearest["request_id"]], None, PMO_TOML, SLIDER_IDS, ""
    )
    assert message.startswith(
        "The mandatory and forced-in requests alone do not fit: they cost £"
    ) and message.split(" against a budget of ")[1].startswith("£1,000.")
    assert not any(r["decision_text"] == "Chosen" for r in rows)


def test_budget_only_ignores_capacity_and_a_bad_budget_falls_back(page, app_settings):
    _, capped, _ = page.update_selection(1_500_000, True, None, None, PMO_TOML, SLIDER_IDS, "")
    _, free, message = page.update_selection(1_500_000, False, None, None, PMO_TOML, SLIDER_IDS, "")
    value = sum(r["score"] for r in free if r["decision_text"] == "Chosen")
    assert value >= sum(r["score"] for r in capped if r["decision_text"] == "Chosen")
    assert message.endswith("Constraints: budget.")
    figure, _, _ = page.update_selection("lots", False, None, None, PMO_TOML, SLIDER_IDS, "")
    default = services.default_budget(services.intake_view({}, DEMO_TODAY))
    assert list(figure.data[1].x) == [default]


def test_reset_puts_the_pmo_toml_weights_back(page, app_settings):
    assert page.on_reset(1, SLIDER_IDS) == [float(w) for w in PMO_TOML]


def test_export_of_the_ranked_list(page, app_settings):
    payload = run_callback(
        f"{IntakeIds.EXPORT_CSV}.n_clicks",
        lambda: page.on_export(
            1, None, PMO_TOML, SLIDER_IDS, "weighted", False, "?division=Finance"
        ),
    )
    assert payload["filename"] == "pmo-requests-ranked-2026-11-26.csv"
    rows = list(csv.reader(io.StringIO(export_text(payload))))
    assert rows[0][:4] == ["Rank", "Weighted rank vs pmo.toml", "Request ID", "Title"]
    assert {r[4] for r in rows[1:]} == {"Finance"}
    assert len(rows) - 1 == len(find(page.layout(division="Finance"), IntakeIds.GRID).rowData)
    xlsx = run_callback(
        f"{IntakeIds.EXPORT_XLSX}.n_clicks",
        lambda: page.on_export(None, 1, PMO_TOML, SLIDER_IDS, "rice", False, ""),
    )
    assert xlsx["filename"].endswith(".xlsx")
