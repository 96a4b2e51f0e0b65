"""The PMO's standards (``pmo.toml``): typed, validated, and described for the glossary.

``load_standards(path)`` reads the file with :mod:`tomllib`, checks every key against the
specification below and returns a frozen :class:`Standards`. Anything wrong raises
:class:`StandardsError` with one message naming the file, the key and the allowed values, e.g.
``pmo.toml: [health].cpi_red must be a number between 0 and 2, got 'abc'``. Unknown sections and
keys are errors too (a typo must not silently fall back to a default). Keys that are left out take
the documented default, so a PMO only writes what it changes.

The analytics never import this module's loader: pages pass the sub-dataclasses
(``standards.health``, ``standards.scoring``, ...) into the pure functions as arguments.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

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


class StandardsError(ValueError):
    """``pmo.toml`` is missing, not valid TOML, or has a bad or unknown key."""


@dataclass(frozen=True)
class LoadingRules:
    """How the loaders read ambiguous values (they also read ``[loading]`` themselves)."""

    date_order: str = "dmy"
    currency: str = "GBP"
    default_division: str = ""


@dataclass(frozen=True)
class ReportingRules:
    """Status-report cadence and the stages that count as closed."""

    cadence_days: int = 14
    stale_red_days: int = 42
    closed_stages: tuple[str, ...] = ("closed", "cancelled", "completed")


@dataclass(frozen=True)
class HealthThresholds:
    """Cut-offs for the computed health of a project (see ``dashboard.analytics.health``).

    "Lower is worse" metrics (SPI, CPI) are red below ``*_red`` and amber below ``*_amber``;
    "higher is worse" metrics (overrun, slip, staleness, counts) are red above ``*_red`` and amber
    above ``*_amber`` (counts: at or above). A value exactly on a threshold is the better colour,
    and the comparison uses the value as shown (SPI/CPI to 2 decimals, percentages to 1). A count
    threshold of 0 switches that rule off. ``cadence_days``, ``stale_red_days`` and
    ``closed_stages`` come from ``[reporting]``. Every rule: docs/analytics.md, "Health".
    """

    cadence_days: int = 14
    stale_red_days: int = 42
    closed_stages: tuple[str, ...] = ("closed", "cancelled", "completed")
    spi_amber: float = 0.9
    spi_red: float = 0.8
    cpi_amber: float = 0.9
    cpi_red: float = 0.8
    eac_overrun_amber_pct: float = 5.0
    eac_overrun_red_pct: float = 10.0
    finish_slip_amber_days: int = 14
    finish_slip_red_days: int = 45
    milestone_slip_amber_days: int = 14
    milestone_slip_red_days: int = 45
    milestone_overdue_red: int = 2
    raid_amber_open_high: int = 1
    raid_red_open_high: int = 0
    raid_red_open_critical: int = 2
    raid_red_overdue_critical: int = 1
    evm_min_elapsed_pct: float = 10.0
    on_hold_stages: tuple[str, ...] = ("on hold",)


@dataclass(frozen=True)
class Criterion:
    """One weighted scoring criterion: a numeric ``requests`` column."""

    column: str
    weight: float
    higher_is_better: bool = True


@dataclass(frozen=True)
class WsjfFields:
    """Which 1-5 request fields make up WSJF's cost of delay, and which is the job size.

    An empty string leaves a component out (the canonical request has no risk-reduction field).
    """

    business_value: str = "strategic_alignment"
    time_criticality: str = "urgency"
    risk_reduction: str = ""
    job_size: str = "effort_person_months"


@dataclass(frozen=True)
class RiceFields:
    """Which request fields give RICE's reach, impact, confidence and effort."""

    reach: str = "reach"
    impact: str = "strategic_alignment"
    confidence: str = "confidence"
    effort: str = "effort_person_months"


def _default_criteria() -> tuple[Criterion, ...]:
    return (
        Criterion("strategic_alignment", 30.0, True),
        Criterion("expected_benefit", 25.0, True),
        Criterion("urgency", 15.0, True),
        Criterion("risk", 10.0, False),
        Criterion("estimated_cost", 10.0, False),
        Criterion("effort_person_months", 10.0, False),
    )


