"""The resource plan workbook: monthly FTE by project or request, and person or role.

Committed demand (active projects and approved requests) is kept under 95 % of supply for every
role but the two meant to be over-allocated (Data Engineer and Architect, at least 1.25 x supply
in each of the next six months); five named people are booked above 1.0 FTE in the next three.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from demo_files import save_workbook
from demo_portfolio import (
    N_OVERBOOKED,
    OVER_RATIO,
    OVER_ROLES,
    PLAN_MONTHS,
    PLAN_MONTHS_BACK,
    ROLE_WEIGHTS,
)
from demo_records import Person, PlanRow, Project, Request, add_months, days
from openpyxl import Workbook


class _Plan:
    """The plan being drawn: months, supply, committed demand, people's load and the rows."""

    def __init__(self, people: Sequence[Person], today: date) -> None:
        self.first = add_months(today, -PLAN_MONTHS_BACK)
        self.months = [add_months(self.first, i) for i in range(PLAN_MONTHS)]
        self.load: dict[str, list[int]] = {x.emp_id: [0] * PLAN_MONTHS for x in people}
        self.by_role: dict[str, list[Person]] = {}
        for x in people:
            self.by_role.setdefault(x.role, []).append(x)
        self.supply = {
            role: [
                sum(round(x.fte * 10) for x in staff if self.employed(x, m))
                for m in range(PLAN_MONTHS)
            ]
            for role, staff in self.by_role.items()
        }
        self.demand = {role: [0] * PLAN_MONTHS for role in self.by_role}
        self.rows: list[PlanRow] = []

    def index(self, d: date) -> int:
        """The plan month of ``d`` (0 is the first month shown, may be out of range)."""
        return (d.year - self.first.year) * 12 + d.month - self.first.month

    def employed(self, x: Person, m: int) -> bool:
        """Whether ``x`` works for some of month ``m``."""
        month_end = add_months(self.months[m], 1) - days(1)
        return x.start <= month_end and (x.end is None or x.end >= self.months[m])

    def fits(self, role: str, span: range, tenths: int) -> bool:
        """Whether ``tenths`` more of ``role`` keeps committed demand under 95 % of supply."""
        return role in OVER_ROLES or all(
            self.demand[role][m] + tenths <= 0.95 * self.supply[role][m] for m in span
        )

    def free(self, x: Person, span: range, tenths: int) -> bool:
        """Whether ``x`` is employed and has ``tenths`` of FTE left in every month of ``span``."""
        cap = round(x.fte * 10)
        return all(self.employed(x, m) and self.load[x.emp_id][m] + tenths <= cap for m in span)

    def add(self, p: Project, role: str, span: range, tenths: int, person: Person | None) -> None:
        """Book ``tenths`` of a person or a role on ``p`` for every month of ``span``.

        One row per project and person-or-role: a second unnamed row for the same role would be
        a duplicate key, which the loaders reject (both copies), so its demand is added instead.
        """
        key = (p.pid, person.emp_id if person else "", role)
        row = next((r for r in self.rows if (r.project_id, r.resource, r.role) == key), None)
        if row is None:
            row = PlanRow(p.pid, "", person.emp_id if person else "", role)
            self.rows.append(row)
            p.rows_in_plan += 1
        for m in span:
            row.tenths[m] = row.tenths.get(m, 0) + tenths
            self.demand[role][m] += tenths
            if person:
                self.load[person.emp_id][m] += tenths


def write_resource_plan(
    rng: random.Random,
    out_dir: Path,
    projects: Sequence[Project],
    people: Sequence[Person],
    requests: Sequence[Request],
    today: date,
) -> Path:
    """Draw the plan (projects, requests, overbooked people, scarce roles) and write it."""
    plan = _Plan(people, today)
    active = [p for p in projects if p.active_stage]
    pm_ids = {x.name: x for x in people if x.role == "Project Manager"}
    for p in active:
        _staff_project(rng, plan, p, pm_ids.get(p.pm))
    _book_requests(rng, plan, requests)
    _overbook_people(rng, plan, people, active)
    _over_allocate_scarce_roles(rng, plan, active)
    return _write_book(plan, out_dir, today)


