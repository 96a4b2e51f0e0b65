"""Load files into a new database version: read, validate, then apply everything in one transaction.

Files are parsed before the loader lock is taken (parsing is the slow part, and needs no lock);
the lock is held only while the parsed rows are merged and the version is published. A file
whose bytes were already loaded is skipped and says so; a file that cannot be read is logged in
``load_runs`` with its reason and changes nothing else. The reports are in
:mod:`loaders.ingest_report`, the bookkeeping rows in :mod:`loaders.load_records`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from loaders import profiles, publish, templates
from loaders.cross_sheet import reject_cross_sheet_duplicates
from loaders.hashing import row_hashes
from loaders.history import MergeResult, merge_rows, older_than_current
from loaders.ingest_report import FileReport, IngestReport
from loaders.kinds import PROVENANCE, TABLES
from loaders.load_records import write_records
from loaders.project_names import register_projects, resolve_project_names
from loaders.read import RawFile, UnreadableFile, read_file
from loaders.validate import Options, SheetResult, canonical_dtype

__all__ = ["FileReport", "IngestReport", "detect_as_of", "expand_paths", "ingest", "parse_file"]

SUPPORTED_SUFFIXES = {".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls"}
#: Larger files are refused before they are read: a file is parsed in memory, about ten times
#: its size at the peak (a 120 MB, million-row CSV peaks near 1.2 GB).
MAX_FILE_BYTES = 1024**3
_AS_OF_TEXT = re.compile(
    r"(?:as\s+(?:of|at)|exported|extracted|report(?:ing)?\s+date|dated?)\D{0,12}"
    r"(?P<date>\d{4}-\d{2}-\d{2})",
    re.IGNORECASE,
)


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
    data = _read_bytes(path, report)
    if data is None:
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
    reject_cross_sheet_duplicates(report.sheets)
    report.as_of = as_of or detect_as_of(raw, report.sheets)
    # The cell grids are done with: their memory is reused by the merge instead of new pages.
    report.raw = replace(raw, sheets=[])
    notes = list(raw.notes)
    if template_note:  # the upload preview and the load history show file messages
        notes.insert(0, template_note)
    _settle(report, path, notes)
    return report


def _read_bytes(path: Path, report: FileReport) -> bytes | None:
    """The file's bytes, or None with ``report`` failed (too large, or unreadable)."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            report.status, report.size = "failed", size
            report.message = (
                f"the file is {size / 2**20:,.0f} MB, more than the loader reads at once "
                f"({MAX_FILE_BYTES // 2**20:,} MB): split the export (by date or project) and "
                "load the parts"
            )
            return None
        return path.read_bytes()
    except OSError as exc:
        report.status, report.message = "failed", f"cannot read the file: {exc.strerror}"
        return None


def _settle(report: FileReport, path: Path, notes: list[str]) -> None:
    """Whether the parsed file fails whole, and its message (``notes`` plus failed sheets)."""
    tables = [s for s in report.sheets if s.kind]
    fatal = [s for s in tables if s.fatal]
    unknown = [s for s in report.sheets if not s.kind and s.fatal]
    working = [s for s in tables if not s.fatal]
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


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


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
    resolve_project_names(register_projects(con), attempted)
    frames = _staged_by_kind(attempted)
    failed = _fail_older(con, frames, attempted)
    results: dict[int, MergeResult] = {}
    for kind, rows in frames.items():
        rows = rows[~rows["load_id"].isin(failed)]
        for load_id, counts in merge_rows(con, TABLES[kind], rows).items():
            total = results.setdefault(load_id, MergeResult())
            total.inserted += counts.inserted
            total.changed += counts.changed
            total.unchanged += counts.unchanged
    _say_merged(con, attempted, results)
    write_records(con, attempted, started, version)
    return True


def _staged_by_kind(reports: list[FileReport]) -> dict[str, pd.DataFrame]:
    """Every loadable file's staged rows, with provenance, as one frame per kind."""
    staged: dict[str, list[pd.DataFrame]] = {}
    for report in reports:
        if report.status != "ok":
            continue
        for sheet in report.sheets:
            if sheet.kind and sheet.staged is not None and len(sheet.staged):
                staged.setdefault(sheet.kind, []).append(_with_provenance(sheet, report))
    return {
        kind: parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)
        for kind, parts in staged.items()
    }


def _fail_older(
    con: duckdb.DuckDBPyConnection, frames: dict[str, pd.DataFrame], reports: list[FileReport]
) -> dict[int, str]:
    """Fail every file with rows older than the data already loaded; load id -> newest as-of."""
    failed: dict[int, str] = {}
    for kind, rows in frames.items():
        for load_id, newest in older_than_current(con, TABLES[kind], rows).items():
            failed.setdefault(load_id, newest)
    for report in reports:
        if report.load_id in failed:
            report.status = "failed"
            report.message = (
                f"older than the data already loaded (as of {failed[report.load_id]}); this file "
                f"is as of {report.as_of.isoformat()}: nothing of it was loaded"
            )
    return failed


def _say_merged(
    con: duckdb.DuckDBPyConnection, reports: list[FileReport], results: dict[int, MergeResult]
) -> None:
    """Put each loaded file's new/changed/unchanged counts and orphans first in its message."""
    orphans = _orphan_counts(con, [r.load_id for r in reports if r.status == "ok"])
    for report in reports:
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


def _mark_replays(reports: list[FileReport], data_dir: Path) -> None:
    """In a dry run, say which files are already loaded and match project names to register ids.

    A read-only look at the current version.
    """
    current = publish.current_version(data_dir)
    if current is None:
        resolve_project_names([], reports)
        return
    con = duckdb.connect(str(current.path), read_only=True)
    try:
        resolve_project_names(register_projects(con), reports)
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
