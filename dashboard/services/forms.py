"""The forms' glue: who may submit what, "My projects", prefills, and the writes for the user.

Every check of role and scope is made here, on the server, for every submission, whatever the
page showed (docs/forms.md, "Who may do what"): the PMO everything; a contributor status
reports for the projects in their scope; any signed-in user a request, a division manager for
their own divisions only. The writes themselves are loads (``loaders.form_writes``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pandas as pd

from dashboard import db
from dashboard.config import get_settings, get_standards
from dashboard.scope import Scope, current_scope
from loaders import form_writes

REPORTING_ROLES = ("pmo", "contributor")
"""Roles that may submit status reports (a contributor for their own projects only)."""
FIELD_LABELS = {
    "estimated_cost": "estimated cost",
    "expected_benefit": "expected benefit",
    "strategic_alignment": "strategic alignment",
    "urgency": "urgency",
    "risk": "risk",
    "effort_person_months": "effort (person-months)",
    "reach": "reach",
    "confidence": "confidence",
    "duration_months": "duration (months)",
}


class FormRefused(PermissionError):
    """The signed-in user may not use this form for this subject (checked on the server)."""


@dataclass(frozen=True)
class DueProject:
    """One row of "My projects"."""

    project_id: str
    name: str
    division: str
    last_report: date | None
    last_rag: str | None
    due: date
    overdue: bool


def user_name(scope: Scope) -> str:
    """Who the provenance names: the signed-in user, or the one local user when sign-in is off."""
    return scope.user or "local user"


def may_report(scope: Scope) -> bool:
    """Whether the user's role submits status reports at all (the page says so otherwise)."""
    return scope.role in REPORTING_ROLES


def reports_on(project_id: str, project_manager: object) -> bool:
    """Whether the signed-in user may report on this project (the Project page's link).

    The same rule the status form applies on the server (``Scope.reports_on``); the link is a
    convenience, never the check.
    """
    manager = None if project_manager is None or pd.isna(project_manager) else str(project_manager)
    return current_scope().reports_on(project_id, manager)


def my_projects(today: date) -> list[DueProject]:
    """The projects the user reports on, each with its next report due date, overdue first.

    Due = the last report's date + ``[reporting].cadence_days``; a project never reported on
    is due today (docs/forms.md, "My projects").
    """
    scope = current_scope()
    if not may_report(scope):
        return []
    cadence = timedelta(days=get_standards().reporting.cadence_days)
    closed = {s.lower() for s in get_standards().reporting.closed_stages}
    with db.snapshot() as snap:
        projects = snap.projects(today)
        latest = snap.latest_status(today)
    last = {str(r.project_id): r for r in latest.itertuples(index=False)}
    rows = []
    for project in projects.itertuples(index=False):
        project_id = str(project.project_id)
        manager = None if pd.isna(project.project_manager) else str(project.project_manager)
        stage = "" if pd.isna(project.stage) else str(project.stage).lower()
        if stage in closed or not scope.reports_on(project_id, manager):
            continue
        report = last.get(project_id)
        reported = pd.Timestamp(report.report_date).date() if report is not None else None
        due = reported + cadence if reported else today
        rag = None if report is None or pd.isna(report.overall_rag) else str(report.overall_rag)
        rows.append(
            DueProject(
                project_id,
                str(project.name),
                str(project.division),
                reported,
                rag,
                due,
                due < today,
            )
        )
    return sorted(rows, key=lambda r: (not r.overdue, r.due, r.project_id))


def status_prefill(project_id: str, today: date) -> dict:
    """The form's starting values: the last report's, and the project's name and baseline.

    Raises:
        FormRefused: The user may not report on the project (or it is not in the register).
    """
    scope = current_scope()
    with db.snapshot() as snap:
        projects = snap.projects(today)
        reports = snap.status_reports(today, project_id)
    project = projects.loc[projects["project_id"].astype("str") == project_id]
    if project.empty:
        raise FormRefused(f"project {project_id} is not in the register")
    row = project.iloc[0]
    manager = None if pd.isna(row["project_manager"]) else str(row["project_manager"])
    if not may_report(scope) or not scope.reports_on(project_id, manager):
        raise FormRefused(f"you may not submit status reports for {project_id}")
    values: dict = {"name": str(row["name"]), "baseline_finish": _day(row["baseline_finish"])}
    last = reports.iloc[-1] if len(reports) else None
    for name in form_writes.STATUS_FIELDS:
        value = None if last is None else last.get(name)
        if (value is None or pd.isna(value)) and name in row.index:
            value = row[name]  # no report yet: the register's values
        values[name] = _plain(name, value)
    values["last_report"] = _day(last["report_date"]) if last is not None else None
    return values


