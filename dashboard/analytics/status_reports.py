"""Each project's latest status report at a date: the reports health and compliance read.

Status reports are events, not versions: at a date D the latest report dated on or before D
counts (docs/analytics.md, "Sources and precedence").
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from dashboard.analytics._checks import as_timestamp, require_columns, to_dates


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
    picked = newest_rows(codes, len(uniques), dates.to_numpy(), as_of.to_datetime64())
    if picked.size == 0:
        empty = status_reports.iloc[0:0].assign(report_date=dates.iloc[0:0])
        return empty.reset_index(drop=True)
    latest = status_reports.iloc[picked].assign(report_date=dates.iloc[picked].to_numpy())
    return latest.sort_values("project_id", kind="stable").reset_index(drop=True)


def newest_rows(
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