def _staff_project(rng: random.Random, plan: _Plan, p: Project, pm: Person | None) -> None:
    """Book the project's manager, then 2-5 rows of roles, named when someone is free."""
    roles, weights = zip(*ROLE_WEIGHTS.items(), strict=True)
    lo = max(plan.index(p.start), 0)
    hi = min(plan.index(p.forecast_final), PLAN_MONTHS - 1)
    full = range(lo, hi + 1)
    k = rng.randint(2, 5)
    if pm and plan.free(pm, full, 1):
        plan.add(p, "Project Manager", full, rng.choice((1, 1, 2)), pm)
    while p.rows_in_plan < k:
        span = full
        if len(full) > 3:
            a = rng.randint(lo, lo + len(full) // 2)
            b = rng.randint(min(a + 2, hi), hi)
            span = range(a, b + 1)
        for _attempt in range(6):
            role = rng.choices(roles, weights=weights)[0]
            tenths = rng.choice((1, 2, 2, 3, 3, 4, 5))
            if plan.fits(role, span, tenths):
                break
        else:  # the other teams are full: the gap lands on the scarce specialists
            role, tenths = rng.choice(OVER_ROLES), 2
        person = None
        if rng.random() < 0.75:
            candidates = [x for x in plan.by_role[role] if plan.free(x, span, tenths)]
            if candidates:
                person = min(candidates, key=lambda x: (max(plan.load[x.emp_id]), x.emp_id))
        plan.add(p, role, span, tenths, person)


def _book_requests(rng: random.Random, plan: _Plan, requests: Sequence[Request]) -> None:
    """Approved and pipeline requests: role-only demand from their target start."""
    for req in requests:
        if req.status not in ("Approved", "Submitted", "Under Review"):
            continue
        lo = plan.index(req.target_start)
        span = range(lo, min(lo + req.duration, PLAN_MONTHS))
        for role in rng.sample(list(ROLE_WEIGHTS), rng.randint(2, 3)):
            tenths = rng.choice((2, 3, 3, 5, 5))
            if req.status == "Approved":
                if not plan.fits(role, span, tenths):
                    tenths = 1
                    if not plan.fits(role, span, tenths):
                        continue
                for m in span:
                    plan.demand[role][m] += tenths
            plan.rows.append(PlanRow("", req.rid, "", role, dict.fromkeys(span, tenths)))


def _overbook_people(
    rng: random.Random, plan: _Plan, people: Sequence[Person], active: Sequence[Project]
) -> None:
    """A few named people booked above 1.0 FTE in the next three months."""
    now = PLAN_MONTHS_BACK  # index of today's month
    near = range(now + 1, now + 4)
    busy = [
        x
        for x in people
        if x.end is None
        and x.fte == 1.0
        and all(plan.employed(x, m) and plan.load[x.emp_id][m] >= 4 for m in near)
    ]
    for x in rng.sample(busy, N_OVERBOOKED):
        host = next(
            p
            for p in sorted(active, key=lambda q: (q.rows_in_plan, q.pid))
            if plan.index(p.forecast_final) >= now + 4
        )
        extra = 11 - min(plan.load[x.emp_id][m] for m in near) + rng.randint(0, 2)
        span = range(now, min(plan.index(host.forecast_final), now + 6) + 1)
        plan.add(host, x.role, span, extra, x)


def _over_allocate_scarce_roles(rng: random.Random, plan: _Plan, active: Sequence[Project]) -> None:
    """Data Engineer and Architect: demand well above supply in each of the next six months."""
    now = PLAN_MONTHS_BACK
    for role in OVER_ROLES:
        for m in range(now + 1, now + 7):
            while plan.demand[role][m] < OVER_RATIO * plan.supply[role][m]:
                hosts = [
                    p for p in active if p.rows_in_plan < 5 and plan.index(p.forecast_final) >= m
                ]
                host = rng.choice(hosts)
                span = range(m, min(plan.index(host.forecast_final), m + 5) + 1)
                plan.add(host, role, span, rng.choice((5, 6, 8, 10)), None)


def _write_book(plan: _Plan, out_dir: Path, today: date) -> Path:
    rows = sorted(
        plan.rows,
        key=lambda r: (r.project_id or "~", r.request_id, r.resource == "", r.resource, r.role),
    )
    wb = Workbook()
    ws = wb.active
    ws.title = "Plan"
    ws.append(["Project ID", "Request ID", "Resource", "Role", *plan.months])
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
    save_workbook(wb, path, today)
    return path
