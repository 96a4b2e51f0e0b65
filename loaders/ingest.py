"""Load files into a new database version: read, validate, then apply everything in one transaction.

Files are parsed before the loader lock is taken (parsing is the slow part, and needs no lock);
the lock is held only while the parsed rows are merged and the version is published. A file
whose bytes were already loaded is skipped and says so; a file that cannot be read is logged in
``load_runs`` with its reason and changes nothing else.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from loaders import profiles, publish, templates
from loaders.hashing import CELL_HASH_PREFIX, row_hashes
from loaders.headers import normalise
from loaders.history import MergeResult, merge_rows, older_than_current
from loaders.kinds import PROVENANCE, TABLES
from loaders.read import RawFile, UnreadableFile, read_file
from loaders.validate import (
    Options,
    Reject,
    SheetResult,
    canonical_dtype,
    rejects_json,
)

SUPPORTED_SUFFIXES = {".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls"}
#: Larger files are refused before they are read: a file is parsed in memory, about ten times
#: its size at the peak (a 120 MB, million-row CSV peaks near 1.2 GB).
MAX_FILE_BYTES = 1024**3
_AS_OF_TEXT = re.compile(
    r"(?:as\s+(?:of|at)|exported|extracted|report(?:ing)?\s+date|dated?)\D{0,12}"
    r"(?P<date>\d{4}-\d{2}-\d{2})",
    re.IGNORECASE,
)


@dataclass
class FileReport:
    """What happened to one file."""

    file: str
    status: str  # ok | failed | skipped
    message: str
    sheets: list[SheetResult] = field(default_factory=list)
    sha256: str | None = None
    size: int = 0
    load_id: int | None = None
    as_of: date | None = None
    raw: RawFile | None = None

    def totals(self) -> tuple[int, int, int, int]:
        """Rows read, loaded, rejected, ignored over all sheets."""
        return (
            sum(s.rows_read for s in self.sheets),
            sum(s.rows_loaded for s in self.sheets),
            sum(s.rows_rejected for s in self.sheets),
            sum(s.rows_ignored for s in self.sheets),
        )


@dataclass
class IngestReport:
    """The outcome of one ``ingest`` call."""

    files: list[FileReport]
    data_version: int | None
    published: bool
    dry_run: bool

    @property
    def ok(self) -> bool:
        """True when every file could be read (rejected rows are not an error)."""
        return all(f.status != "failed" for f in self.files)

    def to_json(self) -> dict:
        """The CLI's ``--json`` document (issue 3 specifies its exact shape)."""
        return {
            "files": [
                {
                    "file": f.file,
                    "status": "failed" if f.status == "failed" else "ok",
                    "message": f.message,
                    "sheets": [
                        {
                            "sheet": s.sheet,
                            "kind": s.kind,
                            "header_row": s.header_row,
                            "rows_read": s.rows_read,
                            "rows_loaded": s.rows_loaded,
                            "rows_rejected": s.rows_rejected,
                            "rows_ignored": s.rows_ignored,
                            "columns": s.columns,
                            "mapping": s.mapping,
                            "rejects": [
                                {"row": r.row, "column": r.column, "reason": r.reason}
                                for r in s.rejects
                            ],
                        }
                        for s in f.sheets
                    ],
                }
                for f in self.files
            ]
        }


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files named directly, plus the supported files inside named folders (sorted, recursive)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file()
                and p.suffix.lower() in SUPPORTED_SUFFIXES
                and not p.name.startswith(("~$", "."))
            )
        else:
            found.append(path)
    return found


