"""One project's record over time: computed vs reported health, earned value, milestones, RAID.

Versioned inputs: the project page reads every stored version of a project's register row,
milestones, RAID items and work items (``valid_from`` / ``valid_to`` by load, plus
``first_state``), so each past date sees the data *as it was known then*. :func:`rows_as_of` applies
the same rule as ``dashboard.db`` ("as of D": ``valid_from <= D < valid_to``; the table's first
loaded state also stands in for dates before that load). A frame without ``valid_from`` is taken
as one state that holds at every date, so callers (and tests) may pass plain frames.

Status reports are events, not versions: at a date D the latest report dated on or before D
counts, as in :func:`dashboard.analytics.health.assess_health`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from dashboard.analytics._checks import (
    as_timestamp,
    column_or_na,
    require_columns,
    to_dates,
    to_text,
)
from dashboard.analytics.health import assess_health
from dashboard.analytics.health_dates import HealthSnapshot, assess_health_at_dates
from dashboard.analytics.health_raid import RAID_CLOSED_STATUSES
from dashboard.analytics.rag import RAG_DTYPE
from dashboard.standards import HealthThresholds

MAX_HISTORY_POINTS = 12
"""At most this many dates in a health history (points on the chart; one pass computes them)."""

SEVERITY_RANK = {"critical": 3, "high": 2, "medium": 1, "low": 0}
"""RAID severities, most severe first when sorted descending; anything else ranks last."""

MILESTONE_STATUSES = ("achieved", "overdue", "upcoming")
"""``milestone_timeline`` status words."""


def rows_as_of(versions: pd.DataFrame, as_of: dt.date | pd.Timestamp) -> pd.DataFrame:
    """Keep the versions that were current on ``as_of`` (the read side's "as of" rule).

    A row is current on D when ``valid_from <= D`` (or ``first_state`` is true: the table's first
    loaded state stands in for earlier dates) and ``valid_to`` is empty or after D.

    Args:
        versions: Rows with ``valid_from`` and ``valid_to`` (``first_state`` optional, default
            false). Without ``valid_from`` the frame is one state that holds at every date.
        as_of: The date.

    Returns:
        The current rows (a copy, same columns, original index).
    """
    stamp = as_timestamp(as_of)
    if "valid_from" not in versions.columns:
        return versions.copy()
    require_columns(versions, {"valid_from", "valid_to"}, fn="rows_as_of")
    valid_from = to_dates(versions["valid_from"])
    valid_to = to_dates(versions["valid_to"])
    first = column_or_na(versions, "first_state", "object").fillna(False).astype(bool)
    current = (first | (valid_from <= stamp)) & (valid_to.isna() | (valid_to > stamp))
    return versions.loc[current.to_numpy()].copy()


def history_dates(
    report_dates: Iterable[object],
    *,
    as_of: dt.date | pd.Timestamp,
    max_points: int = MAX_HISTORY_POINTS,
    include_as_of: bool = True,
) -> list[pd.Timestamp]:
    """Pick the dates a health history is computed at: report dates, thinned, then ``as_of``.

    Report dates after ``as_of`` and missing dates are dropped. When there are more than fit, an
    evenly spaced subset is kept that always includes the first and the latest report.

    Args:
        report_dates: The project's status-report dates (any order, duplicates allowed).
        as_of: The last date of the history.
        max_points: The most dates returned (at least 2).
        include_as_of: Whether ``as_of`` itself ends the list (false for a closed project).

    Returns:
        Ascending, distinct midnight timestamps; at most ``max_points`` of them.

    Raises:
        ValueError: ``max_points`` is below 2.
    """
    if max_points < 2:
        raise ValueError(f"history_dates: max_points must be at least 2, got {max_points}")
    stamp = as_timestamp(as_of)
    dates = to_dates(pd.Series(list(report_dates), dtype="object")).dropna().dt.normalize()
    dates = dates[dates <= stamp].drop_duplicates().sort_values().reset_index(drop=True)
    room = max_points - 1 if include_as_of else max_points
    if len(dates) > room:
        picks = np.unique(np.linspace(0, len(dates) - 1, room).round().astype(int))
        dates = dates.iloc[picks]
    out = [pd.Timestamp(d) for d in dates]
    if include_as_of and (not out or out[-1] != stamp):
        out.append(stamp)
    return out


def health_history(
    project: pd.DataFrame,
    status_reports: pd.DataFrame,
    milestones: pd.DataFrame,
    raid: pd.DataFrame,
    thresholds: HealthThresholds,
    *,
    dates: Sequence[dt.date | pd.Timestamp],
    work_items: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Compute one project's health at each of ``dates`` beside what its team reported.

    Equal to :func:`~dashboard.analytics.health.assess_health` at each date (pass at most
    :data:`MAX_HISTORY_POINTS` dates, see :func:`history_dates`) on the data as known on that
    date (:func:`rows_as_of`), computed in one pass by
    :func:`~dashboard.analytics.health.assess_health_at_dates`. Closure is not applied: every
    date is assessed as if the project were open, so a closed project's history shows how it
    ran (the caller decides whether a date after closure is worth showing). Where the register
    did not know the project yet, its earliest known register row stands in.

    Args:
        project: Versions of one project's register row; the columns ``assess_health`` needs.
        status_reports: The project's reports (any dates); needs ``project_id``,
            ``report_date``, ``overall_rag``.
        milestones: Versions of the project's milestones (``assess_health`` columns).
        raid: Versions of the project's RAID items (``assess_health`` columns).
        thresholds: Health cut-offs from ``pmo.toml``.
        dates: The dates to assess at (any order; duplicates are computed once).
        work_items: Optional versions of the project's work items.

    Returns:
        ``assess_health`` output with one row per date, oldest first (``as_of`` holds the date;
        ``reported_rag`` is the team's RAG in the latest report on that date, else the
        register's), and a fresh index. Empty (with those columns) when ``dates`` is empty.

    Raises:
        ValueError: ``project`` is empty or holds more than one project.
    """
    require_columns(project, {"project_id"}, fn="health_history")
    ids = project["project_id"].dropna().unique()
    if len(ids) != 1:
        raise ValueError(f"health_history: needs exactly one project, got {len(ids)}")
    open_rules = dataclasses.replace(thresholds, closed_stages=())
    earliest = earliest_state(project)
    stamps = sorted({as_timestamp(d, name="dates") for d in dates})
    if not stamps:
        # No dates: the same columns, no rows (assessed on empty inputs for the schema).
        return assess_health(
            earliest.iloc[0:0],
            status_reports.iloc[0:0],
            milestones.iloc[0:0],
            raid.iloc[0:0],
            open_rules,
            as_of=pd.Timestamp(0),
        )
    snapshots = _snapshots(project, earliest, milestones, raid, work_items, stamps)
    # One vectorised pass over every date (was one ``assess_health`` per date, ~30 ms each).
    return assess_health_at_dates(snapshots, status_reports, open_rules)


def milestone_timeline(
    milestones: pd.DataFrame,
    thresholds: HealthThresholds,
    *,
    as_of: dt.date | pd.Timestamp,
    work_items: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Baseline vs forecast (or actual) of each milestone, with its slip and status in words.

    Status at ``as_of``: ``achieved`` (actual date on or before it), ``overdue`` (not achieved
    and the forecast, else baseline, date has passed) or ``upcoming``. The slip, in days after
    the baseline, follows ``assess_health``: achieved = actual - baseline; overdue = ``as_of`` -
    baseline (it keeps growing); upcoming = forecast - baseline (0 without a forecast).
    ``slip_rag`` grades it with ``milestone_slip_amber_days`` / ``milestone_slip_red_days``
    (above = worse); an overdue milestone is at least amber. Achieved milestones are graded too,
    as a record, though only open ones count towards health. When there are no milestone rows,
    work items flagged ``is_milestone`` stand in, as in ``assess_health``.

    Args:
        milestones: One project's milestones; needs ``milestone``, ``baseline_date``,
            ``forecast_date``, ``actual_date``.
        thresholds: Slip cut-offs from ``pmo.toml``.
        as_of: The date statuses are judged at.
        work_items: Optional; ``name``, ``is_milestone``, ``status_category``, ``finish_date``,
            ``baseline_finish`` are used when present.

    Returns:
        Copy of ``milestones`` (or the derived rows) sorted by baseline date, with
        ``expected_date`` (actual when achieved, else forecast, else baseline), ``slip_to``
        (the date the slip runs to: ``as_of`` when overdue, else ``expected_date``), ``status``,
        ``slip_days`` (float) and ``slip_rag`` (RAG).
    """
    require_columns(
        milestones,
        {"milestone", "baseline_date", "forecast_date", "actual_date"},
        fn="milestone_timeline",
    )
    stamp = as_timestamp(as_of)
    frame = milestones.copy()
    if frame.empty and work_items is not None and len(work_items):
        frame = _work_item_milestones(work_items, frame)
    out = frame.assign(**_milestone_status(frame, stamp, thresholds))
    return out.sort_values(["baseline_date", "milestone"], kind="stable").reset_index(drop=True)


def raid_log(raid: pd.DataFrame, *, as_of: dt.date | pd.Timestamp) -> pd.DataFrame:
    """A project's RAID items as a log to act on: open first, most severe first, soonest due.

    An item is open unless its status is one of ``health.RAID_CLOSED_STATUSES`` (a blank status
    counts as open, as in health); overdue = open with a due date before ``as_of``. Items raised
    after ``as_of`` are left out.

    Args:
        raid: Needs ``raid_id``, ``raid_type``, ``severity``, ``status``; ``raised_date`` and
            ``due_date`` are used when present.
        as_of: The date openness and overdue are judged at.

    Returns:
        Copy of ``raid`` with ``is_open`` and ``overdue`` (bool), sorted open before closed, then
        critical > high > medium > low > other, then due date (none last), then ``raid_id``;
        fresh index.
    """
    require_columns(raid, {"raid_id", "raid_type", "severity", "status"}, fn="raid_log")
    stamp = as_timestamp(as_of)
    raised = to_dates(column_or_na(raid, "raised_date", "object"))
    due = to_dates(column_or_na(raid, "due_date", "object"))
    keep = (raised.isna() | (raised <= stamp)).to_numpy()
    is_open = ~to_text(raid["status"]).isin(RAID_CLOSED_STATUSES).to_numpy()
    overdue = is_open & (due < stamp).fillna(False).to_numpy()
    rank = to_text(raid["severity"]).map(SEVERITY_RANK).fillna(-1).to_numpy()
    log = raid.assign(
        is_open=is_open,
        overdue=overdue,
        _open=np.where(is_open, 0, 1),
        _rank=-rank,
        _due=due.to_numpy(),
    ).loc[keep]
    log = log.sort_values(["_open", "_rank", "_due", "raid_id"], kind="stable", na_position="last")
    return log.drop(columns=["_open", "_rank", "_due"]).reset_index(drop=True)


# --------------------------------------------------------------------------------------------


def _snapshots(
    project: pd.DataFrame,
    earliest: pd.DataFrame,
    milestones: pd.DataFrame,
    raid: pd.DataFrame,
    work_items: pd.DataFrame | None,
    stamps: list[pd.Timestamp],
) -> list[HealthSnapshot]:
    """The inputs as known at each date (the earliest register row where none was known)."""
    registers = _states_at(project, stamps)
    items = [None] * len(stamps) if work_items is None else _states_at(work_items, stamps)
    return [
        HealthSnapshot(
            as_of=stamp,
            projects=register if len(register) else earliest,
            milestones=known_milestones,
            raid=known_raid,
            work_items=known_items,
        )
        for stamp, register, known_milestones, known_raid, known_items in zip(
            stamps,
            registers,
            _states_at(milestones, stamps),
            _states_at(raid, stamps),
            items,
            strict=True,
        )
    ]


def _milestone_status(
    frame: pd.DataFrame, as_of: pd.Timestamp, thresholds: HealthThresholds
) -> dict[str, object]:
    """The dates parsed, then expected date, slip end, status, slip days and RAG per milestone."""
    baseline = to_dates(frame["baseline_date"])
    forecast = to_dates(frame["forecast_date"])
    actual = to_dates(frame["actual_date"])
    achieved = actual.notna() & (actual <= as_of)
    planned = forecast.where(forecast.notna(), baseline)
    overdue = ~achieved & (planned < as_of)
    expected = actual.where(achieved, planned)
    until = expected.where(~overdue, as_of)
    slip = (until - baseline).dt.days.astype("float64")
    code = _slip_codes(slip, overdue.to_numpy(), thresholds)
    status = np.select(
        [achieved.to_numpy(), overdue.to_numpy()], ["achieved", "overdue"], "upcoming"
    )
    return {
        "baseline_date": baseline,
        "forecast_date": forecast,
        "actual_date": actual,
        "expected_date": expected,
        "slip_to": until,
        "status": pd.array(status, dtype="str"),
        "slip_days": slip,
        "slip_rag": pd.Categorical.from_codes(code.astype("int8"), dtype=RAG_DTYPE),
    }


def _slip_codes(slip: pd.Series, overdue: np.ndarray, thresholds: HealthThresholds) -> np.ndarray:
    """RAG codes of milestone slips (above = worse; overdue at least amber; no slip -1)."""
    code = np.where(
        slip > thresholds.milestone_slip_red_days,
        2,
        np.where(slip > thresholds.milestone_slip_amber_days, 1, 0),
    )
    code = np.where(overdue, np.maximum(code, 1), code)
    return np.where(slip.isna().to_numpy(), -1, code)


def _states_at(versions: pd.DataFrame, stamps: Sequence[pd.Timestamp]) -> list[pd.DataFrame]:
    """:func:`rows_as_of` at each of ``stamps``, the version dates parsed once (not per date).

    The frames returned are views to read, not copies to change.
    """
    if "valid_from" not in versions.columns:
        return [versions] * len(stamps)
    require_columns(versions, {"valid_from", "valid_to"}, fn="rows_as_of")
    valid_from = to_dates(versions["valid_from"]).to_numpy()
    valid_to = to_dates(versions["valid_to"]).to_numpy()
    first = column_or_na(versions, "first_state", "object").fillna(False).astype(bool).to_numpy()
    states = []
    for stamp in stamps:
        day = stamp.to_datetime64()
        current = (first | (valid_from <= day)) & (np.isnat(valid_to) | (valid_to > day))
        states.append(versions.iloc[np.flatnonzero(current)])
    return states


def earliest_state(project: pd.DataFrame) -> pd.DataFrame:
    """The project's earliest known register row(s) (the only rows when not versioned)."""
    if "valid_from" not in project.columns:
        return project.copy()
    first = to_dates(project["valid_from"])
    return project.loc[(first == first.min()).to_numpy()].head(1).copy()


def _work_item_milestones(work_items: pd.DataFrame, template: pd.DataFrame) -> pd.DataFrame:
    """Milestone rows derived from work items flagged ``is_milestone`` (as ``assess_health``)."""
    flagged = work_items.loc[
        column_or_na(work_items, "is_milestone", "object").fillna(False).astype(bool).to_numpy()
    ]
    finish = to_dates(column_or_na(flagged, "finish_date", "object"))
    baseline = to_dates(column_or_na(flagged, "baseline_finish", "object"))
    done = (to_text(column_or_na(flagged, "status_category", "object")) == "done").fillna(False)
    derived = pd.DataFrame(
        {
            "milestone": column_or_na(flagged, "name", "object").astype("str").to_numpy(),
            "baseline_date": baseline.where(baseline.notna(), finish).to_numpy(),
            "forecast_date": finish.to_numpy(),
            "actual_date": finish.where(done.to_numpy()).to_numpy(),
        }
    )
    if "project_id" in flagged.columns:
        derived.insert(0, "project_id", flagged["project_id"].to_numpy())
    derived = derived.loc[derived["baseline_date"].notna().to_numpy()].reset_index(drop=True)
    return derived if len(derived) else template.copy()
