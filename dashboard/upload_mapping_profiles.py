"""The Upload page's mapping profiles: list, rename, delete (PMO only, checked on the server)."""

from __future__ import annotations

import logging
from typing import Any

from dashboard.config import Settings
from dashboard.scope import current_scope
from dashboard.upload_mapping_sheets import PMO_ONLY, UNSET
from loaders import profiles
from loaders.mapping import MappingError

LOG = logging.getLogger("pmo.uploads")


def profile_rows(settings: Settings) -> list[dict[str, Any]]:
    """The saved profiles for the page's list, newest first."""
    found, problems = profiles.list_profiles(settings.data_dir)
    for problem in problems:
        LOG.warning("%s", problem)
    return [
        {
            "name": p.name,
            "kind": p.kind or "",
            "headers": ", ".join(p.headers[:8]) + (" …" if len(p.headers) > 8 else ""),
            "saved_at": (p.saved_at or "").replace("T", " "),
        }
        for p in found
    ]


def rename_profile(old: object, new: object, settings: Settings) -> str:
    """Rename a profile (PMO only); the message says what happened or why not."""
    if not current_scope().can_upload:
        return PMO_ONLY
    if not isinstance(old, str) or old in ("", UNSET):
        return "Choose a profile first."
    try:
        renamed = profiles.rename_profile(settings.data_dir, old, str(new or ""))
    except MappingError as exc:
        return f"Not renamed: {exc}."
    LOG.info("mapping profile %s renamed to %s", ascii(old), ascii(renamed.name))
    return f"Mapping profile '{old}' renamed to '{renamed.name}'."


def delete_profile(name: object, settings: Settings) -> str:
    """Delete a profile (PMO only); the message says what happened or why not."""
    if not current_scope().can_upload:
        return PMO_ONLY
    if not isinstance(name, str) or name in ("", UNSET):
        return "Choose a profile first."
    try:
        gone = profiles.delete_profile(settings.data_dir, name)
    except MappingError as exc:
        return f"Not deleted: {exc}."
    LOG.info("mapping profile %s deleted by %s", ascii(gone.name), current_scope().user or "-")
    return f"Mapping profile '{gone.name}' deleted."
