"""Portfolio data: projects with computed health and trend at an as-of date, filtered per URL."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

import numpy as np
import pandas as pd

from dashboard import db
from dashboard.analytics import health as health_rules
from dashboard.analytics.filters import apply_filters
from dashboard.analytics.health_assessment import PASSTHROUGH
from dashboard.analytics.rag import worst_first
from dashboard.config import get_standards
from dashboard.services import derived, fingerprints
from dashboard.url_state import HEALTH_VALUES, FilterOptions, ViewState, parse_view

REGISTER_COLUMNS = (*PASSTHROUGH, "strategic_alignment")
"""Register columns the portfolio views show: those health carries, and strategic alignment."""

summarise_portfolio = health_rules.summarise_portfolio
"""Headline figures of the portfolio page (re-exported: pages reach analytics through services)."""


@dataclass(frozen=True)
class Portfolio:
    """Everything the portfolio-level pages need at one as-of date.

    Attributes:
        version: The database version the figures come from.
        as_of: The as-of date.
        projects: Every project in the register as of the date (closed ones included).
        health: ``assess_health`` + ``health_trend`` output, one row per open project.
        options: Filter values that exist (the URL allowlist).
    """

    version: int
    as_of: date
    projects: pd.DataFrame
    health: pd.DataFrame
    options: FilterOptions


def portfolio(as_of: date) -> Portfolio:
    """Projects with computed health (and trend) as of ``as_of``; computed once per version.

    Stored per (version, standards) for every process (``derived``); while a new version is
    being prepared, the previous version's result may be returned (``Portfolio.version`` says
    which).

    Raises:
        db.NoData: Nothing has been published yet.
    """
    with db.snapshot() as snap:
        return derived.derived(
            snap.version, ("portfolio", as_of), lambda: _build_portfolio(snap, as_of)
        )


def _build_portfolio(snap: db.Snapshot, as_of: date) -> Portfolio:
    standards = get_standards()
    thresholds = standards.health
    projects = snap.projects(as_of)
    current = _assess(snap, thresholds, as_of)
    previous_date = as_of - timedelta(days=standards.reporting.cadence_days)
    previous = _assess(snap, thresholds, previous_date)
    health = health_rules.health_trend(current, previous)
    # Register columns the health rules do not carry (e.g. strategic_alignment) for the views.
    extra = [c for c in REGISTER_COLUMNS if c not in health.columns]
    health = health.merge(projects[["project_id", *extra]], on="project_id", how="left")
    return Portfolio(
        version=snap.version,
        as_of=as_of,
        projects=projects,
        health=health,
        options=filter_options(projects),
    )


def _assess(snap: db.Snapshot, thresholds, as_of: date) -> pd.DataFrame:
    """``assess_health`` of every open project at ``as_of``, stored per version.

    Incremental: projects whose inputs (register row, latest report, milestones, RAID, work
    items as of the date) hash as in the previous version's stored result keep that result;
    only the others are assessed again (``assess_health`` is per project). A publish touching
    five projects recomputes those five (docs/performance.md).
    """
    inputs = (
        snap.projects(as_of),
        snap.latest_status(as_of),
        snap.milestones(as_of),
        snap.raid(as_of),
        snap.work_items(as_of),
    )
    key = ("health", as_of)

    def build() -> tuple[pd.DataFrame, pd.DataFrame, str]:
        prints = fingerprints.fingerprints_by("project_id", *inputs)
        shape = fingerprints.schema(*inputs)
        before = derived.previous(snap.version, key)
        return incremental_health(inputs, thresholds, as_of, prints, shape, before), prints, shape

    return derived.derived(snap.version, key, build)[0]


def incremental_health(
    inputs: tuple[pd.DataFrame, ...],
    thresholds,
    as_of: date,
    prints: pd.DataFrame,
    shape: str,
    before: tuple[pd.DataFrame, pd.DataFrame, str] | None,
) -> pd.DataFrame:
    """``assess_health`` on ``inputs``, reusing ``before``'s rows for unchanged projects.

    Args:
        inputs: Projects, latest status, milestones, RAID, work items as of ``as_of``.
        thresholds: ``[health]`` standards.
        as_of: The date.
        prints: ``fingerprints.fingerprints_by("project_id", *inputs)``.
        shape: ``fingerprints.schema(*inputs)``.
        before: The previous version's ``(health, prints, shape)`` for the same date, or None.

    Returns:
        Exactly what ``assess_health`` on all of ``inputs`` returns (same rows, order, dtypes).
    """
    projects, status, milestones, raid, work_items = inputs

    def assess(ids: pd.Index | None) -> pd.DataFrame:
        def only(frame: pd.DataFrame) -> pd.DataFrame:
            if ids is None:
                return frame
            return frame.loc[frame["project_id"].astype("str").isin(ids).to_numpy()]

        return health_rules.assess_health(
            only(projects),
            only(status),
            only(milestones),
            only(raid),
            thresholds,
            as_of=as_of,
            work_items=only(work_items),
        )

    if before is None or before[2] != shape:
        return assess(None)
    old_health, old_prints, _ = before
    common = prints.index.intersection(old_prints.index)
    columns = prints.columns.union(old_prints.columns)
    now = prints.reindex(index=common, columns=columns, fill_value=0)
    was = old_prints.reindex(index=common, columns=columns, fill_value=0)
    unchanged = common[(now == was).all(axis=1).to_numpy()]
    changed = prints.index.difference(unchanged)
    kept = old_health.loc[old_health["project_id"].astype("str").isin(unchanged).to_numpy()]
    if kept.empty:
        return assess(changed)
    # Nothing changed at this date (a past month-end after today's reports): no assessment at
    # all, not one of nothing (~0.1 s of fixed cost per call, 13 dates per publish).
    fresh = assess(changed) if len(changed) else kept.iloc[:0]
    combined = pd.concat([kept, fresh], ignore_index=True) if len(fresh) else kept
    order = pd.Index(projects["project_id"].astype("str")).get_indexer(
        combined["project_id"].astype("str")
    )
    combined = combined.iloc[np.argsort(order, kind="stable")].reset_index(drop=True)
    return combined.astype(old_health.dtypes.to_dict())


def changed_projects(as_of: date) -> set[str] | None:
    """Projects whose inputs as of ``as_of`` differ from the previous version's (None: unknown).

    From the per-project hashes stored with the health at ``as_of`` (``_assess``): what the
    preparer of a new version uses to recompute only the opened pages a publish changed.
    """
    portfolio(as_of)  # makes sure this version's health at the date is stored
    with db.snapshot() as snap:
        now = derived.lookup(snap.version, ("health", as_of))
        before = derived.previous(snap.version, ("health", as_of))
    if now is None or before is None:
        return None
    prints, old = now[1], before[1]
    columns = prints.columns.union(old.columns)
    ids = prints.index.union(old.index)
    a = prints.reindex(index=ids, columns=columns, fill_value=0)
    b = old.reindex(index=ids, columns=columns, fill_value=0)
    return set(ids[(a != b).any(axis=1).to_numpy()])


def filter_options(projects: pd.DataFrame) -> FilterOptions:
    """The values each filter can take, from the register (sorted, no blanks)."""

    def values(column: str) -> tuple[str, ...]:
        return tuple(sorted(projects[column].dropna().astype(str).unique()))

    return FilterOptions(
        divisions=values("division"),
        portfolios=values("portfolio"),
        stages=values("stage"),
        managers=values("project_manager"),
        health=HEALTH_VALUES,
    )


@dataclass(frozen=True)
class PortfolioView:
    """A portfolio filtered as the URL says."""

    data: Portfolio
    state: ViewState
    health: pd.DataFrame
    projects: pd.DataFrame


def portfolio_view(query: dict, today: date) -> PortfolioView:
    """Parse the URL query against the data's allowlist, then filter the computed health."""
    options = portfolio(today).options
    state = parse_view(query, options, today)
    data = portfolio(state.as_of)
    register_filters = replace(state.filters, health=())
    return PortfolioView(
        data=data,
        state=state,
        health=apply_filters(data.health, state.filters),
        projects=apply_filters(data.projects, register_filters),
    )


