"""Integration tests of the Data & compliance page on real stores: layout() and the callbacks
called as plain functions - no browser."""

from __future__ import annotations

import base64
import csv
import io
import sys
from pathlib import Path

import pytest

from dashboard.ids import DataQualityIds as ids
from dashboard.ids import FilterIds
from tests.conftest import DEMO_TODAY, find, run_callback


def triggered(func, prop_id: str, *args):
    """Call a callback that reads ``dash.ctx`` as if ``prop_id`` had fired."""
    return run_callback(prop_id, lambda: func(*args))


def grid_rows(tree, component_id: str) -> list[dict]:
    return find(tree, component_id).rowData


def decoded_csv(payload: dict) -> list[list[str]]:
    text = base64.b64decode(payload["content"]).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def planted_rejects(milestones: Path) -> tuple[int, int]:
    """The demo's two planted data-quality problems, counted from the file itself: rows whose
    baseline is "TBC" and rows that are exact copies of another row (every copy is rejected)."""
    with open(milestones, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))[1:]
    tbc = sum(row[2] == "TBC" for row in rows)
    copies = sum(rows.count(row) > 1 for row in rows)
    return tbc, copies


@pytest.fixture
def page(app_settings):
    import app  # noqa: F401  (pages exist once the app is created)
    from dashboard.services.cache import clear_cache

    # The cache is keyed by data version: another store can have the same version number.
    clear_cache()
    yield sys.modules["dashboard.pages.data_quality"]
    clear_cache()


def test_layout_shows_the_demo_loads_rejected_rows_and_stale_reports(page, demo_store):
    tree = page.layout()
    tbc, copies = planted_rejects(demo_store.parent / "exports" / "Milestones.csv")
    expected = tbc + copies
    rejected = grid_rows(tree, ids.REJECTED_GRID)
    assert (tbc, copies) == (1, 2) and len(rejected) == expected
    assert {r["source_file"] for r in rejected} == {"Milestones.csv"}
    reasons = [r["reason"] for r in rejected]
    assert sum(r.startswith("duplicate key in file") for r in reasons) == copies
    # "TBC" is a placeholder (empty), and a milestone without a baseline date is rejected.
    assert sum("'baseline_date' is empty" in r for r in reasons) == tbc
    assert find(tree, ids.REJECTED_COUNT).children == f"{expected} rejected rows"
    loads = grid_rows(tree, ids.LOADS_GRID)
    plan = next(r for r in loads if r["file_name"] == "Milestones.csv")
    assert plan["rows_rejected"] == expected and plan["kinds"] == "milestones"
    assert all(r["status"] == "committed" for r in loads)
    # data/sample README: 3 projects in Execution stopped reporting 45-150 days ago.
    freshness = grid_rows(tree, ids.FRESHNESS_GRID)
    stopped = [r for r in freshness if r["freshness_label"] == "Stopped reporting"]
    assert len(stopped) == 3 and freshness[: len(stopped)] == stopped
    assert all(r["days_since_report"] > 42 for r in stopped)
    assert "No orphans" in find(tree, ids.ORPHANS).children
    kpis = str(find(tree, ids.KPI_ROW))
    assert "3 stopped reporting" in kpis and f"'{expected}'" in kpis


def test_layout_compliance_league_and_feedback(page):
    tree = page.layout()
    league = grid_rows(tree, ids.LEAGUE_GRID)
    assert len(league) == 6 and league[0]["rank"] == 1
    assert [r["average_score"] for r in league] == sorted(
        (r["average_score"] for r in league), reverse=True
    )
    feedback = grid_rows(tree, ids.FEEDBACK_GRID)
    assert len(feedback) == 126  # 150 in the register less 18 closed and 6 cancelled
    assert feedback[0]["score"] == min(r["score"] for r in feedback)
    stale = next(r for r in feedback if r["project_id"] == "PRJ-067")
    assert "The last status report is 90 days old (standard: 14)" in stale["feedback"]
    chart = find(tree, ids.LEAGUE_CHART).figure
    assert sorted(chart.data[0].y) == sorted(r["division"] for r in league)


def test_layout_honours_the_division_in_the_url(page):
    tree = page.layout(division="Finance")
    assert find(tree, FilterIds.DIVISION).value == ["Finance"]
    assert [r["division"] for r in grid_rows(tree, ids.LEAGUE_GRID)] == ["Finance"]
    assert {r["division"] for r in grid_rows(tree, ids.FEEDBACK_GRID)} == {"Finance"}
    assert {r["division"] for r in grid_rows(tree, ids.FRESHNESS_GRID)} == {"Finance"}
    # Files are not per division: the rejected rows stay.
    assert len(grid_rows(tree, ids.REJECTED_GRID)) == len(
        grid_rows(page.layout(), ids.REJECTED_GRID)
    )


