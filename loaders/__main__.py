"""Command line: ``python -m loaders ingest FILE|DIR ...`` and ``python -m loaders demo``.

Exit status: 0 when every file could be read (rejected rows are reported, not an error);
1 with a one-line reason when a file could not be read at all; 2 for a usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date
from pathlib import Path

from loaders.ingest import IngestReport, ingest
from loaders.kinds import KIND_CHOICES
from loaders.mapping import MappingError, load_user_mapping
from loaders.publish import PublishError
from loaders.settings import ROOT, SettingsError, load_settings
from loaders.validate import Options

MAX_REJECTS_SHOWN = 5
BAR_WIDTH = 30


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    try:
        settings = load_settings(args.data_dir, args.standards)
        if args.command == "demo":
            return _demo(args, settings.data_dir, settings.date_order)
        options = Options(
            date_order=args.date_order or settings.date_order,
            kind=args.kind,
            project=args.project,
            user_mapping=load_user_mapping(Path(args.mapping) if args.mapping else None),
            division=args.division or settings.default_division,
        )
        missing = [p for p in args.paths if not Path(p).exists()]
        if missing:
            print(f"error: no such file or folder: {missing[0]}", file=sys.stderr)
            return 1
        started = time.perf_counter()
        report = ingest(
            [Path(p) for p in args.paths],
            settings.data_dir,
            options,
            as_of=args.as_of,
            dry_run=args.dry_run,
            on_file=None if args.json else _progress(),
        )
    except (SettingsError, MappingError, PublishError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return _finish(report, args.json, time.perf_counter() - started)


def _demo(args: argparse.Namespace, data_dir: Path, date_order: str) -> int:
    """Write the demo exports anchored to today and load them through the same path as any file."""
    from loaders.demo import build_demo

    started = time.perf_counter()
    report = build_demo(
        data_dir,
        exports_dir=Path(args.exports) if args.exports else None,
        today=args.today,
        options=Options(date_order=date_order),
    )
    return _finish(report, args.json, time.perf_counter() - started)


def _finish(report: IngestReport, as_json: bool, seconds: float) -> int:
    if sys.stderr.isatty() and not as_json:
        sys.stderr.write("\r\033[K")
    if as_json:
        print(json.dumps(report.to_json(), ensure_ascii=False, default=str))
    else:
        _print_summary(report, seconds)
    failed = [f for f in report.files if f.status == "failed"]
    if failed:
        print(f"error: {failed[0].file}: {failed[0].message}", file=sys.stderr)
        return 1
    return 0


def _print_summary(report: IngestReport, seconds: float) -> None:
    header = ("file", "sheet", "kind", "hdr", "read", "loaded", "rejected", "ignored", "message")
    rows = []
    for f in report.files:
        if not f.sheets:
            rows.append((f.file, "", "", "", "", "", "", "", f"{f.status.upper()}: {f.message}"))
        for s in f.sheets:
            message = s.message or (f.message if f.status != "ok" else "")
            rows.append(
                (
                    f.file,
                    s.sheet or "",
                    s.kind or "-",
                    s.header_row or "",
                    s.rows_read,
                    s.rows_loaded,
                    s.rows_rejected,
                    s.rows_ignored,
                    f"{f.status.upper()}: {message}" if f.status != "ok" else message,
                )
            )
    widths = [min(40, max(len(str(r[i])) for r in [header, *rows])) for i in range(len(header))]
    for row in [header, *rows]:
        cells = [
            str(c) if i == 8 else str(c)[:40].ljust(w) if i < 3 else str(c).rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        print("  ".join(cells).rstrip())
    for f in report.files:
        for s in f.sheets:
            for r in s.rejects[:MAX_REJECTS_SHOWN]:
                where = f"{f.file}" + (f" [{s.sheet}]" if s.sheet else "")
                column = f", column '{r.column}'" if r.column else ""
                print(f"  rejected: {where} row {r.row}{column}: {r.reason}")
            if len(s.rejects) > MAX_REJECTS_SHOWN:
                print(f"  ... and {len(s.rejects) - MAX_REJECTS_SHOWN} more rejected rows")
    verb = "would be published (dry run)" if report.dry_run else "published"
    if report.published:
        print(f"version {report.data_version} {verb} in {seconds:.2f} s")
    elif report.dry_run:
        print(f"dry run: nothing written ({seconds:.2f} s)")
    else:
        print(f"nothing changed; the current version is {report.data_version} ({seconds:.2f} s)")


def _progress():
    """A one-line progress bar on stderr, only when stderr is a terminal.

    Files are weighted by size, so one large export moves the bar as much as its share of the
    work; the current file and its size are shown beside the bar.
    """
    if not sys.stderr.isatty():
        return None
    state = {"done": 0, "total": 0, "sizes": {}}

    def show(path: Path, index: int | None = None, paths: list[Path] | None = None) -> None:
        if paths is not None and not state["sizes"]:
            state["sizes"] = {p: _size(p) for p in paths}
            state["total"] = sum(state["sizes"].values()) or 1
        size = state["sizes"].get(path, _size(path))
        share = state["done"] / state["total"] if state["total"] else 0.0
        filled = int(BAR_WIDTH * share)
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        count = f"{index + 1}/{len(paths)}" if index is not None and paths else ""
        sys.stderr.write(
            f"\r\033[K[{bar}] {share:4.0%} {count} reading {path.name} ({size / 2**20:.1f} MB)"
        )
        sys.stderr.flush()
        state["done"] += size

    return show


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m loaders", description=__doc__.splitlines()[0])
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", help="folder of database versions (env PMO_DATA_DIR)")
    common.add_argument("--standards", help="PMO standards file (env PMO_STANDARDS)")
    common.add_argument("--json", action="store_true", help="print one JSON document on stdout")
    sub = parser.add_subparsers(dest="command", required=True)
    ingest_cmd = sub.add_parser("ingest", parents=[common], help="load files or folders")
    ingest_cmd.add_argument("paths", nargs="+", metavar="FILE|DIR")
    ingest_cmd.add_argument(
        "--kind", choices=KIND_CHOICES, help="skip detection: load into this table"
    )
    ingest_cmd.add_argument("--project", help="project id for a single-project export")
    ingest_cmd.add_argument("--division", help="division for register rows without one")
    ingest_cmd.add_argument("--mapping", help="TOML file mapping extra headers to columns")
    ingest_cmd.add_argument("--date-order", choices=("auto", "dmy", "mdy"))
    ingest_cmd.add_argument("--as-of", type=date.fromisoformat, help="date the files describe")
    ingest_cmd.add_argument("--dry-run", action="store_true", help="validate, write nothing")
    demo_cmd = sub.add_parser("demo", parents=[common], help="build the demo database")
    demo_cmd.add_argument(
        "--exports", help=f"where to write the demo exports (default {ROOT}/data/sample/exports)"
    )
    demo_cmd.add_argument("--today", type=date.fromisoformat, help="anchor date (default today)")
    return parser


if __name__ == "__main__":
    sys.exit(main())
