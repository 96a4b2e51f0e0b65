"""Header synonyms, header-row detection and kind detection for the exports PMOs really have.

Headers are compared after normalising: case, spaces, punctuation and bracketed units are
ignored, and ``%`` reads as "percent" (``"% Complete"``, ``"percent complete"`` and
``"Percent_Complete"`` are the same header). Synonyms are per kind, because ``Status`` means a
lifecycle stage in a register and a workflow state in a Jira export. A user mapping file (TOML)
adds headers without code changes.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from loaders.kinds import TABLES

HEADER_SCAN_ROWS = 30
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_MONTH_TEXT = re.compile(
    r"^(?P<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*[\s\-/'.]*"
    r"(?P<year>\d{2}|\d{4})$"
)
_MONTH_ISO = re.compile(r"^(?P<year>\d{4})[-/.](?P<mon>\d{1,2})(?:[-/.]0?1)?$")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

_PROJECT_ID = [
    "project id",
    "project code",
    "project ref",
    "project reference",
    "project no",
    "project number",
    "proj id",
    "project",
    "project key",
    "programme project id",
]
_DATE = ["date"]

# canonical column -> header synonyms, per kind (before normalisation; normalise() is applied).
SYNONYMS: dict[str, dict[str, list[str]]] = {
    "projects": {
        "project_id": [
            "project id",
            "project code",
            "project ref",
            "project reference",
            "project no",
            "project number",
            "proj id",
            "id",
            "code",
            "ref",
        ],
        "name": ["project name", "project", "name", "title", "project title"],
        "division": ["division", "business unit", "department", "directorate", "bu", "unit"],
        "portfolio": ["portfolio"],
        "programme": ["programme", "program", "programme name", "program name"],
        "sponsor": [
            "sponsor",
            "executive sponsor",
            "project sponsor",
            "senior responsible owner",
            "sro",
        ],
        "project_manager": ["project manager", "pm", "manager", "project lead", "delivery lead"],
        "stage": ["stage", "phase", "lifecycle stage", "status", "project status", "state"],
        "start_date": ["start date", "start", "planned start", "baseline start", "actual start"],
        "baseline_finish": [
            "baseline finish",
            "baseline end",
            "baseline end date",
            "planned finish",
            "planned end",
            "planned end date",
            "original finish",
        ],
        "forecast_finish": [
            "forecast finish",
            "forecast end",
            "forecast end date",
            "finish",
            "end date",
            "expected finish",
            "forecast completion",
        ],
        "actual_finish": [
            "actual finish",
            "actual end",
            "actual end date",
            "completed date",
            "closed date",
            "completion date",
        ],
        "budget": ["budget", "approved budget", "total budget", "budget at completion", "bac"],
        "actual_cost": [
            "actual cost",
            "actuals",
            "spend",
            "actual spend",
            "cost to date",
            "actual cost to date",
            "spend to date",
        ],
        "forecast_cost": [
            "eac",
            "forecast cost",
            "estimate at completion",
            "forecast at completion",
            "forecast",
            "fac",
        ],
        "percent_complete": [
            "% complete",
            "percent complete",
            "progress",
            "completion",
            "% done",
            "physical % complete",
        ],
        "strategic_alignment": [
            "strategic alignment",
            "strategic fit",
            "alignment",
            "strategic score",
        ],
        "reported_rag": [
            "rag status",
            "rag",
            "status colour",
            "status color",
            "overall rag",
            "overall status",
            "health",
            "overall health",
        ],
    },
    "status_reports": {
        "project_id": _PROJECT_ID,
        "report_date": [
            "report date",
            "status date",
            "reporting date",
            "period end",
            "week ending",
            "period ending",
            *_DATE,
        ],
        "overall_rag": [
            "overall rag",
            "overall",
            "rag",
            "overall status",
            "status colour",
            "status color",
            "rag status",
            "overall health",
        ],
        "schedule_rag": ["schedule", "schedule rag", "timeline", "time"],
        "cost_rag": ["cost", "cost rag", "budget", "budget rag", "financials", "finance"],
        "scope_rag": ["scope", "scope rag", "quality"],
        "resource_rag": ["resources", "resource", "resourcing", "resource rag", "people"],
        "percent_complete": ["% complete", "percent complete", "progress", "completion"],
        "actual_cost": ["actual cost", "actuals", "spend to date", "actual spend", "cost to date"],
        "forecast_finish": [
            "forecast finish",
            "forecast end",
            "forecast completion",
            "expected finish",
        ],
        "forecast_cost": [
            "eac",
            "forecast cost",
            "estimate at completion",
            "forecast at completion",
        ],
        "summary": [
            "summary",
            "status summary",
            "commentary",
            "comments",
            "update",
            "key achievements",
            "progress summary",
        ],
        "next_steps": ["next steps", "next period", "planned activities", "next actions"],
        "reported_by": ["reported by", "author", "submitted by", "team lead", "reporter"],
    },
    "milestones": {
        "project_id": _PROJECT_ID,
        "milestone": ["milestone", "milestone name", "deliverable", "milestone description"],
        "baseline_date": [
            "baseline date",
            "baseline",
            "baseline finish",
            "planned date",
            "original date",
        ],
        "forecast_date": [
            "forecast date",
            "forecast",
            "forecast finish",
            "expected date",
            "current date",
            "revised date",
        ],
        "actual_date": [
            "actual date",
            "actual",
            "achieved",
            "achieved date",
            "completed",
            "actual finish",
        ],
    },
    "raid": {
        "raid_id": ["raid id", "id", "ref", "reference", "risk id", "item id", "log id"],
        "project_id": _PROJECT_ID,
        "raid_type": ["type", "raid type", "category", "item type", "log type"],
        "title": ["title", "description", "summary", "name", "risk description"],
        "probability": ["probability", "likelihood"],
        "impact": ["impact", "impact score"],
        "severity": ["severity", "rating", "priority", "risk rating"],
        "status": ["status", "state"],
        "owner": ["owner", "assigned to", "action owner"],
        "raised_date": [
            "date raised",
            "raised",
            "raised date",
            "created",
            "date identified",
            "identified",
        ],
        "due_date": ["due date", "due", "target date", "review date", "target resolution date"],
    },
    "requests": {
        "request_id": [
            "request id",
            "id",
            "request no",
            "request number",
            "ref",
            "demand id",
            "idea id",
            "intake id",
        ],
        "title": ["title", "request title", "name", "request", "project name", "request name"],
        "division": ["division", "business unit", "department", "directorate"],
        "sponsor": ["sponsor", "requester", "requested by", "business owner"],
        "submitted_date": [
            "submitted",
            "submitted date",
            "date submitted",
            "submission date",
            "created",
            "date raised",
        ],
        "status": ["status", "decision", "stage", "state"],
        "estimated_cost": [
            "estimated cost",
            "cost estimate",
            "cost",
            "budget requested",
            "estimated budget",
            "budget",
        ],
        "expected_benefit": [
            "expected annual benefit",
            "expected benefit",
            "benefit",
            "annual benefit",
            "benefits",
            "value",
            "npv",
        ],
        "strategic_alignment": ["strategic alignment", "strategic fit", "alignment"],
        "urgency": ["urgency", "time criticality"],
        "risk": ["delivery risk", "risk", "risk score"],
        "reach": ["reach"],
        "confidence": ["confidence"],
        "effort_person_months": ["effort", "effort person months", "person months", "job size"],
        "duration_months": ["duration", "duration months", "months"],
        "mandatory": ["mandatory", "mandatory?", "regulatory", "compliance required"],
        "target_start": ["target start", "desired start", "requested start", "start date"],
        "business_case": ["business case", "justification", "description", "summary"],
    },
    "resources": {
        "resource_id": [
            "employee id",
            "resource id",
            "person id",
            "staff id",
            "id",
            "employee number",
            "staff number",
            "user id",
        ],
        "name": ["name", "full name", "resource name", "employee name", "person"],
        "role": ["role", "job role", "job title", "position", "skill", "resource role"],
        "team": ["team", "squad", "group"],
        "division": ["division", "department", "business unit"],
        "fte": ["fte", "availability", "capacity", "fte %"],
        "cost_rate": ["day rate", "rate", "cost rate", "daily rate"],
        "start_date": ["start date", "start", "joined"],
        "end_date": ["end date", "leaving date", "contract end", "finish date"],
    },
    "allocations": {
        "project_id": ["project id", "project code", "project"],
        "request_id": ["request id", "request"],
        "resource_id": ["resource", "resource id", "employee id", "person", "person id", "name"],
        "role": ["role", "skill", "job role"],
        "month": ["month", "period"],
        "fte": ["fte", "allocation", "allocation fte"],
        "hours": ["hours", "planned hours"],
    },
    "timesheets": {
        "resource_id": ["resource", "employee id", "person", "user", "resource id", "employee"],
        "project_id": _PROJECT_ID,
        "work_date": ["date", "work date", "day", "entry date"],
        "hours": ["hours", "time", "hours worked", "time spent"],
    },
    "work_items": {
        "project_id": ["project id", "project code", "project key", "project", "team project"],
        "item_id": [
            "issue key",
            "key",
            "id",
            "unique id",
            "task id",
            "work item id",
            "gid",
            "row id",
            "activity id",
            "task code",
            "wbs",
        ],
        "name": ["task name", "summary", "name", "title", "task", "activity name"],
        "parent": ["parent", "parent id", "parent summary", "parent task", "parent key"],
        "item_type": ["issue type", "work item type", "type", "activity type", "task type"],
        "status": ["status", "state", "section/column", "section"],
        "status_category": ["status category"],
        "assignee": ["assignee", "assigned to", "resource names", "owner", "resources"],
        "start_date": ["start", "start date", "start on", "planned start"],
        "finish_date": ["finish", "finish date", "due date", "due on", "target date", "end date"],
        "baseline_start": ["baseline start", "bl start"],
        "baseline_finish": ["baseline finish", "bl finish", "baseline end"],
        "percent_complete": ["% complete", "percent complete", "activity % complete"],
        "is_milestone": ["milestone", "is milestone"],
        "estimate_hours": [
            "original estimate",
            "work",
            "estimate",
            "original work",
            "budgeted labor units",
            "estimated hours",
        ],
        "spent_hours": [
            "time spent",
            "actual work",
            "completed work",
            "actual labor units",
            "actual hours",
        ],
        "sprints": ["sprint", "sprints", "iteration path", "iteration"],
    },
}


def normalise(header: Any) -> str:
    """Reduce a header to lowercase letters and digits, ignoring bracketed units.

    ``"Budget (£)"`` → ``"budget"``, ``"% Complete"`` → ``"percentcomplete"``.
    """
    if header is None:
        return ""
    text = unicodedata.normalize("NFKC", str(header)).strip().lower()
    text = text.replace("%", " percent ")
    stripped = _BRACKETS.sub(" ", text)
    # Keep the bracketed text when it is the whole header, e.g. "(blank)".
    text = stripped if stripped.strip() else text
    return _NON_ALNUM.sub("", text)


_LOOKUP: dict[str, dict[str, str]] = {
    kind: {normalise(s): column for column, names in columns.items() for s in names}
    for kind, columns in SYNONYMS.items()
}
_ALL_HEADERS = frozenset(h for lookup in _LOOKUP.values() for h in lookup)


@dataclass
class UserMapping:
    """Header mappings from a user's TOML file.

    The file has a ``[columns]`` table that applies to every kind and optional per-kind tables::

        [columns]
        "Proj Ref" = "project_id"

        [projects]
        "Cost Centre" = "division"
    """

    common: dict[str, str] = field(default_factory=dict)
    per_kind: dict[str, dict[str, str]] = field(default_factory=dict)

    def for_kind(self, kind: str) -> dict[str, str]:
        """Normalised header -> canonical column for ``kind``; per-kind entries win."""
        merged = {normalise(k): v for k, v in self.common.items()}
        merged.update({normalise(k): v for k, v in self.per_kind.get(kind, {}).items()})
        return merged

    def all_headers(self) -> set[str]:
        """Every normalised header the file names, whatever the kind (finds header rows)."""
        names = set(self.common)
        for entries in self.per_kind.values():
            names.update(entries)
        return {normalise(n) for n in names}


class MappingError(ValueError):
    """The user mapping file is invalid; the message names the bad entry."""


def load_user_mapping(path: Path | None) -> UserMapping:
    """Read and check a user mapping file (see :class:`UserMapping`)."""
    if path is None:
        return UserMapping()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise MappingError(f"mapping file {path.name}: {exc}") from exc
    mapping = UserMapping()
    for section, entries in data.items():
        if not isinstance(entries, dict):
            raise MappingError(f"mapping file {path.name}: '{section}' must be a table")
        if section != "columns" and section not in TABLES:
            raise MappingError(
                f"mapping file {path.name}: unknown section [{section}]; "
                f"use [columns] or one of {', '.join(TABLES)}"
            )
        allowed = (
            {c for spec in TABLES.values() for c in spec.columns}
            if section == "columns"
            else set(TABLES[section].columns)
        )
        for header, column in entries.items():
            if column not in allowed:
                raise MappingError(
                    f"mapping file {path.name}: [{section}] '{header}' = '{column}' is not a "
                    f"canonical column; expected one of {', '.join(sorted(allowed))}"
                )
        if section == "columns":
            mapping.common.update(entries)
        else:
            mapping.per_kind[section] = dict(entries)
    return mapping


def header_score(cells: list[Any], user: UserMapping | None = None) -> int:
    """How many cells of a row look like known headers (used to find the header row)."""
    extra = user.all_headers() if user else set()
    seen = set()
    for cell in cells:
        if isinstance(cell, str):
            key = normalise(cell)
            if key and (key in _ALL_HEADERS or key in extra):
                seen.add(key)
        if parse_month_header(cell) is not None:
            seen.add(f"month:{cell}")
    return len(seen)


def find_header_row(rows: list[list[Any]], user: UserMapping | None = None) -> int | None:
    """Index of the header row within the first rows, or None when nothing looks like one."""
    best, best_score = None, 1
    for index, cells in enumerate(rows[:HEADER_SCAN_ROWS]):
        score = header_score(cells, user)
        if score > best_score:
            best, best_score = index, score
    return best


def map_headers(headers: list[Any], kind: str, user: UserMapping | None = None) -> dict[int, str]:
    """Column position -> canonical column for ``kind``; first occurrence of a column wins.

    Repeated ``Sprint`` columns (Jira) all map to ``sprints``; they are joined later.
    """
    lookup = dict(_LOOKUP[kind])
    if user:
        lookup.update(user.for_kind(kind))
    mapped: dict[int, str] = {}
    used: set[str] = set()
    for position, header in enumerate(headers):
        column = lookup.get(normalise(header))
        if column is None:
            continue
        if column in used and column != "sprints":
            continue
        mapped[position] = column
        used.add(column)
    return mapped


@dataclass(frozen=True)
class KindGuess:
    """The chosen kind for a sheet and how its columns map."""

    kind: str
    columns: dict[int, str]
    month_columns: dict[int, date]


def detect_kind(
    headers: list[Any],
    *,
    forced: str | None = None,
    project: str | None = None,
    user: UserMapping | None = None,
) -> KindGuess | None:
    """Choose the canonical table a sheet belongs to from its headers.

    A kind qualifies when all its required columns are mapped (``project`` stands in for a
    missing project column); the qualifying kind with most mapped columns wins. A sheet with
    three or more month headers and a project/request and resource/role column is a wide
    resource plan (allocations).
    """
    months = {i: m for i, h in enumerate(headers) if (m := parse_month_header(h)) is not None}
    kinds = [forced] if forced else list(TABLES)
    best: KindGuess | None = None
    best_score = 0
    for kind in kinds:
        columns = map_headers(headers, kind, user)
        present = set(columns.values())
        if project and "project_id" in TABLES[kind].columns:
            present.add("project_id")
        if kind == "allocations" and len(months) >= 3:
            present.update({"month", "fte"})
            wide = months
        else:
            wide = {}
        spec = TABLES[kind]
        if not forced and not _qualifies(spec.required, spec.one_of, present):
            continue
        score = len(present) + (10 if wide else 0)
        if score > best_score:
            best, best_score = KindGuess(kind, columns, wide), score
    return best


def parse_month_header(cell: Any) -> date | None:
    """A month from a wide-plan header cell: a date cell, ``Jan-26``, ``2026-01``, ``Jan 2026``."""
    if isinstance(cell, datetime):
        return date(cell.year, cell.month, 1)
    if isinstance(cell, date):
        return date(cell.year, cell.month, 1)
    if not isinstance(cell, str):
        return None
    text = cell.strip().lower()
    match = _MONTH_TEXT.match(text)
    if match:
        year = int(match.group("year"))
        year = year + 2000 if year < 100 else year
        return date(year, _MONTHS.index(match.group("mon")[:3]) + 1, 1)
    match = _MONTH_ISO.match(text)
    if match and 1 <= int(match.group("mon")) <= 12:
        return date(int(match.group("year")), int(match.group("mon")), 1)
    return None


def _qualifies(
    required: tuple[str, ...], one_of: tuple[tuple[str, ...], ...], present: set
) -> bool:
    return all(c in present for c in required) and all(
        any(c in present for c in group) for group in one_of
    )
