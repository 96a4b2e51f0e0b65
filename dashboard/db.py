"""The app's only read-side SQL: read-only DuckDB connections on the published version.

Why it is built like this (docs/architecture.md §3 and §5.3):
- The app never writes. It opens the version named by ``data/CURRENT`` with ``read_only=True``;
  loaders publish a new file and switch the pointer, so a request started before a publish
  finishes on the old version and the next one opens the new version.
- Connections open lazily (never at import, never before a fork) and are shared per version per
  process; each request takes its own ``cursor()`` because a DuckDB connection must not be used
  from two threads. A superseded version's connection is closed once its last reader is done.
- Every value is a bound parameter. "As of D" means the version of each record that was current
  on D; before a table's first load, the first loaded state stands in for the past (a register
  loaded for the first time today still describes last month's projects). A record absent from
  the state on D (a project first seen in a later register) is not there as of D.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from dashboard.config import get_settings
from dashboard.scope import UNRESTRICTED, Scope, current_scope
from loaders.app_writes import DECISION_COLUMNS as DECISION_LOG_COLUMNS

POINTER = "CURRENT"
_VERSION_RE = re.compile(r"^pmo-(\d{6})\.duckdb$")
_PROJECT_TABLES = frozenset({"projects", "milestones", "raid", "work_items"})


class NoData(LookupError):
    """Nothing has been published yet: run ``python -m loaders demo`` or load files."""


@dataclass
class _Handle:
    version: int
    path: Path
    con: duckdb.DuckDBPyConnection
    users: int = 0
    retired: bool = False


_lock = threading.Lock()


def _after_fork_in_child() -> None:
    """A forked child opens its own connections: a parent's are never used across a fork."""
    global _lock
    _lock = threading.Lock()
    _handles.clear()


_handles: dict[Path, _Handle] = {}


def current_pointer(data_dir: Path) -> tuple[int, Path] | None:
    """(version number, file) named by ``CURRENT``, or None before the first load."""
    try:
        name = (data_dir / POINTER).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    match = _VERSION_RE.match(name)
    if not match:
        return None
    return int(match.group(1)), data_dir / name


def data_version() -> int | None:
    """The published version number the next request will read, or None."""
    pointer = current_pointer(get_settings().data_dir)
    return pointer[0] if pointer else None


