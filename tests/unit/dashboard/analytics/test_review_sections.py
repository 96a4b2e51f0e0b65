"""Unit tests of the review's sections, sizes, headline counts and export - no database."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from dashboard.analytics import review_sections as services


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


def test_changes_export_names_sections_and_drops_infinite_sizes():
    changes = pd.DataFrame([change("budget_move", "P1", "0", "10")]).assign(
        section="money", label="Budget", division="Finance", size=np.inf
    )
    frame = services.changes_export(changes)
    assert frame["Section"].tolist() == ["Budget and EAC moves"]
    assert pd.isna(frame["Size (days or %)"].iloc[0])


def test_exception_counts_count_each_kind_and_only_eac_rises():
    changes = pd.DataFrame(
        {
            "kind": ["new_red", "new_red", "eac_move", "eac_move", "finish_slip"],
            "exception": [True, True, True, False, True],
        }
    )
    counts = {many: n for _one, many, n in services.exception_counts(changes)}
    assert counts["new reds"] == 2 and counts["EAC rises"] == 1  # a fall is not a rise
    assert counts["forecast finish slips"] == 1 and counts["recoveries"] == 0
    assert len(counts) == 9


def test_section_changes_keep_the_section_kinds_in_order():
    changes = pd.DataFrame({"kind": ["finish_slip", "new_red", "milestone_slip"]})
    slips = next(s for s in services.SECTIONS if s.key == "slips")
    assert services.section_changes(changes, slips)["kind"].tolist() == [
        "finish_slip",
        "milestone_slip",
    ]


def test_project_ids_in_judge_the_division_in_the_later_register():
    before = pd.DataFrame({"project_id": ["P1", "P2"], "division": ["Finance", "Finance"]})
    after = pd.DataFrame({"project_id": ["P1", "P3"], "division": ["Operations", "Finance"]})
    assert services.project_ids_in(before, after, ("Finance",)) == {"P2", "P3"}


def test_hot_count_counts_over_and_critical_months():
    frame = pd.DataFrame({"band": ["ok", "over", "critical", "under", "over"]})
    assert services.hot_count(frame) == 3
