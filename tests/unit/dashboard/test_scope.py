"""Unit tests of dashboard/scope.py: who reports on which project - no browser."""

from __future__ import annotations

from dashboard.scope import Scope


def test_who_reports_on_what():
    by_list = Scope(user="c", role="contributor", projects=("PRJ-001",))
    by_name = Scope(user="d", role="contributor", project_manager="Dave Lee")
    assert by_list.reports_on("PRJ-001", "Someone") and not by_list.reports_on("PRJ-002", None)
    assert by_name.reports_on("PRJ-009", "Dave Lee") and not by_name.reports_on("PRJ-009", None)
    assert Scope().reports_on("PRJ-002", None)  # the PMO (sign-in off: the local PMO user)
    assert not Scope(user="v", role="viewer").reports_on("PRJ-001", None)
    dm = Scope(user="m", role="division_manager", divisions=("Finance",))
    assert not dm.reports_on("PRJ-001", None)
