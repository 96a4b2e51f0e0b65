"""Compliance of each open project with the PMO's standards: checks, score, feedback, league.

Checks (enabled and weighted in ``[compliance.checks]``):

- ``has_sponsor`` / ``has_project_manager``: the register names one (blank text counts as none).
- ``baseline_set``: start date, baseline finish and budget are all present.
- ``status_within_cadence``: the latest status report on or before ``as_of`` is no more than
  ``cadence_days`` old. A project with no report yet that started no more than ``cadence_days``
  before ``as_of`` passes: its first report is not due yet (docs/analytics.md, "Health").
- ``required_fields``: every field in ``required_fields`` is filled.
- ``raid_maintained``: the project has at least one open RAID item (raised on or before
  ``as_of``), or raised any item in the ``raid_window_days`` up to ``as_of``.
- ``milestones_defined``: at least ``min_milestones`` milestones.

Score = 100 x (weight of checks passed) / (weight of checks run). Closed projects are left out.
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
from dashboard.analytics.health_raid import RAID_CLOSED_STATUSES
from dashboard.analytics.status_reports import latest_status
from dashboard.standards import COMPLIANCE_CHECKS, ComplianceRules

_FIELD_PHRASES = {
    "name": "a name",
    "division": "a division",
    "portfolio": "the portfolio",
    "programme": "the programme",
    "sponsor": "a sponsor",
    "project_manager": "a project manager",
    "stage": "the stage",
    "start_date": "a start date",
    "baseline_finish": "a baseline finish date",
    "forecast_finish": "a forecast finish date",
    "budget": "a budget",
    "actual_cost": "the actual cost",
    "forecast_cost": "a forecast cost (EAC)",
    "percent_complete": "the % complete",
    "strategic_alignment": "the strategic alignment",
    "reported_rag": "a reported RAG",
}
_BASELINE_FIELDS = ("start_date", "baseline_finish", "budget")


def check_compliance(
    projects: pd.DataFrame,
    status_reports: pd.DataFrame,
    milestones: pd.DataFrame,
    raid: pd.DataFrame,
    rules: ComplianceRules,
    *,
    as_of: dt.date | pd.Timestamp,
) -> pd.DataFrame:
    """Run the enabled checks on every open project and say what to fix.

    Args:
        projects: Register; needs ``project_id``, ``division``, ``stage``, ``sponsor``,
            ``project_manager``, ``start_date``, ``baseline_finish``, ``budget`` and the
            ``required_fields``; ``name`` is carried along when present.
        status_reports: Needs ``project_id``, ``report_date``.
        milestones: Needs ``project_id``.
        raid: Needs ``project_id``, ``status``; ``raised_date`` when present.
        rules: Checks, weights and parameters from ``pmo.toml``.
        as_of: The date checked at.

    Returns:
        One row per open project: ``project_id``, ``name`` (when given), ``division``,
        ``check_<name>`` (bool) per enabled check, ``checks_run``, ``checks_passed``,
        ``failed_checks`` (comma-separated), ``score`` (0-100), ``days_since_report``,
        ``feedback`` (one sentence).
    """
    enabled = [(name, weight) for name, weight in rules.checks if weight > 0]
    unknown = [name for name, _ in enabled if name not in COMPLIANCE_CHECKS]
    if unknown:
        raise ValueError(f"check_compliance: unknown checks: {', '.join(unknown)}")
    needed = {"project_id", "division", "stage", "sponsor", "project_manager", *_BASELINE_FIELDS}
    require_columns(projects, needed | set(rules.required_fields), fn="check_compliance")
    require_columns(status_reports, {"project_id", "report_date"}, fn="check_compliance")
    require_columns(milestones, {"project_id"}, fn="check_compliance")
    require_columns(raid, {"project_id", "status"}, fn="check_compliance")
    stamp = as_timestamp(as_of)

    closed = {s.strip().lower() for s in rules.closed_stages}
    active = projects.loc[~to_text(projects["stage"]).isin(closed).to_numpy()]
    ids = active["project_id"].to_numpy()
    filled = {c: _filled(active[c]) for c in needed | set(rules.required_fields)}
    days = _days_since_report(status_reports, active, stamp)
    n_milestones = (
        milestones.groupby("project_id").size().reindex(ids).fillna(0).to_numpy(dtype="int64")
    )
    results = _results(filled, days, n_milestones, active, raid, stamp, rules)

    out = pd.DataFrame({"project_id": ids})
    if "name" in active.columns:
        out["name"] = active["name"].to_numpy()
    out["division"] = active["division"].to_numpy()
    _add_score(out, enabled, results)
    out["days_since_report"] = days
    out["feedback"] = _feedback(enabled, results, filled, days, n_milestones, rules)
    return out


def compliance_league(compliance: pd.DataFrame) -> pd.DataFrame:
    """Rank divisions by their projects' average compliance score.

    Args:
        compliance: :func:`check_compliance` output; needs ``division``, ``score``,
            ``failed_checks``.

    Returns:
        One row per division: ``rank`` (1 = best; ties share), ``division``, ``projects``,
        ``average_score``, ``fully_compliant``, ``fully_compliant_share`` (0-1),
        ``most_failed_check`` ("" when none fail), best first.
    """
    require_columns(compliance, {"division", "score", "failed_checks"}, fn="compliance_league")
    frame = compliance.assign(
        full=(compliance["failed_checks"] == "").to_numpy(),
        division=compliance["division"].fillna("(no division)").to_numpy(),
    )
    grouped = frame.groupby("division", sort=True)
    league = pd.DataFrame(
        {
            "projects": grouped.size(),
            "average_score": grouped["score"].mean(),
            "fully_compliant": grouped["full"].sum().astype("int64"),
        }
    )
    league["fully_compliant_share"] = league["fully_compliant"] / league["projects"]
    failures = frame.loc[frame["failed_checks"] != "", ["division", "failed_checks"]]
    exploded = failures.assign(check=failures["failed_checks"].str.split(", ")).explode("check")
    top = exploded.groupby("division")["check"].agg(lambda s: s.value_counts().index[0])
    league["most_failed_check"] = top.reindex(league.index).fillna("").astype("str")
    league = league.reset_index().sort_values(
        ["average_score", "division"], ascending=[False, True], kind="stable", ignore_index=True
    )
    league.insert(
        0, "rank", league["average_score"].rank(method="min", ascending=False).astype("int64")
    )
    return league


# --------------------------------------------------------------------------------------------
# helpers


def _days_since_report(
    status_reports: pd.DataFrame, active: pd.DataFrame, as_of: pd.Timestamp
) -> np.ndarray:
    """Days from each project's latest report on or before ``as_of`` to ``as_of`` (NaN: none)."""
    latest = latest_status(status_reports, as_of).drop_duplicates("project_id")
    last = latest.set_index("project_id")["report_date"].reindex(active["project_id"].to_numpy())
    return (as_of - pd.to_datetime(last)).dt.days.astype("float64").to_numpy()