@dataclass(frozen=True)
class ScoringWeights:
    """Weighted-scoring criteria plus the WSJF and RICE field mappings."""

    criteria: tuple[Criterion, ...] = field(default_factory=_default_criteria)
    wsjf: WsjfFields = field(default_factory=WsjfFields)
    rice: RiceFields = field(default_factory=RiceFields)

    @property
    def active(self) -> tuple[Criterion, ...]:
        """Criteria with a weight above zero (the only ones required and scored)."""
        return tuple(c for c in self.criteria if c.weight > 0)

    def scaled(self, column: str, factor: float) -> ScoringWeights:
        """Return a copy with one criterion's weight multiplied by ``factor`` (for sensitivity)."""
        criteria = tuple(
            dataclasses.replace(c, weight=c.weight * factor) if c.column == column else c
            for c in self.criteria
        )
        return dataclasses.replace(self, criteria=criteria)


@dataclass(frozen=True)
class CapacityBands:
    """Utilisation bands: under < ``under`` <= ok <= ``ok`` < over <= ``over`` < critical."""

    under: float = 0.7
    ok: float = 1.0
    over: float = 1.1


@dataclass(frozen=True)
class WorkingTime:
    """Working time used to turn FTE into hours.

    ``working_days_per_month`` of 0 means "count the weekdays of each month, less ``holidays``".
    """

    hours_per_day: float = 7.5
    working_days_per_month: float = 0.0
    leave_days_per_year: float = 25.0
    holidays: tuple[dt.date, ...] = ()


@dataclass(frozen=True)
class ApprovalProbabilities:
    """Probability that a request in each status is approved (pipeline-weighted demand)."""

    submitted: float = 0.3
    under_review: float = 0.5
    approved: float = 1.0
    rejected: float = 0.0
    deferred: float = 0.1

    def as_dict(self) -> dict[str, float]:
        """Status -> probability."""
        return dataclasses.asdict(self)


def _default_checks() -> tuple[tuple[str, float], ...]:
    return (
        ("has_sponsor", 1.0),
        ("has_project_manager", 1.0),
        ("baseline_set", 1.0),
        ("status_within_cadence", 2.0),
        ("required_fields", 1.0),
        ("raid_maintained", 1.0),
        ("milestones_defined", 1.0),
    )


@dataclass(frozen=True)
class ComplianceRules:
    """Enabled compliance checks with their weights, and the parameters of the checks.

    ``cadence_days`` and ``closed_stages`` come from ``[reporting]``.
    """

    checks: tuple[tuple[str, float], ...] = field(default_factory=_default_checks)
    required_fields: tuple[str, ...] = ("portfolio", "stage", "start_date", "budget")
    raid_window_days: int = 90
    min_milestones: int = 1
    cadence_days: int = 14
    closed_stages: tuple[str, ...] = ("closed", "cancelled", "completed")


@dataclass(frozen=True)
class ReviewRules:
    """What counts as a change worth reporting in the monthly review."""

    milestone_slip_days: int = 7
    money_move_pct: float = 5.0
    budget_rise_pct: float = 10.0


@dataclass(frozen=True)
class Standards:
    """Everything in ``pmo.toml``, validated."""

    loading: LoadingRules = field(default_factory=LoadingRules)
    reporting: ReportingRules = field(default_factory=ReportingRules)
    health: HealthThresholds = field(default_factory=HealthThresholds)
    scoring: ScoringWeights = field(default_factory=ScoringWeights)
    capacity: CapacityBands = field(default_factory=CapacityBands)
    working_time: WorkingTime = field(default_factory=WorkingTime)
    approval: ApprovalProbabilities = field(default_factory=ApprovalProbabilities)
    compliance: ComplianceRules = field(default_factory=ComplianceRules)
    review: ReviewRules = field(default_factory=ReviewRules)
    source: str = "defaults"


