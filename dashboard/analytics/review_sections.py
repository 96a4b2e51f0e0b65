"""The review's changes arranged for reading: sections, labels, divisions, sizes and counts.

``review_deltas`` lists the changes; this module says where each is shown (its section), how
large it is (days for slips, percent for money moves) and how many of each there are, so the
page, the export and the pack read the same order (docs/analytics.md §6, docs/review.md "In
the code").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.analytics.review_changes import HOT
from dashboard.analytics.review_lookup import column_by_id, money_by_id


@dataclass(frozen=True)
class Section:
    """A block of the review: which kinds of change it lists, and how to head it."""

    key: str
    title: str
    kinds: tuple[str, ...]
    empty: str
    size_label: str = ""


SECTIONS: tuple[Section, ...] = (
    Section("new_reds", "New reds", ("new_red",), "No project turned red."),
    Section("recoveries", "Recoveries", ("recovered",), "No project recovered from red."),
    Section(
        "rag_changes",
        "Other health changes",
        ("rag_change",),
        "No other change of computed health.",
    ),
    Section(
        "slips",
        "Slipped milestones and finish dates",
        ("milestone_slip", "finish_slip"),
        "No milestone or forecast finish moved later.",
        size_label="Slip (days)",
    ),
    Section(
        "money",
        "Budget and EAC moves",
        ("eac_move", "budget_move"),
        "No budget or forecast cost moved.",
        size_label="Change",
    ),
    Section(
        "decisions",
        "Requests decided and submitted",
        ("request_decided", "new_request"),
        "No request was decided or submitted.",
    ),
    Section(
        "capacity",
        "Capacity hot spots appearing or clearing",
        ("capacity_hotspot_new", "capacity_hotspot_cleared"),
        "No role became over-allocated, and none cleared.",
    ),
    Section(
        "lifecycle",
        "Projects started and closed",
        ("new_project", "closed_project"),
        "No project entered or left the register.",
    ),
)
"""The page's blocks in reading order: exceptions and decisions before the routine changes."""

KIND_LABELS = {
    "new_red": "New red",
    "recovered": "Recovered",
    "rag_change": "Health change",
    "milestone_slip": "Milestone",
    "finish_slip": "Forecast finish",
    "eac_move": "EAC",
    "budget_move": "Budget",
    "request_decided": "Decided",
    "new_request": "New request",
    "capacity_hotspot_new": "New hot spot",
    "capacity_hotspot_cleared": "Cleared",
    "new_project": "New project",
    "closed_project": "Closed",
}
"""Each kind of change in words (the "Change" column)."""

CHANGES_EXPORT = {
    "section": "Section",
    "label": "Change",
    "exception": "Exception",
    "division": "Division",
    "subject_type": "Subject type",
    "subject_id": "Subject",
    "before": "Was",
    "after": "Now",
    "size": "Size (days or %)",
    "detail": "Detail",
}
"""The exported columns of the changes and their headers."""


def project_ids_in(
    before: pd.DataFrame, after: pd.DataFrame, divisions: tuple[str, ...]
) -> set[str]:
    """Projects of ``divisions``, judged by their division in the later register."""
    division = pd.concat([before, after]).drop_duplicates("project_id", keep="last")
    return set(division.loc[division["division"].isin(divisions), "project_id"].astype("str"))


def hot_count(utilisation: pd.DataFrame) -> int:
    """Over-allocated role-months (band over or critical) in a ``capacity`` utilisation frame."""
    return int(utilisation["band"].isin(HOT).sum())


