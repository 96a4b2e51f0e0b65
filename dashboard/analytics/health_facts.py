"""Each open project's effective inputs at the as-of date, and its earned-value facts.

The newer of the register row (dated by ``valid_from``) and the latest status report wins,
field by field (docs/analytics.md, "Sources and precedence"); EV, PV, SPI, CPI, the EAC overrun
and the finish slip follow "EV, PV and AC", "Too early for earned value" and "On hold".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.analytics._checks import column_or_na, to_dates, to_float, to_text
from dashboard.analytics.rag import RAG_DTYPE, to_rag
from dashboard.standards import HealthThresholds

OVERRIDDEN_BY_STATUS = ("percent_complete", "actual_cost", "forecast_finish", "forecast_cost")
"""Register fields replaced by the latest status report's value when it has one."""


def project_facts(
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
    facts = pd.DataFrame(index=pd.RangeIndex(len(projects)))
    report_date = pd.Series(aligned["report_date"].to_numpy(), dtype="datetime64[ns]")
    # The register row is dated by the load that wrote it; a row loaded after as_of only stands
    # in for the past (db "as of" rule), so it carries no date and any report beats it.
    register_date = to_dates(pd.Series(column_or_na(projects, "valid_from", "object").to_numpy()))
    register_date = register_date.where(register_date <= as_of)
    report_newer = (register_date.isna() | (report_date >= register_date)).to_numpy()
    facts["register_date"] = register_date.to_numpy()
    _effective_fields(facts, projects, aligned, report_newer)
    _register_plan(facts, projects)
    _work_item_progress(facts, projects["project_id"].to_numpy(), work_items)
    _reported_rag(facts, projects, aligned, report_newer)
    facts["last_report_date"] = report_date
    facts["days_since_report"] = (as_of - report_date).dt.days.astype("float64")
    _earned_value(facts, _planned_value_date(facts, projects, as_of, t), as_of, t)
    return facts


def done_share(work_items: pd.DataFrame) -> pd.Series:
    """Share of a project's non-milestone work items whose status category is done."""
    milestone = work_items["is_milestone"].fillna(False).astype(bool).to_numpy()
    items = work_items.loc[~milestone]
    done = (to_text(items["status_category"]) == "done").fillna(False).astype("float64")
    return done.groupby(items["project_id"].to_numpy()).mean()


def _effective_fields(
    facts: pd.DataFrame, projects: pd.DataFrame, aligned: pd.DataFrame, report_newer: np.ndarray
) -> None:
    """Fill :data:`OVERRIDDEN_BY_STATUS` and ``progress_source``: report if newer, else register."""
    for column in OVERRIDDEN_BY_STATUS:
        register = projects[column].to_numpy()
        reported = column_or_na(aligned, column, dtype="object").to_numpy()
        parse = to_dates if column == "forecast_finish" else to_float
        register_s = parse(pd.Series(register))
        reported_s = parse(pd.Series(reported))
        use_report = reported_s.notna().to_numpy() & (report_newer | register_s.isna().to_numpy())
        facts[column] = reported_s.where(use_report, register_s)
        if column == "percent_complete":
            facts["progress_source"] = np.select(
                [use_report, register_s.notna().to_numpy()],
                ["status_report", "register"],
                default=None,
            )


def _register_plan(facts: pd.DataFrame, projects: pd.DataFrame) -> None:
    """Fill the fields only the register holds: budget, start, baseline and actual finish."""
    facts["budget"] = to_float(pd.Series(projects["budget"].to_numpy()))
    facts["start_date"] = to_dates(pd.Series(projects["start_date"].to_numpy()))
    facts["baseline_finish"] = to_dates(pd.Series(projects["baseline_finish"].to_numpy()))
    facts["actual_finish"] = to_dates(
        pd.Series(column_or_na(projects, "actual_finish", "object").to_numpy())
    )


def _work_item_progress(
    facts: pd.DataFrame, ids: np.ndarray, work_items: pd.DataFrame | None
) -> None:
    """Where neither register nor report gives a % complete, take the share of work items done."""
    if work_items is not None and len(work_items):
        share = done_share(work_items).reindex(ids).to_numpy()
        use = facts["percent_complete"].isna().to_numpy() & ~np.isnan(share)
        facts.loc[use, "percent_complete"] = share[use]
        facts.loc[use, "progress_source"] = "work_items"
    facts["progress_source"] = facts["progress_source"].astype("str")


def _reported_rag(
    facts: pd.DataFrame, projects: pd.DataFrame, aligned: pd.DataFrame, report_newer: np.ndarray
) -> None:
    """Fill ``reported_rag`` and ``reported_source``: the newer of report and register."""
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


def _planned_value_date(
    facts: pd.DataFrame,
    projects: pd.DataFrame,
    as_of: pd.Timestamp | pd.Series,
    t: HealthThresholds,
) -> pd.Series:
    """Fill ``on_hold``/``on_hold_since`` and return the date planned value is read at."""
    on_hold_stages = {s.strip().lower() for s in t.on_hold_stages}
    on_hold = to_text(pd.Series(projects["stage"].to_numpy())).isin(on_hold_stages).to_numpy()
    since = to_dates(pd.Series(column_or_na(projects, "on_hold_since", "object").to_numpy()))
    facts["on_hold"] = on_hold
    facts["on_hold_since"] = since.where(on_hold).to_numpy()
    # Planned value stops accruing when a project is paused: PV is read at the pause date; when
    # the pause date is unknown there is no honest PV (SPI is not judged, see docs/analytics.md).
    return pd.Series(as_of, index=facts.index).where(~on_hold, since.clip(upper=as_of))


def _earned_value(
    facts: pd.DataFrame,
    pv_date: pd.Series,
    as_of: pd.Timestamp | pd.Series,
    t: HealthThresholds,
) -> None:
    """Fill planned share, EV, PV, SPI, CPI, the EAC overrun and the finish slip."""
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