def load_standards(path: str | Path) -> Standards:
    """Read, validate and return the PMO's standards.

    Args:
        path: The ``pmo.toml`` file.

    Returns:
        A frozen :class:`Standards`; keys that are absent take their documented defaults.

    Raises:
        StandardsError: The file is missing or unreadable, is not valid TOML, or has an unknown
            section/key or a value outside its allowed range; the message names the key.
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
    return _build(raw, source=source, origin=str(path))


def describe_standards(standards: Standards) -> list[dict[str, str]]:
    """List every standard with its value and definition, for the glossary page.

    Args:
        standards: Loaded (or default) standards.

    Returns:
        One dict per key, in file order, with ``term`` (``section.key``), ``value`` (as text) and
        ``definition``. Weight tables give one row per entry (``scoring.weights.urgency``).
    """
    values = _flatten(standards)
    rows: list[dict[str, str]] = []
    for section in _SPEC:
        if section.mapping is not None:
            for key, value in values[section.name].items():
                rows.append(
                    {
                        "term": f"{section.name}.{key}",
                        "value": _show(value),
                        "definition": section.mapping.definition.format(key=key),
                    }
                )
            continue
        for key in section.keys:
            rows.append(
                {
                    "term": f"{section.name}.{key.name}",
                    "value": _show(values[section.name][key.name]),
                    "definition": key.definition,
                }
            )
    return rows


# --------------------------------------------------------------------------------------------
# Specification: one entry per key, shared by validation and the glossary.


class _Invalid(Exception):
    """A value failed its rule; the message is the 'must be ...' part."""


@dataclass(frozen=True)
class _Rule:
    allowed: str
    convert: Callable[[object], object]

    def __call__(self, value: object) -> object:
        return self.convert(value)


@dataclass(frozen=True)
class _Key:
    name: str
    rule: _Rule
    definition: str


@dataclass(frozen=True)
class _Mapping:
    allowed_keys: tuple[str, ...]
    rule: _Rule
    definition: str


@dataclass(frozen=True)
class _Section:
    name: str
    keys: tuple[_Key, ...] = ()
    mapping: _Mapping | None = None


def _number(lo: float, hi: float) -> _Rule:
    def convert(value: object) -> object:
        if isinstance(value, bool) or not isinstance(value, int | float) or not lo <= value <= hi:
            raise _Invalid
        return float(value)

    return _Rule(f"a number between {lo:g} and {hi:g}", convert)


def _integer(lo: int, hi: int) -> _Rule:
    def convert(value: object) -> object:
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            raise _Invalid
        return value

    return _Rule(f"a whole number between {lo} and {hi}", convert)


def _choice(*options: str) -> _Rule:
    def convert(value: object) -> object:
        if value not in options:
            raise _Invalid
        return value

    return _Rule("one of " + ", ".join(f'"{o}"' for o in options), convert)


def _currency() -> _Rule:
    def convert(value: object) -> object:
        if not (isinstance(value, str) and len(value) == 3 and value.isalpha() and value.isupper()):
            raise _Invalid
        return value

    return _Rule('a three-letter ISO currency code such as "GBP"', convert)


def _plain_text() -> _Rule:
    def convert(value: object) -> object:
        if not isinstance(value, str):
            raise _Invalid
        return value.strip()

    return _Rule('a text value in quotes, or "" for none', convert)


def _text_list(allowed: tuple[str, ...] | None = None) -> _Rule:
    def convert(value: object) -> object:
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise _Invalid
        if allowed is not None and any(v not in allowed for v in value):
            raise _Invalid
        return tuple(value)

    if allowed is None:
        return _Rule("a list of non-empty text values", convert)
    return _Rule("a list drawn from " + ", ".join(f'"{a}"' for a in allowed), convert)


def _date_list() -> _Rule:
    def convert(value: object) -> object:
        if not isinstance(value, list) or not all(
            isinstance(v, dt.date) and not isinstance(v, dt.datetime) for v in value
        ):
            raise _Invalid
        return tuple(sorted(value))

    return _Rule("a list of dates written as 2025-12-25 (no quotes)", convert)


def _column(allowed: tuple[str, ...], *, optional: bool) -> _Rule:
    def convert(value: object) -> object:
        if value == "" and optional:
            return value
        if value not in allowed:
            raise _Invalid
        return value

    text = "one of " + ", ".join(f'"{a}"' for a in allowed)
    return _Rule(text + (', or "" to leave it out' if optional else ""), convert)


_SPEC: tuple[_Section, ...] = (
    _Section(
        "loading",
        (
            _Key(
                "date_order",
                _choice("dmy", "mdy", "auto"),
                "How the loaders read a date like 05/03/2025: dmy = 5 March, mdy = May 3, "
                "auto = decide per column when the values make it unambiguous.",
            ),
            _Key("currency", _currency(), "The one currency all money columns are held in."),
            _Key(
                "default_division",
                _plain_text(),
                "Division given to register rows that have none (a small PMO's register often "
                'has no Division column); "" = none, and such a register is not loaded.',
            ),
        ),
    ),
    _Section(
        "reporting",
        (
            _Key(
                "cadence_days",
                _integer(1, 366),
                "Days between status reports. A report older than this is stale (amber) and "
                "fails the 'status within cadence' compliance check; the health trend compares "
                "with the health this many days earlier.",
            ),
            _Key(
                "stale_red_days",
                _integer(1, 3660),
                "A last status report older than this many days makes staleness red.",
            ),
            _Key(
                "closed_stages",
                _text_list(),
                "Project stages (compared case-insensitively) that mean the project is closed: "
                "left out of health, compliance and capacity demand.",
            ),
        ),
    ),
    _Section(
        "health",
        (
            _Key("spi_amber", _number(0, 2), "Schedule amber when SPI (EV/PV) is below this."),
            _Key("spi_red", _number(0, 2), "Schedule red when SPI (EV/PV) is below this."),
            _Key("cpi_amber", _number(0, 2), "Cost amber when CPI (EV/AC) is below this."),
            _Key("cpi_red", _number(0, 2), "Cost red when CPI (EV/AC) is below this."),
            _Key(
                "eac_overrun_amber_pct",
                _number(0, 1000),
                "Cost amber when the forecast cost (EAC) is more than this percentage over "
                "budget (cost is the worse of CPI and EAC overrun).",
            ),
            _Key(
                "eac_overrun_red_pct",
                _number(0, 1000),
                "Cost red when EAC is more than this percentage over budget.",
            ),
            _Key(
                "finish_slip_amber_days",
                _integer(0, 3660),
                "Schedule amber when the forecast finish is more than this many days after the "
                "baseline finish (schedule is the worse of SPI and this slip).",
            ),
            _Key(
                "finish_slip_red_days",
                _integer(0, 3660),
                "Schedule red when the forecast finish is more than this many days late.",
            ),
            _Key(
                "milestone_slip_amber_days",
                _integer(0, 3660),
                "Milestones amber when an open (not yet achieved) milestone's forecast is more "
                "than this many days after its baseline.",
            ),
            _Key(
                "milestone_slip_red_days",
                _integer(0, 3660),
                "Milestones red when an open milestone has slipped more than this many days.",
            ),
            _Key(
                "milestone_overdue_red",
                _integer(1, 1000),
                "Milestones red when at least this many milestones are overdue (their forecast, "
                "or baseline, date has passed with no actual date); any overdue is amber.",
            ),
            _Key(
                "raid_amber_open_high",
                _integer(1, 1000),
                "RAID amber when at least this many high or critical risks/issues are open.",
            ),
            _Key(
                "raid_red_open_high",
                _integer(0, 1000),
                "RAID red when at least this many high or critical risks/issues are open "
                "(0 = off).",
            ),
            _Key(
                "raid_red_open_critical",
                _integer(0, 1000),
                "RAID red when at least this many critical risks/issues are open (0 = off).",
            ),
            _Key(
                "raid_red_overdue_critical",
                _integer(0, 1000),
                "RAID red when at least this many open critical risks/issues are past their due "
                "date (0 = off).",
            ),
            _Key(
                "evm_min_elapsed_pct",
                _number(0, 100),
                "SPI and CPI are judged only once this percentage of the planned duration "
                "(start to baseline finish) has elapsed; before that, schedule and cost rest on "
                "the forecast finish and EAC alone.",
            ),
            _Key(
                "on_hold_stages",
                _text_list(),
                "Project stages (compared case-insensitively) that mean the project is paused: "
                "no planned value accrues while paused, and open milestones without a forecast "
                "date are not overdue.",
            ),
        ),
    ),
    _Section(
        "scoring",
        (
            _Key(
                "lower_is_better",
                _text_list(REQUEST_CRITERIA),
                "Criteria where a lower value is better (inverted when normalised).",
            ),
        ),
    ),
    _Section(
        "scoring.weights",
        mapping=_Mapping(
            REQUEST_CRITERIA,
            _number(0, 1000),
            "Weight of the request field '{key}' in the weighted score (weights are relative; "
            "each criterion is min-max normalised across the assessable requests).",
        ),
    ),
    _Section(
        "scoring.wsjf",
        (
            _Key(
                "business_value",
                _column(REQUEST_CRITERIA, optional=True),
                "1-5 field used as WSJF business value (part of the cost of delay).",
            ),
            _Key(
                "time_criticality",
                _column(REQUEST_CRITERIA, optional=True),
                "1-5 field used as WSJF time criticality (part of the cost of delay).",
            ),
            _Key(
                "risk_reduction",
                _column(REQUEST_CRITERIA, optional=True),
                "1-5 field used as WSJF risk reduction / opportunity enablement "
                '(part of the cost of delay; "" when the intake form has none).',
            ),
            _Key(
                "job_size",
                _column(REQUEST_CRITERIA, optional=False),
                "Field used as WSJF job size (WSJF = cost of delay / job size).",
            ),
        ),
    ),
    _Section(
        "scoring.rice",
        (
            _Key("reach", _column(REQUEST_CRITERIA, optional=False), "Field used as RICE reach."),
            _Key("impact", _column(REQUEST_CRITERIA, optional=False), "Field used as RICE impact."),
            _Key(
                "confidence",
                _column(REQUEST_CRITERIA, optional=False),
                "Field used as RICE confidence (a fraction 0-1).",
            ),
            _Key(
                "effort",
                _column(REQUEST_CRITERIA, optional=False),
                "Field used as RICE effort (RICE = reach x impact x confidence / effort).",
            ),
        ),
    ),
    _Section(
        "capacity",
        (
            _Key("under", _number(0, 10), "Utilisation below this is 'under' (spare capacity)."),
            _Key("ok", _number(0, 10), "Utilisation up to and including this is 'ok'."),
            _Key(
                "over",
                _number(0, 10),
                "Utilisation above 'ok' and up to this is 'over'; above it, 'critical'.",
            ),
        ),
    ),
    _Section(
        "working_time",
        (
            _Key("hours_per_day", _number(1, 24), "Working hours in a full-time day."),
            _Key(
                "working_days_per_month",
                _number(0, 31),
                "Working days in every month; 0 = count the weekdays of each month less "
                "the holidays.",
            ),
            _Key(
                "leave_days_per_year",
                _number(0, 366),
                "Default annual leave per full-time person, spread evenly over the months, "
                "used when no leave plan is loaded for that person and month.",
            ),
            _Key("holidays", _date_list(), "Public holidays that are not working days."),
        ),
    ),
    _Section(
        "approval_probability",
        tuple(
            _Key(
                status,
                _number(0, 1),
                f"Probability that a request with status '{status}' is approved; weights its "
                "demand in the pipeline capacity scenario.",
            )
            for status in REQUEST_STATUSES
        ),
    ),
    _Section(
        "compliance",
        (
            _Key(
                "required_fields",
                _text_list(PROJECT_FIELDS),
                "Register fields every active project must fill (the 'required_fields' check).",
            ),
            _Key(
                "raid_window_days",
                _integer(1, 3660),
                "RAID is 'maintained' when the project has an open RAID item, or raised one "
                "within this many days.",
            ),
            _Key(
                "min_milestones",
                _integer(1, 1000),
                "Milestones are 'defined' when the project has at least this many.",
            ),
        ),
    ),
    _Section(
        "compliance.checks",
        mapping=_Mapping(
            COMPLIANCE_CHECKS,
            _number(0, 1000),
            "Weight of the compliance check '{key}' in the 0-100 compliance score "
            "(checks not listed are not run).",
        ),
    ),
    _Section(
        "review",
        (
            _Key(
                "milestone_slip_days",
                _integer(1, 3660),
                "The monthly review lists a milestone whose forecast moved later by at least "
                "this many days.",
            ),
            _Key(
                "money_move_pct",
                _number(0, 1000),
                "The monthly review lists a budget or EAC that moved by at least this percentage.",
            ),
            _Key(
                "budget_rise_pct",
                _number(0, 1000),
                "A budget or EAC rise of at least this percentage is put to the monthly review "
                "as a decision.",
            ),
        ),
    ),
)

_SECTIONS = {s.name: s for s in _SPEC}


def _build(raw: Mapping[str, object], *, source: str, origin: str) -> Standards:
    values = _flatten(Standards())
    seen_mappings: set[str] = set()
    for name, table in _walk(raw, source):
        section = _SECTIONS[name]
        if section.mapping is not None:
            seen_mappings.add(name)
            entries: dict[str, object] = {}
            for key, value in table.items():
                if key not in section.mapping.allowed_keys:
                    raise StandardsError(
                        f"{source}: unknown key [{name}].{key}; allowed keys: "
                        + ", ".join(section.mapping.allowed_keys)
                    )
                entries[key] = _convert(section.mapping.rule, value, source, name, key)
            values[name] = entries
            continue
        known = {k.name: k for k in section.keys}
        for key, value in table.items():
            if key not in known:
                raise StandardsError(
                    f"{source}: unknown key [{name}].{key}; allowed keys: " + ", ".join(known)
                )
            values[name][key] = _convert(known[key].rule, value, source, name, key)
    _cross_check(values, source)
    return _assemble(values, origin)


def _walk(raw: Mapping[str, object], source: str) -> list[tuple[str, dict[str, object]]]:
    """Split the TOML document into (section name, plain keys) pairs, rejecting unknown tables."""
    out: list[tuple[str, dict[str, object]]] = []
    top = sorted({n.split(".")[0] for n in _SECTIONS})

    def visit(name: str, table: Mapping[str, object]) -> None:
        plain: dict[str, object] = {}
        for key, value in table.items():
            child = f"{name}.{key}"
            if isinstance(value, dict):
                if child not in _SECTIONS:
                    raise StandardsError(f"{source}: unknown section [{child}]")
                visit(child, value)
            else:
                plain[key] = value
        if plain or _SECTIONS[name].mapping is not None:
            out.append((name, plain))

    for key, value in raw.items():
        if key not in top:
            raise StandardsError(
                f"{source}: unknown section [{key}]; allowed sections: " + ", ".join(top)
            )
        if not isinstance(value, dict):
            raise StandardsError(f"{source}: {key} must be a [{key}] section, got {value!r}")
        visit(key, value)
    return out


def _convert(rule: _Rule, value: object, source: str, section: str, key: str) -> object:
    try:
        return rule(value)
    except _Invalid:
        raise StandardsError(
            f"{source}: [{section}].{key} must be {rule.allowed}, got {_quote(value)}"
        ) from None


def _cross_check(values: dict[str, dict[str, object]], source: str) -> None:
    def fail(message: str) -> None:
        raise StandardsError(f"{source}: {message}")

    def order(section: str, low: str, high: str, relation: str = "greater than") -> None:
        a, b = values[section][low], values[section][high]
        if a > b:  # type: ignore[operator]
            fail(
                f"[{section}].{low} ({_show(a)}) must not be {relation} "
                f"[{section}].{high} ({_show(b)})"
            )

    order("reporting", "cadence_days", "stale_red_days")
    order("health", "spi_red", "spi_amber")
    order("health", "cpi_red", "cpi_amber")
    order("health", "eac_overrun_amber_pct", "eac_overrun_red_pct")
    order("health", "finish_slip_amber_days", "finish_slip_red_days")
    order("health", "milestone_slip_amber_days", "milestone_slip_red_days")
    if values["health"]["raid_red_open_high"]:
        order("health", "raid_amber_open_high", "raid_red_open_high")
    order("capacity", "under", "ok")
    order("capacity", "ok", "over")
    weights = values["scoring.weights"]
    if not any(w > 0 for w in weights.values()):  # type: ignore[operator]
        fail("[scoring.weights] must give at least one criterion a weight above 0")
    for column in values["scoring"]["lower_is_better"]:  # type: ignore[union-attr]
        if column not in weights:
            fail(
                f"[scoring].lower_is_better names '{column}', which has no weight in "
                "[scoring.weights]; weighted criteria: " + ", ".join(weights)
            )
    checks = values["compliance.checks"]
    if not any(w > 0 for w in checks.values()):  # type: ignore[operator]
        fail("[compliance.checks] must give at least one check a weight above 0")


def _flatten(standards: Standards) -> dict[str, dict[str, object]]:
    """Standards -> {section: {key: value}} in the shape of the TOML file."""
    health = standards.health
    scoring = standards.scoring
    compliance = standards.compliance
    return {
        "loading": dataclasses.asdict(standards.loading),
        "reporting": dataclasses.asdict(standards.reporting),
        "health": {
            f.name: getattr(health, f.name)
            for f in dataclasses.fields(health)
            if f.name not in ("cadence_days", "stale_red_days", "closed_stages")
        },
        "scoring": {
            "lower_is_better": tuple(c.column for c in scoring.criteria if not c.higher_is_better)
        },
        "scoring.weights": {c.column: c.weight for c in scoring.criteria},
        "scoring.wsjf": dataclasses.asdict(scoring.wsjf),
        "scoring.rice": dataclasses.asdict(scoring.rice),
        "capacity": dataclasses.asdict(standards.capacity),
        "working_time": dataclasses.asdict(standards.working_time),
        "approval_probability": standards.approval.as_dict(),
        "compliance": {
            "required_fields": compliance.required_fields,
            "raid_window_days": compliance.raid_window_days,
            "min_milestones": compliance.min_milestones,
        },
        "compliance.checks": dict(compliance.checks),
        "review": dataclasses.asdict(standards.review),
    }


def _assemble(values: dict[str, dict[str, object]], origin: str) -> Standards:
    reporting = ReportingRules(**values["reporting"])  # type: ignore[arg-type]
    shared = {
        "cadence_days": reporting.cadence_days,
        "closed_stages": reporting.closed_stages,
    }
    health = HealthThresholds(
        **values["health"],  # type: ignore[arg-type]
        stale_red_days=reporting.stale_red_days,
        **shared,  # type: ignore[arg-type]
    )
    lower = set(values["scoring"]["lower_is_better"])  # type: ignore[arg-type]
    criteria = tuple(
        Criterion(column, float(weight), column not in lower)  # type: ignore[arg-type]
        for column, weight in values["scoring.weights"].items()
    )
    scoring = ScoringWeights(
        criteria=criteria,
        wsjf=WsjfFields(**values["scoring.wsjf"]),  # type: ignore[arg-type]
        rice=RiceFields(**values["scoring.rice"]),  # type: ignore[arg-type]
    )
    compliance = ComplianceRules(
        checks=tuple((k, float(v)) for k, v in values["compliance.checks"].items()),  # type: ignore[arg-type]
        **values["compliance"],  # type: ignore[arg-type]
        **shared,  # type: ignore[arg-type]
    )
    return Standards(
        loading=LoadingRules(**values["loading"]),  # type: ignore[arg-type]
        reporting=reporting,
        health=health,
        scoring=scoring,
        capacity=CapacityBands(**values["capacity"]),  # type: ignore[arg-type]
        working_time=WorkingTime(**values["working_time"]),  # type: ignore[arg-type]
        approval=ApprovalProbabilities(**values["approval_probability"]),  # type: ignore[arg-type]
        compliance=compliance,
        review=ReviewRules(**values["review"]),  # type: ignore[arg-type]
        source=origin,
    )


def _quote(value: object) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return repr(value)
    return str(value)


def _show(value: object) -> str:
    if isinstance(value, tuple | list):
        return ", ".join(_show(v) for v in value) if value else "(none)"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, str) and value == "":
        return "(not used)"
    return str(value)
