"""Projects: each stage's timeline, the honest numbers, the planted cases and the names.

The draws keep the first demo's order (how many, which ranges), so one seed gives the same
portfolio; only the outcomes of the slip and CPI draws are mapped to the PMO's thresholds.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from demo_portfolio import (
    DIVISIONS,
    MOVER_KINDS,
    N_CLOSED_THIS_MONTH,
    N_NEW,
    N_STALE,
    N_WATERMELON_CPI,
    N_WATERMELON_SLIP,
    STAGE_COUNTS,
)
from demo_project_state import pct_complete
from demo_records import Person, Project, days
from demo_words import ACTIONS, BUSINESS_PMS, PORTFOLIOS, PROGRAMMES, SPONSORS, SUBJECTS


@dataclass(frozen=True)
class _Timeline:
    start: date
    init_end: date
    plan_end: date
    closing: date
    forecast: date
    stopped: date | None = None


def make_projects(rng: random.Random, today: date, people: Sequence[Person]) -> list[Project]:
    """Draw the 150 projects: timelines by stage, numbers, planted cases, then ids and names."""
    stages = [s for s, n in STAGE_COUNTS.items() for _ in range(n)]
    divisions = [d for d in DIVISIONS for _ in range(len(stages) // len(DIVISIONS))]
    rng.shuffle(divisions)
    # the first N_NEW Initiation projects are new this month, the first N_CLOSED_THIS_MONTH
    # Closed ones closed this month
    firsts = {"Initiation": N_NEW, "Closed": N_CLOSED_THIS_MONTH}
    seen: Counter[str] = Counter()
    projects: list[Project] = []
    for key, (stage, division) in enumerate(zip(stages, divisions, strict=True)):
        first = seen[stage] < firsts.get(stage, 0)
        seen[stage] += 1
        t = _TIMELINES[stage](rng, today, first)
        new = first and stage == "Initiation"
        p = Project(
            key, division, stage, t.start, t.init_end, t.plan_end, t.closing, t.forecast, new=new
        )
        if stage == "Closed":
            p.finish = t.forecast
        p.stopped = t.stopped
        _draw_numbers(rng, p, today)
        projects.append(p)

    _assign_special_cases(rng, projects, today)
    for p in projects:
        p.baseline = p.forecast_final - days(p.slip1 + p.slip2)
    _assign_names(rng, projects, people)
    return projects


def _execution(rng: random.Random, today: date, _first: bool) -> _Timeline:
    start = today - days(rng.randint(90, 600))
    forecast = max(today + days(rng.randint(30, 420)), start + days(rng.randint(240, 300)))
    init_end = start + days(rng.randint(15, 40))
    plan_end = min(init_end + days(rng.randint(20, 60)), today - days(14))
    closing = max(forecast - days(rng.randint(20, 40)), today + days(1))
    return _Timeline(start, init_end, plan_end, closing, forecast)


def _planning(rng: random.Random, today: date, _first: bool) -> _Timeline:
    start = today - days(rng.randint(45, 100))
    init_end = start + days(rng.randint(15, 35))
    plan_end = today + days(rng.randint(5, 45))
    forecast = plan_end + days(rng.randint(180, 540))
    return _Timeline(start, init_end, plan_end, forecast - days(30), forecast)


def _initiation(rng: random.Random, today: date, new: bool) -> _Timeline:
    month_start = today.replace(day=1)
    if new:
        start = month_start + days(rng.randint(0, (today - month_start).days))
    else:
        start = month_start - days(rng.randint(2, 25))
    init_end = max(start + days(30), today + days(rng.randint(5, 30)))
    plan_end = init_end + days(rng.randint(30, 60))
    forecast = plan_end + days(rng.randint(180, 500))
    return _Timeline(start, init_end, plan_end, forecast - days(30), forecast)


def _closing(rng: random.Random, today: date, _first: bool) -> _Timeline:
    start = today - days(rng.randint(250, 700))
    forecast = today + days(rng.randint(0, 25))
    init_end = start + days(rng.randint(15, 40))
    plan_end = init_end + days(rng.randint(20, 60))
    closing = min(forecast - days(rng.randint(30, 45)), today)
    return _Timeline(start, init_end, plan_end, closing, forecast)


def _closed(rng: random.Random, today: date, closed_now: bool) -> _Timeline:
    month_start = today.replace(day=1)
    if closed_now:
        forecast = month_start + days(rng.randint(0, (today - month_start).days))
        start = today - days(rng.randint(300, 600))
        closing = forecast  # went straight from Execution to Closed this month
    else:
        start = today - days(rng.randint(450, 1000))
        lo = max(start + days(240), today - days(540))
        prev_end = month_start - days(1)
        forecast = lo + days(rng.randint(0, (prev_end - days(10) - lo).days))
        closing = forecast - days(rng.randint(20, 45))
    init_end = start + days(rng.randint(15, 40))
    plan_end = init_end + days(rng.randint(20, 60))
    return _Timeline(start, init_end, plan_end, closing, forecast)


def _cancelled(rng: random.Random, today: date, _first: bool) -> _Timeline:
    start = today - days(rng.randint(200, 700))
    stopped = start + days(rng.randint(60, (today - days(30) - start).days))
    return _stopped(rng, today, start, stopped)


def _on_hold(rng: random.Random, today: date, _first: bool) -> _Timeline:
    start = today - days(rng.randint(150, 450))
    stopped = max(start + days(60), today - days(rng.randint(40, 120)))
    return _stopped(rng, today, start, stopped)


def _stopped(rng: random.Random, today: date, start: date, stopped: date) -> _Timeline:
    forecast = max(start + days(rng.randint(300, 600)), today + days(60))
    init_end = start + days(rng.randint(15, 40))
    plan_end = init_end + days(rng.randint(20, 60))
    return _Timeline(start, init_end, plan_end, forecast - days(30), forecast, stopped)


_TIMELINES: dict[str, Callable[[random.Random, date, bool], _Timeline]] = {
    "Execution": _execution,
    "Planning": _planning,
    "Initiation": _initiation,
    "Closing": _closing,
    "Closed": _closed,
    "Cancelled": _cancelled,
    "On Hold": _on_hold,
}


def _draw_numbers(rng: random.Random, p: Project, today: date) -> None:
    """Budget, CPI, scope concern and, once past planning, the slip and a resourcing gap."""
    prev_end = today.replace(day=1) - days(1)
    p.budget0 = round(math.exp(rng.uniform(math.log(80_000), math.log(4_500_000))), -3)
    p.cpi = _honest_cpi(rng)
    p.scope_concern = rng.random() < 0.07
    if p.stage in ("Initiation", "Planning"):
        return
    start = p.start
    slip = _honest_slip(rng)
    last = min(prev_end - days(10), (p.finish or today) - days(30))
    if slip and (last - start).days > 30:
        p.slip1 = slip
        p.slip1_date = start + days(rng.randint(30, (last - start).days))
    if rng.random() < 0.1 and (prev_end - start).days > 90:
        gap_start = start + days(rng.randint(30, (prev_end - start).days - 30))
        ongoing = p.stage != "Closed" and rng.random() < 0.4
        gap_end = None if ongoing else min(gap_start + days(rng.randint(28, 90)), prev_end)
        p.resource_gap = (gap_start, gap_end)


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


def _clean(p: Project) -> None:
    """Make a project green on the numbers, so that a planned change is what moves it."""
    p.scope_concern = False
    p.resource_gap = None
    p.cpi = max(p.cpi, 0.96)
    p.slip1 = min(p.slip1, 12)


def _assign_special_cases(rng: random.Random, projects: list[Project], today: date) -> None:
    month_start = today.replace(day=1)
    prev_end = month_start - days(1)
    pool = [p for p in projects if p.stage == "Execution"]
    rng.shuffle(pool)

    def take(n: int, ok: Callable[[Project], bool]) -> list[Project]:
        chosen = [p for p in pool if ok(p)][:n]
        for p in chosen:
            pool.remove(p)
        return chosen

    # Five CPI, three slip and seven stale candidates are drawn, as in the first demo, so the
    # random stream (and every name and number drawn after it) is unchanged; only the first
    # N_WATERMELON_CPI / N_WATERMELON_SLIP / N_STALE of them are planted, the others are left
    # as clean, honestly reported projects.
    for i, p in enumerate(take(5, lambda p: pct_complete(p, today) >= 0.3)):
        _clean(p)
        cpi = round(rng.uniform(0.62, 0.76), 2)
        if i < N_WATERMELON_CPI:
            p.watermelon = True
            p.cpi = cpi
    for i, p in enumerate(take(3, lambda p: True)):
        _clean(p)
        slip = rng.randint(70, 90)
        slip_date = p.start + days(rng.randint(30, (prev_end - days(10) - p.start).days))
        if i < N_WATERMELON_SLIP:
            p.watermelon = True
            p.slip1, p.slip1_date = slip, slip_date
    for i, p in enumerate(take(7, lambda p: (today - p.start).days >= 200)):
        stale_from = today - days(rng.randint(45, 150))
        if i >= N_STALE:
            continue
        p.stale_from = stale_from
        if p.slip1_date and p.slip1_date > p.stale_from:
            p.slip1_date = p.start + days(30)
    n_rag = 0
    for kind, p in zip(MOVER_KINDS, take(len(MOVER_KINDS), lambda p: True), strict=True):
        _clean(p)
        p.mover = kind
        p.event = month_start + days(rng.randint(0, (today - month_start).days))
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
            p.resource_gap = (prev_end - days(rng.randint(20, 60)), p.event)


def _assign_names(rng: random.Random, projects: list[Project], people: Sequence[Person]) -> None:
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
