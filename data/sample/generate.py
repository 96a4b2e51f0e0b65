"""Deterministic demo portfolio for PMO Lens, written as the export files a real PMO receives.

Everything is drawn from one ``random.Random(seed)`` and every date is an offset from ``today``, so
a demo built a year from now still has fresh status reports, slipping projects and a future to
plan, and the same ``today`` + seed gives byte-identical files (xlsx included: the workbook
properties and the zip entry timestamps are pinned to a datetime derived from ``today``).

Files (in load order, as returned by :func:`generate`):

* ``People.csv``: 90 people ``E0001``..``E0090``; 2 future joiners, 6 leavers/contract ends.
* ``Project Register <last month end>.xlsx`` and ``Project Register <today>.xlsx``: title rows,
  header on row 4, a totals row; 144 and 150 projects.
* ``status/<division>_<YYYY-MM-DD>.csv``: fortnightly (Fridays) per division for 18 months.
* ``Milestones.csv``, ``RAID Log.xlsx``, ``Project Requests.xlsx``, ``Resource Plan.xlsx``.

Cases the views exist for; the counts are exact for any ``today`` and seed:

* 4 watermelons planted: active projects whose team lead reports Green (register and every
  status report) while the numbers are red: 2 with CPI = % complete x budget / actual cost in
  0.62-0.76, 2 with the forecast finish 70-90 days past the baseline finish.
* 3 stale projects: in Execution, started 200+ days ago, last status report 45-150 days ago.
* 2 roles over-allocated: Data Engineer and Architect demand (active projects + approved
  requests) is at least 1.25 x supply in each of the next 6 months; 5 named people are booked
  above 1.0 FTE in the next 3 months.
* 9 incomplete requests (blank cost, benefit, effort or alignment), all still in intake.
* Slipped milestones (forecast up to 90 days past baseline) and overdue ones (forecast passed,
  no actual date), following each project's own slip; a passed milestone now and then has no
  actual date although a later one is recorded (a data-quality finding).
* 18 Closed (2 of them closed this month, in Execution in last month's register),
  6 Cancelled, 5 On Hold; 6 projects new this month (absent from last month's register);
  15 "movers" changed this month, each with a RAG move: 4 budget re-baselines after an
  overrun (Amber/Red to Green), 4 EAC rises, 4 forecast-finish slips of 30-50 days, and 3
  resourcing gaps (2 open, 1 closes).

Every other project is reported honestly, by the PMO's default rules (pmo.toml [health]):
schedule = worse of SPI (red < 0.8, amber < 0.9) and forecast-finish slip (red > 45 days, amber
> 14), cost = worse of CPI (red < 0.8, amber < 0.9) and EAC overrun (red > 10 %, amber > 5 %);
a scope concern or a resourcing gap is Amber; critical RAID items of projects going well are
closed within two weeks. The slip and CPI outcomes are calibrated so that the computed red share
of open projects is 12-18 % (measured in data/sample/README.md).

Export quirks: Operations writes RAG as ``G/A/R`` and percentages as ``45%``; Finance saves
"CSV UTF-8" from Excel (BOM, CRLF), with ``dd/mm/yyyy`` dates and ``"1,250,000"`` money; the
other divisions write ISO dates, RAG words and whole-number percentages. Summaries sometimes
contain commas and a quoted newline.

Usage: ``python data/sample/generate.py [--out DIR] [--today YYYY-MM-DD] [--seed N]``.
"""

from __future__ import annotations

import argparse
import csv
import io
import itertools
import math
import random
import time
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.writer.excel import ExcelWriter

DEFAULT_SEED = 20261126

DIVISIONS: tuple[str, ...] = (
    "Finance",
    "Operations",
    "Technology",
    "Customer Services",
    "People & Culture",
    "Sales & Marketing",
)
SLUGS: dict[str, str] = {
    "Finance": "finance",
    "Operations": "operations",
    "Technology": "technology",
    "Customer Services": "customer-services",
    "People & Culture": "people-culture",
    "Sales & Marketing": "sales-marketing",
}
GAR_DIVISION = "Operations"  # writes G/A/R and "45%"
DMY_DIVISION = "Finance"  # Excel "CSV UTF-8": BOM, CRLF, dd/mm/yyyy, "1,250,000"

REGISTER_HEADER: tuple[str, ...] = (
    "Project ID",
    "Project Name",
    "Division",
    "Portfolio",
    "Programme",
    "Sponsor",
    "Project Manager",
    "Stage",
    "Start Date",
    "Baseline Finish",
    "Forecast Finish",
    "Actual Finish",
    "Budget (£)",
    "Actual Cost (£)",
    "EAC (£)",
    "% Complete",
    "Strategic Alignment (1-5)",
    "RAG Status",
)
STATUS_HEADER: tuple[str, ...] = (
    "Project Code",
    "Report Date",
    "Overall RAG",
    "Schedule",
    "Cost",
    "Scope",
    "Resources",
    "% Complete",
    "Actual Cost",
    "Forecast Finish",
    "EAC",
    "Summary",
    "Next Steps",
    "Reported By",
)
MILESTONE_HEADER = ("Project ID", "Milestone", "Baseline Date", "Forecast Date", "Actual Date")
RAID_HEADER = (
    "ID",
    "Project",
    "Type",
    "Title",
    "Probability",
    "Impact",
    "Severity",
    "Status",
    "Owner",
    "Date Raised",
    "Due Date",
)
REQUEST_HEADER = (
    "Request ID",
    "Title",
    "Division",
    "Sponsor",
    "Submitted",
    "Status",
    "Estimated Cost",
    "Expected Annual Benefit",
    "Strategic Alignment (1-5)",
    "Urgency (1-5)",
    "Delivery Risk (1-5)",
    "Reach",
    "Confidence",
    "Effort (person-months)",
    "Duration (months)",
    "Mandatory?",
    "Target Start",
    "Business Case",
)
PEOPLE_HEADER = (
    "Employee ID",
    "Name",
    "Role",
    "Team",
    "Division",
    "FTE",
    "Day Rate",
    "Start Date",
    "End Date",
)

STAGE_COUNTS: dict[str, int] = {
    "Execution": 95,
    "Closed": 18,
    "Planning": 12,
    "Initiation": 8,
    "Closing": 6,
    "Cancelled": 6,
    "On Hold": 5,
}
N_NEW = 6  # Initiation projects registered this month
N_CLOSED_THIS_MONTH = 2
N_WATERMELON_CPI = 2
N_WATERMELON_SLIP = 2
N_STALE = 3
MOVER_KINDS: tuple[str, ...] = ("budget",) * 4 + ("eac",) * 4 + ("slip",) * 4 + ("rag",) * 3
N_OVERBOOKED = 5
N_INCOMPLETE_REQUESTS = 9
HISTORY_DAYS = 548  # 18 months of status reports
PLAN_MONTHS_BACK = 6
PLAN_MONTHS = 24
OVER_ROLES: tuple[str, ...] = ("Data Engineer", "Architect")
OVER_RATIO = 1.25

DATE_FMT = "dd/mm/yyyy"
MONEY_FMT = "#,##0"

