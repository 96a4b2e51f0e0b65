"""Computed project health at an as-of date: five dimensions, each with value, threshold and reason.

Every rule, its source and precedence is written once in docs/analytics.md, section "Health"
(the Glossary page renders that text). In short:

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
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.analytics._checks import (
    as_timestamp,
    column_or_na,
    require_columns,
    to_dates,
    to_float,
    to_text,
)
from dashboard.analytics.rag import RAG_DTYPE, RAG_LEVELS, UNKNOWN, rag_label, to_rag
from dashboard.standards import HealthThresholds

DIMENSIONS: tuple[str, ...] = ("schedule", "cost", "milestones", "raid", "staleness")
"""Health dimensions in display order; each adds ``<dim>_rag/_value/_threshold/_metric/_reason``."""

TREND_DTYPE = pd.CategoricalDtype(["improving", "steady", "worsening"], ordered=True)
"""Health trend against the previous reporting period; NA when either side is unknown or absent."""

PROJECT_COLUMNS = frozenset(
    {
        "project_id",
        "stage",
        "start_date",
        "baseline_finish",
        "forecast_finish",
        "budget",
        "actual_cost",
        "forecast_cost",
        "percent_complete",
        "reported_rag",
    }
)
STATUS_COLUMNS = frozenset({"project_id", "report_date", "overall_rag"})
MILESTONE_COLUMNS = frozenset({"project_id", "baseline_date", "forecast_date", "actual_date"})
RAID_COLUMNS = frozenset({"project_id", "raid_type", "severity", "status"})
WORK_ITEM_COLUMNS = frozenset({"project_id", "status_category", "is_milestone"})

OVERRIDDEN_BY_STATUS = ("percent_complete", "actual_cost", "forecast_finish", "forecast_cost")
"""Register fields replaced by the latest status report's value when it has one."""

RAID_CLOSED_STATUSES = frozenset({"closed", "resolved", "done", "cancelled", "complete"})
_PASSTHROUGH = ("name", "division", "portfolio", "programme", "sponsor", "project_manager", "stage")


def latest_status(status_reports: pd.DataFrame, as_of: dt.date | pd.Timestamp) -> pd.DataFrame:
    """Pick each project's latest status report dated on or before ``as_of``.

    Vectorised (factorised ids and an unbuffered per-project maximum of the dates, no sort), so
    1M reports take a few tens of milliseconds. Reports with no date are ignored; on a tie (same
    project and date) the first row wins.

    Args:
        status_reports: Needs ``project_id`` and ``report_date``; other columns are carried along.
        as_of: The as-of date.

    Returns:
        One row per project that had reported by ``as_of`` (same columns, ``report_date`` as
        ``datetime64``), sorted by ``project_id``, with a fresh index.
    """
    require_columns(status_reports, {"project_id", "report_date"}, fn="latest_status")
    as_of = as_timestamp(as_of)
    dates = to_dates(status_reports["report_date"])
    codes, uniques = status_reports["project_id"].factorize()
    picked = _newest_rows(codes, len(uniques), dates.to_numpy(), as_of.to_datetime64())
    if picked.size == 0:
        empty = status_reports.iloc[0:0].assign(report_date=dates.iloc[0:0])
        return empty.reset_index(drop=True)
    latest = status_reports.iloc[picked].assign(report_date=dates.iloc[picked].to_numpy())
    return latest.sort_values("project_id", kind="stable").reset_index(drop=True)


def _newest_rows(
    codes: np.ndarray, n_groups: int, date_values: np.ndarray, limit: np.ndarray | np.datetime64
) -> np.ndarray:
    """Positions of each group's newest dated row on or before ``limit`` (per row or one date).

    Newest date per group with an unbuffered max (no sort of the 1M rows), then the first row
    holding it: positions are increasing, so on a tie the earlier row wins. Rows with no date or
    no group (code -1) are ignored. Returned in group order.
    """
    keep = ~pd.isna(date_values) & (date_values <= limit) & (codes >= 0)
    positions = np.flatnonzero(keep)
    if positions.size == 0:
        return positions
    group = codes[positions]
    stamps = date_values[positions].astype("int64")
    newest = np.full(n_groups, np.iinfo(np.int64).min)
    np.maximum.at(newest, group, stamps)
    hits = positions[stamps == newest[group]]
    _, first = np.unique(codes[hits], return_index=True)
    return hits[first]


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
    require_columns(projects, PROJECT_COLUMNS, fn="assess_health")
    require_columns(status_reports, STATUS_COLUMNS, fn="assess_health")
    require_columns(milestones, MILESTONE_COLUMNS, fn="assess_health")
    require_columns(raid, RAID_COLUMNS, fn="assess_health")
    if work_items is not None:
        require_columns(work_items, WORK_ITEM_COLUMNS, fn="assess_health")
    stamp = as_timestamp(as_of)
    open_projects = _open_projects(projects, thresholds)
    latest = latest_status(status_reports, stamp)
    latest = latest.drop_duplicates("project_id").set_index("project_id")
    aligned = latest.reindex(open_projects["project_id"].to_numpy())
    return _assess(open_projects, aligned, milestones, raid, work_items, thresholds, stamp)


