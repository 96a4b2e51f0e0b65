"""The milestones dimension of health, and milestones missing an actual date (a data finding).

Open milestones only; overdue when the forecast (else baseline) date has passed with no actual
date, the slip then running to ``as_of``. A milestone missing its actual date while a later one
is achieved is a data-quality finding (:func:`milestone_findings`), not a slip; an open
milestone without a forecast is not overdue while the project is paused (docs/analytics.md,
"Milestones" and "Milestone without an actual date").
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
    to_text,
)
from dashboard.analytics.health_grading import as_of_rows, count, days, grade, masked, worst_of
from dashboard.standards import HealthThresholds


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


def milestones_dimension(
    ids: pd.Series,
    milestones: pd.DataFrame,
    work_items: pd.DataFrame | None,
    when: pd.Timestamp | pd.Series,
    t: HealthThresholds,
    on_hold: np.ndarray,
) -> dict[str, np.ndarray]:
    """Milestones RAG per project of ``ids``, with the counts the pages show.

    ``when`` is one as-of date or one per project id; ``on_hold`` flags the paused projects.
    """
    frame = _milestone_rows(ids, milestones, work_items)
    summary = _per_project(frame, ids, when, on_hold)
    total = summary["total"].fillna(0).to_numpy()
    n_overdue = summary["overdue"].fillna(0).to_numpy()
    n_missing = summary["missing"].fillna(0).to_numpy()
    worst = summary["slip"].to_numpy()
    waiting = summary["tbc"].fillna(0).to_numpy() > 0
    result = _graded(total, n_overdue, n_missing, worst, waiting, t)
    note = np.where(
        n_missing > 0,
        [f"; {m:g} without an actual date left to Data & compliance" for m in n_missing],
        "",
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


def _milestone_rows(
    ids: pd.Series, milestones: pd.DataFrame, work_items: pd.DataFrame | None
) -> pd.DataFrame:
    """The milestones of ``ids`` as dates (work-item milestones standing in where none)."""
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
    return frame.loc[frame["project_id"].isin(ids).to_numpy()].reset_index(drop=True)


def _per_project(
    frame: pd.DataFrame, ids: pd.Series, when: pd.Timestamp | pd.Series, on_hold: np.ndarray
) -> pd.DataFrame:
    """Per project of ``ids``: milestones, overdue, worst open slip, missing actuals, awaiting."""
    as_of = as_of_rows(when, frame["project_id"], frame.index)
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
    return pd.DataFrame(
        {
            "total": per["total"].sum(),
            "overdue": per["overdue"].sum(),
            "slip": per["slip"].max(),
            "missing": per["missing"].sum(),
            "tbc": per["tbc"].sum(),
        }
    ).reindex(ids.to_numpy())


def _graded(
    total: np.ndarray,
    n_overdue: np.ndarray,
    n_missing: np.ndarray,
    worst: np.ndarray,
    waiting: np.ndarray,
    t: HealthThresholds,
) -> dict[str, np.ndarray]:
    """The worst of the overdue count and the worst open slip (NaN: none open), worded.

    ``waiting`` flags projects whose open milestones await a new forecast while on hold.
    """
    by_overdue = grade(
        n_overdue,
        1,
        t.milestone_overdue_red,
        "at_least",
        lambda v: f"{v:g} overdue milestone(s)",
        count,
        0,
    )
    by_slip = grade(
        np.nan_to_num(worst, nan=0.0),
        t.milestone_slip_amber_days,
        t.milestone_slip_red_days,
        "above",
        lambda v: f"worst open milestone slip {v:g} days",
        days,
        0,
    )
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
    return worst_of(
        [
            ("overdue", by_overdue, np.where(has, "", unknown_why)),
            ("slip", masked(by_slip, has), unknown_why),
        ],
        metric="worst milestone slip (days)",
        value=worst,
        threshold=t.milestone_slip_red_days,
    )


def _missing_actual(frame: pd.DataFrame, as_of: pd.Timestamp | pd.Series) -> np.ndarray:
    """True for open milestones baselined before an achieved milestone of the same project."""
    achieved = frame["actual"].notna() & (frame["actual"] <= as_of)
    latest_achieved = (
        frame["baseline"].where(achieved).groupby(frame["project_id"].to_numpy()).transform("max")
    )
    return (~achieved & (frame["baseline"] < latest_achieved)).fillna(False).to_numpy(dtype=bool)


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
