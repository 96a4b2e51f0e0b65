"""Kind detection: which canonical table a sheet holds, from its headers and surroundings.

Each kind's headers are resolved (:mod:`loaders.headers`, synonyms in :mod:`loaders.synonyms`);
the kind whose required columns are present, or can be made, and that maps most columns wins.
The names other packages import from here (the user mapping file and header constants) are
re-exported so their import path stays ``loaders.mapping``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from loaders.headers import (
    HEADER_SCAN_ROWS,
    MULTI_VALUED,
    Candidate,
    HeaderMap,
    lookup_for,
    normalise,
    parse_month_header,
    resolve_headers,
)
from loaders.kinds import TABLES
from loaders.user_mapping import MappingError, UserMapping, load_user_mapping

__all__ = [
    "HEADER_SCAN_ROWS",
    "MULTI_VALUED",
    "PROJECT_NAME_HEADERS",
    "Hints",
    "KindGuess",
    "MappingError",
    "UserMapping",
    "detect_kind",
    "load_user_mapping",
    "near_miss",
]


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
    return at is not None and lookup_for("work_items").get(normalise(headers[at])) == "assignee"


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


def _qualifies(
    required: tuple[str, ...], one_of: tuple[tuple[str, ...], ...], present: set
) -> bool:
    return all(c in present for c in required) and all(
        any(c in present for c in group) for group in one_of
    )
