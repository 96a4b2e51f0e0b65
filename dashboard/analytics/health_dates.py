"""Health at many dates in one vectorised pass: the inputs of each date, then the rules once.

Each call of ``assess_health`` costs ~30 ms whatever the number of projects (pandas overhead),
so a 12-date history of one project took ~0.4 s. Here every (date, project) pair becomes one row
of a single assessment, each with its own as-of date (docs/analytics.md, "Health").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.analytics._checks import as_timestamp, require_columns, to_dates
from dashboard.analytics.health_assessment import (
    STATUS_COLUMNS,
    assess_open_projects,
    open_rows,
    require_inputs,
)
from dashboard.analytics.status_reports import newest_rows
from dashboard.standards import HealthThresholds


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

    The result is exactly what the per-date loop returns (same rows, order, values, reasons and
    dtypes); ``tests/unit/dashboard/analytics/test_health_dates.py`` holds that equality.

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
        require_inputs(
            snap.projects,
            None,
            snap.milestones,
            snap.raid,
            snap.work_items,
            fn="assess_health_at_dates",
        )
    keys = _DateKeys(snapshots, thresholds)
    projects = keys.projects
    aligned = _latest_per_date(status_reports, stamps, keys).reindex(
        projects["project_id"].to_numpy()
    )
    when = pd.Series(
        [stamps[i] for i in projects["project_id"].to_numpy() // keys.width],
        index=projects["project_id"].to_numpy(),
    )
    milestones, raid, work_items = keys.others()
    out = assess_open_projects(projects, aligned, milestones, raid, work_items, thresholds, when)
    out["project_id"] = keys.universe.to_numpy()[projects["project_id"].to_numpy() % keys.width]
    return out


class _DateKeys:
    """The snapshots stacked, each (date i, project) pair keyed by the integer i * K + its code.

    Grouping, matching and reindexing by that key inside the rules then keeps every date apart.
    """

    def __init__(self, snapshots: Sequence[HealthSnapshot], thresholds: HealthThresholds) -> None:
        self.snapshots = snapshots
        registers, of_register = _stacked([snap.projects for snap in snapshots])
        open_ = open_rows(registers, thresholds)
        self.universe = pd.Index(pd.unique(registers["project_id"].to_numpy()[open_]))
        self.width = max(len(self.universe), 1)
        self.projects = self.keyed(registers, of_register, open_)

    def keyed(
        self, frame: pd.DataFrame, which: np.ndarray, keep: np.ndarray | None
    ) -> pd.DataFrame:
        """``frame``'s rows of open projects (or those in ``keep``), ``project_id`` as the key."""
        codes = self.universe.get_indexer(frame["project_id"].to_numpy())
        keep = codes >= 0 if keep is None else keep  # other projects' rows change nothing here
        frame = frame.loc[keep].assign(project_id=which[keep] * self.width + codes[keep])
        return frame.reset_index(drop=True)

    def others(self) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame | None]:
        """Milestones, RAID items and work items (None when no snapshot has any), keyed."""
        milestones = self.keyed(*_stacked([snap.milestones for snap in self.snapshots]), None)
        raid = self.keyed(*_stacked([snap.raid for snap in self.snapshots]), None)
        items = [snap.work_items for snap in self.snapshots]
        has_items = any(frame is not None for frame in items)
        work_items = self.keyed(*_stacked(items), None) if has_items else None
        return milestones, raid, work_items


def _latest_per_date(
    status_reports: pd.DataFrame, stamps: list[pd.Timestamp], keys: _DateKeys
) -> pd.DataFrame:
    """Latest report per (date, project), indexed by key.

    The reports are repeated once per date, each copy limited by its own date (a project's
    reports are few; the portfolio's are read per date instead).
    """
    dates = to_dates(status_reports["report_date"])
    codes = keys.universe.get_indexer(status_reports["project_id"].to_numpy())
    rows = np.flatnonzero(codes >= 0)
    n = len(stamps)
    width = keys.width
    per_date = (np.arange(n).repeat(len(rows)) * width) + np.tile(codes[rows], n)
    limits = np.array([stamp.to_datetime64() for stamp in stamps]).repeat(len(rows))
    picked = newest_rows(per_date, n * width, np.tile(dates.to_numpy()[rows], n), limits)
    source = rows[picked % len(rows)] if len(rows) else picked
    latest = status_reports.iloc[source].assign(report_date=dates.iloc[source].to_numpy())
    return latest.set_index(pd.Index(per_date[picked]))


def _stacked(frames: list[pd.DataFrame | None]) -> tuple[pd.DataFrame, np.ndarray]:
    """The frames one under the other (None skipped) and, per row, the position of its frame."""
    present = [(i, frame) for i, frame in enumerate(frames) if frame is not None]
    stacked = pd.concat([frame for _, frame in present], ignore_index=True)
    which = np.repeat([i for i, _ in present], [len(frame) for _, frame in present])
    return stacked, which.astype("int64")
