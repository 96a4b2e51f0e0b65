"""Intake: the ``Project Requests.xlsx`` workbook of requests for new work, some incomplete.

Nine requests still in intake have blank cost, benefit, effort or alignment, as a real intake
form would; mandatory (regulatory) requests are marked so.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from demo_files import save_workbook
from demo_headers import DATE_FMT, MONEY_FMT, REQUEST_HEADER
from demo_portfolio import DIVISIONS, N_INCOMPLETE_REQUESTS
from demo_records import Request, add_months, days
from demo_words import MANDATORY_TITLES, REQUEST_STATUSES, REQUEST_TITLES, SPONSORS
from openpyxl import Workbook

INTAKE = ("Submitted", "Under Review")


def make_requests(rng: random.Random, today: date) -> list[Request]:
    """Draw the 40 requests: title, status, dates, money and effort (blanks for 9 of them)."""
    titles = list(REQUEST_TITLES)
    rng.shuffle(titles)
    statuses = list(REQUEST_STATUSES)
    rng.shuffle(statuses)
    intake = [i for i, s in enumerate(statuses) if s in INTAKE]
    incomplete = set(rng.sample(intake, N_INCOMPLETE_REQUESTS))
    requests: list[Request] = []
    for i, (title, status) in enumerate(zip(titles, statuses, strict=True)):
        division = rng.choice(DIVISIONS)
        if status in INTAKE:
            submitted = today - days(rng.randint(3, 120))
            target = add_months(today, rng.randint(2, 9))
        else:
            submitted = today - days(rng.randint(60, 300))
            target = add_months(today, rng.randint(1, 5))
        numbers = _numbers(rng)
        duration = rng.randint(3, 18)
        if i in incomplete:
            for blank in rng.sample(("cost", "benefit", "effort", "alignment"), rng.randint(1, 2)):
                numbers[blank] = None
        business_case = (
            ""
            if i in incomplete and rng.random() < 0.5
            else f"{title} for {division}: {rng.choice(('saves', 'protects', 'unlocks'))} "
            f"value, see attached case v{rng.randint(1, 4)}."
        )
        rid = f"REQ-{i + 1:03d}"
        values: list[object] = [
            rid,
            title,
            division,
            rng.choice(SPONSORS[division]),
            submitted,
            status,
            numbers["cost"],
            numbers["benefit"],
            numbers["alignment"],
            rng.randint(1, 5),
            rng.randint(1, 5),
            rng.choice((250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000)),
            rng.choice((0.5, 0.8, 1.0)),
            numbers["effort"],
            duration,
            "Yes" if title in MANDATORY_TITLES else "No",
            target,
            business_case or None,
        ]
        requests.append(Request(rid, title, division, status, target, duration, values))
    return requests


def _numbers(rng: random.Random) -> dict[str, float | int | None]:
    """Estimated cost, expected annual benefit, effort (person-months) and alignment."""
    cost = round(math.exp(rng.uniform(math.log(40_000), math.log(2_500_000))), -3)
    benefit = round(cost * rng.uniform(0.15, 1.4), -3)
    effort = round(cost / rng.uniform(9_000, 14_000), 1)
    return {"cost": cost, "benefit": benefit, "effort": effort, "alignment": rng.randint(1, 5)}


def write_requests(out_dir: Path, requests: Sequence[Request], today: date) -> Path:
    """Write ``Project Requests.xlsx`` (sheet "Intake"), one row a request."""
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
    save_workbook(wb, path, today)
    return path