ROLE_COUNTS: dict[str, int] = {
    "Project Manager": 16,
    "Business Analyst": 15,
    "Developer": 25,
    "Tester": 12,
    "Architect": 6,
    "Data Engineer": 7,
    "Change Manager": 9,
}
ROLE_TEAMS: dict[str, str] = {
    "Project Manager": "Project Delivery",
    "Business Analyst": "Business Analysis",
    "Developer": "Engineering",
    "Tester": "Quality Engineering",
    "Architect": "Enterprise Architecture",
    "Data Engineer": "Data & Analytics",
    "Change Manager": "Change & Adoption",
}
ROLE_RATES: dict[str, int] = {
    "Project Manager": 650,
    "Business Analyst": 550,
    "Developer": 600,
    "Tester": 480,
    "Architect": 850,
    "Data Engineer": 700,
    "Change Manager": 575,
}
# Relative demand per role for non-PM rows; Data Engineer and Architect are topped up later.
ROLE_WEIGHTS: dict[str, float] = {
    "Business Analyst": 11,
    "Developer": 21,
    "Tester": 10,
    "Architect": 5,
    "Data Engineer": 6,
    "Change Manager": 6,
}

FIRST_NAMES = (
    "Aisha", "Ben", "Chloe", "Daniel", "Ella", "Farhan", "Grace", "Harry", "Imogen", "Jack",
    "Kavya", "Liam", "Maya", "Noah", "Olivia", "Priya", "Quentin", "Rosie", "Samuel", "Tara",
    "Umar", "Victoria", "William", "Xin", "Yusuf", "Zara", "Amelia", "Callum", "Deepa", "Ethan",
    "Fiona", "George", "Hannah", "Isaac", "Jasmine", "Kieran", "Leah", "Mohammed", "Niamh",
    "Oscar", "Poppy", "Rhys", "Sophie", "Tomasz", "Yasmin",
)  # fmt: skip
LAST_NAMES = (
    "Ahmed", "Baker", "Campbell", "Davies", "Evans", "Fletcher", "Gill", "Hughes", "Iqbal",
    "Jones", "Kaur", "Lewis", "Morgan", "Nowak", "O'Brien", "Patel", "Quinn", "Roberts", "Singh",
    "Taylor", "Usman", "Vaughan", "Walker", "Wright", "Young", "Zhang", "Murphy", "Clarke",
    "Edwards", "Hussain", "Kowalski", "Mensah", "Okafor", "Price", "Reid", "Shah", "Thomas",
    "Wood", "Begum", "Chen",
)  # fmt: skip
SPONSORS: dict[str, tuple[str, str]] = {
    "Finance": ("Margaret Holloway", "Rajesh Menon"),
    "Operations": ("Stuart Kennedy", "Alison Pryce"),
    "Technology": ("Helen Carter", "Dev Raman"),
    "Customer Services": ("Joanne Blake", "Marcus Oduya"),
    "People & Culture": ("Fiona McLeod", "Adrian Lowe"),
    "Sales & Marketing": ("Claire Whitfield", "Tom Ashworth"),
}
BUSINESS_PMS: dict[str, tuple[str, ...]] = {
    "Finance": ("Karen Doyle", "Simon Parr"),
    "Operations": ("Gavin Hart", "Louise Brennan"),
    "Technology": ("Pete Gordon", "Anita Desai"),
    "Customer Services": ("Mark Ellis", "Rachel Stone"),
    "People & Culture": ("Jenny Marsh", "Owen Fraser"),
    "Sales & Marketing": ("Nadia Karim", "Lee Dawson"),
}
SUBJECTS: dict[str, tuple[str, ...]] = {
    "Finance": (
        "ERP", "Accounts Payable", "Month-End Close", "Treasury", "Expense Management",
        "Budgeting Tool", "Fixed Asset Register", "VAT Reporting", "Procure-to-Pay",
    ),
    "Operations": (
        "Warehouse", "Fleet Telematics", "Supply Chain", "Inventory", "Facilities Booking",
        "Field Service", "Health & Safety", "Depot Network", "Maintenance Planning",
    ),
    "Technology": (
        "Data Centre", "Identity & Access", "Service Desk", "Network", "Data Platform",
        "Cloud Hosting", "Endpoint", "Integration Hub", "Cyber Security",
    ),
    "Customer Services": (
        "Contact Centre", "CRM", "Customer Portal", "Complaints Handling", "Live Chat",
        "Knowledge Base", "Telephony", "Customer Feedback", "Self-Service",
    ),
    "People & Culture": (
        "HR System", "Payroll", "Learning Platform", "Recruitment", "Onboarding",
        "Performance Management", "Employee Wellbeing", "Workforce Planning", "Intranet",
    ),
    "Sales & Marketing": (
        "Website", "Marketing Automation", "Pricing Engine", "Loyalty Scheme", "E-commerce",
        "Brand", "Sales Pipeline", "Partner Portal", "Campaign Analytics",
    ),
}  # fmt: skip
ACTIONS = (
    "Upgrade", "Replacement", "Automation", "Migration", "Redesign", "Consolidation",
    "Rollout", "Optimisation", "Modernisation", "Integration",
)  # fmt: skip
PORTFOLIOS = ("Transformation", "Regulatory & Compliance", "Run Better", "Digital Growth")
PROGRAMMES: dict[str, tuple[str, ...]] = {
    "Finance": ("Finance Systems Modernisation", "Controls Uplift"),
    "Operations": ("Operational Excellence", "Net Zero Operations"),
    "Technology": ("Cloud First", "Secure by Design"),
    "Customer Services": ("Customer 360", "Digital Front Door"),
    "People & Culture": ("Future of Work",),
    "Sales & Marketing": ("Growth Engine", "Digital Front Door"),
}
MILESTONES = (
    "Business case approved",
    "Requirements signed off",
    "Design complete",
    "Build complete",
    "User acceptance testing complete",
    "Go-live",
    "Benefits review",
)
SYSTEMS = ("SAP", "Salesforce", "Workday", "ServiceNow", "Dynamics 365", "the data warehouse")
SUPPLIERS = ("Northwind", "Fabrikam", "Litware", "Adventure Works", "Tailspin", "Wide World")
RAID_TITLES: dict[str, tuple[str, ...]] = {
    "Risk": (
        "{supplier} may not deliver the {system} interface on time",
        "Key SME availability during UAT",
        "Data quality in {system} may delay migration",
        "Licence costs could rise at renewal",
        "Scope creep from additional reporting requests",
        "Loss of knowledge if contractor leaves",
        "Regulatory change may alter requirements",
        "Performance of {system} under peak load",
    ),
    "Issue": (
        "{system} test environment unavailable",
        "{supplier} resource withdrawn at short notice",
        "Defect backlog above agreed threshold",
        "Integration failures with {system}",
        "Budget overspend on external resources",
        "Sign-off delayed by change board",
    ),
    "Assumption": (
        "Business will release SMEs for UAT",
        "{system} licences are covered by the enterprise agreement",
        "No change freeze during build",
        "Existing data model can be reused",
    ),
    "Dependency": (
        "Needs {other} to deliver the shared API",
        "Waiting on {supplier} contract signature",
        "Requires network upgrade from {other}",
        "Depends on {system} release 24.2",
    ),
}
GREEN_SUMMARIES = (
    "On track. Sprint {n} completed and the demo was well received.",
    "Progressing to plan; design sign-off achieved, build under way.",
    "All workstreams green, supplier onboarding complete, no new risks.",
    "Delivery on plan. Test cycle {n} passed with no critical defects.",
    "Good progress this period: data migration rehearsal {n} successful.",
)
# Amber and Red summaries by the dimension that drives the overall RAG.
PROBLEM_SUMMARIES: dict[str, tuple[str, ...]] = {
    "Schedule": (
        "Minor slippage on data migration, recovery plan agreed with sponsor.",
        "Supplier delivery late by two weeks, critical path under pressure.",
        "Key milestone missed; re-plan to be presented at the next steering group.",
        "Critical path at risk: vendor delivery late, go-live date under review.",
    ),
    "Cost": (
        "Costs trending above plan, savings options being reviewed.",
        "Costs exceeding plan, change request for additional budget raised.",
        "Day-rate contractors extended, forecast overspend reported to sponsor.",
    ),
    "Scope": (
        "Scope questions from the business, change request {n} in review.",
        "New reporting requirements raised, impact on scope and timeline being assessed.",
    ),
    "Resources": (
        "Resourcing gap in testing; backfill requested, impact on UAT being assessed.",
        "Lead developer moved to a priority incident, cover arranged for {n} days.",
    ),
}
HOLD_SUMMARY = "Project paused pending a funding decision, team released to other work."
NEXT_STEPS = (
    "Complete UAT cycle {n}",
    "Steering group review, then go/no-go",
    "Finalise test strategy and environments",
    "Agree change request with sponsor",
    "Start data migration rehearsal {n}",
    "Recruit backfill for the testing team",
    "Close out supplier actions, update RAID log",
)
EXTRA_POINTS = (
    "supplier contract signed",
    "training plan drafted",
    "UAT scripts 80% written",
    "cut-over plan in review",
    "two open defects, both minor",
)
REQUEST_TITLES = (
    "Automate supplier onboarding", "Replace legacy payroll engine", "Customer churn prediction",
    "Warehouse robotics pilot", "Single sign-on for partners", "Digital expense claims",
    "IFRS 17 reporting changes", "Contact centre speech analytics", "Fleet electrification study",
    "Self-service password reset", "Marketing consent management", "Data retention clean-up",
    "Board reporting pack automation", "Field engineer mobile app", "Employee wellbeing portal",
    "E-invoicing mandate compliance", "Cloud cost optimisation", "Pricing experimentation tool",
    "Knowledge base chatbot", "Accessibility remediation of website", "Succession planning module",
    "Inventory demand forecasting", "Cyber incident response retainer",
    "Complaints root-cause analytics",
    "Open banking payments", "Office move to hybrid hub", "Loyalty app refresh",
    "Procurement spend analytics", "Learning paths for managers", "Data catalogue rollout",
    "Real-time depot dashboards", "Contract lifecycle management", "Sales territory redesign",
    "Customer identity verification", "Legacy file share migration", "Carbon reporting (SECR)",
    "Recruitment chatbot", "Network refresh for depots", "Partner commission automation",
    "Payment card PCI DSS v4 uplift",
)  # fmt: skip
MANDATORY_TITLES = {
    "IFRS 17 reporting changes",
    "E-invoicing mandate compliance",
    "Accessibility remediation of website",
    "Carbon reporting (SECR)",
    "Payment card PCI DSS v4 uplift",
}
REQUEST_STATUSES = (
    ("Submitted",) * 10
    + ("Under Review",) * 12
    + ("Approved",) * 8
    + ("Rejected",) * 5
    + ("Deferred",) * 5
)
ACTIVE_STAGES = ("Initiation", "Planning", "Execution", "Closing")

