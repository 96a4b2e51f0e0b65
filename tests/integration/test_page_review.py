"""Integration tests of the Monthly review page on the demo store: layout() and the callbacks
called as plain functions - no browser."""

from __future__ import annotations

import base64
import csv
import io
import sys
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from dash import no_update

from dashboard.ids import ReviewIds as ids
from tests.conftest import export_text, find, run_callback

CLOSED = ("Closed", "Cancelled", "Completed")
# Month to date on the demo's "today": the two register exports the demo loads.
MTD = {"from": "2026-10-31", "to": "2026-11-26"}


def register(path: Path) -> dict[str, dict]:
    """The demo register export read straight from the file (header on row 4, totals row)."""
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        rows = list(book["Register"].iter_rows(values_only=True))
    finally:
        book.close()
    header = rows[3]
    return {row[0]: dict(zip(header, row, strict=True)) for row in rows[4:] if row[0]}


@pytest.fixture(scope="module")
def registers(demo_store: Path) -> tuple[dict, dict]:
    exports = demo_store.parent / "exports"
    return (
        register(exports / "Project Register 2026-10-31.xlsx"),
        register(exports / "Project Register 2026-11-26.xlsx"),
    )


@pytest.fixture
def page(app_settings):
    import app  # noqa: F401  (pages exist once the app is created)
    from dashboard.services.cache import clear_cache

    clear_cache()
    yield sys.modules["dashboard.pages.review"]
    clear_cache()


def section_text(tree, key: str) -> str:
    return str(find(tree, ids.section(key)))


def changes_of(kind: str, query: dict | None = None) -> set[str]:
    from dashboard.services import review as services

    changes = services.review_view(query or MTD, date(2026, 11, 26)).review.changes
    return set(changes.loc[changes["kind"] == kind, "subject_id"])


def test_default_review_is_the_last_closed_month(page):
    tree = page.layout()
    assert find(tree, ids.TITLE).children == "Monthly review: 30 Sep 2026 → 31 Oct 2026"
    assert find(tree, ids.FROM).value == "2026-09-30"
    assert find(tree, ids.TO).value == "2026-10-31"
    assert find(tree, ids.PERIOD_CLOSED).outline is False  # the active period is filled
    assert find(tree, ids.PERIOD_MTD).href == "/review?from=2026-10-31&to=2026-11-26"


def test_new_and_closed_projects_match_the_two_register_files(page, registers):
    before, after = registers
    new = set(after) - set(before)
    closed = {
        pid
        for pid, row in before.items()
        if pid in after and after[pid]["Stage"] == "Closed" and row["Stage"] not in CLOSED
    }
    # data/sample README: 6 projects new this month, 2 closed this month.
    assert len(new) == 6 and len(closed) == 2
    assert changes_of("new_project") == new
    assert changes_of("closed_project") == closed
    lifecycle = section_text(page.layout(**MTD), "lifecycle")
    assert all(pid in lifecycle for pid in new | closed)


def test_forecast_finish_slips_match_the_register_files(page, registers):
    before, after = registers
    slipped = {
        pid
        for pid, row in before.items()
        if pid in after
        and after[pid]["Stage"] not in CLOSED
        and row["Forecast Finish"]
        and after[pid]["Forecast Finish"]
        and (after[pid]["Forecast Finish"] - row["Forecast Finish"]).days >= 7
    }
    assert len(slipped) == 4  # README: 4 forecast slips among the 15 moved projects
    assert changes_of("finish_slip") == slipped
    slips = section_text(page.layout(**MTD), "slips")
    assert all(pid in slips for pid in slipped) and "days" in slips


def test_exceptions_come_first_and_summary_counts_them(page):
    tree = page.layout(**MTD)
    summary = str(find(tree, ids.SUMMARY))
    assert f"'{len(changes_of('new_red'))}'" in summary and "new reds" in summary
    new_reds = section_text(tree, "new_reds")
    assert "is now red" in new_reds
    assert "Decided and submitted this period" in section_text(tree, "decisions")
    assert "awaiting a decision" not in summary  # the meeting's decisions count those
    kpis = str(find(tree, ids.KPI_ROW))
    assert "Open projects" in kpis and "vs 31 Oct 2026" in kpis
    chart = find(tree, ids.DIVISION_CHART).figure
    assert set(chart.data[0].y[1]) == {"31 Oct 2026", "26 Nov 2026"}


def test_division_in_the_url_limits_every_section(page):
    tree = page.layout(division="Finance", **MTD)
    assert find(tree, ids.DIVISION).value == ["Finance"]
    from dashboard.services import review as services

    changes = services.review_view(
        {"division": "Finance", **MTD}, date(2026, 11, 26)
    ).review.changes
    projects = changes.loc[changes["subject_type"].isin(["project", "request"])]
    assert len(projects) > 0 and set(projects["division"]) == {"Finance"}
    assert "PRJ-029" not in section_text(tree, "new_reds")  # an Operations project


