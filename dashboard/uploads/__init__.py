"""Uploads from the browser: refuse unsafe files, store them safely, run the loader in a sandbox.

One module per step (docs/security.md, "Uploads"; docs/architecture.md, "6. Writes from the
browser are loads"):

- ``limits``: sizes, safe names and content checks, before anything is written;
- ``storage``: ``<data_dir>/uploads/<sha256>/<safe name>`` and the re-check of browser tokens;
- ``sandbox``: the loader CLI in a child process with memory, CPU and time limits;
- ``report``: the child's JSON report turned into data fit to show;
- ``flow``: what the page calls (check a drop, confirm a load);
- ``wiring``: the Flask body limit and its 413.

The outcome types and the rows the page shows live in ``dashboard.upload_outcomes``, which is
pure, so the page's components never import this package. Only the names callers use are
re-exported here.
"""

from dashboard.upload_outcomes import (
    REJECTS_SHOWN,
    FileOutcome,
    LoaderResult,
    LoadOutcome,
    Reject,
    SavedUpload,
    SheetOutcome,
    UploadCheck,
    UploadRefused,
    display_name,
    preview_rows,
    reject_rows,
)
from dashboard.uploads.flow import check_upload, confirm_upload
from dashboard.uploads.limits import (
    MAX_FILES,
    MB,
    REQUEST_OVERHEAD_BYTES,
    UploadedFile,
    decode_upload,
    format_size,
    max_upload_bytes,
    request_limit_bytes,
    safe_filename,
)
from dashboard.uploads.sandbox import loader_failure_message, run_loader
from dashboard.uploads.storage import UnsafePath, resolve_pending, save_upload, upload_root
from dashboard.uploads.wiring import configure_uploads

__all__ = [
    "MAX_FILES",
    "MB",
    "REJECTS_SHOWN",
    "REQUEST_OVERHEAD_BYTES",
    "FileOutcome",
    "LoadOutcome",
    "LoaderResult",
    "Reject",
    "SavedUpload",
    "SheetOutcome",
    "UnsafePath",
    "UploadCheck",
    "UploadRefused",
    "UploadedFile",
    "check_upload",
    "configure_uploads",
    "confirm_upload",
    "decode_upload",
    "display_name",
    "format_size",
    "loader_failure_message",
    "max_upload_bytes",
    "preview_rows",
    "reject_rows",
    "request_limit_bytes",
    "resolve_pending",
    "run_loader",
    "safe_filename",
    "save_upload",
    "upload_root",
]