@dataclass(frozen=True)
class HealthSnapshot:
    """The inputs of :func:`assess_health` as known at one date (status reports aside).

    Attributes:
        as_of: The date to assess at.
        projects: Register rows as known then (``assess_health`` columns).
        milestones: Milestones as known then.
        raid: RAID items as known then.
        work_items: Work items as known then, or None.
    """

    as_of: dt.date | pd.Timestamp
    projects: pd.DataFrame
    milestones: pd.DataFrame
    raid: pd.DataFrame
    work_items: pd.DataFrame | None = None


def assess_health_at_dates(
    snapshots: Sequence[HealthSnapshot],
    status_reports: pd.DataFrame,
    thresholds: HealthThresholds,
) -> pd.DataFrame:
    """:func:`assess_health` at many dates in one vectorised pass (a project's health history).

    Each call of ``assess_health`` costs ~30 ms whatever the number of projects (pandas
    overhead), so a 12-date history of one project took ~0.4 s. Here every (date, project) pair
    becomes one row of a single assessment, each with its own as-of date: the rules run once.
    The result is exactly what the per-date loop returns (same rows, order, values, reasons and
    dtypes); ``tests/unit/analytics/test_health_dates.py`` holds that equality.

    Args:
        snapshots: The inputs as known at each date (any number of projects each).
        status_reports: All reports (any dates); each date sees those dated on or before it.
        thresholds: Cut-offs, cadence and closed stages from ``pmo.toml``.

    Returns:
        ``pd.concat([assess_health(s.projects, status_reports, s.milestones, s.raid, thresholds,
        as_of=s.as_of, work_items=s.work_items) for s in snapshots], ignore_index=True)``.

    Raises:
        ValueError: ``snapshots`` is empty (there is no schema to return), or a required column
            is missing.
    """
    if not snapshots:
        raise ValueError("assess_health_at_dates: needs at least one snapshot")
    require_columns(status_reports, STATUS_COLUMNS, fn="assess_health_at_dates")
    stamps = [as_timestamp(snap.as_of) for snap in snapshots]
    for snap in snapshots:
        require_columns(snap.projects, PROJECT_COLUMNS, fn="assess_health_at_dates")
        require_columns(snap.milestones, MILESTONE_COLUMNS, fn="assess_health_at_dates")
        require_columns(snap.raid, RAID_COLUMNS, fn="assess_health_at_dates")
        if snap.work_items is not None:
            require_columns(snap.work_items, WORK_ITEM_COLUMNS, fn="assess_health_at_dates")
    registers, of_register = _stacked([snap.projects for snap in snapshots])
    closed = {c.strip().lower() for c in thresholds.closed_stages}
    open_ = ~to_text(registers["stage"]).isin(closed).to_numpy()
    # Each (date i, project) pair gets its own integer id, i * K + the project's code: grouping,
    # matching and reindexing by id inside the rules then keeps every date apart.
    universe = pd.Index(pd.unique(registers["project_id"].to_numpy()[open_]))
    width = max(len(universe), 1)

    def keyed(frame: pd.DataFrame, which: np.ndarray, keep: np.ndarray | None) -> pd.DataFrame:
        codes = universe.get_indexer(frame["project_id"].to_numpy())
        keep = codes >= 0 if keep is None else keep  # other projects' rows change nothing here
        frame = frame.loc[keep].assign(project_id=which[keep] * width + codes[keep])
        return frame.reset_index(drop=True)

    projects = keyed(registers, of_register, open_)
    milestones = keyed(*_stacked([snap.milestones for snap in snapshots]), None)
    raid = keyed(*_stacked([snap.raid for snap in snapshots]), None)
    items = [snap.work_items for snap in snapshots]
    has_items = any(frame is not None for frame in items)
    work_items = keyed(*_stacked(items), None) if has_items else None

    # Latest report per (date, project): the reports repeated once per date, each copy limited
    # by its own date (a project's reports are few; the portfolio's are read per date instead).
    dates = to_dates(status_reports["report_date"])
    codes = universe.get_indexer(status_reports["project_id"].to_numpy())
    rows = np.flatnonzero(codes >= 0)
    n = len(snapshots)
    keys = (np.arange(n).repeat(len(rows)) * width) + np.tile(codes[rows], n)
    limits = np.array([stamp.to_datetime64() for stamp in stamps]).repeat(len(rows))
    picked = _newest_rows(keys, n * width, np.tile(dates.to_numpy()[rows], n), limits)
    source = rows[picked % len(rows)] if len(rows) else picked
    latest = status_reports.iloc[source].assign(report_date=dates.iloc[source].to_numpy())
    aligned = latest.set_index(pd.Index(keys[picked])).reindex(projects["project_id"].to_numpy())

    when = pd.Series(
        [stamps[i] for i in projects["project_id"].to_numpy() // width],
        index=projects["project_id"].to_numpy(),
    )
    out = _assess(projects, aligned, milestones, raid, work_items, thresholds, when)
    out["project_id"] = universe.to_numpy()[projects["project_id"].to_numpy() % width]
    return out


def _stacked(frames: list[pd.DataFrame | None]) -> tuple[pd.DataFrame, np.ndarray]:
    """The frames one under the other (None skipped) and, per row, the position of its frame."""
    present = [(i, frame) for i, frame in enumerate(frames) if frame is not None]
    stacked = pd.concat([frame for _, frame in present], ignore_index=True)
    which = np.repeat([i for i, _ in present], [len(frame) for _, frame in present])
    return stacked, which.astype("int64")


def _on(
    when: pd.Timestamp | pd.Series, ids: pd.Series, index: pd.Index
) -> pd.Timestamp | pd.Series:
    """The as-of date of each row (rows of project ``ids``, on ``index``), or the one date."""
    if isinstance(when, pd.Timestamp):
        return when
    lookup = when[~when.index.duplicated()]
    return pd.Series(lookup.reindex(np.asarray(ids)).to_numpy(), index=index)


def _live(as_of: pd.Timestamp | pd.Series, keep: np.ndarray) -> pd.Timestamp | np.ndarray:
    """``as_of`` for the rows kept by the mask ``keep`` (the one date stays a scalar)."""
    return as_of if isinstance(as_of, pd.Timestamp) else as_of.to_numpy()[keep]


def _open_projects(projects: pd.DataFrame, thresholds: HealthThresholds) -> pd.DataFrame:
    closed = {s.strip().lower() for s in thresholds.closed_stages}
    return projects.loc[~to_text(projects["stage"]).isin(closed).to_numpy()]


def _assess(
    open_projects: pd.DataFrame,
    aligned: pd.DataFrame,
    milestones: pd.DataFrame,
    raid: pd.DataFrame,
    work_items: pd.DataFrame | None,
    thresholds: HealthThresholds,
    when: pd.Timestamp | pd.Series,
) -> pd.DataFrame:
    """The rules on open projects whose latest reports are ``aligned`` (same order).

    ``when`` is the as-of date: one date for every project, or (for
    :func:`assess_health_at_dates`) a Series giving each project id its own date.
    """
    ids = open_projects["project_id"]
    out = pd.DataFrame({"project_id": ids.to_numpy()})
    for column in _PASSTHROUGH:
        if column in open_projects.columns:
            out[column] = open_projects[column].to_numpy()
    now = _on(when, ids, out.index)
    out["as_of"] = now

    facts = _facts(open_projects, aligned, now, work_items, thresholds)
    on_hold = facts["on_hold"].to_numpy(dtype=bool)
    dims = {
        "schedule": _schedule(facts, thresholds),
        "cost": _cost(facts, thresholds),
        "milestones": _milestones(ids, milestones, work_items, when, thresholds, on_hold),
        "raid": _raid(ids, raid, when, thresholds),
        "staleness": _staleness(facts, now, thresholds),
    }

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
    out["on_hold"] = on_hold
    out["on_hold_since"] = facts["on_hold_since"].to_numpy()
    out["days_since_report"] = facts["days_since_report"].to_numpy()
    out["last_report_date"] = facts["last_report_date"].to_numpy()
    for column in (
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
    ):
        out[column] = facts[column].to_numpy()
    for column in (
        "milestones_total",
        "milestones_overdue",
        "milestones_missing_actual",
        "milestone_worst_slip_days",
    ):
        out[column] = dims["milestones"][column]
    for column in ("raid_open_high", "raid_open_critical", "raid_overdue_critical"):
        out[column] = dims["raid"][column]
    for dim in DIMENSIONS:
        result = dims[dim]
        out[f"{dim}_rag"] = pd.Categorical.from_codes(result["rag"], dtype=RAG_DTYPE)
        out[f"{dim}_value"] = result["value"].astype("float64")
        out[f"{dim}_threshold"] = result["threshold"].astype("float64")
        out[f"{dim}_metric"] = pd.array(result["metric"], dtype="str")
        out[f"{dim}_reason"] = pd.array(result["reason"], dtype="str")
    return out


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


# --------------------------------------------------------------------------------------------
# helpers


def _facts(
    projects: pd.DataFrame,
    aligned: pd.DataFrame,
    as_of: pd.Timestamp | pd.Series,
    work_items: pd.DataFrame | None,
    t: HealthThresholds,
) -> pd.DataFrame:
    """Effective inputs per project (the newer of register and latest report) and EV/PV etc.

    ``aligned`` holds each project's latest report (same order as ``projects``); ``as_of`` is one
    date or one per project (a Series on a fresh index).
    """
    ids = projects["project_id"].to_numpy()
    facts = pd.DataFrame(index=pd.RangeIndex(len(ids)))
    report_date = pd.Series(aligned["report_date"].to_numpy(), dtype="datetime64[ns]")
    # The register row is dated by the load that wrote it; a row loaded after as_of only stands
    # in for the past (db "as of" rule), so it carries no date and any report beats it.
    register_date = to_dates(pd.Series(column_or_na(projects, "valid_from", "object").to_numpy()))
    register_date = register_date.where(register_date <= as_of)
    report_newer = (register_date.isna() | (report_date >= register_date)).to_numpy()
    facts["register_date"] = register_date.to_numpy()
    for column in OVERRIDDEN_BY_STATUS:
        register = projects[column].to_numpy()
        reported = column_or_na(aligned, column, dtype="object").to_numpy()
        if column == "forecast_finish":
            register_s = to_dates(pd.Series(register))
            reported_s = to_dates(pd.Series(reported))
        else:
            register_s = to_float(pd.Series(register))
            reported_s = to_float(pd.Series(reported))
        use_report = reported_s.notna().to_numpy() & (report_newer | register_s.isna().to_numpy())
        facts[column] = reported_s.where(use_report, register_s)
        if column == "percent_complete":
            facts["progress_source"] = np.select(
                [use_report, register_s.notna().to_numpy()],
                ["status_report", "register"],
                default=None,
            )
    facts["budget"] = to_float(pd.Series(projects["budget"].to_numpy()))
    facts["start_date"] = to_dates(pd.Series(projects["start_date"].to_numpy()))
    facts["baseline_finish"] = to_dates(pd.Series(projects["baseline_finish"].to_numpy()))
    facts["actual_finish"] = to_dates(
        pd.Series(column_or_na(projects, "actual_finish", "object").to_numpy())
    )

    if work_items is not None and len(work_items):
        share = _done_share(work_items).reindex(ids).to_numpy()
        use = facts["percent_complete"].isna().to_numpy() & ~np.isnan(share)
        facts.loc[use, "percent_complete"] = share[use]
        facts.loc[use, "progress_source"] = "work_items"
    facts["progress_source"] = facts["progress_source"].astype("str")

    reported = to_rag(pd.Series(aligned["overall_rag"].to_numpy()))
    register_rag = to_rag(pd.Series(projects["reported_rag"].to_numpy()))
    use_report = reported.notna().to_numpy() & (report_newer | register_rag.isna().to_numpy())
    facts["reported_rag"] = reported.where(use_report, register_rag).astype(RAG_DTYPE)
    facts["reported_source"] = np.select(
        [use_report, register_rag.notna().to_numpy()],
        ["status_report", "register"],
        default=None,
    )
    facts["reported_source"] = facts["reported_source"].astype("str")
    facts["last_report_date"] = report_date
    facts["days_since_report"] = (as_of - report_date).dt.days.astype("float64")

    on_hold_stages = {s.strip().lower() for s in t.on_hold_stages}
    on_hold = to_text(pd.Series(projects["stage"].to_numpy())).isin(on_hold_stages).to_numpy()
    since = to_dates(pd.Series(column_or_na(projects, "on_hold_since", "object").to_numpy()))
    facts["on_hold"] = on_hold
    facts["on_hold_since"] = since.where(on_hold).to_numpy()
    # Planned value stops accruing when a project is paused: PV is read at the pause date; when
    # the pause date is unknown there is no honest PV (SPI is not judged, see docs/analytics.md).
    pv_date = pd.Series(as_of, index=facts.index).where(~on_hold, since.clip(upper=as_of))

    start = facts["start_date"]
    duration = (facts["baseline_finish"] - start).dt.days.astype("float64")
    elapsed = (pv_date - start).dt.days.astype("float64")
    share = (elapsed / duration.where(duration > 0)).clip(0, 1)
    facts["planned_share"] = share
    pc = facts["percent_complete"]
    budget = facts["budget"]
    facts["earned_value"] = pc * budget
    facts["planned_value"] = share * budget
    # Earned value says little in the first days (0 % done on day one is SPI 0): below the
    # configured share of the planned duration, SPI and CPI are not judged.
    as_of_share = ((as_of - start).dt.days.astype("float64") / duration.where(duration > 0)).clip(
        0, 1
    )
    evidence_share = share.where(share.notna(), as_of_share)
    too_early = (evidence_share * 100.0 < t.evm_min_elapsed_pct) | (evidence_share <= 0)
    facts["evm_too_early"] = too_early.fillna(False).to_numpy(dtype=bool)
    facts["elapsed_share"] = evidence_share
    facts["spi"] = (pc / share.where(share > 0)).where(~too_early)
    ac = facts["actual_cost"]
    facts["cpi"] = ((pc * budget) / ac.where(ac > 0)).where(~too_early)
    facts["eac_overrun_pct"] = 100.0 * (facts["forecast_cost"] - budget) / budget.where(budget > 0)
    finish = facts["actual_finish"].where(facts["actual_finish"].notna(), facts["forecast_finish"])
    facts["finish_slip_days"] = (finish - facts["baseline_finish"]).dt.days.astype("float64")
    return facts


def _done_share(work_items: pd.DataFrame) -> pd.Series:
    """Share of a project's non-milestone work items whose status category is done."""
    milestone = work_items["is_milestone"].fillna(False).astype(bool).to_numpy()
    items = work_items.loc[~milestone]
    done = (to_text(items["status_category"]) == "done").fillna(False).astype("float64")
    return done.groupby(items["project_id"].to_numpy()).mean()


def _schedule(facts: pd.DataFrame, t: HealthThresholds) -> dict[str, np.ndarray]:
    spi = facts["spi"].to_numpy()
    slip = facts["finish_slip_days"].to_numpy()
    by_spi = _grade(spi, t.spi_amber, t.spi_red, "below", _labelled("SPI", _two_dp), _two_dp, 2)
    by_slip = _grade(
        slip,
        t.finish_slip_amber_days,
        t.finish_slip_red_days,
        "above",
        lambda v: f"forecast finish {v:g} days after baseline",
        _days,
        0,
    )
    pc = facts["percent_complete"].isna().to_numpy()
    dates = (facts["start_date"].isna() | facts["baseline_finish"].isna()).to_numpy()
    hold = facts["on_hold"].to_numpy(dtype=bool) & facts["on_hold_since"].isna().to_numpy()
    early = facts["evm_too_early"].to_numpy(dtype=bool)
    elapsed = facts["elapsed_share"].to_numpy()
    early_why = np.array(
        [
            f"too early for earned value ({0 if np.isnan(e) else 100 * e:.0f}% of the planned "
            f"duration elapsed < {t.evm_min_elapsed_pct:g}%)"
            for e in elapsed
        ],
        dtype=object,
    )
    spi_why = np.select(
        [dates, hold, early, pc],
        [
            "no start date or baseline finish",
            "on hold since an unknown date (no planned value while paused)",
            early_why,
            "no % complete",
        ],
        default="no SPI",
    )
    slip_why = np.where(
        facts["baseline_finish"].isna().to_numpy(), "no baseline finish", "no forecast finish"
    )
    return _worst_of(
        [("SPI", by_spi, spi_why), ("forecast finish", by_slip, slip_why)],
        metric="SPI",
        value=by_spi["value"],
        threshold=t.spi_red,
    )


def _cost(facts: pd.DataFrame, t: HealthThresholds) -> dict[str, np.ndarray]:
    cpi = facts["cpi"].to_numpy()
    overrun = facts["eac_overrun_pct"].to_numpy()
    by_cpi = _grade(cpi, t.cpi_amber, t.cpi_red, "below", _labelled("CPI", _two_dp), _two_dp, 2)
    by_eac = _grade(
        overrun,
        t.eac_overrun_amber_pct,
        t.eac_overrun_red_pct,
        "above",
        lambda v: f"EAC {v:.1f}% over budget" if v >= 0 else f"EAC {-v:.1f}% under budget",
        _pct,
        1,
    )
    budget = facts["budget"]
    no_budget = (budget.isna() | (budget <= 0)).to_numpy()
    early = facts["evm_too_early"].to_numpy(dtype=bool)
    no_ac = ~(facts["actual_cost"] > 0).to_numpy()
    cpi_why = np.select(
        [no_budget, facts["percent_complete"].isna().to_numpy(), early, no_ac],
        [
            "no budget",
            "no % complete",
            "too early for earned value",
            "no actual cost",
        ],
        default="no CPI",
    )
    eac_why = np.where(no_budget, "no budget", "no forecast cost (EAC)")
    return _worst_of(
        [("CPI", by_cpi, cpi_why), ("EAC", by_eac, eac_why)],
        metric="CPI",
        value=by_cpi["value"],
        threshold=t.cpi_red,
    )


def milestone_findings(milestones: pd.DataFrame, as_of: dt.date | pd.Timestamp) -> pd.DataFrame:
    """Milestones with no actual date although a later one (by baseline) is achieved.

    Such a milestone was almost certainly passed and not recorded: counting it as overdue would
    make a slip out of a data gap, so health leaves it out and the Data & compliance page lists
    it for someone to fill in (docs/analytics.md, "Health").

    Args:
        milestones: Needs ``project_id``, ``baseline_date``, ``actual_date``; ``milestone`` and
            ``forecast_date`` are carried along when present.
        as_of: Achieved means an actual date on or before this date.

    Returns:
        One row per finding: ``project_id``, ``milestone``, ``baseline_date``, ``forecast_date``,
        ``later_achieved`` (the latest-baselined achieved milestone after it), ``finding`` (one
        sentence), sorted by project and baseline date.
    """
    require_columns(
        milestones, {"project_id", "baseline_date", "actual_date"}, fn="milestone_findings"
    )
    stamp = as_timestamp(as_of)
    frame = pd.DataFrame(
        {
            "project_id": milestones["project_id"].to_numpy(),
            "milestone": column_or_na(milestones, "milestone", "object").to_numpy(),
            "baseline_date": to_dates(milestones["baseline_date"]).to_numpy(),
            "forecast_date": to_dates(
                column_or_na(milestones, "forecast_date", "object")
            ).to_numpy(),
            "actual": to_dates(milestones["actual_date"]).to_numpy(),
        }
    )
    flagged = _missing_actual(
        frame.rename(columns={"baseline_date": "baseline", "actual": "actual"}), stamp
    )
    achieved = frame.loc[frame["actual"].notna().to_numpy() & (frame["actual"] <= stamp)]
    last = achieved.sort_values("baseline_date", kind="stable").drop_duplicates(
        "project_id", keep="last"
    )
    names = last.set_index("project_id")["milestone"]
    out = frame.loc[flagged].drop(columns="actual")
    out["later_achieved"] = out["project_id"].map(names).to_numpy()
    out["finding"] = [
        f"'{m}' (baseline {b:%Y-%m-%d}) has no actual date, but the later milestone "
        f"'{later}' is achieved: record the actual date"
        for m, b, later in zip(
            out["milestone"], out["baseline_date"], out["later_achieved"], strict=True
        )
    ]
    return out.sort_values(["project_id", "baseline_date"], kind="stable", ignore_index=True)


def _missing_actual(frame: pd.DataFrame, as_of: pd.Timestamp | pd.Series) -> np.ndarray:
    """True for open milestones baselined before an achieved milestone of the same project."""
    achieved = frame["actual"].notna() & (frame["actual"] <= as_of)
    latest_achieved = (
        frame["baseline"].where(achieved).groupby(frame["project_id"].to_numpy()).transform("max")
    )
    return (~achieved & (frame["baseline"] < latest_achieved)).fillna(False).to_numpy(dtype=bool)


def _milestones(
    ids: pd.Series,
    milestones: pd.DataFrame,
    work_items: pd.DataFrame | None,
    when: pd.Timestamp | pd.Series,
    t: HealthThresholds,
    on_hold: np.ndarray,
) -> dict[str, np.ndarray]:
    frame = pd.DataFrame(
        {
            "project_id": milestones["project_id"].to_numpy(),
            "baseline": to_dates(milestones["baseline_date"]).to_numpy(),
            "forecast": to_dates(milestones["forecast_date"]).to_numpy(),
            "actual": to_dates(milestones["actual_date"]).to_numpy(),
        }
    )
    if work_items is not None and len(work_items):
        frame = _with_work_item_milestones(frame, work_items)
    frame = frame.loc[frame["project_id"].isin(ids).to_numpy()].reset_index(drop=True)
    as_of = _on(when, frame["project_id"], frame.index)

    achieved = frame["actual"].notna() & (frame["actual"] <= as_of)
    missing = _missing_actual(frame, as_of)
    paused = frame["project_id"].isin(ids.to_numpy()[on_hold]).to_numpy()
    expected = frame["forecast"].where(frame["forecast"].notna(), frame["baseline"])
    # Judged: open, not a missing actual (a data gap), not re-planning while paused.
    open_ = (~achieved).to_numpy() & ~missing
    tbc = paused & frame["forecast"].isna().to_numpy()
    overdue = open_ & ~tbc & (expected < as_of).to_numpy()
    until = expected.where(~overdue, as_of)
    slip = (until - frame["baseline"]).dt.days.astype("float64").where(open_ & ~tbc)
    per = pd.DataFrame(
        {
            "total": np.ones(len(frame)),
            "overdue": overdue.astype("float64"),
            "slip": slip.to_numpy(),
            "missing": missing.astype("float64"),
            "tbc": (~achieved.to_numpy() & ~missing & tbc).astype("float64"),
        }
    ).groupby(frame["project_id"].to_numpy())
    summary = pd.DataFrame(
        {
            "total": per["total"].sum(),
            "overdue": per["overdue"].sum(),
            "slip": per["slip"].max(),
            "missing": per["missing"].sum(),
            "tbc": per["tbc"].sum(),
        }
    ).reindex(ids.to_numpy())
    total = summary["total"].fillna(0).to_numpy()
    n_overdue = summary["overdue"].fillna(0).to_numpy()
    n_missing = summary["missing"].fillna(0).to_numpy()
    worst = summary["slip"].to_numpy()

    by_overdue = _grade(
        n_overdue,
        1,
        t.milestone_overdue_red,
        "at_least",
        lambda v: f"{v:g} overdue milestone(s)",
        _count,
        0,
    )
    by_slip = _grade(
        np.nan_to_num(worst, nan=0.0),
        t.milestone_slip_amber_days,
        t.milestone_slip_red_days,
        "above",
        lambda v: f"worst open milestone slip {v:g} days",
        _days,
        0,
    )
    note = np.where(
        n_missing > 0,
        [f"; {m:g} without an actual date left to Data & compliance" for m in n_missing],
        "",
    )
    waiting = summary["tbc"].fillna(0).to_numpy() > 0
    by_slip["reason"] = np.where(
        np.isnan(worst),
        np.select(
            [waiting, n_missing > 0],
            [
                "open milestones await a new forecast while on hold → green",
                "no open milestone to judge → green",
            ],
            default="all milestones achieved → green",
        ),
        by_slip["reason"],
    )
    has = total > 0
    unknown_why = np.full(len(total), "no milestones", dtype=object)
    # Overdue count only speaks when something is overdue (0 overdue says nothing on its own).
    by_overdue["rag"] = np.where(n_overdue > 0, by_overdue["rag"], -1).astype("int8")
    result = _worst_of(
        [
            ("overdue", by_overdue, np.where(has, "", unknown_why)),
            ("slip", _masked(by_slip, has), unknown_why),
        ],
        metric="worst milestone slip (days)",
        value=worst,
        threshold=t.milestone_slip_red_days,
    )
    result["reason"] = np.array(
        [
            r + n if c >= 0 else r
            for r, n, c in zip(result["reason"], note, result["rag"], strict=True)
        ],
        dtype=object,
    )
    result["milestones_total"] = total.astype("int64")
    result["milestones_overdue"] = n_overdue.astype("int64")
    result["milestones_missing_actual"] = n_missing.astype("int64")
    result["milestone_worst_slip_days"] = worst
    return result


def _with_work_item_milestones(frame: pd.DataFrame, work_items: pd.DataFrame) -> pd.DataFrame:
    """Add work items flagged as milestones for projects that have no milestone rows."""
    flagged = work_items.loc[work_items["is_milestone"].fillna(False).astype(bool).to_numpy()]
    flagged = flagged.loc[~flagged["project_id"].isin(frame["project_id"]).to_numpy()]
    if flagged.empty:
        return frame
    finish = to_dates(column_or_na(flagged, "finish_date", "object"))
    baseline = to_dates(column_or_na(flagged, "baseline_finish", "object"))
    done = (to_text(flagged["status_category"]) == "done").fillna(False).to_numpy()
    derived = pd.DataFrame(
        {
            "project_id": flagged["project_id"].to_numpy(),
            "baseline": baseline.where(baseline.notna(), finish).to_numpy(),
            "forecast": finish.to_numpy(),
            "actual": finish.where(done).to_numpy(),
        }
    )
    derived = derived.loc[derived["baseline"].notna().to_numpy()]
    if frame.empty:
        return derived.reset_index(drop=True)
    return pd.concat([frame, derived], ignore_index=True)


def _raid(
    ids: pd.Series, raid: pd.DataFrame, when: pd.Timestamp | pd.Series, t: HealthThresholds
) -> dict[str, np.ndarray]:
    as_of = _on(when, raid["project_id"], raid.index)
    kind = to_text(raid["raid_type"])
    severity = to_text(raid["severity"])
    status = to_text(raid["status"])
    raised = to_dates(column_or_na(raid, "raised_date", "object"))
    due = to_dates(column_or_na(raid, "due_date", "object"))
    live = (
        kind.isin(["risk", "issue"])
        & severity.isin(["high", "critical"])
        & ~status.isin(RAID_CLOSED_STATUSES)
        & (raised.isna() | (raised <= as_of))
    ).to_numpy()
    critical = severity.to_numpy()[live] == "critical"
    subset = pd.DataFrame(
        {
            "high": np.ones(int(live.sum())),
            "critical": critical.astype("float64"),
            "overdue": (critical & (due.to_numpy()[live] < _live(as_of, live))).astype("float64"),
        }
    )
    counts = subset.groupby(raid["project_id"].to_numpy()[live]).sum().reindex(ids.to_numpy())
    high = counts["high"].fillna(0).to_numpy()
    n_critical = counts["critical"].fillna(0).to_numpy()
    n_overdue = counts["overdue"].fillna(0).to_numpy()
    n = len(high)

    def red_rule(values: np.ndarray, limit: int, words: str) -> dict[str, np.ndarray]:
        # A limit of 0 switches the rule off; below the limit the rule says nothing (unknown).
        graded = _grade(values, limit, limit, "at_least", lambda v: f"{v:g} {words}", _count, 0)
        if limit <= 0:
            graded["rag"] = np.full(n, -1, dtype="int8")
        graded["rag"] = np.where(graded["rag"] == 2, 2, -1).astype("int8")
        return graded

    by_high = _grade(
        high,
        t.raid_amber_open_high,
        t.raid_red_open_high if t.raid_red_open_high > 0 else np.inf,
        "at_least",
        lambda v: f"{v:g} open high/critical",
        _count,
        0,
    )
    quiet = np.full(n, "", dtype=object)
    result = _worst_of(
        [
            ("critical", red_rule(n_critical, t.raid_red_open_critical, "open critical"), quiet),
            (
                "overdue",
                red_rule(n_overdue, t.raid_red_overdue_critical, "open critical past due date"),
                quiet,
            ),
            ("high", by_high, quiet),
        ],
        metric="open critical",
        value=n_critical,
        threshold=float(t.raid_red_open_critical) if t.raid_red_open_critical > 0 else np.nan,
    )
    result["raid_open_high"] = high.astype("int64")
    result["raid_open_critical"] = n_critical.astype("int64")
    result["raid_overdue_critical"] = n_overdue.astype("int64")
    return result


def _staleness(
    facts: pd.DataFrame, as_of: pd.Timestamp | pd.Series, t: HealthThresholds
) -> dict[str, np.ndarray]:
    days = facts["days_since_report"].to_numpy()
    graded = _grade(
        days,
        t.cadence_days,
        t.stale_red_days,
        "above",
        lambda v: f"last report {v:g} days old",
        _days,
        0,
    )
    since_start = (as_of - facts["start_date"]).dt.days.astype("float64").to_numpy()
    not_due = ~np.isnan(since_start) & (since_start <= t.cadence_days)
    none = np.isnan(days)
    due_by = (facts["start_date"] + pd.Timedelta(days=t.cadence_days)).dt.strftime("%Y-%m-%d")
    result = {
        # No first report while it is not due yet is no evidence either way: unknown, not green.
        "rag": np.where(none, np.where(not_due, -1, 2), graded["rag"]).astype("int8"),
        "value": days,
        "threshold": np.full(len(days), float(t.stale_red_days)),
        "metric": np.full(len(days), "days since last report", dtype=object),
        "reason": np.where(
            none,
            np.where(
                not_due,
                [f"unknown: no status report yet; the first is due by {d}" for d in due_by],
                "no status report received → red",
            ),
            graded["reason"],
        ).astype(object),
    }
    result["stale"] = (none & ~not_due) | (~none & (days > t.cadence_days))
    result["first_report_due"] = none & not_due
    return result


def _grade(
    values: np.ndarray,
    amber: float,
    red: float,
    direction: str,
    describe: Callable[[float], str],
    fmt: Callable[[float], str],
    decimals: int,
) -> dict[str, np.ndarray]:
    """Classify a measure: ``below`` (lower is worse), ``above`` or ``at_least`` (higher is worse).

    The value is first rounded to ``decimals`` exactly as it is shown (CPI 0.795 reads "0.80"
    and is therefore not below 0.80). Missing values get code -1 and an empty reason (the caller
    supplies why). ``describe`` words the value ("CPI 0.82"), ``fmt`` the threshold ("0.85").
    """
    values = _as_shown(np.asarray(values, dtype="float64"), decimals)
    known = ~np.isnan(values)
    if direction == "below":
        is_red, is_amber = values < red, values < amber
        words = ("<", "≥")
    elif direction == "above":
        is_red, is_amber = values > red, values > amber
        words = (">", "≤")
    else:
        is_red, is_amber = values >= red, values >= amber
        words = ("≥", "<")
    rag = np.where(known, np.where(is_red, 2, np.where(is_amber, 1, 0)), -1)
    threshold = np.where(known, np.where(rag == 2, red, amber), np.nan).astype("float64")
    names = {2: "red", 1: "amber", 0: "green"}
    # The colour is a function of the shown value, so each distinct value is worded once (a
    # 10,000-project portfolio has a few hundred distinct SPIs, counts and day numbers).
    distinct, first, inverse = np.unique(values, return_index=True, return_inverse=True)
    texts = np.array(
        [
            f"{describe(v)} {words[0] if rag[i] else words[1]} {fmt(threshold[i])} → "
            f"{names[int(rag[i])]}"
            if rag[i] >= 0
            else ""
            for v, i in zip(distinct, first, strict=True)
        ],
        dtype=object,
    )
    reason = texts[inverse.reshape(-1)] if len(values) else np.empty(0, dtype=object)
    return {"rag": rag.astype("int8"), "value": values, "threshold": threshold, "reason": reason}


def _as_shown(values: np.ndarray, decimals: int) -> np.ndarray:
    """Round as the pages print (``f"{v:.2f}"``), so a comparison never disagrees with the text.

    ``np.round`` agrees with the printed text except within a hair of a half (it scales before
    rounding); those few values are rounded by the formatter itself.
    """
    rounded = np.round(values, decimals)
    scaled = values * 10.0**decimals
    near_half = np.isfinite(values) & (np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6)
    if near_half.any():
        rounded[near_half] = [float(f"{v:.{decimals}f}") for v in values[near_half]]
    return rounded


def _masked(graded: dict[str, np.ndarray], keep: np.ndarray) -> dict[str, np.ndarray]:
    return {**graded, "rag": np.where(keep, graded["rag"], -1).astype("int8")}


def _labelled(label: str, fmt: Callable[[float], str]) -> Callable[[float], str]:
    return lambda v: f"{label} {fmt(v)}"


def _worst_of(
    measures: list[tuple[str, dict[str, np.ndarray], np.ndarray]],
    *,
    metric: str,
    value: np.ndarray,
    threshold: float,
) -> dict[str, np.ndarray]:
    """A dimension's RAG = the worst of its known measures; unknown only when none is known.

    The reason gives every measure at that colour, then (when the dimension is known) each
    measure that could not be judged and why, so "green" never hides a missing input. ``value``
    and ``threshold`` are the dimension's headline measure and its red line, whichever measure
    decided the colour (one meaning per dimension; docs/analytics.md, "Health").
    """
    codes = np.column_stack([graded["rag"] for _, graded, _ in measures])
    worst = codes.max(axis=1) if len(codes) else np.empty(0, dtype="int8")
    n = len(worst)
    known = worst >= 0
    judged = np.full(n, "", dtype=object)
    notes = np.full(n, "", dtype=object)
    whys = np.full(n, "", dtype=object)
    for name, graded, why in measures:
        why = np.asarray(why, dtype=object).astype(str).astype(object)
        at_worst = known & (graded["rag"] == worst)
        judged = _joined(judged, np.where(at_worst, graded["reason"], ""))
        missing = (graded["rag"] < 0) & (why != "")
        notes = _joined(notes, np.where(known & missing, f"{name} not judged: " + why, ""))
        # The same reason from two measures (e.g. "no budget") is said once.
        said = np.flatnonzero(~known & missing)
        repeat = np.zeros(n, dtype=bool)
        repeat[said] = [why[i] in str(whys[i]).split("; ") for i in said]
        whys = _joined(whys, np.where(~known & missing & ~repeat, why, ""))
    reason = np.where(known, _joined(judged, notes), "unknown: " + whys)
    return {
        "rag": worst.astype("int8"),
        "value": np.asarray(value, dtype="float64"),
        "threshold": np.full(n, threshold, dtype="float64"),
        "metric": np.full(n, metric, dtype=object),
        "reason": reason.astype(object),
    }


def _joined(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Element-wise ``"; "``-join of two text arrays, skipping empty sides."""
    left = np.asarray(left, dtype=object)
    right = np.asarray(right, dtype=object)
    both = (left != "") & (right != "")
    return np.where(both, left + "; " + right, np.where(left != "", left, right)).astype(object)


def _overall_reasons(
    codes: np.ndarray, worst: np.ndarray, dims: dict[str, dict[str, np.ndarray]]
) -> list[str]:
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


def _two_dp(value: float) -> str:
    return f"{value:.2f}"


def _pct(value: float) -> str:
    return f"{value:.1f}%"


def _days(value: float) -> str:
    return f"{value:g} days"


def _count(value: float) -> str:
    return f"{value:g}"
