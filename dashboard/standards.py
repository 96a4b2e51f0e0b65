"""The PMO's standards (``pmo.toml``) in the shape the analytics take, and the glossary rows.

Every key, its type, default, allowed values and help text is declared once, in
``loaders.standards_model`` (the loaders read the same declaration, so ``[loading]`` cannot mean
one thing to them and another here). This module only reshapes the validated file into the
frozen dataclasses the pure analytics take as arguments (``standards.health``,
``standards.scoring``, ...): their defaults are the declaration's defaults, and the ``[reporting]``
keys that several rules share are copied into each of them.

The analytics never import this module's loader: pages pass the sub-dataclasses into the pure
functions as arguments.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from loaders.standards_file import checks_of, keys, read_standards, sections, show, weights_of
from loaders.standards_model import (
    COMPLIANCE_CHECKS,
    DEFAULTS,
    PROJECT_FIELDS,
    REQUEST_CRITERIA,
    REQUEST_STATUSES,
    PmoStandards,
    StandardsError,
)

__all__ = [
    "COMPLIANCE_CHECKS",
    "PROJECT_FIELDS",
    "REQUEST_CRITERIA",
    "REQUEST_STATUSES",
    "ApprovalProbabilities",
    "CapacityBands",
    "ComplianceRules",
    "Criterion",
    "HealthThresholds",
    "LoadingRules",
    "ReportingRules",
    "ReviewRules",
    "RiceFields",
    "ScoringWeights",
    "Standards",
    "StandardsError",
    "WorkingTime",
    "WsjfFields",
    "describe_standards",
    "load_standards",
]

_D = DEFAULTS


@dataclass(frozen=True)
class LoadingRules:
    """How the loaders read ambiguous values (the loaders read the same declaration)."""

    date_order: str = _D.loading.date_order
    currency: str = _D.loading.currency
    default_division: str = _D.loading.default_division


@dataclass(frozen=True)
class ReportingRules:
    """Status-report cadence and the stages that count as closed."""

    cadence_days: int = _D.reporting.cadence_days
    stale_red_days: int = _D.reporting.stale_red_days
    closed_stages: tuple[str, ...] = _D.reporting.closed_stages


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

    cadence_days: int = _D.reporting.cadence_days
    stale_red_days: int = _D.reporting.stale_red_days
    closed_stages: tuple[str, ...] = _D.reporting.closed_stages
    spi_amber: float = _D.health.spi_amber
    spi_red: float = _D.health.spi_red
    cpi_amber: float = _D.health.cpi_amber
    cpi_red: float = _D.health.cpi_red
    eac_overrun_amber_pct: float = _D.health.eac_overrun_amber_pct
    eac_overrun_red_pct: float = _D.health.eac_overrun_red_pct
    finish_slip_amber_days: int = _D.health.finish_slip_amber_days
    finish_slip_red_days: int = _D.health.finish_slip_red_days
    milestone_slip_amber_days: int = _D.health.milestone_slip_amber_days
    milestone_slip_red_days: int = _D.health.milestone_slip_red_days
    milestone_overdue_red: int = _D.health.milestone_overdue_red
    raid_amber_open_high: int = _D.health.raid_amber_open_high
    raid_red_open_high: int = _D.health.raid_red_open_high
    raid_red_open_critical: int = _D.health.raid_red_open_critical
    raid_red_overdue_critical: int = _D.health.raid_red_overdue_critical
    evm_min_elapsed_pct: float = _D.health.evm_min_elapsed_pct
    on_hold_stages: tuple[str, ...] = _D.health.on_hold_stages


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

    business_value: str = _D.scoring.wsjf.business_value
    time_criticality: str = _D.scoring.wsjf.time_criticality
    risk_reduction: str = _D.scoring.wsjf.risk_reduction
    job_size: str = _D.scoring.wsjf.job_size


@dataclass(frozen=True)
class RiceFields:
    """Which request fields give RICE's reach, impact, confidence and effort."""

    reach: str = _D.scoring.rice.reach
    impact: str = _D.scoring.rice.impact
    confidence: str = _D.scoring.rice.confidence
    effort: str = _D.scoring.rice.effort


def _default_criteria() -> tuple[Criterion, ...]:
    return _criteria(_D)


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

    under: float = _D.capacity.under
    ok: float = _D.capacity.ok
    over: float = _D.capacity.over


@dataclass(frozen=True)
class WorkingTime:
    """Working time used to turn FTE into hours.

    ``working_days_per_month`` of 0 means "count the weekdays of each month, less ``holidays``".
    """

    hours_per_day: float = _D.working_time.hours_per_day
    working_days_per_month: float = _D.working_time.working_days_per_month
    leave_days_per_year: float = _D.working_time.leave_days_per_year
    holidays: tuple[dt.date, ...] = _D.working_time.holidays