def test_layout_ignores_a_tampered_division(page):
    tree = page.layout(division=["x' OR '1'='1", "<script>"])
    assert find(tree, FilterIds.DIVISION).value == []
    assert len(grid_rows(tree, ids.LEAGUE_GRID)) == 6


def test_update_rejected_filters_by_allowlisted_file_and_rule(page):
    everything, count = page.update_rejected(None, None)
    assert count == f"{len(everything)} rejected rows"
    rows, _ = page.update_rejected(["Milestones.csv"], ["duplicate key"])
    assert len(rows) == 2 and {r["rule"] for r in rows} == {"duplicate key"}
    none, text = page.update_rejected(["People.csv"], None)  # a file with no rejected rows
    assert len(none) == len(everything) and text == count
    tampered, _ = page.update_rejected(["'; DROP TABLE load_runs; --"], ["<img>"])
    assert len(tampered) == len(everything)


def test_export_rejected_rows_as_csv_and_xlsx(page):
    payload = triggered(
        page.on_export_rejected, f"{ids.REJECTED_EXPORT_CSV}.n_clicks", 1, None, None, None
    )
    rows = decoded_csv(payload)
    assert rows[0][:4] == ["File", "Sheet", "Row", "Column"]
    assert len(rows) - 1 == len(page.update_rejected(None, None)[0])
    assert payload["filename"] == f"pmo-rejected-rows-{DEMO_TODAY.isoformat()}.csv"
    xlsx = triggered(
        page.on_export_rejected, f"{ids.REJECTED_EXPORT_XLSX}.n_clicks", None, 1, None, None
    )
    assert xlsx["filename"].endswith(".xlsx")


def test_export_compliance_follows_the_url_filter(page):
    payload = triggered(
        page.on_export_compliance,
        f"{ids.COMPLIANCE_EXPORT_CSV}.n_clicks",
        1,
        None,
        "?division=Operations",
    )
    rows = decoded_csv(payload)
    assert rows[0][:3] == ["Project ID", "Project", "Division"]
    assert {r[2] for r in rows[1:]} == {"Operations"}


# ------------------------------------------------------------------- formula injection


@pytest.fixture
def crafted_store(tmp_path, page):
    """A store whose register and status file carry spreadsheet formulas."""
    from dashboard import config, db
    from dashboard.services.cache import clear_cache
    from loaders.ingest import ingest

    register = tmp_path / "register.csv"
    register.write_text(
        "Project ID,Project Name,Division,Stage,Budget (£),Sponsor,Project Manager,"
        "Start Date,Baseline Finish\n"
        'P-1,"=HYPERLINK(""http://evil"",""x"")",Finance,Execution,1000,Ann,Bob,'
        "2026-01-01,2027-01-01\n"
        "P-2,Plain,Operations,Execution,2000,,Cy,2026-02-01,2027-02-01\n",
        encoding="utf-8",
    )
    status = tmp_path / "status.csv"
    status.write_text(
        "Project Code,Report Date,Overall RAG,% Complete,Summary\n"
        "P-1,2026-11-20,Green,50%,fine\n"
        "P-2,=1+2,Amber,10%,bad date\n",
        encoding="utf-8",
    )
    data_dir = tmp_path / "data"
    report = ingest([register, status], data_dir, today=DEMO_TODAY)
    assert report.ok
    db.close_all()
    config.configure(data_dir=data_dir, today=DEMO_TODAY)
    clear_cache()
    yield data_dir
    clear_cache()


def test_exports_neutralise_formulas_from_the_files(page, crafted_store):
    rejected = decoded_csv(
        triggered(
            page.on_export_rejected, f"{ids.REJECTED_EXPORT_CSV}.n_clicks", 1, None, None, None
        )
    )
    values = [row[4] for row in rejected[1:]]
    assert values == ["'=1+2"]
    compliance = decoded_csv(
        triggered(page.on_export_compliance, f"{ids.COMPLIANCE_EXPORT_CSV}.n_clicks", 1, None, "")
    )
    names = {row[0]: row[1] for row in compliance[1:]}
    assert names["P-1"] == '\'=HYPERLINK("http://evil","x")'
    assert not any(cell.startswith("=") for row in compliance + rejected for cell in row)


def test_layout_with_a_filter_that_matches_no_project(page):
    tree = page.layout(health="unknown")  # the demo has no project of unknown health
    assert grid_rows(tree, ids.LEAGUE_GRID) == []
    assert grid_rows(tree, ids.FEEDBACK_GRID) == []
    assert "–" in str(find(tree, ids.KPI_ROW))
