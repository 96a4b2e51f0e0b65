"""Rows that name their project instead of giving its id get the register's id.

Harvest's ``Project``, a status log or a RAID log often say the project's name. A value that is
not a register id but is a register project's name (compared normalised: case, spaces and
punctuation ignored) becomes that project's id; one that is neither stays as it is (an orphan)
and the message suggests the closest register names (docs/loaders.md, "Project names").
"""

from __future__ import annotations

import difflib

import duckdb

from loaders.hashing import CELL_HASH_PREFIX
from loaders.headers import normalise
from loaders.ingest_report import FileReport
from loaders.kinds import TABLES
from loaders.sheet_result import SheetResult


def register_projects(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """(project_id, name) of every current register project."""
    return con.execute("SELECT project_id, name FROM projects WHERE valid_to IS NULL").fetchall()


def resolve_project_names(register: list[tuple], reports: list[FileReport]) -> None:
    """Replace project names by register ids in every sheet that refers to projects.

    ``register`` is the stored register; the register sheets of ``reports`` are added to it.
    """
    referring = [
        (report, sheet)
        for report in reports
        if report.status == "ok"
        for sheet in report.sheets
        if sheet.kind
        and TABLES[sheet.kind].refers_to_project
        and sheet.staged is not None
        and len(sheet.staged)
    ]
    if not referring:
        return
    register = list(register)
    for report in reports:
        for sheet in report.sheets if report.status == "ok" else ():
            if sheet.kind == "projects" and sheet.staged is not None:
                register += list(zip(sheet.staged["project_id"], sheet.staged["name"], strict=True))
    ids = {str(i) for i, _ in register if isinstance(i, str)}
    by_name: dict[str, str] = {}
    for project_id, name in register:
        if isinstance(name, str) and isinstance(project_id, str):
            by_name.setdefault(normalise(name), project_id)
            by_name.setdefault(normalise(project_id), project_id)
    names = sorted({n for _, n in register if isinstance(n, str)})
    if not by_name:  # no register yet: nothing to match, orphans are counted as before
        return
    for report, sheet in referring:
        notes = _match_names(sheet, ids, by_name, names)
        if notes:
            where = f"sheet '{sheet.sheet}': " if sheet.sheet else ""
            sheet.message = "; ".join(filter(None, [sheet.message, *notes]))
            report.message = "; ".join(filter(None, [report.message, where + "; ".join(notes)]))


def _match_names(
    sheet: SheetResult, ids: set[str], by_name: dict[str, str], names: list[str]
) -> list[str]:
    """Replace the sheet's project names by ids; return the notes that say what was done."""
    values = [v for v in sheet.staged["project_id"].dropna().unique() if v not in ids]
    found = {v: by_name[normalise(v)] for v in values if normalise(v) in by_name}
    notes = []
    if found:
        staged = sheet.staged.drop(columns=[CELL_HASH_PREFIX + "project_id"], errors="ignore")
        staged["project_id"] = staged["project_id"].replace(found).astype("string")
        sheet.staged = staged
        shown = ", ".join(f"'{k}' -> '{v}'" for k, v in list(found.items())[:5])
        notes.append(f"project names matched to register ids: {shown}")
    missing = [v for v in values if v not in found]
    if missing and names:
        hints = []
        for value in missing[:5]:
            close = difflib.get_close_matches(str(value), names, n=3, cutoff=0.6)
            if close:
                hints.append(f"'{value}' (closest: {', '.join(repr(c) for c in close)})")
        if hints:
            notes.append("not in the register: " + "; ".join(hints))
    return notes
