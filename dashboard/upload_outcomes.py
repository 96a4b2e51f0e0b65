"""What an upload came to, as plain data: the loader's report and the rows the page shows.

Pure on purpose: the Upload page's components import this module, never ``dashboard.uploads``
(which stores files and spawns the loader process), so building a layout cannot reach the disk
or a subprocess (docs/architecture.md, "2.5 dashboard/figures/ and dashboard/components/").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

ALLOWED_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv", ".txt")
REJECTS_SHOWN = 10
_REPLAY = re.compile(r"already loaded as load #(\d+)")


def display_name(name: object, limit: int = 120) -> str:
    """A file name fit to show (as text): no control characters, at most ``limit`` characters."""
    text = "".join(ch for ch in str(name or "") if unicodedata.category(ch)[0] != "C").strip()
    text = text or "(no name)"
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class UploadRefused:
    """A file refused before anything was written, with the reason in the user's terms."""

    original_name: str
    reason: str


@dataclass(frozen=True)
class SavedUpload:
    """A stored upload: ``path`` is ``<uploads>/<sha256>/<name>``."""

    original_name: str
    name: str
    sha256: str
    size: int
    path: Path

    def token(self) -> dict[str, str]:
        """What the page keeps in the browser until the load is confirmed (re-checked then)."""
        return {"sha256": self.sha256, "name": self.name, "original": self.original_name}


@dataclass(frozen=True)
class Reject:
    """One rejected source row."""

    row: int | None
    column: str | None
    reason: str


@dataclass(frozen=True)
class SheetOutcome:
    """One sheet of a file as the loader read it."""

    sheet: str | None
    kind: str | None
    header_row: int | None
    rows_read: int
    rows_loaded: int
    rows_rejected: int
    rows_ignored: int
    columns: dict[str, str]
    rejects: tuple[Reject, ...]
    mapping: dict | None = None  # headers and guesses for the mapping step (upload_mapping)


@dataclass(frozen=True)
class FileOutcome:
    """One file as the loader reported it."""

    file: str
    status: str  # ok | failed
    message: str
    sheets: tuple[SheetOutcome, ...] = ()

    @property
    def replay_of(self) -> int | None:
        """The load these exact bytes were already loaded as, if any."""
        match = _REPLAY.search(self.message)
        return int(match.group(1)) if match else None


@dataclass(frozen=True)
class LoaderResult:
    """The loader subprocess's report, or a friendly ``error`` when it could not report."""

    dry_run: bool
    files: tuple[FileOutcome, ...] = ()
    error: str | None = None
    reference: str = ""

    @property
    def ok(self) -> bool:
        """True when the loader ran to the end (files may still have failed individually)."""
        return self.error is None


@dataclass(frozen=True)
class LoadRecord:
    """What ``load_runs`` says about an uploaded file after the confirmed load."""

    load_id: int
    status: str
    data_version: int | None


@dataclass
class UploadCheck:
    """Outcome of a drop: refused files, stored files and the dry run's preview."""

    refused: list[UploadRefused] = field(default_factory=list)
    saved: list[SavedUpload] = field(default_factory=list)
    result: LoaderResult | None = None

    @property
    def pending(self) -> list[dict[str, str]]:
        """Tokens of the stored files the dry run could read: what Confirm will load."""
        if self.result is None or not self.result.ok:
            return []
        return [
            upload.token()
            for upload, outcome in zip(self.saved, self.result.files, strict=False)
            if outcome.status == "ok"
        ]


@dataclass
class LoadOutcome:
    """Outcome of a confirmed load: the loader's report and the ``load_runs`` records."""

    result: LoaderResult
    uploads: list[SavedUpload] = field(default_factory=list)
    records: dict[str, LoadRecord] = field(default_factory=dict)
    refused: str | None = None

    @property
    def published_version(self) -> int | None:
        """The data version this load created (None when nothing changed or it failed)."""
        versions = [
            record.data_version
            for upload, outcome in zip(self.uploads, self.result.files, strict=False)
            if outcome.status == "ok"
            and outcome.replay_of is None
            and (record := self.records.get(upload.sha256)) is not None
            and record.status == "committed"
            and record.data_version is not None
        ]
        return max(versions) if versions else None


def preview_rows(result: LoaderResult) -> list[dict[str, object]]:
    """One row per file and sheet for the preview table (kind, header row, counts)."""
    rows: list[dict[str, object]] = []
    for outcome in result.files:
        for sheet in outcome.sheets or (None,):
            rows.append(
                {
                    "file": outcome.file,
                    "sheet": (sheet.sheet if sheet else None) or "",
                    "kind": (sheet.kind if sheet else None) or "",
                    "header_row": (sheet.header_row if sheet else None) or "",
                    "read": sheet.rows_read if sheet else 0,
                    "loaded": sheet.rows_loaded if sheet else 0,
                    "rejected": sheet.rows_rejected if sheet else 0,
                    "ignored": sheet.rows_ignored if sheet else 0,
                }
            )
    return rows


def reject_rows(result: LoaderResult, limit: int = REJECTS_SHOWN) -> list[dict[str, object]]:
    """The first ``limit`` rejected rows over all files and sheets, with their reasons."""
    rows: list[dict[str, object]] = []
    for outcome in result.files:
        for sheet in outcome.sheets:
            for reject in sheet.rejects:
                if len(rows) >= limit:
                    return rows
                rows.append(
                    {
                        "file": outcome.file,
                        "sheet": sheet.sheet or "",
                        "row": reject.row if reject.row is not None else "",
                        "column": reject.column or "",
                        "reason": reject.reason,
                    }
                )
    return rows