RAG_ORDER = {"Green": 0, "Amber": 1, "Red": 2}


@dataclass
class _Person:
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
class _Project:
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
        return self.stage in ACTIVE_STAGES


@dataclass
class _PlanRow:
    project_id: str
    request_id: str
    resource: str
    role: str
    tenths: dict[int, int] = field(default_factory=dict)  # month index -> FTE in tenths


def generate(out_dir: Path, today: date, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write the demo export files into out_dir (created if missing).

    Args:
        out_dir: Folder to write into; ``status/`` is created inside it.
        today: The date the demo is built for; every date is an offset from it.
        seed: Seed of the one ``random.Random`` that drives everything.

    Returns:
        The paths written, in the order they should be loaded (people, last month's register,
        this month's register, status reports oldest first, milestones, RAID, requests, plan).
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    people = _make_people(rng, today)
    projects = _make_projects(rng, today, people)
    requests = _make_requests(rng, today)

    prev_end = today.replace(day=1) - timedelta(days=1)
    paths = [_write_people(out_dir, people)]
    paths.append(_write_register(out_dir, projects, prev_end, prev=True))
    paths.append(_write_register(out_dir, projects, today, prev=False))
    paths.extend(_write_status_reports(rng, out_dir, projects, people, today))
    paths.append(_write_milestones(rng, out_dir, projects, today))
    paths.append(_write_raid(rng, out_dir, projects, people, today))
    paths.append(_write_requests(out_dir, requests, today))
    paths.append(_write_resource_plan(rng, out_dir, projects, people, requests, today))
    return paths


# ---------------------------------------------------------------------------------------------
# People


def _make_people(rng: random.Random, today: date) -> list[_Person]:
    roles = [role for role, n in ROLE_COUNTS.items() for _ in range(n)]
    rng.shuffle(roles)
    names = [f"{f} {s}" for f, s in itertools.product(FIRST_NAMES, LAST_NAMES)]
    names = rng.sample(names, len(roles))
    people: list[_Person] = []
    for i, (role, name) in enumerate(zip(roles, names, strict=True), start=1):
        if role in ("Project Manager", "Business Analyst", "Change Manager"):
            division = DIVISIONS[i % len(DIVISIONS)]
        else:
            division = "Technology"
        fte = rng.choices((1.0, 0.8, 0.5), weights=(77, 9, 4))[0]
        rate = ROLE_RATES[role] + 5 * rng.randint(-10, 15)
        start = today - timedelta(days=rng.randint(120, 3650))
        people.append(
            _Person(f"E{i:04d}", name, role, ROLE_TEAMS[role], division, fte, rate, start, None)
        )
    # Future joiners are supply only; leavers and contract ends fall in the coming months.
    joiners = [p for p in people if p.role in ("Developer", "Tester")][:2]
    for p in joiners:
        p.start = today + timedelta(days=rng.randint(40, 130))
    others = [p for p in people if p not in joiners and p.role not in OVER_ROLES]
    for p in rng.sample(others, 6):
        p.end = today + timedelta(days=rng.randint(20, 200))
    return people


def _write_people(out_dir: Path, people: Sequence[_Person]) -> Path:
    rows = [
        [
            p.emp_id,
            p.name,
            p.role,
            p.team,
            p.division,
            f"{p.fte:.1f}",
            str(p.rate),
            p.start.isoformat(),
            p.end.isoformat() if p.end else "",
        ]
        for p in people
    ]
    return _write_csv(out_dir / "People.csv", PEOPLE_HEADER, rows)


# ---------------------------------------------------------------------------------------------
# Projects: timeline, money and the honest / reported RAG at any date


def _days(n: int) -> timedelta:
    return timedelta(days=n)


def _make_projects(rng: random.Random, today: date, people: Sequence[_Person]) -> list[_Project]:
    month_start = today.replace(day=1)
    prev_end = month_start - _days(1)
    days_this_month = (today - month_start).days
    stages = [s for s, n in STAGE_COUNTS.items() for _ in range(n)]
    divisions = [d for d in DIVISIONS for _ in range(len(stages) // len(DIVISIONS))]
    rng.shuffle(divisions)
    projects: list[_Project] = []
    n_init = n_closed = 0
    for key, (stage, division) in enumerate(zip(stages, divisions, strict=True)):
        new = closed_now = False
        if stage == "Execution":
            start = today - _days(rng.randint(90, 600))
            forecast = max(
                today + _days(rng.randint(30, 420)), start + _days(rng.randint(240, 300))
            )
            init_end = start + _days(rng.randint(15, 40))
            plan_end = min(init_end + _days(rng.randint(20, 60)), today - _days(14))
            closing = max(forecast - _days(rng.randint(20, 40)), today + _days(1))
        elif stage == "Planning":
            start = today - _days(rng.randint(45, 100))
            init_end = start + _days(rng.randint(15, 35))
            plan_end = today + _days(rng.randint(5, 45))
            forecast = plan_end + _days(rng.randint(180, 540))
            closing = forecast - _days(30)
        elif stage == "Initiation":
            new = n_init < N_NEW
            n_init += 1
            if new:
                start = month_start + _days(rng.randint(0, days_this_month))
            else:
                start = month_start - _days(rng.randint(2, 25))
            init_end = max(start + _days(30), today + _days(rng.randint(5, 30)))
            plan_end = init_end + _days(rng.randint(30, 60))
            forecast = plan_end + _days(rng.randint(180, 500))
            closing = forecast - _days(30)
        elif stage == "Closing":
            start = today - _days(rng.randint(250, 700))
            forecast = today + _days(rng.randint(0, 25))
            init_end = start + _days(rng.randint(15, 40))
            plan_end = init_end + _days(rng.randint(20, 60))
            closing = min(forecast - _days(rng.randint(30, 45)), today)
        elif stage == "Closed":
            closed_now = n_closed < N_CLOSED_THIS_MONTH
            n_closed += 1
            if closed_now:
                forecast = month_start + _days(rng.randint(0, days_this_month))
                start = today - _days(rng.randint(300, 600))
                closing = forecast  # went straight from Execution to Closed this month
            else:
                start = today - _days(rng.randint(450, 1000))
                lo = max(start + _days(240), today - _days(540))
                forecast = lo + _days(rng.randint(0, (prev_end - _days(10) - lo).days))
                closing = forecast - _days(rng.randint(20, 45))
            init_end = start + _days(rng.randint(15, 40))
            plan_end = init_end + _days(rng.randint(20, 60))
        else:  # Cancelled, On Hold
            if stage == "Cancelled":
                start = today - _days(rng.randint(200, 700))
                stopped = start + _days(rng.randint(60, (today - _days(30) - start).days))
            else:
                start = today - _days(rng.randint(150, 450))
                stopped = max(start + _days(60), today - _days(rng.randint(40, 120)))
            forecast = max(start + _days(rng.randint(300, 600)), today + _days(60))
            init_end = start + _days(rng.randint(15, 40))
            plan_end = init_end + _days(rng.randint(20, 60))
            closing = forecast - _days(30)
        p = _Project(key, division, stage, start, init_end, plan_end, closing, forecast, new=new)
        if stage == "Closed":
            p.finish = forecast
        if stage in ("Cancelled", "On Hold"):
            p.stopped = stopped
        p.budget0 = round(math.exp(rng.uniform(math.log(80_000), math.log(4_500_000))), -3)
        p.cpi = _honest_cpi(rng)
        p.scope_concern = rng.random() < 0.07
        if stage not in ("Initiation", "Planning"):
            slip = _honest_slip(rng)
            last = min(prev_end - _days(10), (p.finish or today) - _days(30))
            if slip and (last - start).days > 30:
                p.slip1 = slip
                p.slip1_date = start + _days(rng.randint(30, (last - start).days))
            if rng.random() < 0.1 and (prev_end - start).days > 90:
                gap_start = start + _days(rng.randint(30, (prev_end - start).days - 30))
                ongoing = stage != "Closed" and rng.random() < 0.4
                gap_end = None if ongoing else min(gap_start + _days(rng.randint(28, 90)), prev_end)
                p.resource_gap = (gap_start, gap_end)
        projects.append(p)

    _assign_special_cases(rng, projects, today)
    for p in projects:
        p.baseline = p.forecast_final - _days(p.slip1 + p.slip2)
    _assign_names(rng, projects, people)
    return projects


def _honest_slip(rng: random.Random) -> int:
    # Calibrated with the PMO's default thresholds (finish slip amber > 14, red > 45 days) so
    # that about 1 in 20 projects is late enough to be red, as in a real portfolio. The draws
    # (how many, which ranges) are those of the first demo, so every later draw - names, RAID,
    # requests, the resource plan - is unchanged; only the outcomes are mapped.
    r = rng.random()
    if r < 0.5:
        return 0
    if r < 0.75:
        late = rng.randint(5, 20)
        # 1 day (not 0) keeps the first demo's draw of the slip date; 3-14 days: still green
        return 1 if r < 0.56 else max(3, late - 6)
    if r < 0.9:
        return rng.randint(21, 45) - 6  # 15-39 days (amber)
    if r < 0.96:
        late = rng.randint(46, 60)
        return late if r >= 0.93 else late - 16  # red for 3 %, else 30-44 (amber)
    late = rng.randint(61, 90)
    return late if r >= 0.985 else late - 40  # red for 1.5 %, else 21-50


def _honest_cpi(rng: random.Random) -> float:
    # EAC = budget / CPI, so CPI 0.955+ keeps EAC within 5 % of budget (green), 0.91-0.95 is
    # 5-10 % over (amber) and below 0.91 more than 10 % over (red): about 5 % of projects.
    r = rng.random()
    if r < 0.81:
        return round(rng.uniform(0.96, 1.08), 2)
    if r < 0.95:
        return round(rng.uniform(0.91, 0.95), 2)
    return round(rng.uniform(0.72, 0.88), 2)


def _clean(p: _Project) -> None:
    """Make a project green on the numbers, so that a planned change is what moves it."""
    p.scope_concern = False
    p.resource_gap = None
    p.cpi = max(p.cpi, 0.96)
    p.slip1 = min(p.slip1, 12)


def _assign_special_cases(rng: random.Random, projects: list[_Project], today: date) -> None:
    month_start = today.replace(day=1)
    prev_end = month_start - _days(1)
    pool = [p for p in projects if p.stage == "Execution"]
    rng.shuffle(pool)

    def take(n: int, ok: Callable[[_Project], bool]) -> list[_Project]:
        chosen = [p for p in pool if ok(p)][:n]
        for p in chosen:
            pool.remove(p)
        return chosen

    # Five CPI, three slip and seven stale candidates are drawn, as in the first demo, so the
    # random stream (and every name and number drawn after it) is unchanged; only the first
    # N_WATERMELON_CPI / N_WATERMELON_SLIP / N_STALE of them are planted, the others are left
    # as clean, honestly reported projects.
    for i, p in enumerate(take(5, lambda p: _pct(p, today) >= 0.3)):
        _clean(p)
        cpi = round(rng.uniform(0.62, 0.76), 2)
        if i < N_WATERMELON_CPI:
            p.watermelon = True
            p.cpi = cpi
    for i, p in enumerate(take(3, lambda p: True)):
        _clean(p)
        slip = rng.randint(70, 90)
        slip_date = p.start + _days(rng.randint(30, (prev_end - _days(10) - p.start).days))
        if i < N_WATERMELON_SLIP:
            p.watermelon = True
            p.slip1, p.slip1_date = slip, slip_date
    for i, p in enumerate(take(7, lambda p: (today - p.start).days >= 200)):
        stale_from = today - _days(rng.randint(45, 150))
        if i >= N_STALE:
            continue
        p.stale_from = stale_from
        if p.slip1_date and p.slip1_date > p.stale_from:
            p.slip1_date = p.start + _days(30)
    n_rag = 0
    for kind, p in zip(MOVER_KINDS, take(len(MOVER_KINDS), lambda p: True), strict=True):
        _clean(p)
        p.mover = kind
        p.event = month_start + _days(rng.randint(0, (today - month_start).days))
        if kind == "budget":  # overrunning, then a change request re-baselines the budget
            p.cpi = round(rng.uniform(0.78, 0.9), 2)
            p.budget_uplift = round(1 / p.cpi - 1 + rng.uniform(0.0, 0.03), 3)
        elif kind == "eac":
            p.eac_uplift = round(rng.uniform(0.12, 0.3), 2)
        elif kind == "slip":
            p.slip2 = rng.randint(30, 50)
        elif n_rag < 2:  # two resourcing gaps open this month...
            p.resource_gap = (p.event, None)
            n_rag += 1
        else:  # ...and one closes
            p.resource_gap = (prev_end - _days(rng.randint(20, 60)), p.event)


def _assign_names(rng: random.Random, projects: list[_Project], people: Sequence[_Person]) -> None:
    projects.sort(key=lambda p: (p.start, p.key))
    pool_pms = [p.name for p in people if p.role == "Project Manager"]
    used: set[str] = set()
    for i, p in enumerate(projects, start=1):
        p.pid = f"PRJ-{i:03d}"
        subjects = SUBJECTS[p.division]
        while True:
            name = f"{rng.choice(subjects)} {rng.choice(ACTIONS)}"
            if name not in used:
                used.add(name)
                break
        p.name = name
        p.portfolio = rng.choice(PORTFOLIOS)
        p.programme = rng.choice(PROGRAMMES[p.division]) if rng.random() < 0.55 else ""
        p.sponsor = rng.choice(SPONSORS[p.division])
        p.pm = rng.choice(pool_pms) if rng.random() < 0.6 else rng.choice(BUSINESS_PMS[p.division])
        p.alignment = rng.choices((1, 2, 3, 4, 5), weights=(1, 3, 5, 5, 3))[0]


def _forecast(p: _Project, d: date) -> date:
    f = p.baseline
    if p.slip1 and p.slip1_date and d >= p.slip1_date:
        f += _days(p.slip1)
    if p.slip2 and p.event and d >= p.event:
        f += _days(p.slip2)
    return f


def _pct(p: _Project, d: date) -> float:
    if d < p.start:
        return 0.0
    if p.finish and d >= p.finish:
        return 1.0
    if p.stopped:
        d = min(d, p.stopped)
    # Progress runs linearly to the forecast finish, so an on-time project has SPI ≈ 1 and a
    # slipped one SPI ≈ planned duration / forecast duration.
    t = (d - p.start).days / max(1, (p.forecast_final - p.start).days)
    return round(min(0.97, max(0.0, t)), 2)


def _budget(p: _Project, d: date) -> float:
    uplift = p.budget_uplift if p.event and d >= p.event else 0.0
    return round(p.budget0 * (1 + uplift), -3)


def _actual_cost(p: _Project, d: date) -> float:
    return round(p.budget0 * _pct(p, d) / p.cpi, -2)


def _eac(p: _Project, d: date) -> float:
    actual = _actual_cost(p, d)
    if p.finish and d >= p.finish:
        return actual
    uplift = p.eac_uplift if p.event and d >= p.event else 0.0
    return max(actual, round(p.budget0 / p.cpi * (1 + uplift), -3))


def _stage(p: _Project, d: date) -> str:
    if p.finish and d >= p.finish:
        return "Closed"
    if p.stopped and d >= p.stopped:
        return "Cancelled" if p.stage == "Cancelled" else "On Hold"
    if d < p.init_end:
        return "Initiation"
    if d < p.plan_end:
        return "Planning"
    if d < p.closing_start:
        return "Execution"
    return "Closing"


def _rag(p: _Project, d: date) -> tuple[str, str, str, str, str]:
    """Overall, schedule, cost, scope and resources RAG as the team lead reports them at d."""
    if p.watermelon:
        return ("Green",) * 5
    # An honest team lead applies the PMO's default rules (pmo.toml [health]) to the numbers:
    # schedule = worse of SPI and forecast-finish slip, cost = worse of CPI and EAC overrun.
    slip = (_forecast(p, d) - p.baseline).days
    spi = _spi(p, d)
    schedule = _worse(
        "Red" if slip > 45 else "Amber" if slip > 14 else "Green",
        "Green" if spi is None else "Red" if spi < 0.8 else "Amber" if spi < 0.9 else "Green",
    )
    # CPI and budget/EAC from the unrounded model, so rounding never flips a RAG between dates
    changed = p.event is not None and d >= p.event
    cpi = p.cpi * (1 + p.budget_uplift) if changed else p.cpi
    overrun = 100 * ((1 + p.eac_uplift) / cpi - 1) if changed else 100 * (1 / cpi - 1)
    cost = _worse(
        "Red" if cpi < 0.8 else "Amber" if cpi < 0.9 else "Green",
        "Red" if overrun > 10 else "Amber" if overrun > 5 else "Green",
    )
    scope = "Amber" if p.scope_concern else "Green"
    resources = "Green"
    if p.resource_gap:
        gap_start, gap_end = p.resource_gap
        if gap_start <= d and (gap_end is None or d < gap_end):
            resources = "Amber"
    overall = max((schedule, cost, scope, resources), key=RAG_ORDER.__getitem__)
    if p.stopped and p.stage == "On Hold" and d >= p.stopped and overall == "Green":
        overall = "Amber"
    return overall, schedule, cost, scope, resources


def _worse(a: str, b: str) -> str:
    return max(a, b, key=RAG_ORDER.__getitem__)


def _spi(p: _Project, d: date) -> float | None:
    """SPI as the PMO computes it (% complete / elapsed share of start → baseline finish).

    None before 10 % of the planned duration has elapsed (pmo.toml evm_min_elapsed_pct) and
    once the project is paused (no planned value accrues while on hold).
    """
    duration = (p.baseline - p.start).days
    share = min(1.0, (d - p.start).days / duration) if duration > 0 else 0.0
    if share < 0.1 or (p.stopped and d >= p.stopped):
        return None
    return _pct(p, d) / share


def _register_rag(p: _Project, d: date) -> str:
    if p.finish and d >= p.finish:
        return _rag(p, p.finish - _days(1))[0]
    if p.stopped and p.stage == "Cancelled" and d >= p.stopped:
        return _rag(p, p.stopped - _days(1))[0]
    return _rag(p, d)[0]


# ---------------------------------------------------------------------------------------------
# Register workbooks


def _write_register(
    out_dir: Path, projects: Sequence[_Project], as_of: date, *, prev: bool
) -> Path:
    wb = Workbook()
    info = wb.active
    info.title = "Instructions"
    for r, text in enumerate(
        (
            "Project Register: the PMO's master list of projects.",
            "Update the Register sheet by the last working day of each month.",
            "RAG Status follows the latest status report; money is in pounds sterling.",
            "Questions: pmo.office@contoso.example",
        ),
        start=1,
    ):
        info.cell(r, 1, text)
    info.column_dimensions["A"].width = 80
    ws = wb.create_sheet("Register")
    ws.cell(1, 1, "Contoso PMO – Project Register").font = Font(bold=True, size=14)
    ws.cell(2, 1, f"Exported {as_of.isoformat()} by PMO Office")
    for c, name in enumerate(REGISTER_HEADER, start=1):
        ws.cell(4, c, name).font = Font(bold=True)
    listed = [p for p in projects if p.start <= as_of and not (prev and p.new)]
    row = 5
    total = 0.0
    for p in listed:
        d = min(as_of, p.stale_from) if p.stale_from else as_of
        finish = p.finish if p.finish and as_of >= p.finish else None
        budget = _budget(p, d)
        total += budget
        values = (
            p.pid,
            p.name,
            p.division,
            p.portfolio,
            p.programme or None,
            p.sponsor,
            p.pm,
            _stage(p, as_of),
            p.start,
            p.baseline,
            finish or _forecast(p, d),
            finish,
            budget,
            _actual_cost(p, d),
            _eac(p, d),
            _pct(p, d),
            p.alignment,
            _register_rag(p, d),
        )
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row, c, value)
            if isinstance(value, date):
                cell.number_format = DATE_FMT
            elif c in (13, 14, 15):
                cell.number_format = MONEY_FMT
            elif c == 16:
                cell.number_format = "0%"
        row += 1
    ws.cell(row, 2, "Total").font = Font(bold=True)
    ws.cell(row, 13, total).number_format = MONEY_FMT
    for c, width in enumerate((11, 34, 18, 22, 28, 18, 18, 11), start=1):
        ws.column_dimensions[chr(64 + c)].width = width
    ws.freeze_panes = "C5"
    wb.active = 1
    path = out_dir / f"Project Register {as_of.isoformat()}.xlsx"
    _save_workbook(wb, path, as_of)
    return path


# ---------------------------------------------------------------------------------------------
# Status reports


def _report_dates(today: date) -> list[date]:
    latest = today - _days((today.weekday() - 4) % 7)  # the last Friday on or before today
    dates: list[date] = []
    d = latest
    while (today - d).days <= HISTORY_DAYS:
        dates.append(d)
        d -= _days(14)
    return dates[::-1]


def _write_status_reports(
    rng: random.Random,
    out_dir: Path,
    projects: Sequence[_Project],
    people: Sequence[_Person],
    today: date,
) -> list[Path]:
    status_dir = out_dir / "status"
    status_dir.mkdir(exist_ok=True)
    periods = _report_dates(today)
    skipped: set[tuple[str, date]] = set()
    for p in projects:
        previous_skipped = True  # never skip a project's first report
        for d in periods:
            if not _reports_on(p, d):
                continue
            skip = not previous_skipped and not p.watermelon and rng.random() < 0.04
            if skip:
                skipped.add((p.pid, d))
            previous_skipped = skip
    analysts = [x.name for x in people if x.role == "Business Analyst"]
    by_division = {div: [p for p in projects if p.division == div] for div in DIVISIONS}
    paths: list[Path] = []
    for d in periods:
        for division in DIVISIONS:
            rows = [
                _status_row(rng, p, d, division, analysts)
                for p in by_division[division]
                if _reports_on(p, d) and (p.pid, d) not in skipped
            ]
            if not rows:
                continue
            path = status_dir / f"{SLUGS[division]}_{d.isoformat()}.csv"
            excel = division == DMY_DIVISION
            paths.append(
                _write_csv(
                    path,
                    STATUS_HEADER,
                    rows,
                    encoding="utf-8-sig" if excel else "utf-8",
                    newline="\r\n" if excel else "\n",
                )
            )
    return paths


def _reports_on(p: _Project, d: date) -> bool:
    if d < p.start or (p.finish and d >= p.finish):
        return False
    if p.stopped and p.stage == "Cancelled" and d >= p.stopped:
        return False
    return not (p.stale_from and d > p.stale_from)


def _status_row(
    rng: random.Random, p: _Project, d: date, division: str, analysts: Sequence[str]
) -> list[str]:
    overall, *dims = _rag(p, d)
    n = rng.randint(2, 12)
    on_hold = p.stage == "On Hold" and p.stopped is not None and d >= p.stopped
    if on_hold:
        summary = HOLD_SUMMARY
    else:
        if overall == "Green":
            texts = GREEN_SUMMARIES
        else:
            driver = ("Schedule", "Cost", "Scope", "Resources")[dims.index(overall)]
            texts = PROBLEM_SUMMARIES[driver]
        summary = rng.choice(texts).format(n=n)
        if rng.random() < 0.08:
            a, b = rng.sample(EXTRA_POINTS, 2)
            summary = f"{summary}\nAlso: {a}, {b}."
    next_steps = "" if rng.random() < 0.05 else rng.choice(NEXT_STEPS).format(n=n)
    reporter = rng.choice(analysts) if rng.random() < 0.1 else p.pm
    pct = round(_pct(p, d) * 100)
    if division == GAR_DIVISION:
        rags = [r[0] for r in (overall, *dims)]
        pct_text = f"{pct}%"
    else:
        rags = [overall, *dims]
        pct_text = str(pct)
    return [
        p.pid,
        _fmt_date(d, division),
        *rags,
        pct_text,
        _fmt_money(_actual_cost(p, d), division),
        _fmt_date(_forecast(p, d), division),
        _fmt_money(_eac(p, d), division),
        summary,
        next_steps,
        reporter,
    ]


def _fmt_date(d: date, division: str) -> str:
    return d.strftime("%d/%m/%Y") if division == DMY_DIVISION else d.isoformat()


def _fmt_money(value: float, division: str) -> str:
    return f"{value:,.0f}" if division == DMY_DIVISION else f"{value:.0f}"


# ---------------------------------------------------------------------------------------------
# Milestones


def _write_milestones(
    rng: random.Random, out_dir: Path, projects: Sequence[_Project], today: date
) -> Path:
    rows: list[list[str]] = []
    for p in sorted(projects, key=lambda q: q.pid):
        n = rng.randint(3, 6)
        chosen = sorted(rng.sample(range(len(MILESTONES)), n))
        fracs = sorted(rng.uniform(0.08, 1.0) for _ in range(n))
        span = (p.baseline - p.start).days
        total_slip = p.slip1 + p.slip2
        horizon = min(today, p.stale_from) if p.stale_from else today
        mine: list[tuple[int, date, date, date | None, date | None]] = []
        for idx, frac in zip(chosen, fracs, strict=True):
            baseline = p.start + _days(round(span * frac))
            shift = round(total_slip * frac)
            if rng.random() < 0.08 and not p.finish:
                # 5-20 days more, but never past 45 (red) unless the project is that late
                shift = min(max(45, shift), shift + 5 + (rng.randint(10, 40) - 10) // 2)
            elif rng.random() < 0.1:
                shift -= rng.randint(1, 7)
            forecast = baseline + _days(shift)
            actual: date | None = None
            unrecorded: date | None = None
            if p.finish:
                actual = min(forecast + _days(rng.randint(-2, 4)), p.finish)
            elif forecast <= horizon and not (p.stopped and forecast >= p.stopped):
                if rng.random() < 0.96:
                    actual = min(forecast + _days(rng.randint(-2, 4)), today)
                else:
                    unrecorded = min(forecast, today)
            mine.append((idx, baseline, forecast, actual, unrecorded))
        # A passed milestone whose actual date nobody typed in shows only when a later one is
        # recorded (a data-quality finding); otherwise the tracker has it.
        last_recorded = max((b for _, b, _, a, _ in mine if a), default=None)
        for idx, baseline, forecast, actual, unrecorded in mine:
            if unrecorded and not (last_recorded and last_recorded > baseline):
                actual = unrecorded
            # cancelled and paused projects leave open milestones without a forecast ("TBC")
            forecast_text = "" if actual is None and p.stopped else forecast.isoformat()
            rows.append(
                [
                    p.pid,
                    MILESTONES[idx],
                    baseline.isoformat(),
                    forecast_text,
                    actual.isoformat() if actual else "",
                ]
            )
    # Two rows a real tracker would hold, so the data-quality view has something to show:
    # a milestone whose baseline is "TBC" and a copy-pasted duplicate. The loaders reject them
    # (both copies of the duplicate) with their reasons.
    first = sorted(projects, key=lambda q: q.pid)[0]
    rows.append([first.pid, "Benefits realisation review", "TBC", "", ""])
    rows.append(list(rows[0]))
    return _write_csv(out_dir / "Milestones.csv", MILESTONE_HEADER, rows)


# ---------------------------------------------------------------------------------------------
# RAID log


def _write_raid(
    rng: random.Random,
    out_dir: Path,
    projects: Sequence[_Project],
    people: Sequence[_Person],
    today: date,
) -> Path:
    names = [x.name for x in people]
    items: list[tuple[date, str, list[object]]] = []
    for p in sorted(projects, key=lambda q: q.pid):
        end = p.finish or (p.stopped if p.stage == "Cancelled" else None) or today
        end = min(end, today)
        if (end - p.start).days < 3:
            continue
        troubled = p.watermelon or _register_rag(p, today) == "Red"
        n = rng.randint(1, 4) + (2 if troubled else 0)
        for i in range(n):
            kind = rng.choices(tuple(RAID_TITLES), weights=(50, 25, 12, 13))[0]
            if troubled and i < 2:
                kind = "Issue" if i == 0 else "Risk"
            other = rng.choice([q for q in projects if q is not p]).pid
            title = rng.choice(RAID_TITLES[kind]).format(
                system=rng.choice(SYSTEMS), supplier=rng.choice(SUPPLIERS), other=other
            )
            # Most logged items are minor; the troubled projects' first two are severe.
            # Critical items sit with the troubled projects: elsewhere an impact-5 item is rare.
            impact = (
                rng.randint(4, 5)
                if troubled and i < 2
                else rng.choices((1, 2, 3, 4, 5), weights=(25, 30, 25, 18, 2))[0]
            )
            probability: float | None
            if kind == "Risk":
                probability = rng.randint(1, 9) / 10
            elif kind == "Assumption":
                probability = rng.randint(1, 4) / 10
            elif kind == "Dependency":
                probability = rng.randint(2, 7) / 10
            else:
                probability = None
            if troubled and kind == "Risk" and i < 2:
                probability = rng.randint(6, 9) / 10
            severity = _severity(probability, impact)
            raised = p.start + _days(rng.randint(0, (end - p.start).days))
            if troubled and i < 2:
                raised = max(p.start, end - _days(rng.randint(5, 60)))
            due = raised + _days(rng.randint(14, 120))
            if p.finish or (p.stopped and p.stage == "Cancelled"):
                status = "Closed"
            elif troubled and i < 2:
                status = "Open"
            else:
                status = (
                    "Closed"
                    if rng.random() < (0.55 if (today - raised).days > 45 else 0.15)
                    else "Open"
                )
            if not troubled and severity == "Critical" and (today - raised).days > 14:
                # A project going well has dealt with its critical items; open ones escalate.
                status = "Closed"
            owner = p.pm if rng.random() < 0.4 else rng.choice(names)
            items.append(
                (
                    raised,
                    p.pid,
                    [p.pid, kind, title, probability, impact, severity, status, owner, raised, due],
                )
            )
    items.sort(key=lambda item: (item[0], item[1]))
    wb = Workbook()
    ws = wb.active
    ws.title = "RAID"
    ws.append(list(RAID_HEADER))
    for i, (_raised, _pid, values) in enumerate(items, start=1):
        ws.append([f"RAID-{i:04d}", *values])
        r = ws.max_row
        ws.cell(r, 5).number_format = "0%"
        ws.cell(r, 10).number_format = DATE_FMT
        ws.cell(r, 11).number_format = DATE_FMT
    path = out_dir / "RAID Log.xlsx"
    _save_workbook(wb, path, today)
    return path


def _severity(probability: float | None, impact: int) -> str:
    if probability is None:  # an issue has already happened: its impact is its severity
        return ("Low", "Low", "Medium", "High", "Critical")[impact - 1]
    score = impact * probability
    if score >= 3.5:
        return "Critical"
    if score >= 2.0:
        return "High"
    if score >= 1.0:
        return "Medium"
    return "Low"


# ---------------------------------------------------------------------------------------------
# Requests


@dataclass
class _Request:
    rid: str
    title: str
    division: str
    status: str
    target_start: date
    duration: int
    values: list[object]


def _add_months(d: date, n: int) -> date:
    m = d.year * 12 + d.month - 1 + n
    return date(m // 12, m % 12 + 1, 1)


def _make_requests(rng: random.Random, today: date) -> list[_Request]:
    titles = list(REQUEST_TITLES)
    rng.shuffle(titles)
    statuses = list(REQUEST_STATUSES)
    rng.shuffle(statuses)
    intake = [i for i, s in enumerate(statuses) if s in ("Submitted", "Under Review")]
    incomplete = set(rng.sample(intake, N_INCOMPLETE_REQUESTS))
    requests: list[_Request] = []
    for i, (title, status) in enumerate(zip(titles, statuses, strict=True)):
        division = rng.choice(DIVISIONS)
        if status in ("Submitted", "Under Review"):
            submitted = today - _days(rng.randint(3, 120))
            target = _add_months(today, rng.randint(2, 9))
        else:
            submitted = today - _days(rng.randint(60, 300))
            target = _add_months(today, rng.randint(1, 5))
        cost: float | None = round(math.exp(rng.uniform(math.log(40_000), math.log(2_500_000))), -3)
        benefit: float | None = round(cost * rng.uniform(0.15, 1.4), -3)
        effort: float | None = round(cost / rng.uniform(9_000, 14_000), 1)
        alignment: int | None = rng.randint(1, 5)
        duration = rng.randint(3, 18)
        if i in incomplete:
            for blank in rng.sample(("cost", "benefit", "effort", "alignment"), rng.randint(1, 2)):
                if blank == "cost":
                    cost = None
                elif blank == "benefit":
                    benefit = None
                elif blank == "effort":
                    effort = None
                else:
                    alignment = None
        business_case = (
            ""
            if i in incomplete and rng.random() < 0.5
            else f"{title} for {division}: {rng.choice(('saves', 'protects', 'unlocks'))} "
            f"value, see attached case v{rng.randint(1, 4)}."
        )
        values: list[object] = [
            f"REQ-{i + 1:03d}",
            title,
            division,
            rng.choice(SPONSORS[division]),
            submitted,
            status,
            cost,
            benefit,
            alignment,
            rng.randint(1, 5),
            rng.randint(1, 5),
            rng.choice((250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000)),
            rng.choice((0.5, 0.8, 1.0)),
            effort,
            duration,
            "Yes" if title in MANDATORY_TITLES else "No",
            target,
            business_case or None,
        ]
        requests.append(
            _Request(f"REQ-{i + 1:03d}", title, division, status, target, duration, values)
        )
    return requests


def _write_requests(out_dir: Path, requests: Sequence[_Request], today: date) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Intake"
    ws.append(list(REQUEST_HEADER))
    for req in requests:
        ws.append(req.values)
        r = ws.max_row
        for c in (5, 17):
            ws.cell(r, c).number_format = DATE_FMT
        for c in (7, 8):
            ws.cell(r, c).number_format = MONEY_FMT
        ws.cell(r, 13).number_format = "0%"
    path = out_dir / "Project Requests.xlsx"
    _save_workbook(wb, path, today)
    return path


# ---------------------------------------------------------------------------------------------
# Resource plan


def _write_resource_plan(
    rng: random.Random,
    out_dir: Path,
    projects: Sequence[_Project],
    people: Sequence[_Person],
    requests: Sequence[_Request],
    today: date,
) -> Path:
    first = _add_months(today, -PLAN_MONTHS_BACK)
    months = [_add_months(first, i) for i in range(PLAN_MONTHS)]
    now = PLAN_MONTHS_BACK  # index of today's month

    def index(d: date) -> int:
        return (d.year - first.year) * 12 + d.month - first.month

    def employed(x: _Person, m: int) -> bool:
        month_end = _add_months(months[m], 1) - _days(1)
        return x.start <= month_end and (x.end is None or x.end >= months[m])

    load: dict[str, list[int]] = {x.emp_id: [0] * PLAN_MONTHS for x in people}
    by_role: dict[str, list[_Person]] = {}
    for x in people:
        by_role.setdefault(x.role, []).append(x)
    pm_ids = {x.name: x for x in people if x.role == "Project Manager"}
    supply = {
        role: [sum(round(x.fte * 10) for x in staff if employed(x, m)) for m in range(PLAN_MONTHS)]
        for role, staff in by_role.items()
    }
    # committed demand (active projects + approved requests), kept under 95% of supply for
    # every role but the two that are meant to be over-allocated
    demand = {role: [0] * PLAN_MONTHS for role in by_role}
    rows: list[_PlanRow] = []

    def fits(role: str, span: range, tenths: int) -> bool:
        return role in OVER_ROLES or all(
            demand[role][m] + tenths <= 0.95 * supply[role][m] for m in span
        )

    def add(p: _Project, role: str, span: range, tenths: int, person: _Person | None) -> None:
        # One row per project and person-or-role: a second unnamed row for the same role would be
        # a duplicate key, which the loaders reject (both copies), so its demand is added instead.
        key = (p.pid, person.emp_id if person else "", role)
        row = next((r for r in rows if (r.project_id, r.resource, r.role) == key), None)
        if row is None:
            row = _PlanRow(p.pid, "", person.emp_id if person else "", role)
            rows.append(row)
            p.rows_in_plan += 1
        for m in span:
            row.tenths[m] = row.tenths.get(m, 0) + tenths
            demand[role][m] += tenths
            if person:
                load[person.emp_id][m] += tenths

    def free(x: _Person, span: range, tenths: int) -> bool:
        cap = round(x.fte * 10)
        return all(employed(x, m) and load[x.emp_id][m] + tenths <= cap for m in span)

    active = [p for p in projects if p.active_stage]
    roles, weights = zip(*ROLE_WEIGHTS.items(), strict=True)
    for p in active:
        lo = max(index(p.start), 0)
        hi = min(index(p.forecast_final), PLAN_MONTHS - 1)
        full = range(lo, hi + 1)
        k = rng.randint(2, 5)
        pm = pm_ids.get(p.pm)
        if pm and free(pm, full, 1):
            add(p, "Project Manager", full, rng.choice((1, 1, 2)), pm)
        while p.rows_in_plan < k:
            span = full
            if len(full) > 3:
                a = rng.randint(lo, lo + len(full) // 2)
                b = rng.randint(min(a + 2, hi), hi)
                span = range(a, b + 1)
            for _attempt in range(6):
                role = rng.choices(roles, weights=weights)[0]
                tenths = rng.choice((1, 2, 2, 3, 3, 4, 5))
                if fits(role, span, tenths):
                    break
            else:  # the other teams are full: the gap lands on the scarce specialists
                role, tenths = rng.choice(OVER_ROLES), 2
            person = None
            if rng.random() < 0.75:
                candidates = [x for x in by_role[role] if free(x, span, tenths)]
                if candidates:
                    person = min(candidates, key=lambda x: (max(load[x.emp_id]), x.emp_id))
            add(p, role, span, tenths, person)

    # Approved and pipeline requests: role-only demand from their target start.
    for req in requests:
        if req.status not in ("Approved", "Submitted", "Under Review"):
            continue
        lo = index(req.target_start)
        span = range(lo, min(lo + req.duration, PLAN_MONTHS))
        for role in rng.sample(list(ROLE_WEIGHTS), rng.randint(2, 3)):
            tenths = rng.choice((2, 3, 3, 5, 5))
            if req.status == "Approved":
                if not fits(role, span, tenths):
                    tenths = 1
                    if not fits(role, span, tenths):
                        continue
                for m in span:
                    demand[role][m] += tenths
            rows.append(_PlanRow("", req.rid, "", role, dict.fromkeys(span, tenths)))

    # A few named people booked above 1.0 FTE in the next three months.
    near = range(now + 1, now + 4)
    busy = [
        x
        for x in people
        if x.end is None
        and x.fte == 1.0
        and all(employed(x, m) and load[x.emp_id][m] >= 4 for m in near)
    ]
    for x in rng.sample(busy, N_OVERBOOKED):
        host = next(
            p
            for p in sorted(active, key=lambda q: (q.rows_in_plan, q.pid))
            if index(p.forecast_final) >= now + 4
        )
        extra = 11 - min(load[x.emp_id][m] for m in near) + rng.randint(0, 2)
        add(host, x.role, range(now, min(index(host.forecast_final), now + 6) + 1), extra, x)

    # Data Engineer and Architect: demand well above supply in each of the next six months.
    for role in OVER_ROLES:
        for m in range(now + 1, now + 7):
            while demand[role][m] < OVER_RATIO * supply[role][m]:
                hosts = [p for p in active if p.rows_in_plan < 5 and index(p.forecast_final) >= m]
                host = rng.choice(hosts)
                span = range(m, min(index(host.forecast_final), m + 5) + 1)
                add(host, role, span, rng.choice((5, 6, 8, 10)), None)

    rows.sort(
        key=lambda r: (r.project_id or "~", r.request_id, r.resource == "", r.resource, r.role)
    )
    wb = Workbook()
    ws = wb.active
    ws.title = "Plan"
    ws.append(["Project ID", "Request ID", "Resource", "Role", *months])
    for c in range(5, 5 + PLAN_MONTHS):
        ws.cell(1, c).number_format = "mmm-yy"
    for r in rows:
        ws.append(
            [
                r.project_id or None,
                r.request_id or None,
                r.resource or None,
                r.role,
                *(r.tenths[m] / 10 if r.tenths.get(m) else None for m in range(PLAN_MONTHS)),
            ]
        )
    path = out_dir / "Resource Plan.xlsx"
    _save_workbook(wb, path, today)
    return path


# ---------------------------------------------------------------------------------------------
# Writers


def _write_csv(
    path: Path,
    header: Iterable[str],
    rows: Iterable[Sequence[str]],
    *,
    encoding: str = "utf-8",
    newline: str = "\n",
) -> Path:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def _save_workbook(wb: Workbook, path: Path, stamp_day: date) -> None:
    """Save with pinned properties and zip timestamps, so the same content gives the same bytes."""
    stamp = datetime(stamp_day.year, stamp_day.month, stamp_day.day, 17, 30)
    wb.properties.creator = "PMO Office"
    wb.properties.created = stamp
    wb.properties.modified = stamp
    raw = io.BytesIO()
    # openpyxl's save_workbook() stamps "modified" with the clock; ExcelWriter does not.
    ExcelWriter(wb, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED)).save()
    with (
        zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, src.read(info.filename))


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point.

    Args:
        argv: Arguments without the program name; ``None`` reads ``sys.argv``.

    Returns:
        The process exit code.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "exports")
    parser.add_argument("--today", type=date.fromisoformat, default=date.today())
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    paths = generate(args.out, args.today, args.seed)
    elapsed = time.perf_counter() - started
    print(f"Wrote {len(paths)} files to {args.out} for {args.today} in {elapsed:.1f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
