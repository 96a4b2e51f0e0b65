"""The PMO's standards (``pmo.toml``), declared once: every key, its type, default and help text.

The loaders, the dashboard and the glossary all read this declaration, so a key cannot mean
one thing to the loaders and another to the dashboard (docs/architecture.md, "9. Configuration:
deployment settings and the PMO's standards"). It lives under ``loaders/`` because the loaders
never import ``dashboard``; the dashboard imports it from here.

Validation is pydantic's, in strict mode (``"0.9"`` is not a number, ``true`` is not 1);
``loaders.standards_file`` reads the file against this declaration and words the errors. A key
that is left out takes its default, so a PMO writes only what it changes.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    StrictStr,
    create_model,
)

REQUEST_CRITERIA = (
    "strategic_alignment",
    "expected_benefit",
    "urgency",
    "risk",
    "estimated_cost",
    "effort_person_months",
    "reach",
    "confidence",
    "duration_months",
)
"""Numeric ``requests`` columns that can be used as scoring criteria (loaders/schema.sql)."""

REQUEST_STATUSES = ("submitted", "under_review", "approved", "rejected", "deferred")
"""Request statuses of the canonical ``requests`` table."""

COMPLIANCE_CHECKS = (
    "has_sponsor",
    "has_project_manager",
    "baseline_set",
    "status_within_cadence",
    "required_fields",
    "raid_maintained",
    "milestones_defined",
)
"""Per-project compliance checks implemented in ``dashboard.analytics.compliance``."""

PROJECT_FIELDS = (
    "name",
    "division",
    "portfolio",
    "programme",
    "sponsor",
    "project_manager",
    "stage",
    "start_date",
    "baseline_finish",
    "forecast_finish",
    "budget",
    "actual_cost",
    "forecast_cost",
    "percent_complete",
    "strategic_alignment",
    "reported_rag",
)
"""Register columns that ``[compliance].required_fields`` may name."""

DATE_ORDERS = ("dmy", "mdy", "auto")


class StandardsError(ValueError):
    """``pmo.toml`` is missing, not valid TOML, or has a bad or unknown key."""


# ------------------------------------------------------------------ how a key is declared
_TEXT = Annotated[StrictStr, Field(min_length=1)]
_DATE = Annotated[dt.date, Strict()]
_CONFIG = ConfigDict(extra="forbid", strict=True, frozen=True)


def _quoted(options: tuple[str, ...]) -> str:
    return ", ".join(f'"{o}"' for o in options)


def _key(default: Any, allowed: str, help_text: str, **rules: Any) -> Any:
    """One key: its default, what it may be (for messages) and its help text (for the glossary)."""
    return Field(default, description=help_text, json_schema_extra={"allowed": allowed}, **rules)


def _number(default: float | None, lo: float, hi: float, help_text: str) -> Any:
    return _key(default, f"a number between {lo:g} and {hi:g}", help_text, ge=lo, le=hi)


def _integer(default: int, lo: int, hi: int, help_text: str) -> Any:
    return _key(default, f"a whole number between {lo} and {hi}", help_text, ge=lo, le=hi)


def _text_list(default: tuple[str, ...], help_text: str, drawn_from: tuple[str, ...] = ()) -> Any:
    allowed = f"a list drawn from {_quoted(drawn_from)}" if drawn_from else ""
    # Lists arrive from TOML as lists; strict mode would insist on a tuple.
    return _key(default, allowed or "a list of non-empty text values", help_text, strict=False)


def _table(default: dict[str, float], lo: float, hi: float, help_template: str) -> Any:
    """A table of weights: the file's table replaces the default one (keys left out are off)."""
    extra = {"allowed": f"a number between {lo:g} and {hi:g}", "table_help": help_template}
    return Field(default_factory=lambda: dict(default), json_schema_extra=extra)


_Weight = Annotated[float, Field(ge=0, le=1000)]


def _column(default: str, help_text: str, *, optional: bool) -> Any:
    allowed = (
        "one of " + _quoted(REQUEST_CRITERIA) + (', or "" to leave it out' if optional else "")
    )
    return _key(default, allowed, help_text)


