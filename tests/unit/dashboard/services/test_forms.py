"""Unit tests of dashboard/services/forms.py: "My projects" due dates and the live completeness
gate."""

from __future__ import annotations

from datetime import date, timedelta

from dashboard.scope import Scope


def test_my_projects_lists_the_scope_with_due_dates_overdue_first(app_settings, monkeypatch):
    """Due = last report + 14 days (pmo.toml cadence); computed by hand from the demo store."""
    import contextvars

    from dashboard import db
    from dashboard import scope as scope_module
    from dashboard.services import forms

    today = date(2026, 11, 26)
    with db.snapshot() as snap:
        projects = snap.projects(today)
        latest = snap.latest_status(today)
    manager = "Hannah Gill"
    closed = {"closed", "cancelled", "completed"}
    mine = projects.loc[
        (projects["project_manager"] == manager) & ~projects["stage"].str.lower().isin(closed)
    ]
    last = dict(zip(latest["project_id"], latest["report_date"], strict=True))
    expected = {}
    for project_id in mine["project_id"]:
        reported = last.get(project_id)
        expected[project_id] = reported.date() + timedelta(days=14) if reported else today
    assert len(expected) >= 5
    scope = Scope(user="h", role="contributor", project_manager=manager)
    monkeypatch.setattr(scope_module, "_current", contextvars.ContextVar("s", default=scope))
    rows = forms.my_projects(today)
    assert {r.project_id: r.due for r in rows} == expected
    assert all(r.overdue == (r.due < today) for r in rows)
    flags = [r.overdue for r in rows]
    assert flags == sorted(flags, reverse=True)  # overdue ones first
    viewer = Scope(user="v", role="viewer")
    monkeypatch.setattr(scope_module, "_current", contextvars.ContextVar("s", default=viewer))
    assert forms.my_projects(today) == []


def test_live_gate_names_what_is_missing(app_settings):
    from dashboard.services import forms

    assert forms.missing_text({}) == (
        "missing: strategic alignment, expected benefit, urgency, risk, estimated cost, "
        "effort (person-months)"
    )
    assert (
        forms.missing_text(
            {"strategic_alignment": "4", "urgency": "3", "risk": "2", "effort_person_months": 6}
        )
        == "missing: expected benefit, estimated cost"
    )