def parse_file(
    path: Path,
    options: Options,
    *,
    as_of: date | None = None,
    profile_set: profiles.ProfileSet | None = None,
) -> FileReport:
    """Read and validate one file without touching the database.

    The file fails whole (nothing of it loads) when it cannot be read, when no sheet holds a
    table, or when it has no data rows. A table sheet that lacks a required column fails alone:
    its rows are rejected with the reason and its sibling sheets load (``docs/loaders.md``,
    "One sheet never fails another"); a file whose only table sheet fails, fails.
    """
    report = FileReport(file=path.name, status="ok", message="")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            report.status, report.size = "failed", size
            report.message = (
                f"the file is {size / 2**20:,.0f} MB, more than the loader reads at once "
                f"({MAX_FILE_BYTES // 2**20:,} MB): split the export (by date or project) and "
                "load the parts"
            )
            return report
        data = path.read_bytes()
    except OSError as exc:
        report.status, report.message = "failed", f"cannot read the file: {exc.strerror}"
        return report
    report.size = len(data)
    # hashlib releases the GIL on large buffers: hash on a second core while the file is read
    # and validated (validation is mostly single-threaded, so the hash costs no wall time).
    with ThreadPoolExecutor(max_workers=1) as pool:
        digest = pool.submit(_sha256, data)
        try:
            raw = read_file(path, data)
        except UnreadableFile as exc:
            report.status, report.message = "failed", str(exc)
            report.sha256 = digest.result()
            return report
        del data  # (the hashing thread holds its own reference)
        sheet_options = replace(options, date1904=raw.date1904, file_stem=path.stem)
        marker = templates.find_marker(raw)
        report.sheets = [
            profiles.process_sheet(
                sheet, templates.sheet_options(sheet_options, marker, sheet.name), profile_set
            )
            for sheet in raw.sheets
        ]
        template_note = templates.mark_results(report.sheets, marker)
        report.sha256 = digest.result()
    _reject_cross_sheet_duplicates(report.sheets)
    report.as_of = as_of or detect_as_of(raw, report.sheets)
    # The cell grids are done with: their memory is reused by the merge instead of new pages.
    report.raw = replace(raw, sheets=[])
    tables = [s for s in report.sheets if s.kind]
    fatal = [s for s in tables if s.fatal]
    unknown = [s for s in report.sheets if not s.kind and s.fatal]
    working = [s for s in tables if not s.fatal]
    notes = list(raw.notes)
    if template_note:  # the upload preview and the load history show file messages
        notes.insert(0, template_note)
    if not tables:
        report.status = "failed"
        report.message = "no data sheet found: " + "; ".join(
            f"{s.sheet or path.name}: {s.message}" for s in report.sheets
        )
    elif not working:
        report.status = "failed"
        where = f"sheet '{fatal[0].sheet}': " if fatal[0].sheet else ""
        report.message = f"{where}{fatal[0].fatal}: nothing of the file was loaded"
    elif not any(s.rows_loaded + s.rows_rejected for s in working):
        report.status = "failed"
        report.message = "the file has no data rows (only a header)"
    else:
        notes += [
            f"sheet '{s.sheet}' not loaded ({s.fatal}); its rows are listed as rejected"
            for s in fatal
        ]
        notes += [f"sheet '{s.sheet}' not loaded: {s.fatal}" for s in unknown]
    if report.status == "ok" and notes:
        report.message = "; ".join(dict.fromkeys(notes))
    return report


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _reject_cross_sheet_duplicates(sheets: list[SheetResult]) -> None:
    """A key on two sheets of one file is as ambiguous as a key twice on one sheet.

    Every copy is rejected (docs/loaders.md, "Policies": duplicate key).
    """
    by_kind: dict[str, list[SheetResult]] = {}
    for sheet in sheets:
        if sheet.kind and sheet.staged is not None and len(sheet.staged):
            by_kind.setdefault(sheet.kind, []).append(sheet)
    for kind, group in by_kind.items():
        if len(group) < 2:
            continue
        key = list(TABLES[kind].key)
        parts = [
            s.staged[[*key, "source_row"]].drop_duplicates().assign(_sheet=n)
            for n, s in enumerate(group)
        ]
        rows = pd.concat(parts, ignore_index=True)
        sheets_per_key = rows.groupby(key, dropna=False)["_sheet"].transform("nunique")
        clash = rows[sheets_per_key > 1]
        if clash.empty:
            continue
        places = (
            clash.groupby(key, dropna=False)
            .apply(
                lambda g, names=[s.sheet for s in group]: ", ".join(
                    f"sheet '{names[int(n)]}' row {int(r)}"
                    for n, r in zip(g["_sheet"], g["source_row"], strict=True)
                ),
                include_groups=False,
            )
            .rename("places")
            .reset_index()
        )
        clash = clash.merge(places, on=key, how="left")
        for n, sheet in enumerate(group):
            mine = clash[clash["_sheet"] == n]
            if mine.empty:
                continue
            bad_rows = set(mine["source_row"].astype(int))
            for row, label, where in zip(
                mine["source_row"].astype(int),
                mine[key].astype("string").fillna("").agg(" / ".join, axis=1),
                mine["places"],
                strict=True,
            ):
                sheet.rejects.append(
                    Reject(
                        row,
                        key[0],
                        label,
                        "duplicate key",
                        f"duplicate key in file ({label}) on {where}",
                        {},
                    )
                )
            sheet.staged = sheet.staged[~sheet.staged["source_row"].isin(bad_rows)]
            sheet.rejects.sort(key=lambda r: r.row)
            sheet.rows_rejected = len({r.row for r in sheet.rejects})
            sheet.rows_loaded = int(sheet.staged["source_row"].nunique())
            sheet.rows_loaded += len(sheet.folded_rows)


