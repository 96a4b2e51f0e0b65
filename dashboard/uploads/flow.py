"""What the Upload page calls: check a drop (store + dry run), then confirm it (load + publish).

Every attempt, refused or not, is logged with the user (docs/security.md, "Uploads").
"""

from __future__ import annotations

import logging
import uuid
from pathlib import Path

import pandas as pd

from dashboard import db, upload_quota
from dashboard.config import Settings
from dashboard.scope import current_scope
from dashboard.upload_outcomes import (
    LoaderResult,
    LoadOutcome,
    LoadRecord,
    SavedUpload,
    UploadCheck,
    UploadRefused,
)
from dashboard.uploads.limits import (
    MAX_FILES,
    UploadedFile,
    decode_upload,
    format_size,
    max_upload_bytes,
)
from dashboard.uploads.sandbox import run_loader
from dashboard.uploads.storage import UnsafePath, resolve_pending, save_upload, upload_root

LOG = logging.getLogger("pmo.uploads")


def check_upload(contents: object, filenames: object, settings: Settings) -> UploadCheck:
    """Decode, check and store the dropped files, then dry-run the loader on them.

    Args:
        contents: ``dcc.Upload.contents`` (a list of data URLs with ``multiple=True``).
        filenames: ``dcc.Upload.filename``.
        settings: Where the store is and the size limit.

    Returns:
        Refused files, stored files and the preview.
    """
    contents_list = contents if isinstance(contents, list) else [contents]
    names = filenames if isinstance(filenames, list) else [filenames]
    check = UploadCheck()
    if len(contents_list) != len(names) or len(contents_list) > MAX_FILES:
        reason = f"drop at most {MAX_FILES} files at once" if len(names) > MAX_FILES else ""
        check.refused.append(UploadRefused("", reason or "the upload was incomplete: try again"))
        _audit_refused(check.refused)
        return check
    accepted = _decode_all(contents_list, names, max_upload_bytes(settings), check)
    _audit_refused(check.refused)
    for upload in accepted:
        _store(upload, settings, check)
    if check.saved:
        check.result = run_loader(
            [u.path for u in check.saved],
            settings.data_dir,
            dry_run=True,
            standards=settings.standards,
        )
        _discard_refused(check, settings.data_dir)
    return check


def confirm_upload(
    tokens: object, settings: Settings, mappings: tuple[Path, ...] = ()
) -> LoadOutcome:
    """Load the previewed files for real and look up what ``load_runs`` recorded for them.

    Args:
        tokens: The page's pending list (untrusted: every entry is re-checked on the server).
        settings: Where the store is.
        mappings: Mapping files of the mapping step (see ``upload_mapping``).

    Returns:
        The loader's report, the ``load_runs`` record of each file, or why nothing was run.
    """
    items = tokens if isinstance(tokens, list) else []
    uploads = [resolve_pending(token, settings.data_dir) for token in items[:MAX_FILES]]
    if not items or len(items) > MAX_FILES or any(u is None for u in uploads):
        LOG.warning("confirm refused: pending list not recognised (%d entries)", len(items))
        return LoadOutcome(
            LoaderResult(dry_run=False),
            refused="The files to load were not recognised. Upload them again.",
        )
    saved = [u for u in uploads if u is not None]
    LOG.info(
        "load confirmed by %s: %s",
        current_scope().user or "-",
        ", ".join(f"{u.sha256[:12]}/{u.name}" for u in saved),
    )
    result = run_loader(
        [u.path for u in saved],
        settings.data_dir,
        dry_run=False,
        standards=settings.standards,
        mappings=mappings,
    )
    records = find_loads([u.sha256 for u in saved]) if result.ok else {}
    return LoadOutcome(result, saved, records)


def find_loads(sha256s: list[str]) -> dict[str, LoadRecord]:
    """The newest ``load_runs`` record per file hash (replays point at the original load)."""
    try:
        with db.snapshot() as snap:
            runs = snap.load_runs()
    except db.NoData:
        return {}
    runs = runs[runs["file_sha256"].isin(sha256s)].sort_values("load_id", ascending=False)
    newest = runs.drop_duplicates("file_sha256")
    return {
        row.file_sha256: LoadRecord(
            int(row.load_id),
            str(row.status),
            None if pd.isna(row.data_version) else int(row.data_version),
        )
        for row in newest.itertuples(index=False)
    }


def _decode_all(
    contents: list, names: list, max_bytes: int, check: UploadCheck
) -> list[UploadedFile]:
    """Decode each file; a file that passes alone but not with the others is refused too."""
    remaining = max_bytes
    accepted: list[UploadedFile] = []
    for item, name in zip(contents, names, strict=True):
        outcome = decode_upload(item, name, max_bytes)
        if isinstance(outcome, UploadedFile) and outcome.size > remaining:
            outcome = UploadRefused(
                outcome.original_name,
                f"together the files are over the {format_size(max_bytes)} limit of one upload",
            )
        if isinstance(outcome, UploadRefused):
            check.refused.append(outcome)
            continue
        remaining -= outcome.size
        accepted.append(outcome)
    return accepted


def _store(upload: UploadedFile, settings: Settings, check: UploadCheck) -> None:
    """Store one accepted file under the quota, or record why it could not be stored."""
    if not _room_for(upload, settings):
        check.refused.append(
            UploadRefused(upload.original_name, "the server's upload space is full")
        )
        return
    try:
        path = save_upload(upload, settings.data_dir)
    except (OSError, UnsafePath):
        reference = uuid.uuid4().hex[:8]
        LOG.exception("upload %s: could not store %s", reference, ascii(upload.original_name))
        check.refused.append(
            UploadRefused(
                upload.original_name,
                f"the server could not store the file (reference {reference})",
            )
        )
        return
    check.saved.append(
        SavedUpload(upload.original_name, path.name, upload.sha256, upload.size, path)
    )
    LOG.info(
        "upload stored: %s (%d bytes) as %s/%s by %s",
        ascii(upload.original_name),
        upload.size,
        upload.sha256,
        path.name,
        current_scope().user or "-",
    )


def _room_for(upload: UploadedFile, settings: Settings) -> bool:
    """Make room under the upload quota (docs/security.md, "Uploads")."""
    return upload_quota.make_room(
        upload_root(settings.data_dir),
        upload.size,
        upload_quota.quota_bytes(settings.upload_quota_mb),
        keep=upload.sha256,
    )


def _discard_refused(check: UploadCheck, data_dir: Path) -> None:
    """Delete the stored files nothing can confirm.

    A file is kept when the dry run accepted it, or when it has a sheet whose headers the mapping
    step can show (an unrecognised sheet is mapped and previewed again from the stored file).
    """
    keep = {token["sha256"] for token in check.pending}
    if check.result is not None:
        for saved, outcome in zip(check.saved, check.result.files, strict=False):
            if any((sheet.mapping or {}).get("headers") for sheet in outcome.sheets):
                keep.add(saved.sha256)
    for saved in check.saved:
        if saved.sha256 not in keep:
            upload_quota.remove(saved.path.parent, upload_root(data_dir), "refused by the check")


def _audit_refused(refused: list[UploadRefused]) -> None:
    for item in refused:
        LOG.warning(
            "upload refused: %s by %s: %s",
            ascii(item.original_name),
            current_scope().user or "-",
            item.reason,
        )
