"""Required columns a sheet has no header for, made from what it does have, and said so.

Real exports often lack a column the canonical table needs: a small PMO's register keys
projects by name and has no division, a RAID log keeps one sheet per type and numbers its rows
with ``#`` or not at all, Harvest names a person in ``First Name`` + ``Last Name``, a Jira
worklog gives the issue rather than the project. Each gap is filled here from the sheet's
other columns, its name or the command line, and every fill adds a line to the sheet message
(``docs/loaders.md``, "Columns the loader makes").
"""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

import pandas as pd

from loaders.hashing import CELL_HASH_PREFIX
from loaders.headers import normalise
from loaders.mapping import KindGuess

_RAID_WORDS = {
    "risk": "risk",
    "issue": "issue",
    "assumption": "assumption",
    "dependenc": "dependency",
    "decision": "decision",
    "impediment": "issue",
    "blocker": "issue",
}
_RAID_NAME = re.compile(r"(risk|issue|assumption|dependenc|decision|impediment|blocker)", re.I)
_SLUG = re.compile(r"[^0-9A-Z]+")
#: Words a RAID log gives its scores in; impact is held on 1-5, probability as a fraction.
IMPACT_WORDS = {
    "verylow": 1.0,
    "low": 2.0,
    "l": 2.0,
    "minor": 2.0,
    "medium": 3.0,
    "med": 3.0,
    "m": 3.0,
    "moderate": 3.0,
    "high": 4.0,
    "h": 4.0,
    "major": 4.0,
    "veryhigh": 5.0,
    "critical": 5.0,
    "severe": 5.0,
}
PROBABILITY_WORDS = {
    "rare": 0.1,
    "verylow": 0.1,
    "unlikely": 0.3,
    "low": 0.3,
    "l": 0.3,
    "possible": 0.5,
    "medium": 0.5,
    "med": 0.5,
    "m": 0.5,
    "likely": 0.7,
    "high": 0.7,
    "h": 0.7,
    "almostcertain": 0.9,
    "veryhigh": 0.9,
    "certain": 0.9,
}


def raid_type_from_name(name: str | None) -> str | None:
    """The RAID type a sheet or file name gives (``Risks``, ``Issue Log``), if exactly one."""
    if not name:
        return None
    found = {_RAID_WORDS[m.lower()] for m in _RAID_NAME.findall(name)}
    return found.pop() if len(found) == 1 else None


def project_id_from_name(name: str) -> str:
    """A stable, readable project id from a name: ``Web Re-design`` -> ``WEB-RE-DESIGN``.

    Accents are dropped (``Café`` -> ``CAFE``); a name with no Latin letters or digits gets
    ``P-`` and a short hash of the name, so the id is the same on every load.
    """
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = _SLUG.sub("-", plain.upper()).strip("-")[:60].strip("-")
    if slug:
        return slug
    return "P-" + hashlib.sha256(name.strip().encode()).hexdigest()[:8].upper()


def nearest_allowed(values: pd.Series, allowed: Mapping[str, str]) -> dict[Any, str]:
    """Values that are not allowed words but are close to one (a typo) -> that word's value.

    Only words of three letters or more are candidates: ``R`` and ``H`` are abbreviations,
    not typos, and are already in ``allowed``.
    """
    words = [w for w in allowed if len(w) >= 3]
    out: dict[Any, str] = {}
    for value in values.dropna().unique():
        key = normalise(value)
        match = difflib.get_close_matches(key, words, n=1, cutoff=0.75) if key else []
        if match:
            out[value] = allowed[match[0]]
    return out


def word_scale(raw: pd.Series, words: Mapping[str, float]) -> tuple[pd.Series, dict[str, float]]:
    """Cells that are scale words (``High``, ``Med``) replaced by their number, as text.

    Returns:
        The column with words replaced, and the words found -> their number (for the message).
    """
    distinct = raw.dropna().unique()
    table = {v: words[normalise(v)] for v in distinct if normalise(v) in words}
    if not table:
        return raw, {}
    replaced = raw.map(lambda v: f"{table[v]:g}" if v in table else v).astype(raw.dtype)
    return replaced, {str(k): v for k, v in table.items()}


