"""What one ``ingest`` call reports: per file, per sheet, and the CLI's ``--json`` document."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from loaders.read import RawFile
from loaders.sheet_result import SheetResult


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