EXPORT_COLUMNS = {
    "project_id": "Project ID",
    "name": "Project",
    "division": "Division",
    "portfolio": "Portfolio",
    "programme": "Programme",
    "stage": "Stage",
    "project_manager": "Project manager",
    "sponsor": "Sponsor",
    "overall": "Computed RAG",
    "reported_rag": "Reported RAG",
    "watermelon": "Watermelon",
    "trend": "Trend",
    "overall_reason": "Why",
    "budget": "Budget",
    "forecast_cost": "EAC",
    "actual_cost": "Actual cost",
    "percent_complete": "% complete",
    "baseline_finish": "Baseline finish",
    "forecast_finish": "Forecast finish",
    "days_since_report": "Days since report",
}


GRID_ROW_LIMIT = 1_000
GRID_PAGE_SIZE = 100
"""Projects per server page of the project grid (``?page=N``): a page, not the portfolio."""
WATERMELON_LIMIT = 200
BUBBLE_LIMIT = 1_500


@dataclass(frozen=True)
class Shown:
    """Rows a view displays, and how many there were before the display limit."""

    rows: pd.DataFrame
    total: int

    @property
    def truncated(self) -> bool:
        """True when some rows are left out of the display (the export has them all)."""
        return len(self.rows) < self.total


def most_urgent(health: pd.DataFrame, limit: int = GRID_ROW_LIMIT) -> Shown:
    """The ``limit`` most urgent projects (red first, then the oldest reports) for a grid.

    A browser table of 10,000 rows is megabytes of JSON and nobody reads it; the export holds
    the full list.
    """
    ordered = worst_first(health.sort_values("days_since_report", ascending=False, kind="stable"))
    return Shown(ordered.head(limit), len(health))


