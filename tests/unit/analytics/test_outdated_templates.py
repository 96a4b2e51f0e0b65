"""Unit tests of analytics.compliance.outdated_templates - no browser, no database."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.analytics.compliance import outdated_templates


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