def detect_as_of(raw: RawFile, sheets: list[SheetResult]) -> date | None:
    """The date a title block states ("Exported 2026-10-31"), if any, above a header row."""
    for raw_sheet, result in zip(raw.sheets, sheets, strict=True):
        if not result.header_row or result.header_row <= 1:
            continue
        title = raw_sheet.grid.head(result.header_row - 1)
        for value in title.to_numpy().ravel():
            if isinstance(value, str) and (match := _AS_OF_TEXT.search(value)):
                try:
                    return date.fromisoformat(match.group("date"))
                except ValueError:
                    continue
    return None


def ingest(
    paths: list[Path],
    data_dir: Path,
    options: Options | None = None,
    *,
    as_of: date | None = None,
    dry_run: bool = False,
    today: date | None = None,
    grace_seconds: float = publish.DEFAULT_GRACE_SECONDS,
    on_file: Callable[[Path, int, list[Path]], None] | None = None,
    profile_set: profiles.ProfileSet | None = None,
) -> IngestReport:
    """Load ``paths`` (files or folders) into a new version of the store in ``data_dir``.

    Args:
        paths: Files or folders to load.
        data_dir: The store (versions + ``CURRENT``).
        options: Date order, forced kind/project, user mapping.
        as_of: The business date the files describe; default: a title-block date, else today.
        dry_run: Parse and validate only; "loaded" then means "would load".
        today: The load date (tests pass one; default ``date.today()``).
        grace_seconds: How long superseded versions are kept.
        on_file: Called before each file is parsed with (file, its index, all files), for
            the progress bar.
        profile_set: Mappings to apply by sheet; default: the profiles saved in ``data_dir``.

    Returns:
        One report per file, and the published version number.
    """
    options = options or Options()
    today = today or date.today()
    _use_jemalloc()
    reports = []
    files = expand_paths(paths)
    if profile_set is None:
        profile_set = profiles.ProfileSet.load(data_dir)
    for index, path in enumerate(files):
        if on_file:
            on_file(path, index, files)
        report = parse_file(path, options, as_of=as_of, profile_set=profile_set)
        report.as_of = report.as_of or today
        reports.append(report)
    if dry_run:
        _mark_replays(reports, data_dir)
        return IngestReport(reports, _version_number(data_dir), published=False, dry_run=True)
    marker = {"files": [r.file for r in reports]}
    with publish.transaction(data_dir, grace_seconds=grace_seconds, marker=marker) as txn:
        txn.changed = _apply_batch(txn.con, reports, txn.number) or txn.changed
        number = txn.number if txn.changed else None
    version = number if number is not None else _version_number(data_dir)
    return IngestReport(reports, version, published=number is not None, dry_run=False)


def _use_jemalloc() -> None:
    """Give Arrow its jemalloc pool (when the wheel has one) instead of the default mimalloc.

    Why: measured on this project's 2-core VM, a million-row CSV load takes ~2.0 s with jemalloc
    and ~2.65 s with mimalloc, which hands freed pages back and faults them in again
    (benchmarks/bench_loaders.py). Buffers already allocated keep their own pool.
    """
    try:
        pool = pa.jemalloc_memory_pool()
    except NotImplementedError:
        return
    if pa.default_memory_pool().backend_name != pool.backend_name:
        pa.set_memory_pool(pool)