@dataclass(frozen=True)
class GridPage:
    """One server page of an ordered list: which rows, and where they sit in the whole."""

    rows: pd.DataFrame
    page: int
    pages: int
    total: int
    size: int = GRID_PAGE_SIZE

    @property
    def first(self) -> int:
        """1-based position of the first row shown (0 when there are none)."""
        return (self.page - 1) * self.size + 1 if self.total else 0

    @property
    def last(self) -> int:
        """1-based position of the last row shown."""
        return self.first + len(self.rows) - 1 if self.total else 0


def requested_page(query: dict) -> int:
    """``?page=N`` from the URL: a positive whole number, else 1 (clamped later to the pages)."""
    raw = query.get("page")
    value = raw[0] if isinstance(raw, list) and raw else raw
    text = value.strip() if isinstance(value, str) else ""
    return int(text) if text.isdigit() and 0 < len(text) <= 6 and int(text) > 0 else 1


def urgent_page(health: pd.DataFrame, page: int, size: int = GRID_PAGE_SIZE) -> GridPage:
    """Page ``page`` of the projects in urgency order (``most_urgent``), ``size`` per page.

    The server sends one page of rows, not the portfolio: at 10,000 projects a full grid is
    megabytes of JSON (docs/performance.md). A page past the end shows the last one.
    """
    ordered = most_urgent(health, limit=len(health)).rows
    pages = max(1, -(-len(ordered) // size))
    page = min(max(page, 1), pages)
    rows = ordered.iloc[(page - 1) * size : page * size]
    return GridPage(rows=rows, page=page, pages=pages, total=len(ordered), size=size)


def watermelons(health: pd.DataFrame, limit: int = WATERMELON_LIMIT) -> Shown:
    """Projects reported green/amber but computed red, largest budget first."""
    melons = health[health["watermelon"].fillna(False).astype(bool)]
    return Shown(melons.sort_values("budget", ascending=False).head(limit), len(melons))


def largest(health: pd.DataFrame, limit: int = BUBBLE_LIMIT) -> Shown:
    """The ``limit`` largest projects by budget (for charts with one mark per project)."""
    return Shown(health.nlargest(limit, "budget", keep="first"), len(health))


def export_frame(health: pd.DataFrame) -> pd.DataFrame:
    """The project list as exported: readable headers, RAG as words."""
    columns = [c for c in EXPORT_COLUMNS if c in health.columns]
    frame = health[columns].copy()
    for column in ("overall", "reported_rag", "trend"):
        if column in frame:
            frame[column] = frame[column].astype("string")
    return frame.rename(columns=EXPORT_COLUMNS)
