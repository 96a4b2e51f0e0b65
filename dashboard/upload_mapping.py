"""The Upload page's mapping step: what each sheet maps to, the user's changes, mapping profiles.

The dry run reports for each sheet the headers it saw, its header row and, per kind, the column
each header would map to (``loaders.profiles.describe``). A PMO user may change the kind, the
header row and any column. Those changes come back from the browser, so they are untrusted:
each is checked here against the canonical column allowlist before it is written as a mapping
file (TOML, never code) in the upload folder and handed to the sandboxed loader with
``--mapping`` (docs/loaders.md, "Mapping step and mapping profiles"). After a confirmed load
the mapping is saved as a named profile, which the loader then applies by itself to the next
file with the same headers. Only the PMO role may preview, save, rename or delete mappings
(checked on the server).

The step lives in four modules: ``upload_mapping_sheets`` (what the loader saw),
``upload_mapping_edits`` (the user's changes, checked), ``upload_mapping_runs`` (preview and
load) and ``upload_mapping_profiles``; this module names them all in one place.
"""

from __future__ import annotations

from dashboard.upload_mapping_edits import (
    carried_edits,
    checked_edits,
    collect_edits,
    columns_for_kind,
    editor_states,
    same_edits,
)
from dashboard.upload_mapping_profiles import delete_profile, profile_rows, rename_profile
from dashboard.upload_mapping_runs import confirm_mapped, preview_mapped
from dashboard.upload_mapping_sheets import (
    HEADER_CHARS,
    MAX_HEADERS,
    MAX_SHEETS,
    NOT_LOADED,
    PMO_ONLY,
    PREVIEW_FIRST,
    UNSET,
    MappingRefused,
    column_guesses,
    column_options,
    editor_state,
    sheet_descriptors,
)

__all__ = [
    "HEADER_CHARS",
    "MAX_HEADERS",
    "MAX_SHEETS",
    "NOT_LOADED",
    "PMO_ONLY",
    "PREVIEW_FIRST",
    "UNSET",
    "MappingRefused",
    "carried_edits",
    "checked_edits",
    "collect_edits",
    "column_guesses",
    "column_options",
    "columns_for_kind",
    "confirm_mapped",
    "delete_profile",
    "editor_state",
    "editor_states",
    "preview_mapped",
    "profile_rows",
    "rename_profile",
    "same_edits",
    "sheet_descriptors",
]