def enrich_changes(
    changes: pd.DataFrame,
    *,
    projects_before: pd.DataFrame,
    projects_after: pd.DataFrame,
    health_before: pd.DataFrame,
    health_after: pd.DataFrame,
    requests: pd.DataFrame,
) -> pd.DataFrame:
    """Add ``section``, ``label`` (kind in words), ``division`` and ``size`` to each change.

    ``size`` is the slip in days (milestones, forecast finish) or the move in percent (budget,
    EAC; +inf from zero), NaN for other kinds. Rows are ordered by section, then exceptions
    first, then the largest size, then subject.
    """
    section_of = {kind: s.key for s in SECTIONS for kind in s.kinds}
    division = pd.concat(
        [
            column_by_id(projects_before, "project_id", "division"),
            column_by_id(projects_after, "project_id", "division"),
        ]
    )
    division = division[~division.index.duplicated(keep="last")]
    request_division = column_by_id(requests, "request_id", "division")
    subject = changes["subject_id"].astype("str")
    is_request = (changes["subject_type"] == "request").to_numpy()
    out = changes.assign(
        section=changes["kind"].map(section_of).fillna("other").to_numpy(),
        label=changes["kind"].map(KIND_LABELS).fillna(changes["kind"]).to_numpy(),
        division=np.where(is_request, subject.map(request_division), subject.map(division)),
        size=_sizes(changes, projects_before, projects_after, health_before, health_after),
    )
    out["division"] = out["division"].fillna("").astype("str")
    order = {s.key: i for i, s in enumerate(SECTIONS)}
    out = out.assign(
        _section=out["section"].map(order).fillna(len(order)).to_numpy(),
        _size=out["size"].abs().fillna(-1).to_numpy(),
    )
    out = out.sort_values(
        ["_section", "exception", "_size", "subject_id"],
        ascending=[True, False, False, True],
        kind="stable",
        ignore_index=True,
    )
    return out.drop(columns=["_section", "_size"])


def _sizes(
    changes: pd.DataFrame,
    projects_before: pd.DataFrame,
    projects_after: pd.DataFrame,
    health_before: pd.DataFrame,
    health_after: pd.DataFrame,
) -> np.ndarray:
    """Days of each slip, percent of each money move (+inf from zero), NaN for the rest."""
    size = np.full(len(changes), np.nan)
    kinds = changes["kind"].to_numpy()
    subject = changes["subject_id"].astype("str")
    slips = np.isin(kinds, ("milestone_slip", "finish_slip"))
    if slips.any():
        was = pd.to_datetime(changes["before"], format="%Y-%m-%d", errors="coerce")
        now = pd.to_datetime(changes["after"], format="%Y-%m-%d", errors="coerce")
        size[slips] = (now - was).dt.days.to_numpy(dtype="float64")[slips]
    for kind, column in (("budget_move", "budget"), ("eac_move", "forecast_cost")):
        rows = kinds == kind
        if not rows.any():
            continue
        a = subject[rows].map(money_by_id(health_before, projects_before, column))
        b = subject[rows].map(money_by_id(health_after, projects_after, column))
        a, b = a.astype("float64").to_numpy(), b.astype("float64").to_numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            size[rows] = np.where(a != 0, (b - a) / np.abs(a) * 100, np.inf)
    return size


def section_changes(changes: pd.DataFrame, section: Section) -> pd.DataFrame:
    """The changes listed in one section (already in reading order)."""
    return changes.loc[changes["kind"].isin(section.kinds).to_numpy()]


def exception_counts(changes: pd.DataFrame) -> list[tuple[str, str, int]]:
    """Headline counts for the top of the review, in section order.

    Returns:
        ``(singular, plural, count)``: new reds, recoveries, milestone and forecast finish
        slips, EAC rises, budget moves, requests decided, hot spots appearing and clearing
        (requests awaiting a decision are counted with the meeting's decisions).
    """
    kinds = changes["kind"]
    eac_up = ((kinds == "eac_move") & changes["exception"]).sum()

    def n(kind: str) -> int:
        return int((kinds == kind).sum())

    return [
        ("new red", "new reds", n("new_red")),
        ("recovery", "recoveries", n("recovered")),
        ("milestone slip", "milestone slips", n("milestone_slip")),
        ("forecast finish slip", "forecast finish slips", n("finish_slip")),
        ("EAC rise", "EAC rises", int(eac_up)),
        ("budget move", "budget moves", n("budget_move")),
        ("request decided", "requests decided", n("request_decided")),
        ("new capacity hot spot", "new capacity hot spots", n("capacity_hotspot_new")),
        ("hot spot cleared", "hot spots cleared", n("capacity_hotspot_cleared")),
    ]


def changes_export(changes: pd.DataFrame) -> pd.DataFrame:
    """Every change as exported: readable headers and section titles."""
    titles = {s.key: s.title for s in SECTIONS}
    frame = changes.assign(section=changes["section"].map(titles).fillna(changes["section"]))
    frame = frame.assign(size=frame["size"].replace([np.inf, -np.inf], np.nan))
    return frame[list(CHANGES_EXPORT)].rename(columns=CHANGES_EXPORT)