@dataclass(frozen=True)
class ApprovalProbabilities:
    """Probability that a request in each status is approved (pipeline-weighted demand)."""

    submitted: float = _D.approval_probability.submitted
    under_review: float = _D.approval_probability.under_review
    approved: float = _D.approval_probability.approved
    rejected: float = _D.approval_probability.rejected
    deferred: float = _D.approval_probability.deferred

    def as_dict(self) -> dict[str, float]:
        """Status -> probability."""
        return dataclasses.asdict(self)


def _default_checks() -> tuple[tuple[str, float], ...]:
    return tuple(checks_of(_D).items())


@dataclass(frozen=True)
class ComplianceRules:
    """Enabled compliance checks with their weights, and the parameters of the checks.

    ``cadence_days`` and ``closed_stages`` come from ``[reporting]``.
    """

    checks: tuple[tuple[str, float], ...] = field(default_factory=_default_checks)
    required_fields: tuple[str, ...] = _D.compliance.required_fields
    raid_window_days: int = _D.compliance.raid_window_days
    min_milestones: int = _D.compliance.min_milestones
    cadence_days: int = _D.reporting.cadence_days
    closed_stages: tuple[str, ...] = _D.reporting.closed_stages


@dataclass(frozen=True)
class ReviewRules:
    """What counts as a change worth reporting in the monthly review.

    A new ``[review]`` key is declared in ``loaders.standards_model.Review`` and gets one line
    here with that default.
    """

    milestone_slip_days: int = _D.review.milestone_slip_days
    money_move_pct: float = _D.review.money_move_pct
    budget_rise_pct: float = _D.review.budget_rise_pct


@dataclass(frozen=True)
class Standards:
    """Everything in ``pmo.toml``, validated, in the shape the analytics take."""

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
    return _assemble(read_standards(path), origin=str(Path(path)))


def describe_standards(standards: Standards) -> list[dict[str, str]]:
    """List every standard with its value and definition, for the glossary page.

    Args:
        standards: Loaded (or default) standards.

    Returns:
        One dict per key, in file order, with ``term`` (``section.key``), ``value`` (as text) and
        ``definition`` (the declaration's help text). Weight tables give one row per entry
        (``scoring.weights.urgency``).
    """
    values = _flatten(standards)
    rows: list[dict[str, str]] = []
    for name, model in sections():
        for key, declared in keys(model).items():
            template = (declared.json_schema_extra or {}).get("table_help")
            if template is None:
                value = values[name][key]
                rows.append(_row(f"{name}.{key}", value, declared.description))
                continue
            for entry, weight in values[f"{name}.{key}"].items():
                rows.append(_row(f"{name}.{key}.{entry}", weight, template.format(key=entry)))
    return rows


def _row(term: str, value: object, definition: str | None) -> dict[str, str]:
    return {"term": term, "value": show(value), "definition": definition or ""}


def _criteria(standards: PmoStandards) -> tuple[Criterion, ...]:
    lower = set(standards.scoring.lower_is_better)
    return tuple(
        Criterion(column, float(weight), column not in lower)
        for column, weight in weights_of(standards).items()
    )


def _assemble(model: PmoStandards, origin: str) -> Standards:
    """The validated file, reshaped for the analytics."""
    reporting = ReportingRules(**model.reporting.model_dump())
    shared = {"cadence_days": reporting.cadence_days, "closed_stages": reporting.closed_stages}
    scoring = ScoringWeights(
        criteria=_criteria(model),
        wsjf=WsjfFields(**model.scoring.wsjf.model_dump()),
        rice=RiceFields(**model.scoring.rice.model_dump()),
    )
    compliance = model.compliance.model_dump(exclude={"checks"})
    return Standards(
        loading=LoadingRules(**model.loading.model_dump()),
        reporting=reporting,
        health=HealthThresholds(
            **model.health.model_dump(), stale_red_days=reporting.stale_red_days, **shared
        ),
        scoring=scoring,
        capacity=CapacityBands(**model.capacity.model_dump()),
        working_time=WorkingTime(**model.working_time.model_dump()),
        approval=ApprovalProbabilities(**model.approval_probability.model_dump()),
        compliance=ComplianceRules(checks=tuple(checks_of(model).items()), **compliance, **shared),
        review=ReviewRules(**model.review.model_dump()),
        source=origin,
    )


def _flatten(standards: Standards) -> dict[str, dict[str, object]]:
    """Standards -> {section: {key: value}} in the shape of the TOML file (for the glossary)."""
    health = standards.health
    scoring = standards.scoring
    compliance = standards.compliance
    shared = ("cadence_days", "stale_red_days", "closed_stages")
    return {
        "loading": dataclasses.asdict(standards.loading),
        "reporting": dataclasses.asdict(standards.reporting),
        "health": {k: v for k, v in dataclasses.asdict(health).items() if k not in shared},
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
