"""People: the 90 staff of ``People.csv``, with future joiners and leavers, the plan's supply."""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

from demo_files import write_csv
from demo_headers import PEOPLE_HEADER
from demo_portfolio import DIVISIONS, OVER_ROLES, ROLE_COUNTS, ROLE_RATES, ROLE_TEAMS
from demo_records import Person
from demo_words import FIRST_NAMES, LAST_NAMES


def make_people(rng: random.Random, today: date) -> list[Person]:
    """Draw the staff: roles shuffled, unique names, 2 future joiners and 6 leavers."""
    roles = [role for role, n in ROLE_COUNTS.items() for _ in range(n)]
    rng.shuffle(roles)
    names = [f"{f} {s}" for f, s in itertools.product(FIRST_NAMES, LAST_NAMES)]
    names = rng.sample(names, len(roles))
    people: list[Person] = []
    for i, (role, name) in enumerate(zip(roles, names, strict=True), start=1):
        if role in ("Project Manager", "Business Analyst", "Change Manager"):
            division = DIVISIONS[i % len(DIVISIONS)]
        else:
            division = "Technology"
        fte = rng.choices((1.0, 0.8, 0.5), weights=(77, 9, 4))[0]
        rate = ROLE_RATES[role] + 5 * rng.randint(-10, 15)
        start = today - timedelta(days=rng.randint(120, 3650))
        people.append(
            Person(f"E{i:04d}", name, role, ROLE_TEAMS[role], division, fte, rate, start, None)
        )
    # Future joiners are supply only; leavers and contract ends fall in the coming months.
    joiners = [p for p in people if p.role in ("Developer", "Tester")][:2]
    for p in joiners:
        p.start = today + timedelta(days=rng.randint(40, 130))
    others = [p for p in people if p not in joiners and p.role not in OVER_ROLES]
    for p in rng.sample(others, 6):
        p.end = today + timedelta(days=rng.randint(20, 200))
    return people


def write_people(out_dir: Path, people: Sequence[Person]) -> Path:
    """Write ``People.csv`` (ISO dates, FTE with one decimal)."""
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
    return write_csv(out_dir / "People.csv", PEOPLE_HEADER, rows)