def fill_derived(
    typed: pd.DataFrame,
    body: pd.DataFrame,
    guess: KindGuess,
    hints: Any,
    notes: list[str],
    sheet_name: str | None,
    headers: list[str],
) -> pd.DataFrame:
    """Make the columns of ``guess.derived`` (and fill blank divisions) and note each one.

    Args:
        typed: The coerced rows (canonical columns, ``_src`` = body index, ``source_row``).
        body: The raw cells, for helper columns (first/last name, issue key).
        guess: The sheet's kind, columns and which required columns must be made.
        hints: :class:`loaders.mapping.Hints` (project, RAID type, division).
        notes: The sheet message, added to.
        sheet_name: For "from the sheet name" in the message.
        headers: The sheet's header names by position.
    """
    kind = guess.kind
    if kind == "work_items" and "item_id" not in guess.columns.values():
        notes.append("item ids made from row numbers (no id column): row-<n>")
    if kind == "projects":
        typed = _derive_projects(typed, guess, hints, notes)
    if kind == "raid":
        typed = _derive_raid(typed, guess, headers, hints, _source(hints, sheet_name), notes)
    if kind == "timesheets":
        typed = _derive_timesheets(typed, body, guess, notes)
    return typed


def _derive_projects(
    typed: pd.DataFrame, guess: KindGuess, hints: Any, notes: list[str]
) -> pd.DataFrame:
    """Project ids from the names (a register without ids) and the default division."""
    if "project_id" in guess.derived:
        typed = _writable(typed, "project_id")
        names = typed["name"].dropna().unique()
        ids = {n: project_id_from_name(str(n)) for n in names}
        typed["project_id"] = typed["name"].map(ids).astype("string")
        if ids:
            first = next(iter(ids.items()))
            notes.append(
                "project ids made from the project names (no id column), "
                f"e.g. '{first[0]}' -> '{first[1]}'"
            )
    if hints.division:
        blank = typed["division"].isna()
        if blank.any():
            typed = _writable(typed, "division")
            typed.loc[blank, "division"] = hints.division
            notes.append(
                f"division '{hints.division}' (--division / [loading].default_division) "
                f"given to {int(blank.sum())} row(s) without one"
            )
    return typed


def _derive_raid(
    typed: pd.DataFrame,
    guess: KindGuess,
    headers: list[str],
    hints: Any,
    type_source: str,
    notes: list[str],
) -> pd.DataFrame:
    """The RAID type from the sheet or file name, and ids from the project, type and number.

    ``type_source`` says where the type came from (``--kind``, the sheet or the file name).
    """
    derived = guess.derived
    if "raid_type" in derived or hints.raid_type:
        blank = typed["raid_type"].isna()
        if hints.raid_type and blank.any():
            typed = _writable(typed, "raid_type")
            typed.loc[blank, "raid_type"] = hints.raid_type
            notes.append(f"RAID type '{hints.raid_type}' taken from {type_source}")
    running = _running_number(typed, guess, headers)
    if "raid_id" in derived or running:
        # A row number or a per-sheet "#" is unique only within one sheet: the project and
        # the type make it unique across the RAID sheets and logs of the portfolio.
        typed = _writable(typed, "raid_id")
        letter = typed["raid_type"].fillna("x").str.slice(0, 1).str.upper()
        number = typed["raid_id"] if running else typed["source_row"].astype("string")
        made = typed["project_id"].fillna("") + "-" + letter + number.fillna("")
        typed["raid_id"] = made.astype("string")
        source = "its '#'" if running else "the row number (no id column)"
        notes.append(
            f"RAID ids made from the project, the type and {source}, e.g. "
            + (f"'{typed['raid_id'].iloc[0]}'" if len(typed) else "'P-1-R5'")
        )
    return typed