_Column = Literal[REQUEST_CRITERIA]  # type: ignore[valid-type]
_OptionalColumn = Literal["", _Column]


# ------------------------------------------------------------------ the sections
class Loading(BaseModel):
    """``[loading]``: how the loaders read ambiguous values."""

    model_config = _CONFIG

    date_order: Literal["dmy", "mdy", "auto"] = _key(
        "dmy",
        f"one of {_quoted(DATE_ORDERS)}",
        "How the loaders read a date like 05/03/2025: dmy = 5 March, mdy = May 3, "
        "auto = decide per column when the values make it unambiguous.",
    )
    currency: str = _key(
        "GBP",
        'a three-letter ISO currency code such as "GBP"',
        "The one currency all money columns are held in.",
        pattern=r"^[A-Z]{3}$",
    )
    default_division: Annotated[str, AfterValidator(str.strip)] = _key(
        "",
        'a text value in quotes, or "" for none',
        "Division given to register rows that have none (a small PMO's register often "
        'has no Division column); "" = none, and such a register is not loaded.',
    )


class Reporting(BaseModel):
    """``[reporting]``: status-report cadence and the stages that count as closed."""

    model_config = _CONFIG

    cadence_days: int = _integer(
        14,
        1,
        366,
        "Days between status reports. A report older than this is stale (amber) and "
        "fails the 'status within cadence' compliance check; the health trend compares "
        "with the health this many days earlier.",
    )
    stale_red_days: int = _integer(
        42, 1, 3660, "A last status report older than this many days makes staleness red."
    )
    closed_stages: tuple[_TEXT, ...] = _text_list(
        ("closed", "cancelled", "completed"),
        "Project stages (compared case-insensitively) that mean the project is closed: "
        "left out of health, compliance and capacity demand.",
    )


class Health(BaseModel):
    """``[health]``: cut-offs of the computed health (docs/analytics.md, "Health")."""

    model_config = _CONFIG

    spi_amber: float = _number(0.9, 0, 2, "Schedule amber when SPI (EV/PV) is below this.")
    spi_red: float = _number(0.8, 0, 2, "Schedule red when SPI (EV/PV) is below this.")
    cpi_amber: float = _number(0.9, 0, 2, "Cost amber when CPI (EV/AC) is below this.")
    cpi_red: float = _number(0.8, 0, 2, "Cost red when CPI (EV/AC) is below this.")
    eac_overrun_amber_pct: float = _number(
        5.0,
        0,
        1000,
        "Cost amber when the forecast cost (EAC) is more than this percentage over "
        "budget (cost is the worse of CPI and EAC overrun).",
    )
    eac_overrun_red_pct: float = _number(
        10.0, 0, 1000, "Cost red when EAC is more than this percentage over budget."
    )
    finish_slip_amber_days: int = _integer(
        14,
        0,
        3660,
        "Schedule amber when the forecast finish is more than this many days after the "
        "baseline finish (schedule is the worse of SPI and this slip).",
    )
    finish_slip_red_days: int = _integer(
        45, 0, 3660, "Schedule red when the forecast finish is more than this many days late."
    )
    milestone_slip_amber_days: int = _integer(
        14,
        0,
        3660,
        "Milestones amber when an open (not yet achieved) milestone's forecast is more "
        "than this many days after its baseline.",
    )
    milestone_slip_red_days: int = _integer(
        45, 0, 3660, "Milestones red when an open milestone has slipped more than this many days."
    )
    milestone_overdue_red: int = _integer(
        2,
        1,
        1000,
        "Milestones red when at least this many milestones are overdue (their forecast, "
        "or baseline, date has passed with no actual date); any overdue is amber.",
    )
    raid_amber_open_high: int = _integer(
        1, 1, 1000, "RAID amber when at least this many high or critical risks/issues are open."
    )
    raid_red_open_high: int = _integer(
        0,
        0,
        1000,
        "RAID red when at least this many high or critical risks/issues are open (0 = off).",
    )
    raid_red_open_critical: int = _integer(
        2, 0, 1000, "RAID red when at least this many critical risks/issues are open (0 = off)."
    )
    raid_red_overdue_critical: int = _integer(
        1,
        0,
        1000,
        "RAID red when at least this many open critical risks/issues are past their due "
        "date (0 = off).",
    )
    evm_min_elapsed_pct: float = _number(
        10.0,
        0,
        100,
        "SPI and CPI are judged only once this percentage of the planned duration "
        "(start to baseline finish) has elapsed; before that, schedule and cost rest on "
        "the forecast finish and EAC alone.",
    )
    on_hold_stages: tuple[_TEXT, ...] = _text_list(
        ("on hold",),
        "Project stages (compared case-insensitively) that mean the project is paused: "
        "no planned value accrues while paused, and open milestones without a forecast "
        "date are not overdue.",
    )


