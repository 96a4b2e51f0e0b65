"""The shape of the demo portfolio: its divisions, stages, planted cases, roles and plan horizon.

The counts are exact for any ``today`` and seed (see the list of cases in ``generate.py``); the
tests of the generator read them from here rather than repeating them.
"""

from __future__ import annotations

DEFAULT_SEED = 20261126

DIVISIONS: tuple[str, ...] = (
    "Finance",
    "Operations",
    "Technology",
    "Customer Services",
    "People & Culture",
    "Sales & Marketing",
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
