"""Data & compliance data: load history, rejected rows, orphans, report freshness, compliance.

Loads, rejected rows and orphans describe files, not projects: they cover the whole store and
ignore the project filters. Freshness and compliance are per open project at the as-of date and
follow the global filter bar (division, portfolio, stage, project manager, computed health).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import pandas as pd

from dashboard import db
from dashboard.analytics import compliance as compliance_rules
from dashboard.analytics.filters import apply_filters
from dashboard.analytics.health import milestone_findings
from dashboard.config import get_standards
from dashboard.services import derived
from dashboard.services.cache import cached
from dashboard.services.portfolio import portfolio, portfolio_view
from dashboard.url_state import FilterOptions, ViewState

REJECTED_COLUMNS = (
    "load_id",
    "source_file",
    "source_sheet",
    "source_row",
    "column_name",
    "value",
    "rule",
    "reason",
    "raw_json",
)
ORPHAN_COLUMNS = (
    "source_table",
    "project_id",
    "load_id",
    "source_file",
    "source_sheet",
    "source_row",
)
FRESHNESS_LABELS = {
    "green": "On time",
    "amber": "Late",
    "red": "Stopped reporting",
}
FRESHNESS_ORDER = {"red": 0, "amber": 1, "green": 2, "unknown": 3}
# Register columns (from computed health) that the filter bar can narrow compliance rows by.
FILTER_COLUMNS = ("portfolio", "stage", "project_manager", "overall")


@dataclass(frozen=True)
class Bookkeeping:
    """What the loads did, for the whole store (not filtered, not "as of").

    Attributes:
        version: Database version.
        loads: :func:`load_history` output.
        rejected: :func:`current_rejections` output.
        orphans: Rows referring to a project missing from the register.
        visible: False when the caller may not see load bookkeeping (a division-scoped user).
    """

    version: int
    loads: pd.DataFrame
    rejected: pd.DataFrame
    orphans: pd.DataFrame
    visible: bool


def bookkeeping() -> Bookkeeping:
    """Load history, current rejected rows and orphans; computed once per data version.

    Raises:
        db.NoData: Nothing has been published yet.
    """
    with db.snapshot() as snap:
        return derived.derived(
            snap.version, ("data_quality_bookkeeping",), lambda: _bookkeeping(snap)
        )


def _bookkeeping(snap: db.Snapshot) -> Bookkeeping:
    runs = snap.load_runs()
    # Division-scoped snapshots return no bookkeeping rows; say so instead of "nothing wrong".
    scope = getattr(snap, "scope", None)
    return Bookkeeping(
        version=snap.version,
        loads=load_history(runs, snap.load_sheets()),
        rejected=current_rejections(snap.rejected_rows(), runs),
        orphans=snap.orphans().reindex(columns=list(ORPHAN_COLUMNS)),
        visible=bool(getattr(scope, "sees_everything", True)),
    )


def compliance_at(as_of: date) -> pd.DataFrame:
    """``check_compliance`` of every open project as of ``as_of``, with the filter columns.

    Raises:
        db.NoData: Nothing has been published yet.
    """
    with db.snapshot() as snap:
        return derived.derived(
            snap.version, ("data_quality_compliance", as_of), lambda: _compliance(snap, as_of)
        )


def _compliance(snap: db.Snapshot, as_of: date) -> pd.DataFrame:
    checked = compliance_rules.check_compliance(
        snap.projects(as_of),
        snap.latest_status(as_of),
        snap.milestones(as_of),
        snap.raid(as_of),
        get_standards().compliance,
        as_of=as_of,
    )
    return with_filter_columns(checked, portfolio(as_of).health)


def missing_milestone_actuals(as_of: date) -> pd.DataFrame:
    """Milestones with no actual date although a later one is achieved (``milestone_findings``).

    Health does not count them as slips (docs/analytics.md, "Health"); this page is where they
    are listed for someone to fill in.

    Raises:
        db.NoData: Nothing has been published yet.
    """
    with db.snapshot() as snap:
        return cached(
            ("data_quality_milestones", snap.version, as_of),
            lambda: milestone_findings(snap.milestones(as_of), as_of),
        )


@dataclass(frozen=True)
class DataQualityView:
    """The page's data, the per-project parts filtered as the URL says."""

    books: Bookkeeping
    state: ViewState
    options: FilterOptions
    freshness: pd.DataFrame
    compliance: pd.DataFrame
    league: pd.DataFrame
    milestone_findings: pd.DataFrame


def data_quality_view(query: dict, today: date) -> DataQualityView:
    """Parse the URL query (the portfolio's allowlist) and filter freshness and compliance.

    Raises:
        db.NoData: Nothing has been published yet.
    """
    projects = portfolio_view(query, today)
    checked = apply_filters(compliance_at(projects.state.as_of), projects.state.filters)
    return DataQualityView(
        books=bookkeeping(),
        state=projects.state,
        options=projects.data.options,
        freshness=freshness_table(projects.health, get_standards().reporting.cadence_days),
        compliance=worst_compliance_first(checked),
        league=compliance_rules.compliance_league(checked),
        milestone_findings=_of_projects(
            missing_milestone_actuals(projects.state.as_of), projects.health
        ),
    )


