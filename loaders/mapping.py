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
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from loaders.kinds import BOOL, TABLES

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
        "completed_at": ["completed at", "completed on", "completed date"],
    },
    # Harvest names a person in two columns; Jira worklogs give the issue, not the project.
    "timesheets": {
        "first_name": ["first name", "firstname", "given name", "forename"],
        "last_name": ["last name", "lastname", "surname", "family name"],
        "issue_key": ["issue key", "issue", "key"],
    },
    "allocations": {"period_end": ["to", "to date", "end", "end date", "until"]},
}
#: Column names that mark a Σ roll-up of another column (Jira's ``Σ Time Spent``): the own
#: value is loaded, the roll-up listed as not loaded.
_ROLLUP = re.compile(r"^\s*(σ|∑|sum\s+of\b|total\s+)", re.IGNORECASE)
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
_PERSON = [
    "resource",
    "employee id",
    "person",
    "user",
    "resource id",
    "employee",
    "username",
    "user name",
    "author",
    "full name",
    "member",
    "worker",
    "staff",
    "email",
    "user email",
    "employee email",
]

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
        "raid_id": [
            "raid id",
            "id",
            "ref",
            "reference",
            "risk id",
            "issue id",
            "item id",
            "log id",
            "ref no",
            "number",
            "no",
        ],
        "project_id": [*_PROJECT_ID, "project name"],
        "raid_type": ["type", "raid type", "category", "item type", "log type"],
        "title": [
            "title",
            "description",
            "summary",
            "name",
            "risk description",
            "issue description",
            "risk",
            "issue",
            "assumption",
            "dependency",
            "decision",
            "impediment",
        ],
        "probability": ["probability", "likelihood"],
        "impact": ["impact", "impact score"],
        "severity": ["severity", "rating", "priority", "risk rating", "risk score"],
        "status": ["status", "state"],
        "owner": ["owner", "assigned to", "action owner", "risk owner", "issue owner"],
        "raised_date": [
            "date raised",
            "raised",
            "raised date",
            "created",
            "date identified",
            "identified",
            "date logged",
            "logged",
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
        # Form tools (Microsoft Forms, Google Forms) call the respondent "Name": a request's own
        # title ranks first.
        "title": [
            "title",
            "request title",
            "project title",
            "idea title",
            "name",
            "request",
            "project name",
            "request name",
        ],
        "division": ["division", "business unit", "department", "directorate"],
        "sponsor": ["sponsor", "requester", "requested by", "business owner"],
        "submitted_date": [
            "submitted",
            "submitted date",
            "date submitted",
            "submission date",
            "created",
            "date raised",
            "completion time",
            "timestamp",
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
        "resource_id": _PERSON,
        "project_id": [*_PROJECT_ID, "project name"],
        "work_date": [
            "date",
            "work date",
            "day",
            "entry date",
            "spent date",
            "log date",
            "worklog date",
            "started",
            "start date",
        ],
        "hours": [
            "hours",
            "time",
            "hours worked",
            "time spent",
            "logged hours",
            "duration",
            "time logged",
        ],
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
            "board name",
            "board",
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
            "item id",
            "card id",
            "number",
            "outline number",
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
            "card name",
            "short description",
            "item",
            "item name",
            "tasks",
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
            "list name",
            "list",
        ],
        "status_category": ["status category"],
        "assignee": [
            "assignee",
            "assigned to",
            "resource names",
            "owner",
            "resources",
            "resource ids",
            "assignees",
            "members",
            "person",
            "people",
        ],
        "start_date": [
            "start",
            "start date",
            "start on",
            "planned start",
            "target_start_date",
            "early start",
            "planned start date",
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
            "due",
            "planned end date",
            "date",
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
            "time estimated",
            "time estimate",
        ],
        "spent_hours": [
            "time spent",
            "actual work",
            "completed work",
            "actual labor units",
            "act_work_qty",
            "actual hours",
            "time logged",
            "time tracked",
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
    if text in ("#", "no.", "nº", "№"):  # a RAID log's or tracker's running number
        return "number"
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

    A column mapped to ``""`` is not loaded even when a synonym would map it. The ``[profile]``
    and ``[sheet]`` tables of a mapping profile (kind, header row, the headers it was made for)
    are read by :mod:`loaders.profiles`, which sets ``header_index`` for one sheet.
    """

    common: dict[str, str] = field(default_factory=dict)
    per_kind: dict[str, dict[str, str]] = field(default_factory=dict)
    header_index: int | None = None

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
        if section in ("profile", "sheet"):
            continue  # read and checked by loaders.profiles
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
            if column not in allowed and column != "":
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
    if user is not None and user.header_index is not None:
        return user.header_index  # chosen by the user (a mapping profile's header row)
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
class Candidate:
    """One header that could feed a canonical column, with what ranks it.

    Attributes:
        position: Column position in the sheet.
        tier: 0 for a user mapping, 1 for the canonical name itself, 2 for a synonym.
        rollup: Whether the header is a Σ roll-up of another column (Jira's ``Σ Time Spent``).
        rank: The synonym's rank (earlier synonyms are better).
        key: The normalised header.
    """

    position: int
    tier: int
    rollup: bool
    rank: int
    key: str


@dataclass(frozen=True)
class HeaderMap:
    """How the headers of one sheet map onto one kind.

    Attributes:
        columns: Column position -> canonical column (several positions only for
            :data:`MULTI_VALUED` columns).
        aux: Column position -> helper column (see :data:`AUX_SYNONYMS`).
        contested: Canonical column -> every header that could feed it, best first, when there
            is more than one (two ``Status`` columns, ``Time Spent`` and ``Σ Time Spent``).
            ``columns`` holds the best by name; :func:`pick_contested` settles it with the data.
    """

    columns: dict[int, str]
    aux: dict[int, str] = field(default_factory=dict)
    contested: dict[str, list[Candidate]] = field(default_factory=dict)


def resolve_headers(headers: list[Any], kind: str, user: UserMapping | None = None) -> HeaderMap:
    """Map each header onto ``kind``'s columns; the best-ranked header wins a column.

    ``Start Date`` beats ``Actual Start`` for ``start_date`` whichever comes first in the file,
    and MS Project's ``Name`` beats its ``Summary`` flag column for the task name. Two headers
    that feed one column never make the sheet fail: they are ranked (see :func:`pick_contested`)
    and the others are listed as not loaded, unless the column gathers several values (Jira's
    repeated ``Sprint``).
    """
    ranks = _RANKS[kind]
    mine = user.for_kind(kind) if user else {}
    found: dict[str, list[Candidate]] = {}
    for position, header in enumerate(headers):
        key = normalise(header)
        if not key:
            continue
        if key in mine:
            column, rank, tier = mine[key], -1, 0
            if not column:
                continue  # mapped to "": not loaded
        elif key in ranks:
            column, rank = ranks[key]
            tier = 1 if key == normalise(column) else 2
        else:
            continue
        if str(header).rstrip().endswith("?") and TABLES[kind].columns[column] != BOOL:
            continue  # Harvest's "Employee?" is a yes/no flag, not the employee
        rollup = bool(_ROLLUP.match(str(header)))
        found.setdefault(column, []).append(Candidate(position, tier, rollup, rank, key))
    columns: dict[int, str] = {}
    contested: dict[str, list[Candidate]] = {}
    for column, candidates in found.items():
        if column in MULTI_VALUED:
            columns.update(dict.fromkeys((c.position for c in candidates), column))
            continue
        candidates.sort(key=lambda c: (c.tier, c.rollup, c.rank, c.position))
        if len(candidates) > 1:
            contested[column] = candidates
        columns[candidates[0].position] = column
    aux_lookup = _AUX.get(kind, {})
    aux = {
        p: aux_lookup[normalise(h)]
        for p, h in enumerate(headers)
        if p not in columns and normalise(h) in aux_lookup and normalise(h) not in mine
    }
    return HeaderMap(dict(sorted(columns.items())), aux, contested)


@dataclass(frozen=True)
class Passed:
    """A header that could feed a column but was not loaded, and why.

    Attributes:
        position: The header's column position.
        column: The canonical column it would feed.
        winner: The position of the header loaded instead.
        why: ``rollup`` (a Σ roll-up of the winner), ``empty`` (no data, the winner has some),
            ``same`` (the same header again) or ``synonym`` (a weaker name for the column).
    """

    position: int
    column: str
    winner: int
    why: str


def pick_contested(
    contested: dict[str, list[Candidate]], has_data: Callable[[int], bool]
) -> tuple[dict[str, int], list[Passed]]:
    """Settle each contested column from the headers and whether their columns hold data.

    The order: the exact name over a synonym, the own value over a Σ roll-up, the header with
    data over an empty one, the better synonym, then the first.

    Returns:
        Canonical column -> the winning position, and the headers passed over with the reason.
    """
    winners: dict[str, int] = {}
    passed: list[Passed] = []
    for column, candidates in contested.items():
        data = {c.position: has_data(c.position) for c in candidates}
        ordered = sorted(
            candidates,
            key=lambda c: (c.tier, c.rollup, not data[c.position], c.rank, c.position),
        )
        best = ordered[0]
        winners[column] = best.position
        for other in ordered[1:]:
            if other.rollup and not best.rollup:
                why = "rollup"
            elif data[best.position] and not data[other.position]:
                why = "empty"
            elif other.key == best.key:
                why = "same"
            else:
                why = "synonym"
            passed.append(Passed(other.position, column, best.position, why))
    return winners, passed


def map_headers(headers: list[Any], kind: str, user: UserMapping | None = None) -> dict[int, str]:
    """Column position -> canonical column for ``kind`` (see :func:`resolve_headers`)."""
    return resolve_headers(headers, kind, user).columns


@dataclass(frozen=True)
class Hints:
    """What the sheet's surroundings say when its headers do not.

    Attributes:
        project: ``--project``: the project of a single-project export.
        raid_type: The RAID type a sheet or file name gives (``Risks`` -> ``risk``).
        division: ``--division`` / ``[loading].default_division`` for registers without one.
        raid_from_kind: The RAID type came from ``--kind risks`` (said so in the message).
    """

    project: str | None = None
    raid_type: str | None = None
    division: str | None = None
    raid_from_kind: bool = False


@dataclass(frozen=True)
class KindGuess:
    """The chosen kind for a sheet and how its columns map.

    Attributes:
        derived: Required columns the sheet has no header for, made by the loader (project ids
            from names, RAID ids from row numbers, a person from first and last name), each
            said in the sheet message.
    """

    kind: str
    columns: dict[int, str]
    month_columns: dict[int, date]
    aux: dict[int, str] = field(default_factory=dict)
    contested: dict[str, list[Candidate]] = field(default_factory=dict)
    derived: frozenset[str] = frozenset()


#: Headers a register names its projects by when it has no id (ids are made from them).
PROJECT_NAME_HEADERS = frozenset({"projectname", "project", "projecttitle", "initiative"})
#: A sheet with a person, a date and a duration is a timesheet, whatever else it has.
_TIMESHEET_BONUS = 6


def detect_kind(
    headers: list[Any],
    *,
    forced: str | None = None,
    project: str | None = None,
    user: UserMapping | None = None,
    hints: Hints | None = None,
) -> KindGuess | None:
    """Choose the canonical table a sheet belongs to from its headers.

    A kind qualifies when all its required columns are mapped or can be made (``project``
    stands in for a missing project column; work items without an id get one from the row
    number; see :func:`_present` for the others). The qualifying kind with most mapped columns
    wins; a column the loader has to make counts against it, so a sheet that *has* every
    required column beats one that needs help. A sheet with three or more month headers and a
    project/request and resource/role column is a wide resource plan (allocations). Person +
    date + duration is a timesheet (Toggl, Harvest, Clockify, Tempo, Jira worklogs).
    """
    hints = hints or Hints(project=project)
    if project and not hints.project:
        hints = replace(hints, project=project)
    months = {i: m for i, h in enumerate(headers) if (m := parse_month_header(h)) is not None}
    kinds = [forced] if forced else list(TABLES)
    best: KindGuess | None = None
    best_score = 0
    for kind in kinds:
        found = resolve_headers(headers, kind, user)
        present, derived = _present(kind, found, hints, months, headers)
        wide = months if kind == "allocations" and len(months) >= 3 else {}
        spec = TABLES[kind]
        if not forced and not _qualifies(spec.required, spec.one_of, present):
            continue
        score = 2 * len(set(found.columns.values())) - len(derived) + (20 if wide else 0)
        if kind == "timesheets" and not _task_person(headers, found):
            score += _TIMESHEET_BONUS
        if score > best_score or (forced and best is None):
            best = KindGuess(
                kind, found.columns, wide, found.aux, found.contested, frozenset(derived)
            )
            best_score = score
    return best


def _task_person(headers: list[Any], found: HeaderMap) -> bool:
    """Whether the timesheet's person column is a name task lists give their assignee.

    monday.com calls the assignee ``Person``: a board with a date and an hours column is still
    a task list, so such a sheet gets no timesheet bonus.
    """
    at = next((p for p, c in found.columns.items() if c == "resource_id"), None)
    return at is not None and _LOOKUP["work_items"].get(normalise(headers[at])) == "assignee"


def near_miss(
    headers: list[Any], user: UserMapping | None = None, hints: Hints | None = None
) -> tuple[str, list[str]] | None:
    """The kind a sheet almost is: most columns mapped, only required columns missing.

    Used to say "looks like work items but has no project column: use --project" instead of
    "could not tell what the sheet holds".
    """
    months = {i: m for i, h in enumerate(headers) if (m := parse_month_header(h)) is not None}
    hints = replace(hints, project=None) if hints else Hints()
    best: tuple[int, str, list[str]] | None = None
    for kind, spec in TABLES.items():
        found = resolve_headers(headers, kind, user)
        present, _ = _present(kind, found, hints, months, headers)
        mapped = len(set(found.columns.values()))
        missing = [c for c in spec.required if c not in present]
        missing += [" or ".join(g) for g in spec.one_of if not present.intersection(g)]
        if mapped >= 3 and missing and len(missing) <= 2 and (best is None or mapped > best[0]):
            best = (mapped, kind, missing)
    return (best[1], best[2]) if best else None


def _present(
    kind: str,
    found: HeaderMap,
    hints: Hints,
    months: dict[int, date],
    headers: list[Any],
) -> tuple[set[str], set[str]]:
    """The columns a sheet has for ``kind``, and those of them the loader would make."""
    present = set(found.columns.values())
    derived: set[str] = set()
    aux = set(found.aux.values())
    if hints.project and "project_id" in TABLES[kind].columns:
        present.add("project_id")
    if kind == "work_items" and "name" in present:
        present.add("item_id")
    if kind == "allocations" and len(months) >= 3:
        present.update({"month", "fte"})
    if kind == "projects":
        name_at = next((p for p, c in found.columns.items() if c == "name"), None)
        if "project_id" not in present and name_at is not None:
            if normalise(headers[name_at]) in PROJECT_NAME_HEADERS:
                derived.add("project_id")
        if "division" not in present and hints.division:
            derived.add("division")
    if kind == "raid":
        if "raid_type" not in present and hints.raid_type:
            derived.add("raid_type")
        typed = "raid_type" in present or "raid_type" in derived
        if "raid_id" not in present and typed and "title" in present:
            derived.add("raid_id")
    if kind == "timesheets":
        if "resource_id" not in present and {"first_name", "last_name"} <= aux:
            derived.add("resource_id")
        if "project_id" not in present and "issue_key" in aux:
            derived.add("project_id")
    present |= derived
    return present, derived


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