def _results(
    filled: dict[str, np.ndarray],
    days: np.ndarray,
    n_milestones: np.ndarray,
    active: pd.DataFrame,
    raid: pd.DataFrame,
    as_of: pd.Timestamp,
    rules: ComplianceRules,
) -> dict[str, np.ndarray]:
    """Pass (True) or fail per project for every check, enabled or not."""
    since_start = (as_of - to_dates(active["start_date"])).dt.days.astype("float64").to_numpy()
    not_due = np.isnan(days) & ~np.isnan(since_start) & (since_start <= rules.cadence_days)
    ids = active["project_id"].to_numpy()
    return {
        "has_sponsor": filled["sponsor"],
        "has_project_manager": filled["project_manager"],
        "baseline_set": np.logical_and.reduce([filled[c] for c in _BASELINE_FIELDS]),
        "status_within_cadence": (~np.isnan(days) & (days <= rules.cadence_days)) | not_due,
        "required_fields": np.logical_and.reduce(
            [filled[c] for c in rules.required_fields] or [np.ones(len(ids), dtype=bool)]
        ),
        "raid_maintained": _raid_maintained(raid, ids, as_of, rules.raid_window_days),
        "milestones_defined": n_milestones >= rules.min_milestones,
    }


def _add_score(
    out: pd.DataFrame, enabled: list[tuple[str, float]], results: dict[str, np.ndarray]
) -> None:
    """Add ``check_<name>`` per enabled check, the counts, the failed checks and the score."""
    n = len(out)
    total = sum(w for _, w in enabled)
    passed_weight = np.zeros(n)
    passed = np.zeros(n, dtype="int64")
    for name, weight in enabled:
        out[f"check_{name}"] = results[name]
        passed_weight += weight * results[name]
        passed += results[name]
    out["checks_run"] = len(enabled)
    out["checks_passed"] = passed
    out["failed_checks"] = [
        ", ".join(name for name, _ in enabled if not results[name][i]) for i in range(n)
    ]
    out["score"] = 100.0 * passed_weight / total if total > 0 else np.nan


def _filled(values: pd.Series) -> np.ndarray:
    """True where a value is present (text must not be blank)."""
    present = values.notna().to_numpy()
    if pd.api.types.is_object_dtype(values.dtype) or pd.api.types.is_string_dtype(values.dtype):
        text = values.astype("str").str.strip().to_numpy()
        present = present & (text != "")
    return present


