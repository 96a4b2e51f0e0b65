"""The PMO's standards (``pmo.toml``), declared once: every key, its type, default and help text.

The loaders, the dashboard and the glossary all read this declaration, so a key cannot mean
one thing to the loaders and another to the dashboard (docs/architecture.md, "9. Configuration:
deployment settings and the PMO's standards"). It lives under ``loaders/`` because the loaders
never import ``dashboard``; the dashboard imports it from here.

Validation is pydantic's, in strict mode (``"0.9"`` is not a number, ``true`` is not 1). A bad
value, an unknown key or an unknown section raises :class:`StandardsError` with one message that
names the file, the key and what it may be, e.g. ``pmo.toml: [health].cpi_red must be a number
between 0 and 2, got 'abc'``. A key that is left out takes its default, so a PMO writes only what
it changes.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    StrictStr,
    ValidationError,
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


_Column = Literal[
    "strategic_alignment",
    "expected_benefit",
    "urgency",
    "risk",
    "estimated_cost",
    "effort_person_months",
    "reach",
    "confidence",
    "duration_months",
]
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
_WeightTable = dict[
    Literal[
        "strategic_alignment",
        "expected_benefit",
        "urgency",
        "risk",
        "estimated_cost",
        "effort_person_months",
        "reach",
        "confidence",
        "duration_months",
    ],
    _Weight,
]


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
_CheckTable = dict[
    Literal[
        "has_sponsor",
        "has_project_manager",
        "baseline_set",
        "status_within_cadence",
        "required_fields",
        "raid_maintained",
        "milestones_defined",
    ],
    _Weight,
]


class Compliance(BaseModel):
    """``[compliance]``: which checks run, and their parameters."""

    model_config = _CONFIG

    required_fields: tuple[
        Literal[
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
        ],
        ...,
    ] = _text_list(
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


# ------------------------------------------------------------------ reading the file
def read_standards(path: str | Path) -> PmoStandards:
    """Read and validate ``pmo.toml``.

    Raises:
        StandardsError: The file is missing or unreadable, is not valid TOML, or has an unknown
            section/key, a value outside its allowed range or inconsistent values.
    """
    path = Path(path)
    source = path.name
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StandardsError(f"{source}: file not found ({path})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise StandardsError(f"{source}: cannot be read ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise StandardsError(f"{source}: not valid TOML ({exc})") from None
    return parse_standards(raw, source)


def parse_standards(raw: dict[str, Any], source: str = "pmo.toml") -> PmoStandards:
    """Validate a parsed TOML document; messages start with ``source``.

    Raises:
        StandardsError: As :func:`read_standards`.
    """
    try:
        standards = PmoStandards.model_validate(raw)
    except ValidationError as exc:
        raise StandardsError(f"{source}: {_message(exc.errors()[0], raw)}") from None
    problem = _inconsistency(standards)
    if problem:
        raise StandardsError(f"{source}: {problem}")
    return standards


def sections(model: type[BaseModel] = PmoStandards, prefix: str = "") -> list[tuple[str, type]]:
    """Every section of the file as (``name``, model), in file order (``scoring.weights``...)."""
    out: list[tuple[str, type]] = []
    for name, field in model.model_fields.items():
        sub = field.annotation
        if isinstance(sub, type) and issubclass(sub, BaseModel):
            out.append((f"{prefix}{name}", sub))
            out.extend(sections(sub, f"{prefix}{name}."))
    return out


def keys(model: type[BaseModel]) -> dict[str, Any]:
    """A section's own keys (its tables left out): name -> pydantic field."""
    return {
        name: field
        for name, field in model.model_fields.items()
        if not (isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel))
    }


def show(value: object) -> str:
    """A value as the glossary and the messages show it."""
    if isinstance(value, tuple | list):
        return ", ".join(show(v) for v in value) if value else "(none)"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, str) and value == "":
        return "(not used)"
    return str(value)


