"""Header normalising, synonym ranking and header-row detection, kind by kind.

Headers are compared after normalising: case, spaces, punctuation and bracketed units are
ignored, and ``%`` reads as "percent" (``"% Complete"``, ``"percent complete"`` and
``"Percent_Complete"`` are the same header). The synonyms themselves are in
:mod:`loaders.synonyms`; a user mapping file (:mod:`loaders.user_mapping`) adds headers without
code changes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from loaders.kinds import BOOL, TABLES
from loaders.synonyms import AUX_SYNONYMS, SYNONYMS

if TYPE_CHECKING:
    from loaders.user_mapping import UserMapping

HEADER_SCAN_ROWS = 30
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
# Jira names custom fields "Custom field (Story Points)": the name in brackets is the header.
_CUSTOM_FIELD = re.compile(r"^\s*custom\s*field\s*\((?P<name>.+)\)\s*$", re.IGNORECASE)
#: Canonical columns that gather every column mapped to them (Jira repeats ``Sprint``).
MULTI_VALUED = frozenset({"sprints"})
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
