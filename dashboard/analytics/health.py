"""Computed project health at an as-of date: five dimensions, each with value, threshold and reason.

Every rule, its source and precedence is written once in docs/analytics.md, section "Health"
(the Glossary page renders that text). This module holds the entry points; the rules live in
``health_facts`` (effective inputs, EV/PV), ``health_evm`` (schedule, cost),
``health_milestones``, ``health_raid``, ``health_staleness``, ``health_grading`` (thresholds,
worst of) and ``health_assessment`` (overall); ``health_dates`` runs them at many dates. In
short:

- **schedule** = the worse of SPI (EV / PV, PV from the elapsed share of start -> baseline
  finish) and the forecast-finish slip in days; **cost** = the worse of CPI (EV / AC) and the
  EAC overrun of budget in percent. SPI and CPI are not judged before ``evm_min_elapsed_pct`` of
  the planned duration has elapsed; a paused project (``on_hold_stages``) accrues no PV after
  ``on_hold_since`` (a column callers may supply), and without that date its SPI is not judged.
- **milestones**: open milestones only; overdue when the forecast (else baseline) date has passed
  with no actual date, the slip then running to ``as_of``. A milestone missing its actual date
  while a later one is achieved is a data-quality finding (:func:`milestone_findings`), not a
  slip; an open milestone without a forecast is not overdue while the project is paused.
- **raid**: open high/critical risks and issues; red at ``raid_red_open_critical`` critical, at
  ``raid_red_overdue_critical`` critical past their due date, or (when not 0) at
  ``raid_red_open_high`` high/critical; amber at ``raid_amber_open_high``.
- **staleness**: days since the latest report; no report yet is unknown until the first is due.

Values are compared as shown (2 decimals for SPI/CPI, 1 for percentages). ``<dim>_value`` and
``<dim>_threshold`` hold each dimension's headline measure and its red line, whichever measure
decided the colour. Inputs: the newer of the register row (dated by ``valid_from`` when given)
and the latest report wins, field by field. Overall = the worst *known* dimension (NA only when
none is known). RAG columns use ``rag.RAG_DTYPE`` (NA = unknown with the reason in
``<dim>_reason``). Closed projects (``closed_stages``) are left out.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from dashboard.analytics._checks import as_timestamp, require_columns, to_float
from dashboard.analytics.health_assessment import (
    DIMENSIONS,
    MILESTONE_COLUMNS,
    PASSTHROUGH,
    PROJECT_COLUMNS,
    RAID_COLUMNS,
    STATUS_COLUMNS,
    WORK_ITEM_COLUMNS,
    assess_open_projects,
    open_rows,
    require_inputs,
)
from dashboard.analytics.health_dates import HealthSnapshot, assess_health_at_dates
from dashboard.analytics.health_facts import OVERRIDDEN_BY_STATUS
from dashboard.analytics.health_milestones import milestone_findings
from dashboard.analytics.health_raid import RAID_CLOSED_STATUSES
from dashboard.analytics.rag import RAG_LEVELS, UNKNOWN, rag_label, to_rag
from dashboard.analytics.status_reports import latest_status
from dashboard.standards import HealthThresholds

__all__ = [
    "DIMENSIONS",
    "MILESTONE_COLUMNS",
    "OVERRIDDEN_BY_STATUS",
    "PASSTHROUGH",
    "PROJECT_COLUMNS",
    "RAID_CLOSED_STATUSES",
    "RAID_COLUMNS",
    "STATUS_COLUMNS",
    "TREND_DTYPE",
    "WORK_ITEM_COLUMNS",
    "HealthSnapshot",
    "assess_health",
    "assess_health_at_dates",
    "health_trend",
    "latest_status",
    "milestone_findings",
    "summarise_portfolio",
]

TREND_DTYPE = pd.CategoricalDtype(["improving", "steady", "worsening"], ordered=True)
"""Health trend against the previous reporting period; NA when either side is unknown or absent."""


def assess_health(
    projects: pd.DataFrame,
    status_reports: pd.DataFrame,
    milestones: pd.DataFrame,
    raid: pd.DataFrame,
    thresholds: HealthThresholds,
    *,
    as_of: dt.date | pd.Timestamp,
    work_items: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Compute each open project's health at ``as_of`` (rules in the module docstring).

    Args:
        projects: Register rows; needs ``project_id``, ``stage``, ``start_date``,
            ``baseline_finish``, ``forecast_finish``, ``budget``, ``actual_cost``,
            ``forecast_cost``, ``percent_complete``, ``reported_rag``; ``actual_finish``, ``name``,
            ``division``, ``portfolio``, ``programme``, ``sponsor``, ``project_manager`` are used
            or carried along when present; ``valid_from`` (the load date) decides register vs
            report, ``on_hold_since`` dates a pause.
        status_reports: All reports (any dates); needs ``project_id``, ``report_date``,
            ``overall_rag``; ``percent_complete``, ``actual_cost``, ``forecast_finish``,
            ``forecast_cost`` are used when present.
        milestones: Needs ``project_id``, ``baseline_date``, ``forecast_date``, ``actual_date``.
        raid: Needs ``project_id``, ``raid_type``, ``severity``, ``status``; ``raised_date`` when
            present (items raised after ``as_of`` are ignored), ``due_date`` when present.
        thresholds: Cut-offs, cadence and closed stages from ``pmo.toml``.
        as_of: The date health is assessed at.
        work_items: Optional; needs ``project_id``, ``status_category``, ``is_milestone``, and
            ``finish_date``/``baseline_finish`` for derived milestones.

    Returns:
        One row per open project, ordered as in ``projects``: ``project_id``, the carried-along
        register columns, ``as_of``, ``overall`` (RAG, NA = unknown), ``overall_reason``,
        ``unknown_dimensions``, ``reported_rag`` (the newer of the latest report's
        ``overall_rag`` and the register's), ``reported_source``, ``watermelon`` (reported
        green/amber, computed red), ``stale``, ``first_report_due`` (no report yet, not due),
        ``on_hold``, ``on_hold_since``, ``days_since_report``, ``last_report_date``, the
        effective ``budget``, ``percent_complete``, ``progress_source``, ``actual_cost``,
        ``forecast_cost``, ``forecast_finish``, ``baseline_finish``, ``start_date``,
        ``planned_share``, ``earned_value``, ``planned_value``, ``spi``, ``cpi`` (NaN when not
        judged), ``eac_overrun_pct``, ``finish_slip_days``, ``evm_too_early``,
        ``milestones_total``, ``milestones_overdue``, ``milestones_missing_actual``,
        ``milestone_worst_slip_days``, ``raid_open_high``, ``raid_open_critical``,
        ``raid_overdue_critical``, and for each of schedule, cost, milestones, raid, staleness:
        ``<dim>_rag``, ``<dim>_value``, ``<dim>_threshold`` (headline measure and its red line),
        ``<dim>_metric`` (its name), ``<dim>_reason``.
    """
    require_inputs(projects, status_reports, milestones, raid, work_items, fn="assess_health")
    stamp = as_timestamp(as_of)
    open_projects = projects.loc[open_rows(projects, thresholds)]
    latest = latest_status(status_reports, stamp)
    latest = latest.drop_duplicates("project_id").set_index("project_id")
    aligned = latest.reindex(open_projects["project_id"].to_numpy())
    return assess_open_projects(
        open_projects, aligned, milestones, raid, work_items, thresholds, stamp
    )