# ------------------------------------------------------------------ messages
def _message(error: Any, raw: dict[str, Any]) -> str:
    """Pydantic's first error, in the words of the file: the key and what it may be."""
    loc = [str(part) for part in error["loc"]]
    model: type[BaseModel] | None = PmoStandards
    path: list[str] = []
    for part in loc:
        field = model.model_fields.get(part) if model else None
        if field is None:
            break
        path.append(part)
        sub = field.annotation
        model = sub if isinstance(sub, type) and issubclass(sub, BaseModel) else None
        if model is None:
            break
    if error["type"] == "extra_forbidden":
        return _unknown(path, loc[len(path)], error["input"], model)
    section = ".".join(path)
    if model is not None:  # a section that is not a table
        return f"{section} must be a [{section}] section, got {_quote(error['input'])}"
    extra = model_field(path).json_schema_extra
    if "table_help" in extra:  # [scoring.weights], [compliance.checks]
        rest = loc[len(path) :]
        if not rest:
            return f"{section} must be a [{section}] section, got {_quote(error['input'])}"
        if rest[-1] == "[key]":
            allowed_keys = ", ".join(get_args(get_args(model_field(path).annotation)[0]))
            return f"unknown key [{section}].{rest[0]}; allowed keys: {allowed_keys}"
        path = [*path, rest[0]]
    return (
        f"[{'.'.join(path[:-1])}].{path[-1]} must be {extra['allowed']}, "
        f"got {_quote(_lookup(raw, path))}"
    )


def model_field(path: list[str]) -> Any:
    """The pydantic field at ``path`` (``["health", "cpi_red"]``)."""
    model: Any = PmoStandards
    field = None
    for part in path:
        field = model.model_fields[part]
        model = field.annotation
    return field


def _unknown(path: list[str], name: str, value: object, model: type[BaseModel] | None) -> str:
    if not path:
        names = ", ".join(sorted(PmoStandards.model_fields))
        return f"unknown section [{name}]; allowed sections: {names}"
    section = ".".join(path)
    if isinstance(value, dict):
        return f"unknown section [{section}.{name}]"
    allowed = ", ".join(keys(model)) if model else ""
    return f"unknown key [{section}].{name}; allowed keys: {allowed}"


def _lookup(raw: dict[str, Any], path: list[str]) -> object:
    value: Any = raw
    for part in path:
        value = value[part]
    return value


def _quote(value: object) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return repr(value)
    return str(value)


def _inconsistency(standards: PmoStandards) -> str | None:
    """Values that are each valid but contradict each other (amber beyond red, ...)."""
    pairs = [
        ("reporting", "cadence_days", "stale_red_days"),
        ("health", "spi_red", "spi_amber"),
        ("health", "cpi_red", "cpi_amber"),
        ("health", "eac_overrun_amber_pct", "eac_overrun_red_pct"),
        ("health", "finish_slip_amber_days", "finish_slip_red_days"),
        ("health", "milestone_slip_amber_days", "milestone_slip_red_days"),
        ("capacity", "under", "ok"),
        ("capacity", "ok", "over"),
    ]
    if standards.health.raid_red_open_high:  # 0 switches the rule off
        pairs.insert(6, ("health", "raid_amber_open_high", "raid_red_open_high"))
    for section, low, high in pairs:
        a = getattr(getattr(standards, section), low)
        b = getattr(getattr(standards, section), high)
        if a > b:
            return (
                f"[{section}].{low} ({show(a)}) must not be greater than "
                f"[{section}].{high} ({show(b)})"
            )
    weights = weights_of(standards)
    if not any(w > 0 for w in weights.values()):
        return "[scoring.weights] must give at least one criterion a weight above 0"
    for column in standards.scoring.lower_is_better:
        if column not in weights:
            return (
                f"[scoring].lower_is_better names '{column}', which has no weight in "
                "[scoring.weights]; weighted criteria: " + ", ".join(weights)
            )
    if not any(w > 0 for w in checks_of(standards).values()):
        return "[compliance.checks] must give at least one check a weight above 0"
    return None


def weights_of(standards: PmoStandards) -> dict[str, float]:
    """The scoring weights the file gives (or the defaults, when it has no weights table)."""
    return dict(standards.scoring.weights)


def checks_of(standards: PmoStandards) -> dict[str, float]:
    """The compliance checks the file enables, with their weights."""
    return dict(standards.compliance.checks)