def _apply_batch(con: duckdb.DuckDBPyConnection, reports: list[FileReport], version: int) -> bool:
    """Write every file's rows and load records; return whether the database changed.

    Replays (same bytes as a committed load) are skipped; a file whose rows are older than
    the data already loaded fails whole; everything else is merged table by table.
    """
    started = datetime.now().replace(microsecond=0)
    _skip_replays(con, reports)
    attempted = [r for r in reports if r.status != "skipped"]
    if not attempted:
        return False
    next_id = publish.next_load_id(con)
    for offset, report in enumerate(attempted):
        report.load_id = next_id + offset
    _resolve_project_names(_register(con), attempted)
    staged: dict[str, list[pd.DataFrame]] = {}
    for report in attempted:
        if report.status != "ok":
            continue
        for sheet in report.sheets:
            if sheet.kind and sheet.staged is not None and len(sheet.staged):
                staged.setdefault(sheet.kind, []).append(_with_provenance(sheet, report))
    frames = {
        kind: parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)
        for kind, parts in staged.items()
    }
    failed: dict[int, str] = {}
    for kind, rows in frames.items():
        for load_id, newest in older_than_current(con, TABLES[kind], rows).items():
            failed.setdefault(load_id, newest)
    for report in attempted:
        if report.load_id in failed:
            report.status = "failed"
            report.message = (
                f"older than the data already loaded (as of {failed[report.load_id]}); this file "
                f"is as of {report.as_of.isoformat()}: nothing of it was loaded"
            )
    results: dict[int, MergeResult] = {}
    for kind, rows in frames.items():
        rows = rows[~rows["load_id"].isin(failed)]
        for load_id, counts in merge_rows(con, TABLES[kind], rows).items():
            total = results.setdefault(load_id, MergeResult())
            total.inserted += counts.inserted
            total.changed += counts.changed
            total.unchanged += counts.unchanged
    orphans = _orphan_counts(con, [r.load_id for r in attempted if r.status == "ok"])
    for report in attempted:
        if report.status == "ok":
            done = results.get(report.load_id, MergeResult())
            parts = [
                f"{done.inserted} new, {done.changed} changed, {done.unchanged} unchanged records"
            ]
            if orphans.get(report.load_id):
                parts.append(
                    f"{orphans[report.load_id]} row(s) refer to a project not in the register "
                    "(loaded, listed as orphans)"
                )
            if report.message:
                parts.append(report.message)
            report.message = "; ".join(parts)
    _write_records(con, attempted, started, version)
    return True


