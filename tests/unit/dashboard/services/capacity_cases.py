"""A tiny hand-made portfolio shared by the capacity services' unit tests.

People (January 2027 has 21 working days; default leave 25 days a year = 25/12 a month, so a
full-time person supplies (21 - 25/12) / 21 = 0.9008 FTE):
    A1 Alice, Analyst, Finance, 1.0 FTE    A2 Bob, Analyst, Operations, 1.0 FTE
    D1 Dee, Developer, Operations, 0.5 FTE
January allocations: P2 (Operations) books Alice 1.2 FTE, P1 (Finance) books Bob 0.6 FTE,
P1 and P2 ask for an unnamed Developer 0.3 / 0.2 FTE, closed P3 books Alice 0.5 FTE (ignored),
P1 asks for an Architect 0.5 FTE (nobody is one), approved R2 books Dee 0.4 FTE, submitted R1
asks for an Analyst 1.0 FTE in January and February.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard.services.capacity import CapacityInputs
from dashboard.url_state import FilterOptions

AS_OF = date(2027, 1, 15)
JAN, FEB = pd.Timestamp("2027-01-01"), pd.Timestamp("2027-02-01")
FULL_TIME = (21 - 25 / 12) / 21


def inputs() -> CapacityInputs:
    resources = pd.DataFrame(
        {
            "resource_id": ["A1", "A2", "D1"],
            "name": ["Alice", "Bob", "Dee"],
            "role": ["Analyst", "Analyst", "Developer"],
            "team": ["BA", "BA", "Eng"],
            "division": ["Finance", "Operations", "Operations"],
            "fte": [1.0, 1.0, 0.5],
        }
    )
    projects = pd.DataFrame(
        {
            "project_id": ["P1", "P2", "P3"],
            "division": ["Finance", "Operations", "Finance"],
            "stage": ["Execution", "Execution", "Closed"],
        }
    )
    requests = pd.DataFrame(
        {
            "request_id": ["R1", "R2", "R3"],
            "title": ["New CRM", "Data lake", "No plan yet"],
            "division": ["Finance", "Operations", "Finance"],
            "status": ["submitted", "approved", "under_review"],
        }
    )
    allocations = pd.DataFrame(
        {
            "project_id": ["P2", "P1", "P1", "P2", "P3", None, None, None, "P1"],
            "request_id": [None, None, None, None, None, "R2", "R1", "R1", None],
            "resource_id": ["A1", "A2", None, None, "A1", "D1", None, None, None],
            "role": ["Analyst", "Analyst", "Developer", "Developer", "Analyst", "Developer",
                     "Analyst", "Analyst", "Architect"],
            "month": [JAN, JAN, JAN, JAN, JAN, JAN, JAN, FEB, JAN],
            "fte": [1.2, 0.6, 0.3, 0.2, 0.5, 0.4, 1.0, 1.0, 0.5],
            "hours": [None] * 9,
        }
    )  # fmt: skip
    options = FilterOptions(divisions=("Finance", "Operations"))
    return CapacityInputs(-1, AS_OF, resources, allocations, projects, requests, options)


def cell(frame: pd.DataFrame, role: str, month: pd.Timestamp) -> pd.Series:
    return frame.loc[(frame["role"] == role) & (frame["month"] == month)].iloc[0]
