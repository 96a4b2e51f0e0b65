"""The contributor role: the users file, the scope's reporting rule, "My projects" due dates."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from dashboard import auth
from dashboard.scope import Scope


def write(path, body: str):
    path.write_text(body, encoding="utf-8")
    return path


def test_users_file_gives_a_contributor_projects_or_a_manager_name(tmp_path):
    path = write(
        tmp_path / "users.toml",
        '[users.carol]\nrole = "contributor"\nprojects = ["PRJ-001", "PRJ-002"]\n'
        '[users.dave]\nrole = "contributor"\nproject_manager = " Dave Lee "\n',
    )
    users = auth.load_users(path, "proxy")
    assert users["carol"].scope() == Scope(
        user="carol", role="contributor", projects=("PRJ-001", "PRJ-002")
    )
    assert users["dave"].scope().project_manager == "Dave Lee"


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('role = "contributor"\n', "needs projects"),
        ('role = "contributor"\nprojects = "PRJ-001"\n', "must be a list of ids"),
        ('role = "contributor"\nproject_manager = 3\n', "must be a name"),
    ],
)
def test_a_contributor_without_a_valid_scope_is_refused(tmp_path, entry, message):
    path = write(tmp_path / "users.toml", "[users.carol]\n" + entry)
    with pytest.raises(auth.AuthConfigError, match=message):
        auth.load_users(path, "proxy")


def test_who_reports_on_what():
    by_list = Scope(user="c", role="contributor", projects=("PRJ-001",))
    by_name = Scope(user="d", role="contributor", project_manager="Dave Lee")
    assert by_list.reports_on("PRJ-001", "Someone") and not by_list.reports_on("PRJ-002", None)
    assert by_name.reports_on("PRJ-009", "Dave Lee") and not by_name.reports_on("PRJ-009", None)
    assert Scope().reports_on("PRJ-002", None)  # the PMO (sign-in off: the local PMO user)
    assert not Scope(user="v", role="viewer").reports_on("PRJ-001", None)
    dm = Scope(user="m", role="division_manager", divisions=("Finance",))
    assert not dm.reports_on("PRJ-001", None)


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