_WEIGHT_HELP = (
    "Weight of the request field '{key}' in the weighted score (weights are relative; "
    "each criterion is min-max normalised across the assessable requests)."
)
_DEFAULT_WEIGHTS = {
    "strategic_alignment": 30.0,
    "expected_benefit": 25.0,
    "urgency": 15.0,
    "risk": 10.0,
    "estimated_cost": 10.0,
    "effort_person_months": 10.0,
}
_WeightTable = dict[_Column, _Weight]


class Wsjf(BaseModel):
    """``[scoring.wsjf]``: which 1-5 request fields make up WSJF."""

    model_config = _CONFIG

    business_value: _OptionalColumn = _column(
        "strategic_alignment",
        "1-5 field used as WSJF business value (part of the cost of delay).",
        optional=True,
    )
    time_criticality: _OptionalColumn = _column(
        "urgency",
        "1-5 field used as WSJF time criticality (part of the cost of delay).",
        optional=True,
    )
    risk_reduction: _OptionalColumn = _column(
        "",
        "1-5 field used as WSJF risk reduction / opportunity enablement "
        '(part of the cost of delay; "" when the intake form has none).',
        optional=True,
    )
    job_size: _Column = _column(
        "effort_person_months",
        "Field used as WSJF job size (WSJF = cost of delay / job size).",
        optional=False,
    )


class Rice(BaseModel):
    """``[scoring.rice]``: which request fields give RICE."""

    model_config = _CONFIG

    reach: _Column = _column("reach", "Field used as RICE reach.", optional=False)
    impact: _Column = _column("strategic_alignment", "Field used as RICE impact.", optional=False)
    confidence: _Column = _column(
        "confidence", "Field used as RICE confidence (a fraction 0-1).", optional=False
    )
    effort: _Column = _column(
        "effort_person_months",
        "Field used as RICE effort (RICE = reach x impact x confidence / effort).",
        optional=False,
    )


class Scoring(BaseModel):
    """``[scoring]`` and its tables."""

    model_config = _CONFIG

    lower_is_better: tuple[_Column, ...] = _text_list(
        ("risk", "estimated_cost", "effort_person_months"),
        "Criteria where a lower value is better (inverted when normalised).",
        REQUEST_CRITERIA,
    )
    weights: _WeightTable = _table(_DEFAULT_WEIGHTS, 0, 1000, _WEIGHT_HELP)
    wsjf: Wsjf = Field(default_factory=Wsjf)
    rice: Rice = Field(default_factory=Rice)


class Capacity(BaseModel):
    """``[capacity]``: utilisation bands."""

    model_config = _CONFIG

    under: float = _number(0.7, 0, 10, "Utilisation below this is 'under' (spare capacity).")
    ok: float = _number(1.0, 0, 10, "Utilisation up to and including this is 'ok'.")
    over: float = _number(
        1.1, 0, 10, "Utilisation above 'ok' and up to this is 'over'; above it, 'critical'."
    )


