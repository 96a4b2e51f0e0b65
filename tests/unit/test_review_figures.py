"""Unit tests of the Monthly review's figures, components and service helpers - no browser,
no database."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest

from dashboard.analytics.review import COLUMNS
from dashboard.components import review_sections as blocks
from dashboard.figures import review as figures
from dashboard.figures.theme import RAG_COLOURS
from dashboard.services import review as services

TODAY = date(2026, 11, 26)
OPTIONS = services.review_options(("Finance", "Operations"), TODAY)


def health(overall: list, finish: list[str | None]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "project_id": ["P1", "P2", "P3"],
            "name": ["Alpha", "Beta", "Gamma"],
            "division": ["Finance", "Finance", "Operations"],
            "overall": pd.Categorical(overall, categories=["green", "amber", "red"]),
            "forecast_finish": pd.to_datetime(finish),
            "forecast_cost": [100.0, 200.0, 300.0],
        }
    )


def change(kind: str, subject: str, before: str, after: str, *, exception: bool = False) -> dict:
    return {
        "kind": kind,
        "exception": exception,
        "subject_type": "request" if kind.endswith("request") else "project",
        "subject_id": subject,
        "before": before,
        "after": after,
        "detail": f"{subject} {kind}",
    }


# ---------------------------------------------------------------------------- URL state


def test_month_ends_are_the_previous_months_newest_first():
    assert services.month_ends(TODAY, 3) == (
        date(2026, 10, 31),
        date(2026, 9, 30),
        date(2026, 8, 31),
    )
    assert services.month_ends(date(2026, 11, 30), 2) == (date(2026, 11, 30), date(2026, 10, 31))
    assert services.month_ends(date(2026, 3, 5), 2) == (date(2026, 2, 28), date(2026, 1, 31))


def test_default_review_is_the_last_closed_month():
    assert services.default_dates(TODAY) == (date(2026, 9, 30), date(2026, 10, 31))
    assert services.default_dates(date(2026, 12, 2)) == (date(2026, 10, 31), date(2026, 11, 30))
    state = services.parse_review({}, OPTIONS, TODAY)
    assert (state.divisions, state.start, state.end) == ((), date(2026, 9, 30), date(2026, 10, 31))


SEP, OCT = date(2026, 9, 30), date(2026, 10, 31)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            {
                "division": ["Finance", "Nowhere", "x' OR 1=1"],
                "from": "2026-10-31",
                "to": "2026-11-26",
            },
            (("Finance",), OCT, TODAY),
        ),
        ({"from": "2026-10-31", "to": "2026-08-31"}, ((), date(2026, 8, 31), OCT)),
        ({"from": "2026-10-31", "to": "2026-10-31"}, ((), SEP, OCT)),
        ({"from": "2026-10-15"}, ((), SEP, OCT)),
        ({"from": "31/10/2026", "to": ["nonsense"]}, ((), SEP, OCT)),
        ({"to": "2027-01-31"}, ((), SEP, OCT)),
        ({"division": "Operations"}, (("Operations",), SEP, OCT)),
    ],
)
def test_parse_review_keeps_allowlisted_values_only(query, expected):
    state = services.parse_review(query, OPTIONS, TODAY)
    assert (state.divisions, state.start, state.end) == expected


def test_review_search_leaves_defaults_out_of_the_url():
    assert services.review_search(None, "2026-09-30", "2026-10-31", OPTIONS, TODAY) == ""
    assert (
        services.review_search(["Finance", "Evil"], "2026-10-31", TODAY.isoformat(), OPTIONS, TODAY)
        == "?division=Finance&from=2026-10-31&to=2026-11-26"
    )


def test_period_links_and_the_active_period():
    state = services.parse_review({"division": "Finance"}, OPTIONS, TODAY)
    links = services.period_links(state, TODAY)
    assert links == {
        "last_closed_month": "?division=Finance",
        "month_to_date": "?division=Finance&from=2026-10-31&to=2026-11-26",
    }
    assert services.period_links(services.parse_review({}, OPTIONS, TODAY), TODAY) == {
        "last_closed_month": "",
        "month_to_date": "?from=2026-10-31&to=2026-11-26",
    }
    assert services.active_period(state, TODAY) == "last_closed_month"
    mtd = services.ReviewState((), OCT, TODAY)
    assert services.active_period(mtd, TODAY) == "month_to_date"
    assert services.active_period(services.ReviewState((), SEP, TODAY), TODAY) is None


def test_trend_dates_end_at_the_month_end_or_the_day():
    assert services.trend_dates(OCT, 3) == (date(2026, 8, 31), SEP, OCT)
    assert services.trend_dates(TODAY, 3) == (SEP, OCT, TODAY)
    dates = services.trend_dates(date(2024, 3, 31))
    assert len(dates) == 12 and dates[0] == date(2023, 4, 30) and date(2024, 2, 29) in dates


def test_review_options_offer_today_only_as_the_later_date():
    assert OPTIONS.ends[0] == TODAY and TODAY not in OPTIONS.starts
    assert OPTIONS.starts[0] == date(2026, 10, 31)


# ---------------------------------------------------------------------------- changes


def test_finish_slips_report_moves_later_of_at_least_the_threshold():
    before = health(["green"] * 3, ["2027-01-01", "2027-01-01", None])
    after = health(["green"] * 3, ["2027-01-08", "2027-01-06", "2027-06-01"])
    slips = services.finish_slips(before, after, min_days=7)
    assert list(slips.columns) == list(COLUMNS)
    assert slips[["subject_id", "before", "after"]].values.tolist() == [
        ["P1", "2027-01-01", "2027-01-08"]
    ]
    assert bool(slips["exception"].iloc[0])
    assert "P1 Alpha moved 7 days later" in slips["detail"].iloc[0]


def test_finish_slips_empty_has_the_delta_columns():
    same = health(["green"] * 3, ["2027-01-01"] * 3)
    slips = services.finish_slips(same, same, min_days=7)
    assert slips.empty and list(slips.columns) == list(COLUMNS)


def test_enrich_changes_adds_section_division_and_size_in_reading_order():
    changes = pd.DataFrame(
        [
            change("budget_move", "P2", "100", "110"),
            change("new_request", "R1", "", "submitted"),
            change("eac_move", "P1", "100", "150", exception=True),
            change("milestone_slip", "P3", "2027-01-01", "2027-01-31", exception=True),
            change("new_red", "P2", "amber", "red", exception=True),
        ]
    )
    projects = pd.DataFrame(
        {
            "project_id": ["P1", "P2", "P3"],
            "division": ["Finance", "Finance", "Operations"],
            "budget": [100.0, 100.0, 50.0],
            "forecast_cost": [100.0, 100.0, 50.0],
        }
    )
    after = projects.assign(budget=[100.0, 110.0, 50.0], forecast_cost=[150.0, 100.0, 50.0])
    requests = pd.DataFrame({"request_id": ["R1"], "division": ["Operations"]})
    out = services.enrich_changes(
        changes,
        projects_before=projects,
        projects_after=after,
        health_before=projects[["project_id", "forecast_cost"]],
        health_after=after[["project_id", "forecast_cost"]],
        requests=requests,
    )
    assert out["kind"].tolist() == [
        "new_red",
        "milestone_slip",
        "eac_move",
        "budget_move",
        "new_request",
    ]
    assert out["section"].tolist() == ["new_reds", "slips", "money", "money", "decisions"]
    assert out["division"].tolist() == ["Finance", "Operations", "Finance", "Finance", "Operations"]
    sizes = out["size"].tolist()
    assert math.isnan(sizes[0]) and sizes[1:4] == [30.0, 50.0, 10.0]


def test_enrich_changes_does_not_mutate_input():
    changes = pd.DataFrame([change("new_red", "P1", "", "red", exception=True)])
    before = changes.copy()
    projects = pd.DataFrame(
        {"project_id": ["P1"], "division": ["Ops"], "budget": [1.0], "forecast_cost": [1.0]}
    )
    services.enrich_changes(
        changes,
        projects_before=projects,
        projects_after=projects,
        health_before=projects,
        health_after=projects,
        requests=pd.DataFrame({"request_id": [], "division": []}),
    )
    pd.testing.assert_frame_equal(changes, before)


def test_awaiting_decision_lists_open_requests_longest_waiting_first():
    requests = pd.DataFrame(
        {
            "request_id": ["R1", "R2", "R3", "R4"],
            "title": ["A", "B", "C", "D"],
            "division": ["Finance"] * 4,
            "status": ["submitted", "approved", "under_review", "Submitted "],
            "submitted_date": pd.to_datetime(["2026-11-01", "2026-10-01", "2026-08-27", None]),
            "estimated_cost": [1000.0, 2000.0, None, 5.0],
        }
    )
    waiting = services.awaiting_decision(requests, TODAY)
    assert waiting["request_id"].tolist() == ["R3", "R1", "R4"]
    assert waiting["days_waiting"].tolist()[:2] == [91.0, 25.0]
    assert waiting["status"].tolist()[0] == "under review"


def test_changes_export_names_sections_and_drops_infinite_sizes():
    changes = pd.DataFrame([change("budget_move", "P1", "0", "10")]).assign(
        section="money", label="Budget", division="Finance", size=np.inf
    )
    frame = services.changes_export(changes)
    assert frame["Section"].tolist() == ["Budget and EAC moves"]
    assert pd.isna(frame["Size (days or %)"].iloc[0])


# ---------------------------------------------------------------------------- figures


def test_division_health_comparison_puts_both_dates_side_by_side():
    before = health(["red", "amber", None], [None] * 3)
    after = health(["red", "red", "green"], [None] * 3)
    fig = figures.division_health_comparison(
        before, after, before_label="31 Oct", after_label="26 Nov", title="Health"
    )
    red = next(t for t in fig.data if t.name == "Red")
    pairs = dict(zip(zip(*red.y, strict=True), red.x, strict=True))
    assert pairs[("Finance", "31 Oct")] == 1 and pairs[("Finance", "26 Nov")] == 2
    assert pairs[("Operations", "26 Nov")] == 0
    assert red.marker.color == RAG_COLOURS["red"]
    assert {t.name for t in fig.data} == {"Green", "Amber", "Red", "Unknown"}
    assert fig.layout.xaxis.title.text == "Open projects (count)"
    assert fig.layout.title.text == "Health"


def test_division_health_comparison_does_not_mutate_input():
    before = health(["red", "amber", None], [None] * 3)
    copy = before.copy()
    figures.division_health_comparison(before, before, before_label="a", after_label="b", title="t")
    pd.testing.assert_frame_equal(before, copy)


# ---------------------------------------------------------------------------- components


@pytest.mark.parametrize(
    ("value", "kind", "text"),
    [
        (46.0, "finish_slip", "+46 days"),
        (27.7027, "eac_move", "+27.7%"),
        (-12.0, "budget_move", "-12.0%"),
        (np.inf, "budget_move", "from zero"),
        (np.nan, "new_red", ""),
    ],
)
def test_format_size(value, kind, text):
    assert blocks.format_size(value, kind) == text


def test_change_table_renders_user_text_as_text():
    changes = pd.DataFrame([change("new_red", "P1", "amber", "red", exception=True)]).assign(
        label="New red",
        division="<b>Fin</b>",
        size=np.nan,
        detail="<script>alert(1)</script>",
    )
    table = blocks.change_table(changes)
    cells = table.children[1].children[0].children
    assert cells[0].children == "<b>Fin</b>"
    assert cells[-1].children == "<script>alert(1)</script>"
    assert cells[3].children.className == "rag-red"


def test_exception_summary_pluralises_and_mutes_zeros():
    summary = blocks.exception_summary(
        [("new red", "new reds", 1), ("recovery", "recoveries", 0)], summary_id="s"
    )
    first, second = summary.children
    assert first.children[1] == " new red" and "text-muted" not in first.className
    assert second.children[1] == " recoveries" and "text-muted" in second.className


def test_review_kpis_note_the_earlier_value():
    def summary(red: int) -> dict:
        return {
            "projects": 10,
            "overall": {"red": red, "amber": 2, "green": 3, "unknown": 0},
            "watermelons": 1,
            "eac_vs_budget_pct": 5.0,
            "reporting_on_time_share": 0.9,
        }

    text = str(blocks.review_kpis(summary(3), summary(5), before_label="31 Oct 2026"))
    assert "+2 vs 31 Oct 2026 (3)" in text and "no change vs 31 Oct 2026 (10)" in text
