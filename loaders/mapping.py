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
# Jira names custom fields "Custom field (Story Points)": the name in brackets is the header.
_CUSTOM_FIELD = re.compile(r"^\s*custom\s*field\s*\((?P<name>.+)\)\s*$", re.IGNORECASE)
#: Canonical columns that gather every column mapped to them (Jira repeats ``Sprint``).
MULTI_VALUED = frozenset({"sprints"})
#: Helper columns read to derive others, never stored: MS Project outline levels and summary
#: flags give each task its parent, Asana's completion date its status.
AUX_SYNONYMS: dict[str, dict[str, list[str]]] = {
    "work_items": {
        "outline_level": ["outline level", "outline_level", "level", "indent level"],
        "is_summary": ["summary", "summary task", "is summary"],
        "completed_at": ["completed at", "completed on"],
    },
    "allocations": {"period_end": ["to", "to date", "end", "end date", "until"]},
}
_MONTH_TEXT = re.compile(
    r"^(?P<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*[\s\-/'.]*"
    r"(?P<year>\d{2}|\d{4})$"
)
_MONTH_ISO = re.compile(
    r"^(?P<year>\d{4})[-/.](?P<mon>\d{1,2})(?:[-/.]0?1(?:[ t]00:00(?::00)?)?)?$"
)
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
        # From/Start: the first day of an allocation range (loaders.spread spreads it by month).
        "month": ["month", "period", "from", "from date", "start", "start date"],
        "fte": [
            "fte",
            "allocation",
            "allocation fte",
            "% allocation",
            "allocation %",
            "% allocated",
        ],
        "hours": ["hours", "planned hours"],
    },
    "timesheets": {
        "resource_id": ["resource", "employee id", "person", "user", "resource id", "employee"],
        "project_id": _PROJECT_ID,
        "work_date": ["date", "work date", "day", "entry date"],
        "hours": ["hours", "time", "hours worked", "time spent"],
    },
    "work_items": {
        "project_id": [
            "project id",
            "project key",
            "project code",
            "project",
            "team project",
            "projects",
            "proj_short_name",
            "project name",
        ],
        "item_id": [
            "issue key",
            "unique id",
            "task id",
            "work item id",
            "activity id",
            "task_code",
            "key",
            "id",
            "gid",
            "row id",
            "task code",
            "issue id",
            "wbs",
        ],
        "name": [
            "task name",
            "name",
            "title",
            "activity name",
            "task_name",
            "summary",
            "task",
            "title 1",
        ],
        "parent": [
            "parent key",
            "parent",
            "parent id",
            "parent task",
            "parent issue",
            "wbs code",
            "wbs_id",
            "parent summary",
        ],
        "item_type": [
            "issue type",
            "work item type",
            "type",
            "activity type",
            "task type",
            "task_type",
        ],
        "status": [
            "status",
            "state",
            "activity status",
            "status_code",
            "section/column",
            "section",
        ],
        "status_category": ["status category"],
        "assignee": [
            "assignee",
            "assigned to",
            "resource names",
            "owner",
            "resources",
            "resource ids",
        ],
        "start_date": [
            "start",
            "start date",
            "start on",
            "planned start",
            "target_start_date",
            "early start",
            "timeline",  # monday.com: a one-cell range, split by loaders.content
            "date range",
        ],
        "finish_date": [
            "finish",
            "finish date",
            "end date",
            "due date",
            "due on",
            "target date",
            "target_end_date",
            "end",
            "early finish",
        ],
        "baseline_start": ["baseline start", "bl start", "bl project start", "bl1 start"],
        "baseline_finish": [
            "baseline finish",
            "bl finish",
            "baseline end",
            "bl project finish",
            "bl1 finish",
        ],
        "percent_complete": [
            "% complete",
            "percent complete",
            "activity % complete",
            "phys_complete_pct",
            "complete_pct",
            "physical % complete",
            "progress",
        ],
        "is_milestone": ["milestone", "is milestone", "milestone?"],
        "estimate_hours": [
            "original estimate",
            "work",
            "estimate",
            "original work",
            "budgeted labor units",
            "target_work_qty",
            "estimated hours",
            "duration",
            "original duration",
        ],
        "spent_hours": [
            "time spent",
            "actual work",
            "completed work",
            "actual labor units",
            "act_work_qty",
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
    custom = _CUSTOM_FIELD.match(text)
    if custom:
        text = custom.group("name")
    text = text.replace("%", " percent ")
    stripped = _BRACKETS.sub(" ", text)
    # Keep the bracketed text when it is the whole header, e.g. "(blank)".
    text = stripped if stripped.strip() else text
    return _NON_ALNUM.sub("", text)


def _ranked(columns: dict[str, list[str]]) -> dict[str, tuple[str, int]]:
    """Normalised synonym -> (canonical column, rank); earlier synonyms rank better."""
    ranks: dict[str, tuple[str, int]] = {}
    for column, names in columns.items():
        for rank, name in enumerate(names):
            ranks.setdefault(normalise(name), (column, rank))
    return ranks


_RANKS: dict[str, dict[str, tuple[str, int]]] = {k: _ranked(c) for k, c in SYNONYMS.items()}
_LOOKUP: dict[str, dict[str, str]] = {
    kind: {key: column for key, (column, _) in ranks.items()} for kind, ranks in _RANKS.items()
}
_AUX: dict[str, dict[str, str]] = {
    kind: {normalise(s): column for column, names in columns.items() for s in names}
    for kind, columns in AUX_SYNONYMS.items()
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


def lookup_for(kind: str, user: UserMapping | None = None) -> dict[str, str]:
    """Normalised header -> canonical column for ``kind``, the user's mapping included."""
    lookup = dict(_LOOKUP[kind])
    if user:
        lookup.update(user.for_kind(kind))
    return lookup


@dataclass(frozen=True)
class HeaderMap:
    """How the headers of one sheet map onto one kind.

    Attributes:
        columns: Column position -> canonical column (several positions only for
            :data:`MULTI_VALUED` columns).
        aux: Column position -> helper column (see :data:`AUX_SYNONYMS`).
        duplicates: Canonical column -> positions of a header that appears more than once and
            would feed it; the sheet cannot say which copy is right.
    """

    columns: dict[int, str]
    aux: dict[int, str] = field(default_factory=dict)
    duplicates: dict[str, list[int]] = field(default_factory=dict)


def resolve_headers(headers: list[Any], kind: str, user: UserMapping | None = None) -> HeaderMap:
    """Map each header onto ``kind``'s columns; the best-ranked synonym wins a column.

    ``Start Date`` beats ``Actual Start`` for ``start_date`` whichever comes first in the file,
    and MS Project's ``Name`` beats its ``Summary`` flag column for the task name. The same
    header twice (two ``Status`` columns) is reported as a duplicate unless the column gathers
    several values (Jira's repeated ``Sprint``).
    """
    ranks = _RANKS[kind]
    mine = user.for_kind(kind) if user else {}
    found: dict[str, list[tuple[int, int, str]]] = {}
    for position, header in enumerate(headers):
        key = normalise(header)
        if not key:
            continue
        if key in mine:
            column, rank = mine[key], -1
        elif key in ranks:
            column, rank = ranks[key]
        else:
            continue
        found.setdefault(column, []).append((rank, position, key))
    columns: dict[int, str] = {}
    duplicates: dict[str, list[int]] = {}
    for column, candidates in found.items():
        if column in MULTI_VALUED:
            columns.update(dict.fromkeys((p for _, p, _ in candidates), column))
            continue
        candidates.sort()
        _, best, best_key = candidates[0]
        same = [p for _, p, key in candidates if key == best_key]
        if len(same) > 1:
            duplicates[column] = same
        columns[best] = column
    aux_lookup = _AUX.get(kind, {})
    aux = {
        p: aux_lookup[normalise(h)]
        for p, h in enumerate(headers)
        if p not in columns and normalise(h) in aux_lookup
    }
    return HeaderMap(dict(sorted(columns.items())), aux, duplicates)


def map_headers(headers: list[Any], kind: str, user: UserMapping | None = None) -> dict[int, str]:
    """Column position -> canonical column for ``kind`` (see :func:`resolve_headers`)."""
    return resolve_headers(headers, kind, user).columns


@dataclass(frozen=True)
class KindGuess:
    """The chosen kind for a sheet and how its columns map."""

    kind: str
    columns: dict[int, str]
    month_columns: dict[int, date]
    aux: dict[int, str] = field(default_factory=dict)
    duplicates: dict[str, list[int]] = field(default_factory=dict)


def detect_kind(
    headers: list[Any],
    *,
    forced: str | None = None,
    project: str | None = None,
    user: UserMapping | None = None,
) -> KindGuess | None:
    """Choose the canonical table a sheet belongs to from its headers.

    A kind qualifies when all its required columns are mapped (``project`` stands in for a
    missing project column; work items without an id get one from the row number); the
    qualifying kind with most mapped columns wins. A sheet with three or more month headers and
    a project/request and resource/role column is a wide resource plan (allocations).
    """
    months = {i: m for i, h in enumerate(headers) if (m := parse_month_header(h)) is not None}
    kinds = [forced] if forced else list(TABLES)
    best: KindGuess | None = None
    best_score = 0
    for kind in kinds:
        found = resolve_headers(headers, kind, user)
        present = _present(kind, found, project, months)
        wide = months if kind == "allocations" and len(months) >= 3 else {}
        spec = TABLES[kind]
        if not forced and not _qualifies(spec.required, spec.one_of, present):
            continue
        score = len(set(found.columns.values())) + (10 if wide else 0)
        if score > best_score or (forced and best is None):
            best = KindGuess(kind, found.columns, wide, found.aux, found.duplicates)
            best_score = score
    return best


def near_miss(headers: list[Any], user: UserMapping | None = None) -> tuple[str, list[str]] | None:
    """The kind a sheet almost is: most columns mapped, only required columns missing.

    Used to say "looks like work items but has no project column: use --project" instead of
    "could not tell what the sheet holds".
    """
    months = {i: m for i, h in enumerate(headers) if (m := parse_month_header(h)) is not None}
    best: tuple[int, str, list[str]] | None = None
    for kind, spec in TABLES.items():
        found = resolve_headers(headers, kind, user)
        present = _present(kind, found, None, months)
        mapped = len(set(found.columns.values()))
        missing = [c for c in spec.required if c not in present]
        missing += [" or ".join(g) for g in spec.one_of if not present.intersection(g)]
        if mapped >= 3 and missing and len(missing) <= 2 and (best is None or mapped > best[0]):
            best = (mapped, kind, missing)
    return (best[1], best[2]) if best else None


def _present(kind: str, found: HeaderMap, project: str | None, months: dict[int, date]) -> set[str]:
    present = set(found.columns.values())
    if project and "project_id" in TABLES[kind].columns:
        present.add("project_id")
    if kind == "work_items" and "name" in present:
        present.add("item_id")
    if kind == "allocations" and len(months) >= 3:
        present.update({"month", "fte"})
    return present


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