def _derive_timesheets(
    typed: pd.DataFrame, body: pd.DataFrame, guess: KindGuess, notes: list[str]
) -> pd.DataFrame:
    """The person from first + last name (Harvest), the project from a Jira issue key."""
    derived = guess.derived
    aux = {c: p for p, c in guess.aux.items()}
    if "resource_id" in derived and {"first_name", "last_name"} <= aux.keys():
        first = _text(body[aux["first_name"]]).reindex(typed["_src"]).to_numpy()
        last = _text(body[aux["last_name"]]).reindex(typed["_src"]).to_numpy()
        person = pd.Series(first, dtype="string") + " " + pd.Series(last, dtype="string")
        person = person.str.strip().replace("", pd.NA)
        typed = _writable(typed, "resource_id")
        typed["resource_id"] = typed["resource_id"].fillna(
            pd.Series(person.to_numpy(), index=typed.index, dtype="string")
        )
        notes.append("person taken from First Name + Last Name")
    if "project_id" in derived and "issue_key" in aux:
        keys = _text(body[aux["issue_key"]]).reindex(typed["_src"])
        prefix = keys.str.extract(r"^\s*([A-Za-z][A-Za-z0-9_]*)-\d+\s*$", expand=False)
        typed = _writable(typed, "project_id")
        typed["project_id"] = typed["project_id"].fillna(
            pd.Series(prefix.to_numpy(), index=typed.index, dtype="string")
        )
        notes.append("project taken from the issue key (PAY-12 -> PAY)")
    return typed


def fold_timesheets(typed: pd.DataFrame, rejected: pd.Index) -> tuple[pd.DataFrame, list[int]]:
    """Add together time entries of one person on one project on one day.

    Toggl, Clockify and Jira log each work session; the table holds hours per person, project
    and day. The first entry's row carries the sum; the others are counted as loaded into it.

    Args:
        typed: The coerced rows.
        rejected: Index labels of rows already rejected (they fold into nothing).

    Returns:
        The rows, and the source rows of the entries folded into another.
    """
    key = ["resource_id", "project_id", "work_date"]
    good = typed[~typed.index.isin(rejected)] if len(rejected) else typed
    complete = good[key].notna().all(axis=1)
    dup = good[complete].duplicated(subset=key, keep=False)
    if not dup.any():
        return typed, []
    rows = good[complete][dup]
    sums = rows.groupby(key, sort=False)["hours"].transform("sum")
    first = ~rows.duplicated(subset=key, keep="first")
    folded = rows.index[~first]
    typed = _writable(typed, "hours")
    typed.loc[rows.index[first], "hours"] = sums[first].to_numpy()
    return typed.drop(index=folded), [int(n) for n in rows.loc[folded, "source_row"]]


def _source(hints: Any, sheet_name: str | None) -> str:
    """Where the RAID type came from: --kind, the sheet name or the file name."""
    if getattr(hints, "raid_from_kind", False):
        return "--kind"
    if raid_type_from_name(sheet_name) == hints.raid_type:
        return f"the sheet '{sheet_name}'"
    return "the file name"


def _running_number(typed: pd.DataFrame, guess: KindGuess, headers: list[str]) -> bool:
    """Whether the RAID id column is a per-sheet running number (``#`` or ``No.`` of 1, 2, 3)."""
    at = next((p for p, c in guess.columns.items() if c == "raid_id"), None)
    if at is None or normalise(headers[at]) not in ("number", "no"):
        return False
    ids = typed["raid_id"].dropna()
    return bool(len(ids)) and bool(ids.str.fullmatch(r"\d{1,6}").all())


def _text(series: pd.Series) -> pd.Series:
    return series.astype("string").str.strip()


def _writable(typed: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """A copy whose ``columns`` may change; their cell hashes (of the coerced values) go."""
    hidden = [CELL_HASH_PREFIX + c for c in columns if CELL_HASH_PREFIX + c in typed]
    return typed.drop(columns=hidden) if hidden else typed.copy(deep=False)