class Snapshot:
    """One consistent view of one version: every query of a request goes through one snapshot.

    Every read is limited to the caller's divisions (``dashboard.scope``): register-like tables
    by their ``division``, the rest through the project (or request) they belong to. Load
    bookkeeping (file names, rejected raw rows, orphans) is for unrestricted users only.
    """

    def __init__(
        self, version: int, cursor: duckdb.DuckDBPyConnection, scope: Scope = UNRESTRICTED
    ) -> None:
        """Wrap a cursor on ``version`` for a caller with ``scope``."""
        self.version = version
        self.scope = scope
        self._cur = cursor
        self._divisions = None if scope.divisions is None else list(scope.divisions)

    def query(self, sql: str, params: list | None = None) -> pd.DataFrame:
        """Run a parameterised query and return a DataFrame (via Arrow: 6.8x faster than .df())."""
        table = self._cur.sql(sql, params=params or []).to_arrow_table()
        # Dates as datetime64 (not datetime.date objects): vectorised comparisons in analytics.
        return table.to_pandas(date_as_object=False)

    # ------------------------------------------------------------------ register-like tables
    def projects(self, as_of: date) -> pd.DataFrame:
        """Projects as known on ``as_of`` (canonical columns of ``projects``)."""
        return self._as_of("projects", as_of)

    def requests(self, as_of: date) -> pd.DataFrame:
        """Requests submitted by ``as_of``, as known on that date."""
        frame = self._as_of("requests", as_of)
        submitted = frame["submitted_date"]
        return frame[submitted.isna() | (submitted <= pd.Timestamp(as_of))]

    def resources(self, as_of: date) -> pd.DataFrame:
        """People and placeholder roles as known on ``as_of``."""
        return self._as_of("resources", as_of)

    def milestones(self, as_of: date) -> pd.DataFrame:
        """Milestones as known on ``as_of``."""
        return self._as_of("milestones", as_of)

    def raid(self, as_of: date) -> pd.DataFrame:
        """RAID items as known on ``as_of``, raised by then."""
        frame = self._as_of("raid", as_of)
        raised = frame["raised_date"]
        return frame[raised.isna() | (raised <= pd.Timestamp(as_of))]

    def allocations(self, as_of: date) -> pd.DataFrame:
        """Resource demand per project/request, person/role and month, as known on ``as_of``."""
        return self._as_of("allocations", as_of)

    def work_items(self, as_of: date) -> pd.DataFrame:
        """Tasks/issues from tool exports, as known on ``as_of``."""
        return self._as_of("work_items", as_of)

    def project_versions(self, table: str, project_id: str) -> pd.DataFrame:
        """Every stored version of one project's rows in ``table`` (a project page's history).

        ``first_state`` is true for rows of the table's first loaded state: they stand in for
        dates before that load, exactly as in ``_as_of`` (``analytics.history.rows_as_of``).
        Limited to the caller's divisions by the same rule as ``_as_of``.

        Args:
            table: One of ``projects``, ``milestones``, ``raid``, ``work_items``.
            project_id: The project.
        """
        if table not in _PROJECT_TABLES:
            raise ValueError(f"project_versions: unknown table {table!r}")
        # ``table`` is checked against a literal allowlist and the scope clause is the one
        # ``_as_of`` applies to that table; the project id and the divisions are bound.
        scope = _SCOPE_BY_TABLE[table]
        return self.query(
            f"SELECT t.*, t.valid_from = (SELECT min(valid_from) FROM {table}) "  # noqa: S608
            f"AS first_state FROM {table} t WHERE t.project_id = ? AND {scope} "
            "ORDER BY t.valid_from",
            [project_id, *[self._divisions] * scope.count("?")],
        )

    # ------------------------------------------------------------------ event tables
    def status_reports(self, as_of: date, project_id: str | None = None) -> pd.DataFrame:
        """Status reports dated on or before ``as_of`` (optionally one project's), oldest first."""
        return self.query(
            "SELECT * FROM status_reports t WHERE valid_to IS NULL AND report_date <= ? "  # noqa: S608
            f"AND (? IS NULL OR project_id = ?) AND {_PROJECT_SCOPE} "
            "ORDER BY project_id, report_date",
            [as_of, project_id, project_id, self._divisions, self._divisions],
        )

    def latest_status(self, as_of: date) -> pd.DataFrame:
        """The latest report per project on or before ``as_of``, reduced in SQL (large table)."""
        return self.query(
            "SELECT * FROM status_reports t WHERE valid_to IS NULL AND report_date <= ? "  # noqa: S608
            f"AND {_PROJECT_SCOPE} "
            "QUALIFY row_number() OVER (PARTITION BY project_id ORDER BY report_date DESC) = 1",
            [as_of, self._divisions, self._divisions],
        )

    def decisions(self, as_of: date) -> pd.DataFrame:
        """Decisions and actions recorded at reviews up to ``as_of``, oldest first.

        Events, like status reports: each submission is one row (loaders/app_writes.py). Empty
        for a store published before the table existed.
        """
        found = self._cur.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'decisions'"
        ).fetchall()[0][0]
        if not found:
            return pd.DataFrame(columns=list(DECISION_LOG_COLUMNS))
        return self.query(
            "SELECT * FROM decisions t WHERE valid_to IS NULL "  # noqa: S608
            f"AND CAST(decided_at AS DATE) <= ? AND {_DIVISION_SCOPE} "
            "ORDER BY decided_at, decision_id",
            [as_of, self._divisions, self._divisions],
        )

    # ------------------------------------------------------------------ load bookkeeping
    def load_runs(self) -> pd.DataFrame:
        """Every load attempt, newest first (unrestricted users only)."""
        return self.query(
            "SELECT * FROM load_runs WHERE ? ORDER BY load_id DESC", [self.scope.sees_everything]
        )

    def load_sheets(self) -> pd.DataFrame:
        """Per-sheet outcome of every load (unrestricted users only)."""
        return self.query(
            "SELECT * FROM load_sheets WHERE ? ORDER BY load_id DESC, sheet_no",
            [self.scope.sees_everything],
        )

    def rejected_rows(self, load_id: int | None = None) -> pd.DataFrame:
        """Rejected source rows with their reasons, optionally of one load (unrestricted only).

        Raw rows of any division are in here, so division-scoped users get none.
        """
        return self.query(
            "SELECT * FROM rejected_rows WHERE (? IS NULL OR load_id = ?) AND ? "
            "ORDER BY load_id DESC, source_file, source_sheet, source_row",
            [load_id, load_id, self.scope.sees_everything],
        )

    def orphans(self) -> pd.DataFrame:
        """Rows that refer to a project missing from the register (unrestricted users only)."""
        return self.query(
            "SELECT * FROM orphan_rows WHERE ? ORDER BY source_table, project_id",
            [self.scope.sees_everything],
        )

    def info(self) -> dict:
        """Version, number of loads, last load time and the latest as-of date loaded."""
        row = self._cur.execute(
            "SELECT count(*), max(finished_at), max(as_of) FROM load_runs "
            "WHERE status = 'committed'"
        ).fetchall()[0]
        return {"version": self.version, "loads": row[0], "last_load": row[1], "as_of": row[2]}

    def _as_of(self, table: str, as_of: date) -> pd.DataFrame:
        # ``table`` and the scope clause are literals of this module, never user input; the
        # date and the divisions are bound. Before a table's first load, its first loaded state
        # stands in for the past (D' = max(D, first as-of)).
        scope = _SCOPE_BY_TABLE[table]
        return self.query(
            f"WITH d AS (SELECT greatest(?::DATE, min(valid_from)) AS d FROM {table}) "  # noqa: S608
            f"SELECT t.* FROM {table} t, d WHERE t.valid_from <= d.d "
            f"AND (t.valid_to IS NULL OR t.valid_to > d.d) AND {scope}",
            [as_of, *[self._divisions] * scope.count("?")],
        )


