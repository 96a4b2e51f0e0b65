"""The Upload page's mapping step, loader runs: preview and load with the user's mappings.

Each checked mapping is written as a mapping file (TOML, never code) in the upload folder and
handed to the sandboxed loader with ``--mapping``; after a confirmed load it is saved as a named
profile, which the loader then applies by itself to the next file with the same headers. Only
the PMO role may preview or save mappings (checked here, on the server; docs/loaders.md,
"Mapping step and mapping profiles").
"""

from __future__ import annotations

import contextlib
import logging
import uuid
from collections.abc import Iterator
from pathlib import Path

from dashboard import uploads
from dashboard.config import Settings
from dashboard.scope import current_scope
from dashboard.upload_mapping_edits import checked_edits
from dashboard.upload_mapping_sheets import PMO_ONLY, MappingRefused
from loaders import profiles

LOG = logging.getLogger("pmo.uploads")
DRAFT_FOLDER = "mappings"


def preview_mapped(tokens: object, edits: object, settings: Settings) -> uploads.UploadCheck:
    """Dry-run the stored files again with the user's mappings (the "preview again" button).

    Raises:
        MappingRefused: Not the PMO, files not recognised, or a mapping off the allowlist.
    """
    saved = _stored(tokens, settings)
    mapped = checked_edits(edits, {u.name for u in saved})
    with _drafts(mapped, settings.data_dir) as paths:
        result = uploads.run_loader(
            [u.path for u in saved],
            settings.data_dir,
            dry_run=True,
            standards=settings.standards,
            mappings=paths,
        )
    return uploads.UploadCheck(saved=saved, result=result)


def confirm_mapped(
    pending: object, edits: object, settings: Settings
) -> tuple[uploads.LoadOutcome, list[str]]:
    """Load the previewed files with the user's mappings, then save each mapping as a profile.

    Returns:
        The load outcome and one message per profile saved.

    Raises:
        MappingRefused: Not the PMO, or a mapping off the allowlist.
    """
    if not current_scope().can_upload:
        raise MappingRefused(PMO_ONLY)
    items = pending if isinstance(pending, list) else []
    files = {t.get("name") for t in items if isinstance(t, dict)}
    files = {f for f in files if isinstance(f, str)}
    # A mapped file that still cannot be loaded is not pending: its mapping is not used.
    wanted = (
        [e for e in edits if isinstance(e, dict) and e.get("file") in files]
        if isinstance(edits, list)
        else edits
    )
    mapped = checked_edits(wanted or [], files)
    with _drafts(mapped, settings.data_dir) as paths:
        outcome = uploads.confirm_upload(pending, settings, mappings=paths)
    loaded = {
        f.file
        for f in outcome.result.files
        if f.status == "ok" and outcome.result.ok and not outcome.refused
    }
    messages = []
    for edit, profile in zip(wanted or [], mapped, strict=True):
        if edit["file"] not in loaded:
            continue
        before = profiles.find_profile(settings.data_dir, profile.name)
        saved = profiles.save_profile(settings.data_dir, profile)
        LOG.info("mapping profile %s saved by %s", ascii(saved.name), current_scope().user or "-")
        replaced = (
            f" (it replaces the earlier profile '{before.name}')"
            if before is not None and before.fingerprint != saved.fingerprint
            else ""
        )
        messages.append(
            f"Mapping profile '{saved.name}' saved{replaced}: files with these headers will load "
            "with it."
        )
    return outcome, messages


def _stored(tokens: object, settings: Settings) -> list[uploads.SavedUpload]:
    if not current_scope().can_upload:
        raise MappingRefused(PMO_ONLY)
    items = tokens if isinstance(tokens, list) else []
    saved = [uploads.resolve_pending(t, settings.data_dir) for t in items[: uploads.MAX_FILES]]
    if not items or any(s is None for s in saved):
        raise MappingRefused("The files were not recognised. Upload them again.")
    return [s for s in saved if s is not None]


@contextlib.contextmanager
def _drafts(mapped: list[profiles.Profile], data_dir: Path) -> Iterator[tuple[Path, ...]]:
    """Mapping files for one loader run in ``<data>/uploads/mappings``, removed afterwards."""
    paths: list[Path] = []
    try:
        if mapped:
            folder = uploads.upload_root(data_dir) / DRAFT_FOLDER
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            for profile in mapped:
                path = folder / f"{uuid.uuid4().hex}.toml"  # a server-made name, never user text
                path.write_text(profiles.dumps(profile), encoding="utf-8")
                paths.append(path)
        yield tuple(paths)
    finally:
        for path in paths:
            with contextlib.suppress(OSError):
                path.unlink()