def submit_status(
    project_id: str,
    values: dict,
    *,
    key: str,
    forecast_reason: str | None = None,
    now: datetime | None = None,
) -> form_writes.FormResult:
    """Publish the user's status report for ``project_id``; scope checked again in the writer.

    Raises:
        FormRefused: The user's role does not submit status reports.
        form_writes.FormError: Refused value, missing comment, or a project out of scope.
        publish.PublishError: The new version could not be written.
    """
    scope = current_scope()
    if not may_report(scope):
        raise FormRefused("your role may view projects but not submit status reports")
    return form_writes.submit_status(
        get_settings().data_dir,
        project_id,
        values,
        user=user_name(scope),
        key=key,
        may_report=scope.reports_on,
        forecast_reason=forecast_reason,
        now=now or _now(),
    )


def assessment_fields() -> tuple[str, ...]:
    """The fields the completeness gate requires: the weighted ``[scoring]`` criteria."""
    return tuple(c.column for c in get_standards().scoring.active)


def missing_text(values: dict) -> str:
    """The live gate, in words: "missing: estimated cost, expected benefit" (or "")."""
    missing = [f for f in assessment_fields() if _blank(values.get(f))]
    return "missing: " + ", ".join(FIELD_LABELS.get(f, f) for f in missing) if missing else ""


def request_divisions(today: date) -> list[str]:
    """Divisions the user may request for: a division manager's own, else every division."""
    scope = current_scope()
    with db.snapshot() as snap:
        found = set(snap.projects(today)["division"].dropna().astype("str"))
        found |= set(snap.requests(today)["division"].dropna().astype("str"))
    if scope.role == "division_manager":
        return sorted(d for d in found if d in set(scope.divisions or ()))
    return sorted(found)


def allowed_request_divisions(scope: Scope) -> tuple[str, ...] | None:
    """None (every division) except for a division manager: their own divisions."""
    return tuple(scope.divisions or ()) if scope.role == "division_manager" else None


def submit_request(
    values: dict, *, key: str, request_id: str | None = None, now: datetime | None = None
) -> form_writes.FormResult:
    """Publish the user's request (draft until complete); division checked in the writer.

    Raises:
        form_writes.FormError: Refused value, another division, or not the user's request.
        publish.PublishError: The new version could not be written.
    """
    scope = current_scope()
    return form_writes.submit_request(
        get_settings().data_dir,
        values,
        user=user_name(scope),
        key=key,
        assessment_fields=assessment_fields(),
        allowed_divisions=allowed_request_divisions(scope),
        request_id=request_id or None,
        now=now or _now(),
    )


def my_requests(today: date) -> pd.DataFrame:
    """The user's own requests (submitted through the form) with their current status."""
    scope = current_scope()
    with db.snapshot() as snap:
        ids = db.form_request_ids(snap, form_writes.request_source(user_name(scope)))
        requests = snap.requests(today)
    mine = requests.loc[requests["request_id"].astype("str").isin(ids)]
    return mine[["request_id", "title", "division", "status", "submitted_date"]].reset_index(
        drop=True
    )


def request_prefill(request_id: str, today: date) -> dict:
    """One of the user's own requests, as the form's values (to finish a draft).

    Raises:
        FormRefused: Not one of the user's requests.
    """
    mine = my_requests(today)
    if request_id not in set(mine["request_id"].astype("str")):
        raise FormRefused(f"request {request_id} is not one of your requests")
    with db.snapshot() as snap:
        requests = snap.requests(today)
    row = requests.loc[requests["request_id"].astype("str") == request_id].iloc[0]
    return {name: _plain(name, row.get(name)) for name in form_writes.REQUEST_FIELDS}


def _now() -> datetime:
    # The app's "today" (pinned in tests and demos; the real date otherwise), at this time.
    return datetime.combine(get_settings().as_of_default(), datetime.now().time())


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _day(value: object) -> date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def _plain(name: str, value: object) -> object:
    """A stored value as the form shows it (dates as ISO text, percent as 0-100)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if name in ("forecast_finish", "target_start"):
        return _day(value).isoformat()
    if name in ("percent_complete", "confidence"):
        return round(float(value) * 100, 1)
    if isinstance(value, bool):
        return value
    if hasattr(value, "item"):
        return value.item()
    return value


def cadence_days() -> int:
    """Days between status reports (``[reporting].cadence_days``)."""
    return get_standards().reporting.cadence_days