def test_a_past_review_can_be_rebuilt_from_the_url(page):
    tree = page.layout(**{"from": "2026-09-30", "to": "2026-10-31"})
    assert find(tree, ids.TITLE).children == "Monthly review: 30 Sep 2026 → 31 Oct 2026"


def test_tampered_url_falls_back_to_the_default_review(page):
    tree = page.layout(division="<script>", **{"from": "1999-01-01", "to": "'; DROP"})
    assert find(tree, ids.TITLE).children == "Monthly review: 30 Sep 2026 → 31 Oct 2026"
    assert find(tree, ids.DIVISION).value == []


def test_on_review_change_writes_only_allowlisted_values_to_the_url(page):
    assert page.on_review_change(["Finance"], "2026-09-30", "2026-10-31", "") == "?division=Finance"
    assert (
        page.on_review_change(["Finance", "Evil"], "2026-10-31", "2026-11-26", None)
        == "?division=Finance&from=2026-10-31&to=2026-11-26"
    )
    assert page.on_review_change(None, "2026-09-30", "2026-10-31", "") is no_update
    assert page.on_review_change([], "2026-09-30", "2026-10-31", "?division=Finance") == ""


def test_export_lists_every_change_of_the_review_shown(page):
    payload = run_callback(
        f"{ids.EXPORT_CSV}.n_clicks",
        lambda: page.on_export(1, None, "?division=Finance&from=2026-10-31&to=2026-11-26"),
    )
    rows = list(csv.reader(io.StringIO(export_text(payload))))
    assert rows[0][:4] == ["Section", "Change", "Exception", "Division"]
    assert {r[3] for r in rows[1:]} <= {"Finance", ""}
    assert payload["filename"] == "pmo-review-changes-2026-11-26.csv"


def test_decisions_come_first_and_their_counts_are_the_lists_below(page):
    from dashboard.services import review as services

    tree = page.layout(**MTD)
    children = tree.children
    order = [getattr(c, "id", None) for c in children]
    assert order.index(ids.DECISIONS) < order.index(ids.SUMMARY)
    meeting = services.meeting(services.ReviewState((), date(2026, 10, 31), date(2026, 11, 26)))
    card = str(find(tree, ids.DECISIONS))
    counts = str(find(tree, ids.DECISION_COUNTS))
    for kind, title in services.DECISION_TITLES.items():
        group = meeting.decisions[meeting.decisions["kind"] == kind]
        assert meeting.counts[kind] == len(group)
        assert f"{title} ({len(group)})" in card
        assert f"'{len(group)}'" in counts
        assert all(sid in card for sid in group["subject_id"])
    # The demo's +28% EAC rise of PRJ-095 is put to the meeting (threshold 10%).
    rises = meeting.decisions[meeting.decisions["kind"] == "money_rise"]
    assert "PRJ-095" in set(rises["subject_id"]) and (rises["change_pct"] >= 10).all()
    requests = meeting.decisions[meeting.decisions["kind"] == "request"]
    assert len(requests) > 0 and requests["score"].is_monotonic_decreasing
    assert set(requests["recommendation"]) <= {"approve", "do not approve now"}
    assert "£" in card  # money, with the currency of pmo.toml (GBP)


def test_trend_chart_counts_twelve_month_ends(page):
    tree = page.layout()  # the last closed month: ends 31 Oct 2026
    figure = find(tree, ids.TREND_CHART).figure
    red = next(t for t in figure.data if t.name == "Red")
    assert red.x[0] == "Nov 2025" and red.x[-1] == "Oct 2026" and len(red.x) == 12
    from dashboard.services.portfolio import portfolio

    health = portfolio(date(2026, 10, 31)).health
    assert red.y[-1] == int((health["overall"] == "red").sum())


def test_pack_button_downloads_the_pack_of_the_view_shown(page):
    from pptx import Presentation

    from dashboard.services import review as services

    search = "?division=Finance&from=2026-10-31&to=2026-11-26"
    payload = run_callback(f"{ids.EXPORT_PPTX}.n_clicks", lambda: page.on_pack(1, search))
    assert payload["filename"] == "pmo-review-pack-2026-10-31-to-2026-11-26.pptx"
    prs = Presentation(io.BytesIO(base64.b64decode(payload["content"])))
    first = prs.slides[0]
    assert first.shapes.title.text == "Monthly review: 31 Oct 2026 → 26 Nov 2026"
    assert any(
        sh.has_text_frame and sh.text_frame.text.startswith("Finance ·") for sh in first.shapes
    )
    state = services.ReviewState(("Finance",), date(2026, 10, 31), date(2026, 11, 26))
    counts = services.meeting(state).counts
    table = next(sh.table for sh in prs.slides[1].shapes if sh.has_table)
    assert [int(r.cells[1].text) for r in list(table.rows)[1:]] == list(counts.values())
