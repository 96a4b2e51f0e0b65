"""One project's earned value over time: PV, EV and AC at each status report, and the plan's ends.

At each report date D the register row as known on D (the "as of" rule of
:func:`dashboard.analytics.history.rows_as_of`) gives the budget and the planned dates; the
rule for PV, EV and AC is that of health (docs/analytics.md, "EV, PV and AC").
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from dashboard.analytics._checks import (
    as_timestamp,
    column_or_na,
    require_columns,
    to_dates,
    to_float,
)
from dashboard.analytics.history import earliest_state, rows_as_of


def earned_value_history(
    project: pd.DataFrame,
    status_reports: pd.DataFrame,
    *,
    as_of: dt.date | pd.Timestamp,
) -> pd.DataFrame:
    """Planned value, earned value and actual cost at each status report, plus the plan's ends.

    At each report date D (on or before ``as_of``), with the register row as known on D:
    EV = reported % complete x budget, AC = reported actual cost, PV = budget x planned share,
    the planned share being the elapsed fraction of [start_date, baseline_finish] at D, clipped
    to 0-1 (the rule of ``assess_health``); SPI = EV / PV, CPI = EV / AC. A report without a %
    complete or an actual cost leaves EV or AC empty there (no carrying forward). Two plan rows
    frame the PV line with the register as of ``as_of``: ``start`` (PV 0) and ``baseline
    finish`` (PV = budget). Vectorised: one merge of the report dates with the register versions.

    Args:
        project: Versions of one project's register row; needs ``project_id``, ``budget``,
            ``start_date``, ``baseline_finish`` (``valid_from``/``valid_to`` when versioned).
        status_reports: The project's reports; needs ``report_date``, ``percent_complete``,
            ``actual_cost``.
        as_of: Reports after this date are ignored.

    Returns:
        One row per point, by date (plan rows first on a tie): ``date``, ``point``
        (``start`` / ``report`` / ``baseline finish``), ``budget``, ``planned_share``,
        ``planned_value``, ``percent_complete``, ``earned_value``, ``actual_cost``, ``spi``,
        ``cpi``.

    Raises:
        ValueError: ``project`` is empty.
    """
    require_columns(
        project,
        {"project_id", "budget", "start_date", "baseline_finish"},
        fn="earned_value_history",
    )
    require_columns(
        status_reports,
        {"report_date", "percent_complete", "actual_cost"},
        fn="earned_value_history",
    )
    if project.empty:
        raise ValueError("earned_value_history: no register row for the project")
    stamp = as_timestamp(as_of)
    points = pd.concat(
        [_plan_points(project, stamp), _report_points(project, status_reports, stamp)],
        ignore_index=True,
    )
    out = _value_lines(points)
    order = points["point"].map({"start": 0, "baseline finish": 0, "report": 1}).to_numpy()
    out = out.assign(_order=order).sort_values(["date", "_order"], kind="stable")
    return out.drop(columns="_order").reset_index(drop=True)


def _report_points(
    project: pd.DataFrame, status_reports: pd.DataFrame, as_of: pd.Timestamp
) -> pd.DataFrame:
    """One row per dated report up to ``as_of``: % complete, AC, and the register of that date."""
    report_dates = to_dates(status_reports["report_date"])
    keep = (report_dates.notna() & (report_dates <= as_of)).to_numpy()
    reports = pd.DataFrame(
        {
            "date": report_dates[keep].to_numpy(),
            "point": "report",
            "percent_complete": to_float(status_reports["percent_complete"])[keep].to_numpy(),
            "actual_cost": to_float(status_reports["actual_cost"])[keep].to_numpy(),
        }
    )
    register = _register_on(project, reports["date"].astype("datetime64[ns]"))
    return reports.assign(
        budget=register["budget"].to_numpy(),
        start=register["start_date"].to_numpy(),
        finish=register["baseline_finish"].to_numpy(),
    )


def _value_lines(points: pd.DataFrame) -> pd.DataFrame:
    """PV (budget x elapsed share of start -> baseline finish), EV, AC, SPI and CPI per point."""
    elapsed = (points["date"] - points["start"]).dt.days.astype("float64")
    duration = (points["finish"] - points["start"]).dt.days.astype("float64")
    share = (elapsed / duration.where(duration > 0)).clip(0, 1)
    budget = points["budget"].astype("float64")
    pv = share * budget
    ev = points["percent_complete"].astype("float64") * budget
    ac = points["actual_cost"].astype("float64")
    return pd.DataFrame(
        {
            "date": points["date"].astype("datetime64[ns]"),
            "point": points["point"].astype("str"),
            "budget": budget,
            "planned_share": share,
            "planned_value": pv,
            "percent_complete": points["percent_complete"].astype("float64"),
            "earned_value": ev,
            "actual_cost": ac,
            "spi": ev / pv.where(pv > 0),
            "cpi": ev / ac.where(ac > 0),
        }
    )


def _register_on(project: pd.DataFrame, dates: pd.Series) -> pd.DataFrame:
    """The register's budget, start and baseline finish as known on each of ``dates``.

    Vectorised: the dates are crossed with the (few) versions and the current one is kept.
    Dates on which the register did not know the project get its earliest known row.
    """
    versioned = "valid_from" in project.columns
    versions = pd.DataFrame(
        {
            "budget": to_float(project["budget"]).to_numpy(),
            "start_date": to_dates(project["start_date"]).to_numpy(),
            "baseline_finish": to_dates(project["baseline_finish"]).to_numpy(),
            "valid_from": to_dates(column_or_na(project, "valid_from", "object")).to_numpy(),
            "valid_to": to_dates(column_or_na(project, "valid_to", "object")).to_numpy(),
            # Unversioned rows hold at every date, like a table's first state.
            "always": column_or_na(project, "first_state", "object")
            .fillna(not versioned)
            .astype(bool)
            .to_numpy(),
        }
    )
    wanted = pd.DataFrame({"date": dates.to_numpy(), "position": np.arange(len(dates))})
    pairs = wanted.merge(versions, how="cross")
    current = (pairs["always"] | (pairs["valid_from"] <= pairs["date"])) & (
        pairs["valid_to"].isna() | (pairs["valid_to"] > pairs["date"])
    )
    columns = ["budget", "start_date", "baseline_finish"]
    matched = pairs.loc[current.to_numpy()].drop_duplicates("position").set_index("position")
    out = matched.reindex(range(len(wanted)))[columns]
    earliest = versions.sort_values("valid_from", kind="stable", na_position="first").iloc[0]
    for column in columns:
        out[column] = out[column].fillna(earliest[column])
    return out.reset_index(drop=True)


def _plan_points(project: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """PV rows at the start and the baseline finish, from the register as known on ``as_of``."""
    register = rows_as_of(project, as_of)
    if register.empty:
        register = earliest_state(project)
    row = register.iloc[-1]
    start = to_dates(pd.Series([row["start_date"]], dtype="object")).iloc[0]
    finish = to_dates(pd.Series([row["baseline_finish"]], dtype="object")).iloc[0]
    budget = to_float(pd.Series([row["budget"]], dtype="object")).iloc[0]
    points = [(start, "start"), (finish, "baseline finish")]
    return pd.DataFrame(
        {
            "date": pd.Series([d for d, _ in points if pd.notna(d)], dtype="datetime64[ns]"),
            "point": [p for d, p in points if pd.notna(d)],
            "percent_complete": np.nan,
            "actual_cost": np.nan,
            "budget": budget,
            "start": start,
            "finish": finish,
        }
    )