def _of_projects(findings: pd.DataFrame, health: pd.DataFrame) -> pd.DataFrame:
    """Findings of the (filtered) open projects, with the project's name and division."""
    names = health[["project_id", "name", "division"]].drop_duplicates("project_id")
    return findings.merge(names, on="project_id", how="inner")


# --------------------------------------------------------------------------------------------
# pure helpers (unit-tested)


def load_history(runs: pd.DataFrame, sheets: pd.DataFrame) -> pd.DataFrame:
    """One row per load attempt, newest first, with the kinds of data its sheets held.

    Args:
        runs: ``load_runs`` rows; needs ``load_id``, ``file_name``, ``status``, ``as_of``,
            ``finished_at``, ``rows_read``, ``rows_loaded``, ``rows_rejected``,
            ``rows_ignored``, ``message``.
        sheets: ``load_sheets`` rows; needs ``load_id``, ``sheet_no``, ``kind``.

    Returns:
        ``runs`` with ``kinds`` (comma-separated tables loaded, "" when none) and ``loaded_at``
        (``finished_at`` as "YYYY-MM-DD HH:MM" text), sorted by ``load_id`` descending.
    """
    kinds = (
        sheets.dropna(subset=["kind"])
        .sort_values(["load_id", "sheet_no"])
        .groupby("load_id")["kind"]
        .agg(lambda k: ", ".join(dict.fromkeys(k)))
    )
    finished = pd.to_datetime(runs["finished_at"])
    out = runs.assign(
        kinds=runs["load_id"].map(kinds).fillna("").astype("str"),
        loaded_at=finished.dt.strftime("%Y-%m-%d %H:%M").where(finished.notna(), ""),
    )
    return out.sort_values("load_id", ascending=False, ignore_index=True)


def current_rejections(rejected: pd.DataFrame, runs: pd.DataFrame) -> pd.DataFrame:
    """Rejected rows of each file's latest committed load (a reload supersedes older rejects).

    Args:
        rejected: ``rejected_rows``; needs :data:`REJECTED_COLUMNS`.
        runs: ``load_runs``; needs ``load_id``, ``file_name``, ``status``.

    Returns:
        The rejected rows still current, by file, sheet and row.
    """
    committed = runs.loc[runs["status"] == "committed"]
    latest = committed.groupby("file_name")["load_id"].max()
    keep = rejected["load_id"].isin(latest.to_numpy())
    out = rejected.loc[keep.to_numpy(), list(REJECTED_COLUMNS)]
    return out.sort_values(
        ["source_file", "source_sheet", "source_row", "column_name"],
        na_position="first",
        kind="stable",
        ignore_index=True,
    )