def _register(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """(project_id, name) of every current register project."""
    return con.execute("SELECT project_id, name FROM projects WHERE valid_to IS NULL").fetchall()


def _resolve_project_names(register: list[tuple], reports: list[FileReport]) -> None:
    """Rows that name their project (Harvest ``Project``, a status log, a RAID log) get its id.

    A value that is not a register id but is a register project's name (compared normalised:
    case, spaces and punctuation ignored) becomes that project's id; one that is neither stays
    as it is (an orphan) and the message suggests the closest register names.
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
        if notes:
            where = f"sheet '{sheet.sheet}': " if sheet.sheet else ""
            sheet.message = "; ".join(filter(None, [sheet.message, *notes]))
            report.message = "; ".join(filter(None, [report.message, where + "; ".join(notes)]))


def _orphan_counts(con: duckdb.DuckDBPyConnection, load_ids: list[int | None]) -> dict[int, int]:
    """Rows of each load whose project is not (yet) in the register (the orphan_rows view)."""
    ids = [i for i in load_ids if i is not None]
    if not ids:
        return {}
    found = con.execute(
        "SELECT load_id, count(*) FROM orphan_rows WHERE list_contains(?, load_id) GROUP BY 1",
        [ids],
    ).fetchall()
    return {int(load_id): int(n) for load_id, n in found}


def _skip_replays(con: duckdb.DuckDBPyConnection, reports: list[FileReport]) -> None:
    """Mark files whose exact bytes were already committed (or appear twice in this batch)."""
    hashes = [r.sha256 for r in reports if r.status == "ok" and r.sha256]
    committed = dict(
        con.execute(
            "SELECT file_sha256, min(load_id) FROM load_runs "
            "WHERE status = 'committed' AND list_contains(?, file_sha256) GROUP BY 1",
            [hashes],
        ).fetchall()
    )
    seen: dict[str, str] = {}
    for report in reports:
        if report.status != "ok" or not report.sha256:
            continue
        if report.sha256 in committed:
            report.load_id = int(committed[report.sha256])
            report.message = f"already loaded as load #{report.load_id}: nothing changed"
        elif report.sha256 in seen:
            report.message = f"same content as {seen[report.sha256]} in this batch: skipped"
        else:
            seen[report.sha256] = report.file
            continue
        report.status = "skipped"
        for sheet in report.sheets:
            sheet.staged = None


def _with_provenance(sheet: SheetResult, report: FileReport) -> pd.DataFrame:
    spec = TABLES[sheet.kind]
    rows = sheet.staged.copy(deep=False)  # copy-on-write: the staged frame stays as it is
    for column in spec.columns:
        rows[column] = rows[column].astype(canonical_dtype(spec, column))
    rows["load_id"] = report.load_id
    rows["source_file"] = report.file
    rows["source_sheet"] = sheet.sheet
    rows["source_row"] = rows["source_row"].astype("int64")
    rows["row_hash"] = row_hashes(rows, spec.business_columns)
    rows["valid_from"] = pd.Timestamp(report.as_of)
    columns = [*spec.business_columns, *PROVENANCE, "row_hash", "valid_from"]
    return rows[columns].reset_index(drop=True)


def _write_records(
    con: duckdb.DuckDBPyConnection, reports: list[FileReport], started: datetime, version: int
) -> None:
    """load_runs, load_sheets, rejected_rows and ignored_rows for every attempted file."""
    finished = datetime.now().replace(microsecond=0)
    runs, sheets, rejects, ignored = [], [], [], []
    for report in reports:
        read, loaded, rejected, skipped = report.totals()
        raw = report.raw
        runs.append(
            {
                "load_id": report.load_id,
                "file_name": report.file,
                "file_sha256": report.sha256,
                "file_size": report.size,
                "file_format": raw.file_format if raw else None,
                "encoding": raw.encoding if raw else None,
                "delimiter": raw.delimiter if raw else None,
                "as_of": report.as_of,
                "started_at": started,
                "finished_at": finished,
                "status": "committed" if report.status == "ok" else "failed",
                "rows_read": read,
                "rows_loaded": loaded if report.status == "ok" else 0,
                "rows_rejected": rejected,
                "rows_ignored": skipped,
                "message": report.message,
                "data_version": version,
            }
        )
        if report.status != "ok":
            continue
        for number, sheet in enumerate(report.sheets, start=1):
            sheets.append(
                {
                    "load_id": report.load_id,
                    "sheet_no": number,
                    "sheet": sheet.sheet,
                    "kind": sheet.kind,
                    "header_row": sheet.header_row,
                    "rows_read": sheet.rows_read,
                    "rows_loaded": sheet.rows_loaded,
                    "rows_rejected": sheet.rows_rejected,
                    "rows_ignored": sheet.rows_ignored,
                    "columns_json": json.dumps(sheet.columns, ensure_ascii=False),
                    "unmapped_json": json.dumps(sheet.unmapped, ensure_ascii=False),
                    "message": sheet.message,
                    "template_version": sheet.template_version,
                }
            )
            rejects.extend(
                {
                    "load_id": report.load_id,
                    "source_file": report.file,
                    "source_sheet": sheet.sheet,
                    "source_row": r.row,
                    "column_name": r.column,
                    "value": r.value,
                    "rule": r.rule,
                    "reason": r.reason,
                    "raw_json": rejects_json(r),
                }
                for r in sheet.rejects
            )
            ignored.extend(
                {
                    "load_id": report.load_id,
                    "source_sheet": sheet.sheet,
                    "source_row": row,
                    "reason": why,
                }
                for row, why in sheet.ignored
            )
    for table, rows in (
        ("load_runs", runs),
        ("load_sheets", sheets),
        ("rejected_rows", rejects),
        ("ignored_rows", ignored),
    ):
        _bulk_insert(con, table, rows)


_BOOKKEEPING_TABLES = frozenset({"load_runs", "load_sheets", "rejected_rows", "ignored_rows"})
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


def _bulk_insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> None:
    """Insert bookkeeping rows in one statement (never row by row: ~2,100 rows/s that way)."""
    if not rows:
        return
    frame = pd.DataFrame(rows)
    # Identifiers cannot be bound: they come from this module's literals and are checked here.
    if table not in _BOOKKEEPING_TABLES or not all(_IDENTIFIER.match(c) for c in frame.columns):
        raise ValueError(f"not a bookkeeping insert: {table} {list(frame.columns)}")
    names = ", ".join(frame.columns)
    statement = "INSERT INTO " + table + " (" + names + ") SELECT " + names + " FROM bulk_rows"  # noqa: S608 (checked above)
    con.register("bulk_rows", frame)
    try:
        con.execute(statement)
    finally:
        con.unregister("bulk_rows")


def _mark_replays(reports: list[FileReport], data_dir: Path) -> None:
    """In a dry run, say which files are already loaded and match project names to register ids.

    A read-only look at the current version.
    """
    current = publish.current_version(data_dir)
    if current is None:
        _resolve_project_names([], reports)
        return
    con = duckdb.connect(str(current.path), read_only=True)
    try:
        _resolve_project_names(_register(con), reports)
        for report in reports:
            if report.status != "ok" or not report.sha256:
                continue
            previous = con.execute(
                "SELECT min(load_id) FROM load_runs WHERE file_sha256 = ? AND status = 'committed'",
                [report.sha256],
            ).fetchall()[0][0]
            if previous is not None:
                report.status = "skipped"
                report.message = f"already loaded as load #{previous}: nothing would change"
    finally:
        con.close()


def _version_number(data_dir: Path) -> int | None:
    current = publish.current_version(data_dir)
    return current.number if current else None