def health_trend(current: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    """Compare health now with health one reporting period earlier.

    Call :func:`assess_health` twice, at ``as_of`` and at ``as_of - cadence_days`` (with the
    snapshots as of that earlier date when the caller has them), and pass both results here.

    Args:
        current: ``assess_health`` output; needs ``project_id`` and ``overall``.
        previous: The same for the earlier date.

    Returns:
        Copy of ``current`` with ``previous_overall`` (RAG) and ``trend`` (``improving`` /
        ``steady`` / ``worsening``; NA when either side is unknown or the project is new).
    """
    require_columns(current, {"project_id", "overall"}, fn="health_trend")
    require_columns(previous, {"project_id", "overall"}, fn="health_trend")
    before = previous.drop_duplicates("project_id").set_index("project_id")["overall"]
    prior = to_rag(current["project_id"].map(rag_label(to_rag(before))))
    now_codes = to_rag(current["overall"]).cat.codes.to_numpy()
    before_codes = prior.cat.codes.to_numpy()
    comparable = (now_codes >= 0) & (before_codes >= 0)
    trend = np.select(
        [~comparable, now_codes < before_codes, now_codes > before_codes],
        [None, "improving", "worsening"],
        default="steady",
    )
    return current.assign(
        previous_overall=prior.to_numpy(),
        trend=pd.Categorical(trend, dtype=TREND_DTYPE),
    )


def summarise_portfolio(health: pd.DataFrame) -> dict[str, object]:
    """Headline figures for the portfolio page.

    Args:
        health: ``assess_health`` output; needs ``overall``, ``reported_rag``, ``watermelon``,
            ``stale``, ``budget`` and ``forecast_cost``.

    Returns:
        ``projects``; ``overall`` and ``reported`` counts keyed green/amber/red/unknown;
        ``watermelons``; ``stale``; ``reporting_on_time_share`` (0-1, None when no projects);
        ``total_budget``; ``total_eac`` (forecast cost, the budget standing in where a project has
        no forecast); ``eac_vs_budget_pct`` (None without budget); ``projects_without_budget``.
    """
    require_columns(
        health,
        {"overall", "reported_rag", "watermelon", "stale", "budget", "forecast_cost"},
        fn="summarise_portfolio",
    )
    levels = [*RAG_LEVELS, UNKNOWN]

    def counts(column: str) -> dict[str, int]:
        labels = rag_label(to_rag(health[column]))
        return {level: int((labels == level).sum()) for level in levels}

    n = len(health)
    budget = to_float(health["budget"])
    eac = to_float(health["forecast_cost"]).fillna(budget)
    total_budget = float(budget.sum())
    total_eac = float(eac[budget.notna()].sum())
    return {
        "projects": n,
        "overall": counts("overall"),
        "reported": counts("reported_rag"),
        "watermelons": int(health["watermelon"].sum()),
        "stale": int(health["stale"].sum()),
        "reporting_on_time_share": (float(1 - health["stale"].mean()) if n else None),
        "total_budget": total_budget,
        "total_eac": total_eac,
        "eac_vs_budget_pct": (
            100.0 * (total_eac - total_budget) / total_budget if total_budget > 0 else None
        ),
        "projects_without_budget": int(budget.isna().sum()),
    }
