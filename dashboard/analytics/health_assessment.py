"""The health rules run on open projects: five dimensions, the overall RAG and its reasons.

Overall = the worst *known* dimension (NA only when none is known); RAG columns use
``rag.RAG_DTYPE`` (NA = unknown with the reason in ``<dim>_reason``). Shared by
:func:`dashboard.analytics.health.assess_health` (one date) and
:func:`dashboard.analytics.health_dates.assess_health_at_dates` (one date per project id);
docs/analytics.md, "Health".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.analytics._checks import require_columns, to_text
from dashboard.analytics.health_evm import cost_dimension, schedule_dimension
from dashboard.analytics.health_facts import project_facts
from dashboard.analytics.health_grading import as_of_rows
from dashboard.analytics.health_milestones import milestones_dimension
from dashboard.analytics.health_raid import raid_dimension
from dashboard.analytics.health_staleness import staleness_dimension
from dashboard.analytics.rag import RAG_DTYPE
from dashboard.standards import HealthThresholds

DIMENSIONS: tuple[str, ...] = ("schedule", "cost", "milestones", "raid", "staleness")
"""Health dimensions in display order; each adds ``<dim>_rag/_value/_threshold/_metric/_reason``."""

PROJECT_COLUMNS = frozenset(
    {
        "actual_cost",
        "baseline_finish",
        "budget",
        "forecast_cost",
        "forecast_finish",
        "percent_complete",
        "project_id",
        "reported_rag",
        "stage",
        "start_date",
    }
)
"""Register columns the rules need (in name order)."""
STATUS_COLUMNS = frozenset({"project_id", "report_date", "overall_rag"})
MILESTONE_COLUMNS = frozenset({"project_id", "baseline_date", "forecast_date", "actual_date"})
RAID_COLUMNS = frozenset({"project_id", "raid_type", "severity", "status"})
WORK_ITEM_COLUMNS = frozenset({"project_id", "status_category", "is_milestone"})

PASSTHROUGH = ("name", "division", "portfolio", "programme", "sponsor", "project_manager", "stage")
"""Register columns carried along into the assessment when present."""

_FACT_COLUMNS = (
    "budget",
    "percent_complete",
    "progress_source",
    "actual_cost",
    "forecast_cost",
    "forecast_finish",
    "baseline_finish",
    "start_date",
    "planned_share",
    "earned_value",
    "planned_value",
    "spi",
    "cpi",
    "eac_overrun_pct",
    "finish_slip_days",
    "evm_too_early",
)
_COUNT_COLUMNS = {
    "milestones": (
        "milestones_total",
        "milestones_overdue",
        "milestones_missing_actual",
        "milestone_worst_slip_days",
    ),
    "raid": ("raid_open_high", "raid_open_critical", "raid_overdue_critical"),
}


def require_inputs(
    projects: pd.DataFrame,
    status_reports: pd.DataFrame | None,
    milestones: pd.DataFrame,
    raid: pd.DataFrame,
    work_items: pd.DataFrame | None,
    *,
    fn: str,
) -> None:
    """Raise ``ValueError`` naming ``fn`` when an input lacks a column the rules need."""
    require_columns(projects, PROJECT_COLUMNS, fn=fn)
    if status_reports is not None:
        require_columns(status_reports, STATUS_COLUMNS, fn=fn)
    require_columns(milestones, MILESTONE_COLUMNS, fn=fn)
    require_columns(raid, RAID_COLUMNS, fn=fn)
    if work_items is not None:
        require_columns(work_items, WORK_ITEM_COLUMNS, fn=fn)


def open_rows(projects: pd.DataFrame, thresholds: HealthThresholds) -> np.ndarray:
    """True for the register rows whose stage is not closed (``closed_stages``)."""
    closed = {s.strip().lower() for s in thresholds.closed_stages}
    return ~to_text(projects["stage"]).isin(closed).to_numpy()


def assess_open_projects(
    open_projects: pd.DataFrame,
    aligned: pd.DataFrame,
    milestones: pd.DataFrame,
    raid: pd.DataFrame,
    work_items: pd.DataFrame | None,
    thresholds: HealthThresholds,
    when: pd.Timestamp | pd.Series,
) -> pd.DataFrame:
    """The rules on open projects whose latest reports are ``aligned`` (same order).

    ``when`` is the as-of date: one date for every project, or (for ``assess_health_at_dates``)
    a Series giving each project id its own date. Columns: see ``assess_health``.
    """
    ids = open_projects["project_id"]
    out = pd.DataFrame({"project_id": ids.to_numpy()})
    for column in PASSTHROUGH:
        if column in open_projects.columns:
            out[column] = open_projects[column].to_numpy()
    now = as_of_rows(when, ids, out.index)
    out["as_of"] = now
    facts = project_facts(open_projects, aligned, now, work_items, thresholds)
    on_hold = facts["on_hold"].to_numpy(dtype=bool)
    dims = {
        "schedule": schedule_dimension(facts, thresholds),
        "cost": cost_dimension(facts, thresholds),
        "milestones": milestones_dimension(ids, milestones, work_items, when, thresholds, on_hold),
        "raid": raid_dimension(ids, raid, when, thresholds),
        "staleness": staleness_dimension(facts, now, thresholds),
    }
    _add_overall(out, facts, dims)
    _add_measures(out, facts, dims)
    return out


def _add_overall(out: pd.DataFrame, facts: pd.DataFrame, dims: dict[str, dict]) -> None:
    """Add the overall RAG, its reasons, the reported RAG, watermelon and reporting flags."""
    codes = np.column_stack([dims[d]["rag"] for d in DIMENSIONS])
    worst = codes.max(axis=1) if len(out) else np.empty(0, dtype=np.int64)
    out["overall"] = pd.Categorical.from_codes(worst, dtype=RAG_DTYPE)
    out["overall_reason"] = _overall_reasons(codes, worst, dims)
    out["unknown_dimensions"] = [
        ", ".join(d for d, c in zip(DIMENSIONS, row, strict=True) if c < 0) for row in codes
    ]
    out["reported_rag"] = facts["reported_rag"].array
    out["reported_source"] = facts["reported_source"].to_numpy()
    out["watermelon"] = (
        out["reported_rag"].isin(["green", "amber"]).to_numpy() & (worst == 2)
    ).astype(bool)
    out["stale"] = dims["staleness"]["stale"]
    out["first_report_due"] = dims["staleness"]["first_report_due"]
    out["on_hold"] = facts["on_hold"].to_numpy(dtype=bool)
    for column in ("on_hold_since", "days_since_report", "last_report_date"):
        out[column] = facts[column].to_numpy()


def _add_measures(out: pd.DataFrame, facts: pd.DataFrame, dims: dict[str, dict]) -> None:
    """Add the effective inputs, EV facts, counts, then each dimension's five columns."""
    for column in _FACT_COLUMNS:
        out[column] = facts[column].to_numpy()
    for dim, columns in _COUNT_COLUMNS.items():
        for column in columns:
            out[column] = dims[dim][column]
    for dim in DIMENSIONS:
        result = dims[dim]
        out[f"{dim}_rag"] = pd.Categorical.from_codes(result["rag"], dtype=RAG_DTYPE)
        out[f"{dim}_value"] = result["value"].astype("float64")
        out[f"{dim}_threshold"] = result["threshold"].astype("float64")
        out[f"{dim}_metric"] = pd.array(result["metric"], dtype="str")
        out[f"{dim}_reason"] = pd.array(result["reason"], dtype="str")


def _overall_reasons(
    codes: np.ndarray, worst: np.ndarray, dims: dict[str, dict[str, np.ndarray]]
) -> list[str]:
    """Per project: each dimension at the worst colour with its reason, or why unknown."""
    reasons = np.column_stack([dims[d]["reason"] for d in DIMENSIONS])
    out = []
    for row_codes, row_reasons, w in zip(codes, reasons, worst, strict=True):
        if w < 0:
            out.append("unknown: no dimension could be assessed")
            continue
        parts = [
            f"{d}: {r}"
            for d, c, r in zip(DIMENSIONS, row_codes, row_reasons, strict=True)
            if c == w
        ]
        out.append("; ".join(parts))
    return out