class WorkingTime(BaseModel):
    """``[working_time]``: how FTE turns into hours."""

    model_config = _CONFIG

    hours_per_day: float = _number(7.5, 1, 24, "Working hours in a full-time day.")
    working_days_per_month: float = _number(
        0.0,
        0,
        31,
        "Working days in every month; 0 = count the weekdays of each month less the holidays.",
    )
    leave_days_per_year: float = _number(
        25.0,
        0,
        366,
        "Default annual leave per full-time person, spread evenly over the months, "
        "used when no leave plan is loaded for that person and month.",
    )
    holidays: Annotated[tuple[_DATE, ...], AfterValidator(lambda d: tuple(sorted(d)))] = _key(
        (),
        "a list of dates written as 2025-12-25 (no quotes)",
        "Public holidays that are not working days.",
        strict=False,
    )


_APPROVAL_HELP = (
    "Probability that a request with status '{key}' is approved; weights its "
    "demand in the pipeline capacity scenario."
)
_DEFAULT_APPROVAL = {
    "submitted": 0.3,
    "under_review": 0.5,
    "approved": 1.0,
    "rejected": 0.0,
    "deferred": 0.1,
}
ApprovalProbability = create_model(
    "ApprovalProbability",
    __config__=_CONFIG,
    __doc__="``[approval_probability]``: request status -> probability of approval.",
    **{
        s: (float, _number(_DEFAULT_APPROVAL[s], 0, 1, _APPROVAL_HELP.format(key=s)))
        for s in REQUEST_STATUSES
    },
)

_CHECK_HELP = (
    "Weight of the compliance check '{key}' in the 0-100 compliance score "
    "(checks not listed are not run)."
)
_DEFAULT_CHECKS = dict.fromkeys(COMPLIANCE_CHECKS, 1.0) | {"status_within_cadence": 2.0}
_CheckTable = dict[Literal[COMPLIANCE_CHECKS], _Weight]  # type: ignore[valid-type]


class Compliance(BaseModel):
    """``[compliance]``: which checks run, and their parameters."""

    model_config = _CONFIG

    required_fields: tuple[Literal[PROJECT_FIELDS], ...] = _text_list(  # type: ignore[valid-type]
        ("portfolio", "stage", "start_date", "budget"),
        "Register fields every active project must fill (the 'required_fields' check).",
        PROJECT_FIELDS,
    )
    raid_window_days: int = _integer(
        90,
        1,
        3660,
        "RAID is 'maintained' when the project has an open RAID item, or raised one "
        "within this many days.",
    )
    min_milestones: int = _integer(
        1, 1, 1000, "Milestones are 'defined' when the project has at least this many."
    )
    checks: _CheckTable = _table(_DEFAULT_CHECKS, 0, 1000, _CHECK_HELP)


class Review(BaseModel):
    """``[review]``: what counts as a change worth reporting in the monthly review.

    New review keys are declared here, one ``_number``/``_integer`` line each.
    """

    model_config = _CONFIG

    milestone_slip_days: int = _integer(
        7,
        1,
        3660,
        "The monthly review lists a milestone whose forecast moved later by at least "
        "this many days.",
    )
    money_move_pct: float = _number(
        5.0,
        0,
        1000,
        "The monthly review lists a budget or EAC that moved by at least this percentage.",
    )
    budget_rise_pct: float = _number(
        10.0,
        0,
        1000,
        "A budget or EAC rise of at least this percentage is put to the monthly review "
        "as a decision.",
    )


class PmoStandards(BaseModel):
    """Everything in ``pmo.toml``, in the shape of the file."""

    model_config = _CONFIG

    loading: Loading = Field(default_factory=Loading)
    reporting: Reporting = Field(default_factory=Reporting)
    health: Health = Field(default_factory=Health)
    scoring: Scoring = Field(default_factory=Scoring)
    capacity: Capacity = Field(default_factory=Capacity)
    working_time: WorkingTime = Field(default_factory=WorkingTime)
    approval_probability: ApprovalProbability = Field(default_factory=ApprovalProbability)  # type: ignore[valid-type]
    compliance: Compliance = Field(default_factory=Compliance)
    review: Review = Field(default_factory=Review)


DEFAULTS = PmoStandards()
"""The standards of an empty ``pmo.toml``."""