"""The business columns of the ``decisions`` table (loaders/schema.sql)."""

# Scope clauses ("? IS NULL" = unrestricted). Project-linked rows follow their project's
# division in the current register.
_DIVISION_SCOPE = "(? IS NULL OR list_contains(?, t.division))"
_PROJECT_SCOPE = (
    "(? IS NULL OR t.project_id IN (SELECT project_id FROM projects "
    "WHERE valid_to IS NULL AND list_contains(?, division)))"
)
_SCOPE_BY_TABLE = {
    "projects": _DIVISION_SCOPE,
    "requests": _DIVISION_SCOPE,
    "resources": _DIVISION_SCOPE,
    "milestones": _PROJECT_SCOPE,
    "raid": _PROJECT_SCOPE,
    "work_items": _PROJECT_SCOPE,
    "allocations": (
        "(? IS NULL OR t.project_id IN (SELECT project_id FROM projects "
        "WHERE valid_to IS NULL AND list_contains(?, division)) "
        "OR t.request_id IN (SELECT request_id FROM requests "
        "WHERE valid_to IS NULL AND list_contains(?, division)))"
    ),
}


@contextlib.contextmanager
def snapshot() -> Iterator[Snapshot]:
    """A read-only view of the current version for the duration of one request.

    Raises:
        NoData: No version has been published yet.
    """
    handle = _acquire()
    cursor = handle.con.cursor()
    try:
        yield Snapshot(handle.version, cursor, current_scope())
    finally:
        cursor.close()
        _release(handle)


def close_all() -> None:
    """Close every connection (tests, and before a worker forks)."""
    with _lock:
        for handle in _handles.values():
            handle.con.close()
        _handles.clear()


def _acquire() -> _Handle:
    settings = get_settings()
    pointer = current_pointer(settings.data_dir)
    if pointer is None:
        raise NoData(f"no published data in {settings.data_dir}: run `python -m loaders demo`")
    version, path = pointer
    with _lock:
        handle = _handles.get(path)
        if handle is None:
            con = duckdb.connect(
                str(path),
                read_only=True,
                config={"threads": settings.db_threads, "memory_limit": settings.db_memory},
            )
            handle = _Handle(version, path, con)
            _handles[path] = handle
            for other in list(_handles.values()):
                if other is not handle and other.version < version:
                    other.retired = True
                    _close_if_idle(other)
        handle.users += 1
        return handle


def _release(handle: _Handle) -> None:
    with _lock:
        handle.users -= 1
        _close_if_idle(handle)


def _close_if_idle(handle: _Handle) -> None:
    if handle.retired and handle.users == 0:
        handle.con.close()
        _handles.pop(handle.path, None)


def form_request_ids(snap: Snapshot, source: str) -> set[str]:
    """Ids of the requests ever written with ``source`` (a requester's form submissions).

    Every version counts, so a request the PMO has since reloaded from the register is still
    its requester's (docs/forms.md, "Request intake").
    """
    found = snap.query(
        f"SELECT DISTINCT request_id FROM requests t WHERE source_file = ? AND {_DIVISION_SCOPE}",  # noqa: S608
        [source, snap._divisions, snap._divisions],
    )
    return set(found["request_id"].astype("str"))


os.register_at_fork(after_in_child=_after_fork_in_child)
