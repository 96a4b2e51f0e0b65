"""Unit tests of PMO-standard compliance checks, feedback, the league and outdated templates."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard.analytics.compliance import check_compliance, compliance_league, outdated_templates
from dashboard.standards import ComplianceRules

D = dt.date
AS_OF = D(2026, 3, 1)
RULES = ComplianceRules(
    checks=(
        ("has_sponsor", 1.0),
        ("has_project_manager", 1.0),
        ("baseline_set", 1.0),
        ("status_within_cadence", 2.0),
        ("required_fields", 1.0),
        ("raid_maintained", 1.0),
        ("milestones_defined", 1.0),
    ),
    required_fields=("portfolio", "stage", "start_date", "budget"),
    raid_window_days=90,
    min_milestones=1,
    cadence_days=14,
    closed_stages=("closed",),
)


def projects(*rows: dict) -> pd.DataFrame:
    good = {
        "project_id": "P1",
        "name": "Alpha",
        "division": "Ops",
        "portfolio": "Change",
        "stage": "Delivery",
        "sponsor": "Sam",
        "project_manager": "Pat",
        "start_date": D(2025, 1, 1),
        "baseline_finish": D(2026, 12, 31),
        "budget": 1000.0,
    }
    return pd.DataFrame([{**good, **row} for row in (rows or ({},))])


def reports(*pairs: tuple[str, dt.date]) -> pd.DataFrame:
    return pd.DataFrame(list(pairs), columns=["project_id", "report_date"])


def milestones(*ids: str) -> pd.DataFrame:
    return pd.DataFrame({"project_id": list(ids), "milestone": [f"M{i}" for i in range(len(ids))]})


def raid(*rows: tuple) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=["project_id", "status", "raised_date"])


def check(
    register: pd.DataFrame | None = None,
    status: pd.DataFrame | None = None,
    miles: pd.DataFrame | None = None,
    risks: pd.DataFrame | None = None,
    rules: ComplianceRules = RULES,
) -> pd.DataFrame:
    return check_compliance(
        projects() if register is None else register,
        reports(("P1", D(2026, 2, 20))) if status is None else status,
        milestones("P1") if miles is None else miles,
        raid(("P1", "open", D(2025, 6, 1))) if risks is None else risks,
        rules,
        as_of=AS_OF,
    )


def test_compliant_project_scores_100():
    row = check().iloc[0]
    assert row["score"] == 100.0
    assert row["failed_checks"] == ""
    assert row["feedback"] == "Meets every PMO standard checked."
    assert row["checks_run"] == 7
    assert row["checks_passed"] == 7


def test_feedback_sentence_matches_the_issue_example():
    register = projects({"sponsor": None, "baseline_finish": None})
    row = check(register, reports(("P1", D(2026, 1, 13)))).iloc[0]
    assert row["feedback"] == (
        "Add a sponsor and a baseline finish date; "
        "the last status report is 47 days old (standard: 14)."
    )
    # failed: sponsor (1), baseline (1), status (2) of 8 -> 4/8
    assert row["score"] == 50.0
    assert row["failed_checks"] == "has_sponsor, baseline_set, status_within_cadence"


@pytest.mark.parametrize(
    ("report_date", "passes"),
    [(D(2026, 2, 15), True), (D(2026, 2, 14), False), (D(2026, 3, 2), False)],
)
def test_status_within_cadence_edge(report_date, passes):
    # 14 days old passes; 15 fails; a report after the as-of date does not count yet.
    row = check(status=reports(("P1", report_date))).iloc[0]
    assert row["check_status_within_cadence"] == passes


def test_no_status_report_feedback():
    row = check(status=reports()).iloc[0]
    assert row["feedback"] == "No status report has been received (standard: every 14 days)."


@pytest.mark.parametrize(
    ("start", "passes"),
    [
        (D(2026, 2, 15), True),  # 14 days before AS_OF: first report due today, not late
        (D(2026, 4, 1), True),  # not started yet
        (D(2026, 2, 14), False),  # 15 days: the first report is late
    ],
)
def test_first_report_not_due_yet_is_not_missing(start, passes):
    row = check(projects({"start_date": start}), status=reports()).iloc[0]
    assert row["check_status_within_cadence"] == passes
    if passes:
        assert row["feedback"] == "Meets every PMO standard checked."
        assert row["score"] == 100.0
    else:
        assert row["feedback"] == ("No status report has been received (standard: every 14 days).")


@pytest.mark.parametrize(
    ("items", "passes"),
    [
        ([("P1", "open", D(2024, 1, 1))], True),  # an open item, however old
        ([("P1", "Closed", D(2026, 1, 15))], True),  # raised within 90 days
        ([("P1", "closed", D(2025, 11, 1))], False),  # closed and raised 120 days ago
        ([("P1", "open", D(2026, 3, 5))], False),  # raised after the as-of date
        ([], False),
    ],
)
def test_raid_maintained(items, passes):
    row = check(risks=raid(*items)).iloc[0]
    assert row["check_raid_maintained"] == passes
    if not passes:
        assert row["feedback"] == (
            "The RAID log has no open items and nothing raised in the last 90 days."
        )


def test_blank_text_counts_as_missing():
    row = check(projects({"project_manager": "  ", "portfolio": ""})).iloc[0]
    assert not row["check_has_project_manager"]
    assert not row["check_required_fields"]
    assert row["feedback"] == "Add a project manager and the portfolio."


def test_milestones_defined():
    row = check(miles=milestones()).iloc[0]
    assert not row["check_milestones_defined"]
    assert row["feedback"] == "Add at least 1 milestone."


def test_only_enabled_checks_run_and_weigh():
    rules = ComplianceRules(checks=(("has_sponsor", 3.0), ("milestones_defined", 1.0)))
    result = check(projects({"sponsor": None}), rules=rules)
    assert [c for c in result.columns if c.startswith("check_")] == [
        "check_has_sponsor",
        "check_milestones_defined",
    ]
    assert result["score"].iloc[0] == 25.0


def test_unknown_check_is_an_error():
    with pytest.raises(ValueError, match="unknown checks: has_budget"):
        check(rules=ComplianceRules(checks=(("has_budget", 1.0),)))


def test_closed_projects_are_left_out():
    register = projects({}, {"project_id": "P2", "stage": "Closed"})
    assert check(register)["project_id"].tolist() == ["P1"]


def test_missing_required_field_column_is_an_error():
    with pytest.raises(ValueError, match="missing required columns: portfolio"):
        check(projects().drop(columns="portfolio"))


def test_compliance_league_hand_computed():
    compliance = pd.DataFrame(
        {
            "division": ["Ops", "Ops", "IT", "IT", None],
            "score": [100.0, 50.0, 80.0, 60.0, 0.0],
            "failed_checks": [
                "",
                "has_sponsor, baseline_set",
                "has_sponsor",
                "has_sponsor, milestones_defined",
                "baseline_set",
            ],
        }
    )
    league = compliance_league(compliance)
    assert league["division"].tolist() == ["Ops", "IT", "(no division)"]
    assert league["rank"].tolist() == [1, 2, 3]
    assert league["average_score"].tolist() == [75.0, 70.0, 0.0]
    assert league["projects"].tolist() == [2, 2, 1]
    assert league["fully_compliant"].tolist() == [1, 0, 0]
    assert league["fully_compliant_share"].tolist() == [0.5, 0.0, 0.0]
    assert league["most_failed_check"].tolist() == ["has_sponsor", "has_sponsor", "baseline_set"]


def test_check_compliance_does_not_mutate_input():
    frames = (
        projects({"sponsor": None}),
        reports(("P1", D(2026, 2, 20))),
        milestones("P1"),
        raid(("P1", "open", None)),
    )
    before = [f.copy() for f in frames]
    check_compliance(*frames, RULES, as_of=AS_OF)
    for frame, copy in zip(frames, before, strict=True):
        pd.testing.assert_frame_equal(frame, copy)


def test_compliance_league_ties_share_a_rank():
    compliance = pd.DataFrame(
        {"division": ["A", "B", "C"], "score": [80.0, 90.0, 80.0], "failed_checks": ["x", "y", "z"]}
    )
    league = compliance_league(compliance)
    assert league["division"].tolist() == ["B", "A", "C"]
    assert league["rank"].tolist() == [1, 2, 2]


def test_compliance_league_does_not_mutate_input():
    compliance = check(projects({}, {"project_id": "P2", "division": "IT", "sponsor": None}))
    before = compliance.copy()
    compliance_league(compliance)
    pd.testing.assert_frame_equal(compliance, before)


# ------------------------------------------------------------------------- outdated_templates


def latest() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "project_id": ["P3", "P1", "P2", "P4"],
            "report_date": pd.to_datetime(["2026-11-01", "2026-11-02", "2026-11-03", "2026-11-04"]),
            "load_id": [1, 2, 3, 4],
            "source_file": ["old.xlsx", "older.xlsx", "new.xlsx", "export.csv"],
            "source_sheet": ["Status report", "Status report", "Status report", None],
        }
    )


def sheets() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "load_id": [1, 1, 2, 3, 4],
            "sheet": ["Status report", "_pmo_template", "Status report", "Status report", None],
            "template_version": pd.array([2, pd.NA, 1, 3, pd.NA], dtype="Int32"),
        }
    )


def test_outdated_templates_lists_projects_below_the_current_version_by_id():
    found = outdated_templates(latest(), sheets(), current_version=3)

    assert found["project_id"].tolist() == ["P1", "P3"]
    assert found["template_version"].tolist() == [1, 2]
    assert found["source_file"].tolist() == ["older.xlsx", "old.xlsx"]
    assert list(found.columns) == ["project_id", "report_date", "source_file", "template_version"]


def test_outdated_templates_ignores_reports_not_from_a_template():
    # P4 came from a CSV export (no template version): not outdated, just not a template.
    found = outdated_templates(latest(), sheets(), current_version=99)
    assert "P4" not in found["project_id"].tolist()
    assert len(found) == 3


def test_outdated_templates_none_when_all_are_current():
    assert outdated_templates(latest(), sheets(), current_version=1).empty


def test_outdated_templates_requires_its_columns():
    with pytest.raises(ValueError, match="template_version"):
        outdated_templates(latest(), sheets().drop(columns="template_version"), 2)


def test_outdated_templates_does_not_mutate_input():
    reports, loads = latest(), sheets()
    outdated_templates(reports, loads, current_version=3)
    pd.testing.assert_frame_equal(reports, latest())
    pd.testing.assert_frame_equal(loads, sheets())
