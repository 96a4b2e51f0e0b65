"""The loader's JSON report, turned into ``upload_outcomes`` data fit to show.

Loader messages are written for users; still, a server path or a traceback is never passed on
(docs/security.md, "Uploads").
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from dashboard.upload_outcomes import REJECTS_SHOWN, FileOutcome, Reject, SheetOutcome
from dashboard.uploads.storage import upload_root


def parse_report(stdout: str) -> dict | None:
    """The loader's report from its standard output (the whole text, or its last JSON line)."""
    candidates = [stdout.strip(), *reversed(stdout.strip().splitlines())]
    for text in candidates:
        if not text.startswith("{"):
            continue
        try:
            report = json.loads(text)
        except ValueError:
            continue
        if isinstance(report, dict) and isinstance(report.get("files"), list):
            return report
    return None


def file_outcome(item: dict, data_dir: Path) -> FileOutcome:
    """One file of the report, with every message scrubbed of server paths."""
    sheets = tuple(_sheet_outcome(sheet, data_dir) for sheet in item.get("sheets") or [])
    status = "ok" if item.get("status") == "ok" else "failed"
    return FileOutcome(
        file=str(item.get("file") or ""),
        status=status,
        message=_scrub(str(item.get("message") or ""), data_dir),
        sheets=sheets,
    )


def _sheet_outcome(sheet: dict, data_dir: Path) -> SheetOutcome:
    return SheetOutcome(
        sheet=_text(sheet.get("sheet")),
        kind=_text(sheet.get("kind")),
        header_row=_int_or_none(sheet.get("header_row")),
        rows_read=_int_or_none(sheet.get("rows_read")) or 0,
        rows_loaded=_int_or_none(sheet.get("rows_loaded")) or 0,
        rows_rejected=_int_or_none(sheet.get("rows_rejected")) or 0,
        rows_ignored=_int_or_none(sheet.get("rows_ignored")) or 0,
        columns={str(k): str(v) for k, v in (sheet.get("columns") or {}).items() if v is not None},
        rejects=tuple(
            Reject(
                _int_or_none(r.get("row")),
                _text(r.get("column")),
                _scrub(str(r.get("reason") or ""), data_dir),
            )
            for r in (sheet.get("rejects") or [])[:REJECTS_SHOWN]
        ),
        mapping=sheet.get("mapping") if isinstance(sheet.get("mapping"), dict) else None,
    )


def _scrub(message: str, data_dir: Path) -> str:
    """Loader messages are written for users; still, never show a server path or a traceback."""
    if "Traceback" in message:
        return "the file could not be processed"
    for folder in {str(upload_root(data_dir)), str(data_dir), os.path.realpath(data_dir)}:
        message = message.replace(folder + os.sep, "").replace(folder, "")
    return message[:500]


def _int_or_none(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _text(value: object) -> str | None:
    return None if value is None else str(value)