def rejected_choices(rejected: pd.DataFrame) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The files and rules present in ``rejected`` (the allowlists of the grid's filters)."""

    def values(column: str) -> tuple[str, ...]:
        return tuple(sorted(rejected[column].dropna().astype("str").unique()))

    return values("source_file"), values("rule")


def filter_rejected(
    rejected: pd.DataFrame, files: Iterable[str] | None, rules: Iterable[str] | None
) -> pd.DataFrame:
    """Keep rejected rows of the chosen files and rules; unknown values are ignored.

    An empty or missing choice means "all"; a choice made only of unknown values (tampered
    input) also means "all" rather than an empty grid.
    """
    allowed_files, allowed_rules = rejected_choices(rejected)
    keep = pd.Series(True, index=rejected.index)
    for column, wanted, allowed in (
        ("source_file", files, allowed_files),
        ("rule", rules, allowed_rules),
    ):
        chosen = [v for v in (wanted or []) if isinstance(v, str) and v in allowed]
        if chosen:
            keep &= rejected[column].isin(chosen).fillna(False).astype(bool)
    return rejected.loc[keep.to_numpy()]


REJECTED_EXPORT = {
    "source_file": "File",
    "source_sheet": "Sheet",
    "source_row": "Row",
    "column_name": "Column",
    "value": "Value",
    "rule": "Rule",
    "reason": "Reason",
    "raw_json": "Whole row",
    "load_id": "Load",
}


def rejected_export(rejected: pd.DataFrame) -> pd.DataFrame:
    """Rejected rows as exported: readable headers, file order."""
    return rejected[list(REJECTED_EXPORT)].rename(columns=REJECTED_EXPORT)


def with_filter_columns(checked: pd.DataFrame, health: pd.DataFrame) -> pd.DataFrame:
    """Add the register columns and computed health the filter bar narrows by.

    Args:
        checked: ``check_compliance`` output; needs ``project_id``.
        health: ``assess_health`` rows; needs ``project_id`` and :data:`FILTER_COLUMNS`.

    Returns:
        ``checked`` with ``portfolio``, ``stage``, ``project_manager``, ``overall`` (NA for a
        project missing from ``health``).
    """
    extra = health[["project_id", *FILTER_COLUMNS]].drop_duplicates("project_id")
    return checked.merge(extra, on="project_id", how="left")


def worst_compliance_first(checked: pd.DataFrame) -> pd.DataFrame:
    """Lowest score first, then the stalest report, then by project id."""
    return checked.sort_values(
        ["score", "days_since_report", "project_id"],
        ascending=[True, False, True],
        na_position="first",
        kind="stable",
        ignore_index=True,
    )


def freshness_table(health: pd.DataFrame, cadence_days: int) -> pd.DataFrame:
    """Days since each open project's last status report against the cadence, worst first.

    Args:
        health: ``assess_health`` rows; needs ``project_id``, ``name``, ``division``,
            ``project_manager``, ``last_report_date``, ``days_since_report``, ``staleness_rag``,
            ``staleness_reason``.
        cadence_days: Days allowed between reports (``[reporting].cadence_days``).

    Returns:
        ``project_id``, ``name``, ``division``, ``project_manager``, ``last_report_date``,
        ``days_since_report`` (NaN = never reported), ``cadence_days``, ``days_overdue`` (days
        past the cadence, 0 when on time, NaN when never reported), ``freshness`` (the
        staleness RAG as text, "unknown" when missing), ``freshness_label`` (words), ``reason``.
        Sorted red, amber, green, unknown; within a colour, never reported first, then the
        oldest report first.
    """
    days = pd.to_numeric(health["days_since_report"], errors="coerce").astype("float64")
    rag = health["staleness_rag"].astype("string").fillna("unknown")
    label = rag.map(FRESHNESS_LABELS).fillna("Unknown")
    never = days.isna().to_numpy()
    label = label.where(~(never & (rag == "red")).to_numpy(), "No report received")
    # No report yet while the first is not due is staleness "unknown" (docs/analytics.md).
    label = label.where(~(never & (rag == "unknown")).to_numpy(), "First report not due yet")
    out = pd.DataFrame(
        {
            "project_id": health["project_id"].to_numpy(),
            "name": health["name"].to_numpy(),
            "division": health["division"].to_numpy(),
            "project_manager": health["project_manager"].to_numpy(),
            "last_report_date": pd.to_datetime(health["last_report_date"]).to_numpy(),
            "days_since_report": days.to_numpy(),
            "cadence_days": cadence_days,
            "days_overdue": (days - cadence_days).clip(lower=0).to_numpy(),
            "freshness": rag.to_numpy(),
            "freshness_label": label.to_numpy(),
            "reason": health["staleness_reason"].astype("string").to_numpy(),
        }
    )
    # Never reported (NaN days) sorts first within a colour, then the oldest report.
    return out.sort_values(
        ["freshness", "days_since_report", "project_id"],
        ascending=[True, False, True],
        key=_freshness_rank,
        na_position="first",
        kind="stable",
        ignore_index=True,
    )


def _freshness_rank(column: pd.Series) -> pd.Series:
    """Sort key: the freshness colours worst first; any other column as it is."""
    if column.name != "freshness":
        return column
    return column.map(FRESHNESS_ORDER).fillna(len(FRESHNESS_ORDER))


def data_quality_summary(view: DataQualityView) -> dict[str, object]:
    """Headline counts for the KPI tiles.

    Returns:
        ``loads`` (committed), ``failed_loads``, ``rejected_rows`` (current), ``rejected_files``,
        ``orphan_rows``, ``orphan_projects``, ``late_reports`` (projects past the cadence),
        ``stopped_reporting`` (staleness red), ``average_score`` (None without projects),
        ``projects``.
    """
    books = view.books
    status = books.loads["status"]
    scores = view.compliance["score"]
    return {
        "loads": int((status == "committed").sum()),
        "failed_loads": int((status == "failed").sum()),
        "rejected_rows": len(books.rejected),
        "rejected_files": int(books.rejected["source_file"].nunique()),
        "orphan_rows": len(books.orphans),
        "orphan_projects": int(books.orphans["project_id"].nunique()),
        "late_reports": int(view.freshness["freshness"].isin(["amber", "red"]).sum()),
        "stopped_reporting": int((view.freshness["freshness"] == "red").sum()),
        "average_score": float(scores.mean()) if len(scores) else None,
        "projects": len(view.compliance),
    }


COMPLIANCE_EXPORT = {
    "project_id": "Project ID",
    "name": "Project",
    "division": "Division",
    "project_manager": "Project manager",
    "score": "Compliance score",
    "failed_checks": "Failed checks",
    "days_since_report": "Days since report",
    "feedback": "What to fix",
}


def compliance_export(checked: pd.DataFrame) -> pd.DataFrame:
    """Per-project compliance as exported: readable headers, worst first."""
    columns = [c for c in COMPLIANCE_EXPORT if c in checked.columns]
    return checked[columns].rename(columns=COMPLIANCE_EXPORT)