def _raid_maintained(
    raid: pd.DataFrame, ids: np.ndarray, as_of: pd.Timestamp, window_days: int
) -> np.ndarray:
    status = to_text(raid["status"])
    raised = to_dates(column_or_na(raid, "raised_date", "object"))
    existed = (raised.isna() | (raised <= as_of)).to_numpy()
    is_open = (~status.isin(RAID_CLOSED_STATUSES)).to_numpy() & existed
    recent = ((raised > as_of - pd.Timedelta(days=window_days)) & (raised <= as_of)).to_numpy()
    ok = pd.Series(is_open | recent).groupby(raid["project_id"].to_numpy()).any()
    return ok.reindex(ids).fillna(False).to_numpy(dtype=bool)


def _feedback(
    enabled: list[tuple[str, float]],
    results: dict[str, np.ndarray],
    filled: dict[str, np.ndarray],
    days: np.ndarray,
    n_milestones: np.ndarray,
    rules: ComplianceRules,
) -> list[str]:
    names = {name for name, _ in enabled}
    sentences = []
    for i in range(len(days)):
        add: list[str] = []

        def want(phrase: str, to_add: list[str] = add) -> None:
            if phrase not in to_add:
                to_add.append(phrase)

        if "has_sponsor" in names and not results["has_sponsor"][i]:
            want(_FIELD_PHRASES["sponsor"])
        if "has_project_manager" in names and not results["has_project_manager"][i]:
            want(_FIELD_PHRASES["project_manager"])
        if "baseline_set" in names and not results["baseline_set"][i]:
            for field in _BASELINE_FIELDS:
                if not filled[field][i]:
                    want(_FIELD_PHRASES[field])
        if "required_fields" in names and not results["required_fields"][i]:
            for field in rules.required_fields:
                if not filled[field][i]:
                    want(_FIELD_PHRASES.get(field, field.replace("_", " ")))
        if "milestones_defined" in names and not results["milestones_defined"][i]:
            want(
                f"at least {rules.min_milestones} milestone"
                + ("s" if rules.min_milestones > 1 else "")
            )
        parts = [f"add {_join(add)}"] if add else []
        if "status_within_cadence" in names and not results["status_within_cadence"][i]:
            if np.isnan(days[i]):
                parts.append(
                    f"no status report has been received (standard: every "
                    f"{rules.cadence_days} days)"
                )
            else:
                parts.append(
                    f"the last status report is {days[i]:g} days old "
                    f"(standard: {rules.cadence_days})"
                )
        if "raid_maintained" in names and not results["raid_maintained"][i]:
            parts.append(
                "the RAID log has no open items and nothing raised in the last "
                f"{rules.raid_window_days} days"
            )
        if not parts:
            sentences.append("Meets every PMO standard checked.")
            continue
        text = "; ".join(parts)
        sentences.append(text[0].upper() + text[1:] + ".")
    return sentences


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def outdated_templates(
    latest_status: pd.DataFrame, load_sheets: pd.DataFrame, current_version: int
) -> pd.DataFrame:
    """Projects whose latest status report came from an older PMO Lens template version.

    A report loaded from a template records the template's version on its load sheet; one from
    any other file has none and is not listed (``docs/templates.md``, "Versions").

    Args:
        latest_status: One report per project; needs ``project_id``, ``report_date``,
            ``load_id``, ``source_file`` and ``source_sheet``.
        load_sheets: Per-sheet load records; needs ``load_id``, ``sheet`` and
            ``template_version``.
        current_version: The template version the PMO issues now.

    Returns:
        ``project_id``, ``report_date``, ``source_file``, ``template_version`` of each project
        reporting on a version below ``current_version``, by project id.
    """
    require_columns(
        latest_status,
        {"project_id", "report_date", "load_id", "source_file", "source_sheet"},
        fn="outdated_templates",
    )
    require_columns(load_sheets, {"load_id", "sheet", "template_version"}, fn="outdated_templates")
    versions = load_sheets[["load_id", "sheet", "template_version"]].rename(
        columns={"sheet": "source_sheet"}
    )
    reports = latest_status[["project_id", "report_date", "load_id", "source_file", "source_sheet"]]
    joined = reports.merge(versions, on=["load_id", "source_sheet"], how="inner")
    old = joined[
        joined["template_version"].notna() & (joined["template_version"] < current_version)
    ]
    columns = ["project_id", "report_date", "source_file", "template_version"]
    return (
        old[columns]
        .astype({"template_version": "int64"})
        .sort_values("project_id")
        .reset_index(drop=True)
    )
