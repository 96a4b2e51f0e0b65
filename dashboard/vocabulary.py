"""One set of words for the values users read: health, staleness, statuses and stages.

Pages, grids, exports and messages all label a stored value through :func:`label`, so
``under_review`` reads "Under review" everywhere and "stale" is never "late" on another page.
The words follow the Glossary (``docs/analytics.md``); a value with no entry is humanised the
same way everywhere (``on_hold`` -> "On hold") rather than shown raw.
"""

from __future__ import annotations

import pandas as pd

HEALTH = {"red": "Red", "amber": "Amber", "green": "Green", "unknown": "Unknown"}
"""Computed and reported RAG (NULL is unknown, never blank)."""

STALENESS = {True: "Stale", False: "On time"}
"""A status report older than the cadence in pmo.toml is "stale" (never "late" or "missing")."""

REQUEST_STATUS = {
    "submitted": "Submitted",
    "under_review": "Under review",
    "approved": "Approved",
    "rejected": "Rejected",
    "deferred": "Deferred",
}
MILESTONE_STATUS = {"achieved": "Achieved", "overdue": "Overdue", "upcoming": "Upcoming"}
LOAD_STATUS = {"committed": "Loaded", "failed": "Failed", "aborted": "Aborted"}
SEVERITY = {"critical": "Critical", "high": "High", "medium": "Medium", "low": "Low"}

STATUS = {**LOAD_STATUS, **MILESTONE_STATUS, **REQUEST_STATUS}
"""Any "Status" column of an export: the codes of the three status lists do not overlap."""

KINDS: dict[str, dict] = {
    "status": STATUS,
    "health": HEALTH,
    "staleness": STALENESS,
    "request_status": REQUEST_STATUS,
    "milestone_status": MILESTONE_STATUS,
    "load_status": LOAD_STATUS,
    "severity": SEVERITY,
}

COLUMN_KINDS = {
    "overall": "health",
    "reported_rag": "health",
    "slip_rag": "health",
    "schedule": "health",
    "cost": "health",
    "milestones": "health",
    "raid": "health",
    "staleness": "health",
    "stale": "staleness",
    "severity": "severity",
}
"""Canonical columns whose values are labelled in exports (``label_frame``)."""


def export_kind(header: str) -> str | None:
    """The vocabulary kind of an export column, from its header ("Computed RAG" -> health)."""
    lower = header.lower()
    if "rag" in lower.split() or lower in ("health", "computed", "reported", "computed health"):
        return "health"
    if lower == "status" or lower.endswith(" status"):
        return "status"
    if lower == "severity":
        return "severity"
    return None


def label_export(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (readable headers) with RAG, status and severity codes as words."""
    kinds = {str(c): kind for c in frame.columns if (kind := export_kind(str(c))) is not None}
    return label_frame(frame, kinds) if kinds else frame


def humanise(value: str) -> str:
    """``"under_review"`` -> ``"Under review"``: words, first letter capitalised, rest kept."""
    text = str(value).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def label(kind: str, value: object) -> str:
    """The word users read for ``value`` of ``kind`` (a key of ``KINDS``, or "stage").

    Missing values read "Unknown" for health and "" otherwise; unknown values are humanised.
    """
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return HEALTH["unknown"] if kind == "health" else ""
    words = KINDS.get(kind, {})
    key = value.lower() if isinstance(value, str) else value
    if key in words:
        return words[key]
    return humanise(value) if isinstance(value, str) else str(value)


def options(kind: str, values: tuple[str, ...] | list[str]) -> list[dict[str, str]]:
    """Dropdown options ``{"label", "value"}`` for stored ``values`` of ``kind``."""
    return [{"label": label(kind, v), "value": v} for v in values]


def label_frame(frame: pd.DataFrame, kinds: dict[str, str] | None = None) -> pd.DataFrame:
    """A copy of ``frame`` whose labelled columns (``COLUMN_KINDS`` or ``kinds``) hold words."""
    mapping = kinds if kinds is not None else COLUMN_KINDS
    out = frame.copy()
    for column, kind in mapping.items():
        if column not in out.columns:
            continue
        if pd.api.types.is_bool_dtype(out[column].dtype):
            out[column] = [label(kind, bool(v)) for v in out[column]]
        elif not pd.api.types.is_numeric_dtype(out[column].dtype):
            out[column] = [label(kind, v) for v in out[column].astype(object)]
    return out
