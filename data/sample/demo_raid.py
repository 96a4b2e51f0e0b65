"""The RAID log workbook: risks, issues, assumptions and dependencies of every project.

Troubled projects (watermelons and reds) carry two severe open items, recent; a project going
well has closed its critical items within two weeks. Ids run in the order items were raised.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from demo_files import save_workbook
from demo_headers import DATE_FMT, RAID_HEADER
from demo_project_state import register_rag
from demo_records import Person, Project, days
from demo_words import RAID_TITLES, SUPPLIERS, SYSTEMS
from openpyxl import Workbook

# a probability range (in tenths) by kind; an issue has already happened: no probability
PROBABILITY_TENTHS: dict[str, tuple[int, int]] = {
    "Risk": (1, 9),
    "Assumption": (1, 4),
    "Dependency": (2, 7),
}


def write_raid(
    rng: random.Random,
    out_dir: Path,
    projects: Sequence[Project],
    people: Sequence[Person],
    today: date,
) -> Path:
    """Write ``RAID Log.xlsx``: 1-4 items a project (2 more, severe, for troubled ones)."""
    names = [x.name for x in people]
    items: list[tuple[date, str, list[object]]] = []
    for p in sorted(projects, key=lambda q: q.pid):
        end = p.finish or (p.stopped if p.stage == "Cancelled" else None) or today
        end = min(end, today)
        if (end - p.start).days < 3:
            continue
        troubled = p.watermelon or register_rag(p, today) == "Red"
        n = rng.randint(1, 4) + (2 if troubled else 0)
        for i in range(n):
            severe = troubled and i < 2
            kind, title = _raid_title(rng, p, projects, severe=severe, first=i == 0)
            impact, probability = _raid_scores(rng, kind, severe=severe)
            severity = _severity(probability, impact)
            raised = p.start + days(rng.randint(0, (end - p.start).days))
            if severe:
                raised = max(p.start, end - days(rng.randint(5, 60)))
            due = raised + days(rng.randint(14, 120))
            status = _raid_status(rng, p, raised, today, severe=severe)
            if not troubled and severity == "Critical" and (today - raised).days > 14:
                # A project going well has dealt with its critical items; open ones escalate.
                status = "Closed"
            owner = p.pm if rng.random() < 0.4 else rng.choice(names)
            values = [p.pid, kind, title, probability, impact, severity, status, owner, raised, due]
            items.append((raised, p.pid, values))
    items.sort(key=lambda item: (item[0], item[1]))
    return _write_book(out_dir, items, today)


def _raid_title(
    rng: random.Random, p: Project, projects: Sequence[Project], *, severe: bool, first: bool
) -> tuple[str, str]:
    """The item's kind and title; a troubled project's first two are an issue and a risk."""
    kind = rng.choices(tuple(RAID_TITLES), weights=(50, 25, 12, 13))[0]
    if severe:
        kind = "Issue" if first else "Risk"
    other = rng.choice([q for q in projects if q is not p]).pid
    title = rng.choice(RAID_TITLES[kind]).format(
        system=rng.choice(SYSTEMS), supplier=rng.choice(SUPPLIERS), other=other
    )
    return kind, title


def _raid_scores(rng: random.Random, kind: str, *, severe: bool) -> tuple[int, float | None]:
    """Impact (1-5) and probability; most items are minor, a troubled project's first two not.

    Critical items sit with the troubled projects: elsewhere an impact-5 item is rare.
    """
    impact = (
        rng.randint(4, 5)
        if severe
        else rng.choices((1, 2, 3, 4, 5), weights=(25, 30, 25, 18, 2))[0]
    )
    span = PROBABILITY_TENTHS.get(kind)
    probability = rng.randint(*span) / 10 if span else None
    if severe and kind == "Risk":
        probability = rng.randint(6, 9) / 10
    return impact, probability


def _raid_status(rng: random.Random, p: Project, raised: date, today: date, *, severe: bool) -> str:
    """Closed with the project; a severe item stays open; older items are more often closed."""
    if p.finish or (p.stopped and p.stage == "Cancelled"):
        return "Closed"
    if severe:
        return "Open"
    return "Closed" if rng.random() < (0.55 if (today - raised).days > 45 else 0.15) else "Open"


def _write_book(out_dir: Path, items: list[tuple[date, str, list[object]]], today: date) -> Path:
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
    save_workbook(wb, path, today)
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
