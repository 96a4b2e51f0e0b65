"""The records the demo is drawn as (people, projects, requests, plan rows) and date steps.

Every field is filled once by the ``make_*`` steps from the seeded random stream; the writers
only read them, so a file never changes the draws of another.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

ACTIVE_STAGES = ("Initiation", "Planning", "Execution", "Closing")


@dataclass
class Person:
    """One row of ``People.csv``: supply for the resource plan."""

    emp_id: str
    name: str
    role: str
    team: str
    division: str
    fte: float
    rate: int
    start: date
    end: date | None


@dataclass
class Project:
    """One project's whole story: timeline, money and the planted case it carries, if any."""

    key: int
    division: str
    stage: str  # stage at ``today``
    start: date
    init_end: date
    plan_end: date
    closing_start: date
    forecast_final: date  # for Closed: the actual finish
    pid: str = ""
    name: str = ""
    portfolio: str = ""
    programme: str = ""
    sponsor: str = ""
    pm: str = ""
    alignment: int = 3
    baseline: date = date.min
    slip1: int = 0
    slip1_date: date | None = None
    slip2: int = 0
    event: date | None = None  # this month's change, for movers
    mover: str = ""
    finish: date | None = None  # actual finish (Closed)
    stopped: date | None = None  # cancelled / put on hold
    cpi: float = 1.0
    budget0: float = 0.0
    budget_uplift: float = 0.0
    eac_uplift: float = 0.0
    scope_concern: bool = False
    resource_gap: tuple[date, date | None] | None = None
    watermelon: bool = False
    stale_from: date | None = None
    new: bool = False
    rows_in_plan: int = 0

    @property
    def active_stage(self) -> bool:
        """Whether the project is still open at ``today`` (it books people in the plan)."""
        return self.stage in ACTIVE_STAGES


@dataclass
class PlanRow:
    """One row of the resource plan: a project's or a request's demand for a person or role."""

    project_id: str
    request_id: str
    resource: str
    role: str
    tenths: dict[int, int] = field(default_factory=dict)  # month index -> FTE in tenths


@dataclass
class Request:
    """One intake request: its row of ``Project Requests.xlsx`` and what the plan needs of it."""

    rid: str
    title: str
    division: str
    status: str
    target_start: date
    duration: int
    values: list[object]


def days(n: int) -> timedelta:
    """``n`` days, the step every demo date is offset by."""
    return timedelta(days=n)


def add_months(d: date, n: int) -> date:
    """The first day of the month ``n`` months after ``d``'s month."""
    m = d.year * 12 + d.month - 1 + n
    return date(m // 12, m % 12 + 1, 1)
