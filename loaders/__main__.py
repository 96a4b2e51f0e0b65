"""Command line: ``python -m loaders ingest FILE|DIR ...``, ``demo``, ``profiles`` and ``template``.

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

from loaders import profiles
from loaders.ingest import IngestReport, ingest
from loaders.kinds import KIND_CHOICES
from loaders.publish import PublishError
from loaders.settings import ROOT, SettingsError, load_settings
from loaders.templates import TEMPLATE_KINDS
from loaders.user_mapping import MappingError, UserMapping
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
        if args.command == "profiles":
            return _profiles(args, settings.data_dir)
        if args.command == "template":
            return _template(args, settings.data_dir)
        if args.save_mapping and not (args.mapping or args.kind):
            print("error: --save-mapping saves the mapping of --mapping or --kind", file=sys.stderr)
            return 2
        plain, explicit = _mappings(args.mapping or [], settings.data_dir)
        options = Options(
            date_order=args.date_order or settings.date_order,
            kind=args.kind,
            project=args.project,
            user_mapping=plain,
            division=args.division or settings.default_division,
        )
        missing = [p for p in args.paths if not Path(p).exists()]
        if missing:
            print(f"error: no such file or folder: {missing[0]}", file=sys.stderr)
            return 1
        if args.suggest_mapping and Path(args.suggest_mapping).exists():
            print(f"error: {args.suggest_mapping} exists already: name a new file", file=sys.stderr)
            return 1
        profile_set = profiles.ProfileSet.load(settings.data_dir, explicit)
        for problem in profile_set.problems:
            print(f"warning: {problem}", file=sys.stderr)
        started = time.perf_counter()
        report = ingest(
            [Path(p) for p in args.paths],
            settings.data_dir,
            options,
            as_of=args.as_of,
            dry_run=args.dry_run or bool(args.suggest_mapping),
            on_file=None if args.json else _progress(),
            profile_set=profile_set,
        )
        if args.suggest_mapping:
            return _suggest(report, Path(args.suggest_mapping))
        code = _finish(report, args.json, time.perf_counter() - started)
        if args.save_mapping and code == 0:
            return _save(report, args.save_mapping, plain, explicit, settings.data_dir)
    except (SettingsError, MappingError, PublishError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return code


def _mappings(refs: list[str], data_dir: Path) -> tuple[UserMapping, list[profiles.Profile]]:
    """Resolve ``--mapping`` files and profile names.

    Plain column lists merge into one user mapping (for every sheet, as before profiles);
    mappings that set a kind, a header row or the headers they are for apply sheet by sheet.
    """
    plain = UserMapping()
    explicit = []
    for ref in refs:
        found = profiles.resolve(ref, data_dir)
        if found.targets_sheets:
            explicit.append(found)
            continue
        plain.common.update(found.mapping.common)
        for kind, entries in found.mapping.per_kind.items():
            plain.per_kind.setdefault(kind, {}).update(entries)
    return plain, explicit


def _suggest(report: IngestReport, target: Path) -> int:
    """Write a commented mapping file for the first sheet not recognised (else the first)."""
    sheets = [(f.file, s) for f in report.files for s in f.sheets if s.mapping]
    chosen = next(((f, s) for f, s in sheets if s.kind is None), sheets[0] if sheets else None)
    if chosen is None:
        print("error: no sheet with headers to map was found", file=sys.stderr)
        return 1
    text = profiles.suggestion(*chosen)
    try:
        with open(target, "x", encoding="utf-8") as handle:
            handle.write(text or "")
    except OSError as exc:
        print(f"error: cannot write {target}: {exc.strerror}", file=sys.stderr)
        return 1
    file, sheet = chosen
    where = f"sheet '{sheet.sheet}' of {file}" if sheet.sheet else file
    print(f"wrote {target}: a mapping for {where} (headers on row {sheet.mapping['header_row']})")
    print(f"edit it, then: python -m loaders ingest {file} --mapping {target}")
    return 0


def _save(
    report: IngestReport,
    name: str,
    plain: UserMapping,
    explicit: list[profiles.Profile],
    data_dir: Path,
) -> int:
    """``--save-mapping NAME``: the mapping used, for the headers of the first sheet it loaded."""
    loaded = [
        (f.file, s)
        for f in report.files
        if f.status != "failed"
        for s in f.sheets
        if s.kind and s.mapping and s.mapping.get("fingerprint")
    ]
    if not loaded:
        print("error: --save-mapping: no sheet was loaded with the mapping", file=sys.stderr)
        return 1
    file, sheet = loaded[0]
    mapping = UserMapping(dict(plain.common), {k: dict(v) for k, v in plain.per_kind.items()})
    for extra in explicit:
        mapping.common.update(extra.mapping.common)
        for kind, entries in extra.mapping.per_kind.items():
            mapping.per_kind.setdefault(kind, {}).update(entries)
    saved = profiles.save_profile(
        data_dir,
        profiles.Profile(
            name=name,
            mapping=mapping,
            kind=sheet.kind,
            fingerprint=sheet.mapping["fingerprint"],
            headers=tuple(h for h in sheet.mapping["headers"] if h),
        ),
    )
    where = f"sheet '{sheet.sheet}' of {file}" if sheet.sheet else file
    print(
        f"mapping profile '{saved.name}' saved for the {len(saved.headers)} headers of {where}: "
        "files with these headers now load with it"
    )
    return 0


def _profiles(args: argparse.Namespace, data_dir: Path) -> int:
    """``profiles list|rename OLD NEW|delete NAME``."""
    wanted = {"rename": 2, "delete": 1}.get(args.action or "list", 0)
    if len(args.names) != wanted:
        usage = {"rename": "rename OLD NEW", "delete": "delete NAME"}.get(args.action, "list")
        print(f"error: usage: python -m loaders profiles {usage}", file=sys.stderr)
        return 2
    if args.action == "rename":
        renamed = profiles.rename_profile(data_dir, args.names[0], args.names[1])
        print(f"mapping profile '{args.names[0]}' renamed to '{renamed.name}'")
        return 0
    if args.action == "delete":
        gone = profiles.delete_profile(data_dir, args.names[0])
        print(f"mapping profile '{gone.name}' deleted")
        return 0
    found, problems = profiles.list_profiles(data_dir)
    for problem in problems:
        print(f"warning: {problem}", file=sys.stderr)
    if args.json:
        rows = [
            {"name": p.name, "kind": p.kind, "headers": list(p.headers), "saved_at": p.saved_at}
            for p in found
        ]
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    if not found:
        print("no mapping profiles saved yet (save one with ingest … --save-mapping NAME)")
    for p in found:
        print(f"{p.name}  {p.kind or '-'}  {len(p.headers)} headers  saved {p.saved_at or '-'}")
    return 0


def _template(args: argparse.Namespace, data_dir: Path) -> int:
    """``template KIND --out FILE.xlsx``: the PMO's template, with the current data's lists."""
    from loaders import template_lists, templates

    today = args.today or date.today()
    content = templates.build_template(
        args.kind, template_lists.read_lists(data_dir, args.standards), today
    )
    try:
        with open(args.out, "xb") as handle:
            handle.write(content)
    except FileExistsError:
        print(f"error: {args.out} exists already: name a new file", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: cannot write {args.out}: {exc.strerror}", file=sys.stderr)
        return 1
    title = templates.TITLES[args.kind]
    print(f"wrote {args.out}: {title} template v{templates.CURRENT_VERSION}")
    return 0


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
        _print_unrecognised(report)
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


def _print_unrecognised(report: IngestReport) -> None:
    """For each sheet that could not be classified: the headers seen and the best guesses."""
    for f in report.files:
        has_table = any(s.kind for s in f.sheets)
        for s in f.sheets:
            info = s.mapping
            if s.kind or not info or (has_table and not s.fatal):
                continue
            kind = info.get("kind_guess")
            guesses = (info.get("guesses") or {}).get(kind or "", {})
            where = f"{f.file} [{s.sheet}]" if s.sheet else f.file
            guess = f"; best guess: {kind}" if kind else ""
            print(f"  not recognised: {where}, headers on row {info['header_row']}{guess}")
            for header in (h for h in info["headers"] if h):
                print(f"    {header!r} -> {guesses.get(header, '?')}")
            print(
                f"  map it: python -m loaders ingest {f.file} --suggest-mapping mapping.toml, "
                "edit mapping.toml, then load with --mapping mapping.toml"
            )


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
    ingest_cmd.add_argument(
        "--mapping",
        action="append",
        metavar="FILE|NAME",
        help="mapping file (TOML) or saved mapping profile name; may be repeated",
    )
    ingest_cmd.add_argument(
        "--save-mapping", metavar="NAME", help="save the mapping used as a named profile"
    )
    ingest_cmd.add_argument(
        "--suggest-mapping",
        metavar="FILE",
        help="write a commented mapping file for the first sheet not recognised (loads nothing)",
    )
    ingest_cmd.add_argument("--date-order", choices=("auto", "dmy", "mdy"))
    ingest_cmd.add_argument("--as-of", type=date.fromisoformat, help="date the files describe")
    ingest_cmd.add_argument("--dry-run", action="store_true", help="validate, write nothing")
    demo_cmd = sub.add_parser("demo", parents=[common], help="build the demo database")
    demo_cmd.add_argument(
        "--exports", help=f"where to write the demo exports (default {ROOT}/data/sample/exports)"
    )
    demo_cmd.add_argument("--today", type=date.fromisoformat, help="anchor date (default today)")
    template_cmd = sub.add_parser("template", parents=[common], help="write an Excel template")
    template_cmd.add_argument(
        "kind", choices=TEMPLATE_KINDS, metavar="KIND", help=", ".join(TEMPLATE_KINDS)
    )
    template_cmd.add_argument("--out", required=True, metavar="FILE.xlsx", help="a new file")
    template_cmd.add_argument(
        "--today", type=date.fromisoformat, help="the resource plan's first month (default today)"
    )
    profiles_cmd = sub.add_parser("profiles", parents=[common], help="list or manage mappings")
    profiles_cmd.add_argument("action", choices=("list", "rename", "delete"), nargs="?")
    profiles_cmd.add_argument("names", nargs="*", metavar="NAME")
    return parser


if __name__ == "__main__":
    sys.exit(main())
