"""Project page data: one project's register row, health now and over time, EVM, milestones, RAID.

Everything comes from one snapshot (one database version) and is cached per version, as-of date
and project, so the page and its exports show the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import pandas as pd

from dashboard import db
from dashboard.analytics import earned_value, history
from dashboard.analytics.health_assessment import DIMENSIONS as DIMENSIONS  # table rows
from dashboard.analytics.rag import to_rag
from dashboard.config import get_standards
from dashboard.services import derived, fingerprints, visits
from dashboard.services.cache import cached
from dashboard.url_state import FilterOptions, parse_view


@dataclass(frozen=True)
class ProjectView:
    """What the project page shows for one project at one as-of date.

    Attributes:
        version: The database version the figures come from.
        as_of: The as-of date.
        project_id: The id asked for (as text, never trusted further).
        register: The register row as known on ``as_of`` (plain values); None = not found.
        closed: The project's stage is one of ``[reporting].closed_stages``.
        health: ``assess_health`` row at ``as_of`` (plain values); None when closed/not found.
        history: ``health_history`` rows (oldest first; at most 24).
        earned_value: ``earned_value_history`` rows.
        milestones: ``milestone_timeline`` rows.
        raid: ``raid_log`` rows (open first).
        latest_report: The latest status report on or before ``as_of`` (plain values), or None.
        currency: ISO code of every money value (``[loading].currency``).
    """

    version: int
    as_of: date
    project_id: str
    register: dict | None
    closed: bool = False
    health: dict | None = None
    history: pd.DataFrame | None = None
    earned_value: pd.DataFrame | None = None
    milestones: pd.DataFrame | None = None
    raid: pd.DataFrame | None = None
    latest_report: dict | None = None
    currency: str = "GBP"

    @property
    def found(self) -> bool:
        """Whether the register knows the project on ``as_of``."""
        return self.register is not None


def requested_as_of(query: dict, today: date) -> date:
    """The as-of date from the URL query (``?as_of=YYYY-MM-DD``), checked; never after today."""
    return parse_view(query, FilterOptions(), today).as_of


def project_view(project_id: str, as_of: date) -> ProjectView:
    """Load and compute one project's page at ``as_of``; cached per version.

    Args:
        project_id: The project's id as given in the URL (already percent-decoded).
        as_of: The as-of date.

    Returns:
        A :class:`ProjectView`; ``found`` is false when the register has no such project.

    Raises:
        db.NoData: Nothing has been published yet.
    """
    with db.snapshot() as snap:
        # Per process and version in memory; across versions and processes by content below.
        return cached(
            ("project", snap.version, as_of, project_id), lambda: _view(snap, project_id, as_of)
        )


def _view(snap: db.Snapshot, project_id: str, as_of: date) -> ProjectView:
    inputs = _Inputs.read(snap, project_id, as_of)
    if history.rows_as_of(inputs.register, as_of).empty:
        return ProjectView(version=snap.version, as_of=as_of, project_id=project_id, register=None)
    # Keyed by the project's own inputs, not the version: a publish that touches five projects
    # recomputes those five pages, every other one is reused (docs/performance.md).
    key = ("project", as_of, project_id, inputs.fingerprint())

    def build() -> ProjectView:
        visits.note_visit("project", project_id)  # so a new version re-prepares it if changed
        return _build(inputs, project_id, as_of)

    return replace(derived.derived(None, key, build), version=snap.version)


@dataclass(frozen=True)
class _Inputs:
    """Every stored row one project page is computed from (one snapshot)."""

    register: pd.DataFrame
    reports: pd.DataFrame
    milestones: pd.DataFrame
    raid: pd.DataFrame
    work_items: pd.DataFrame | None

    @classmethod
    def read(cls, snap: db.Snapshot, project_id: str, as_of: date) -> _Inputs:
        work_items = snap.project_versions("work_items", project_id)
        return cls(
            register=snap.project_versions("projects", project_id),
            reports=snap.status_reports(as_of, project_id),
            milestones=snap.project_versions("milestones", project_id),
            raid=snap.project_versions("raid", project_id),
            work_items=work_items if len(work_items) else None,
        )

    def fingerprint(self) -> str:
        return fingerprints.fingerprint(
            self.register, self.reports, self.milestones, self.raid, self.work_items
        )


def _build(inputs: _Inputs, project_id: str, as_of: date) -> ProjectView:
    standards = get_standards()
    thresholds = standards.health
    register, reports = inputs.register, inputs.reports
    milestones, raid, work_items = inputs.milestones, inputs.raid, inputs.work_items
    current = history.rows_as_of(register, as_of)

    row = current.iloc[-1]
    closed = str(row["stage"] or "").strip().lower() in {
        s.strip().lower() for s in thresholds.closed_stages
    }
    dates = history.history_dates(reports["report_date"], as_of=as_of, include_as_of=not closed)
    health_rows = history.health_history(
        register, reports, milestones, raid, thresholds, dates=dates, work_items=work_items
    )
    known_work_items = None if work_items is None else history.rows_as_of(work_items, as_of)
    return ProjectView(
        version=0,  # set by ``project_view``: the result is shared by versions with these inputs
        as_of=as_of,
        project_id=project_id,
        register=_plain(row),
        closed=closed,
        health=None if closed or health_rows.empty else _plain(health_rows.iloc[-1]),
        history=health_rows,
        earned_value=earned_value.earned_value_history(register, reports, as_of=as_of),
        milestones=history.milestone_timeline(
            history.rows_as_of(milestones, as_of),
            thresholds,
            as_of=as_of,
            work_items=known_work_items,
        ),
        raid=history.raid_log(history.rows_as_of(raid, as_of), as_of=as_of),
        latest_report=_plain(reports.iloc[-1]) if len(reports) else None,
        currency=standards.loading.currency,
    )


def _plain(row: pd.Series) -> dict:
    """A row as a dict of plain values: missing values as None, RAG categories as text."""
    return {k: (None if _missing(v) else v) for k, v in row.items()}


def _missing(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


MILESTONE_EXPORT_COLUMNS = {
    "project_id": "Project ID",
    "milestone": "Milestone",
    "baseline_date": "Baseline",
    "forecast_date": "Forecast",
    "actual_date": "Actual",
    "status": "Status",
    "slip_days": "Slip (days)",
    "slip_rag": "Slip RAG",
}

RAID_EXPORT_COLUMNS = {
    "raid_id": "RAID ID",
    "project_id": "Project ID",
    "raid_type": "Type",
    "title": "Title",
    "severity": "Severity",
    "status": "Status",
    "overdue": "Overdue",
    "probability": "Probability",
    "impact": "Impact",
    "owner": "Owner",
    "raised_date": "Raised",
    "due_date": "Due",
}


def milestones_export(view: ProjectView) -> pd.DataFrame:
    """The milestone grid as exported: readable headers, dates as dates, RAG as words."""
    return _export(view.milestones, MILESTONE_EXPORT_COLUMNS)


def raid_export(view: ProjectView) -> pd.DataFrame:
    """The RAID log as exported (open items first): readable headers."""
    return _export(view.raid, RAID_EXPORT_COLUMNS)


def _export(frame: pd.DataFrame | None, headers: dict[str, str]) -> pd.DataFrame:
    if frame is None:
        return pd.DataFrame(columns=list(headers.values()))
    columns = [c for c in headers if c in frame.columns]
    out = frame[columns].copy()
    if "slip_rag" in out:
        out["slip_rag"] = to_rag(out["slip_rag"]).astype("string")
    return out.rename(columns=headers)
