"""Unit tests for loaders.mapping: which kind a sheet is, and the kind it almost is."""

from __future__ import annotations

from loaders.headers import normalise
from loaders.mapping import Hints, detect_kind, near_miss


def test_timesheet_wins_over_work_items_for_person_date_duration():
    toggl = ["User", "Email", "Client", "Project", "Task", "Description", "Start date", "Duration"]
    assert detect_kind(toggl).kind == "timesheets"
    harvest = ["Date", "Client", "Project", "Task", "Notes", "Hours", "First Name", "Last Name"]
    guess = detect_kind(harvest)
    assert guess.kind == "timesheets" and guess.derived == {"resource_id"}
    jira_issues = ["Summary", "Issue key", "Assignee", "Created", "Time Spent", "Project key"]
    assert detect_kind(jira_issues).kind == "work_items"
    board = ["Name", "Person", "Status", "Date", "Hours", "Item ID"]  # monday.com, with hours
    assert detect_kind(board, project="MKT").kind == "work_items"


def test_register_keyed_by_name_needs_a_division_from_somewhere():
    headers = ["Project Name", "Sponsor", "Budget", "RAG"]
    assert detect_kind(headers) is None
    guess = detect_kind(headers, hints=Hints(division="Corporate"))
    assert guess.kind == "projects" and guess.derived == {"project_id", "division"}
    # a status log carries names too, but has every column it needs: it is not a register
    status = ["Project Code", "Project Name", "Report Date", "RAG"]
    assert detect_kind(status, hints=Hints(division="Corporate")).kind == "status_reports"


def test_raid_type_and_id_from_the_sheet_name():
    headers = ["#", "Risk Description", "Likelihood", "Impact (High/Med/Low)", "Owner"]
    assert normalise("#") == "number"
    guess = detect_kind(headers, hints=Hints(project="P-1", raid_type="risk"))
    assert guess.kind == "raid" and guess.derived == {"raid_type"}
    assert guess.columns == {0: "raid_id", 1: "title", 2: "probability", 3: "impact", 4: "owner"}
    no_id = detect_kind(headers[1:], hints=Hints(project="P-1", raid_type="risk"))
    assert no_id.kind == "raid" and no_id.derived == {"raid_type", "raid_id"}


def test_detect_kind_and_forced_kind():
    headers = ["Project Code", "Report Date", "RAG", "Summary"]
    assert detect_kind(headers).kind == "status_reports"
    assert detect_kind(["Task Name", "Start"], project="P-1").kind == "work_items"
    assert detect_kind(["Task Name", "Start"]) is None
    assert detect_kind(["anything"], forced="raid").kind == "raid"


def test_near_miss_names_the_missing_column():
    assert near_miss(["Task Name", "Start", "Finish", "% Complete"]) == (
        "work_items",
        ["project_id"],
    )
