"""Fortnightly status reports: one CSV per division and Friday, as each division's tool writes it.

A report now and then is skipped (never a project's first), stale projects stop reporting,
and summaries follow the dimension that drives the RAG.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from demo_files import write_csv
from demo_headers import DMY_DIVISION, GAR_DIVISION, SLUGS, STATUS_HEADER
from demo_portfolio import DIVISIONS, HISTORY_DAYS
from demo_project_state import actual_cost_at, eac_at, forecast_at, pct_complete, rag_at
from demo_records import Person, Project, days
from demo_words import EXTRA_POINTS, GREEN_SUMMARIES, HOLD_SUMMARY, NEXT_STEPS, PROBLEM_SUMMARIES


def _report_dates(today: date) -> list[date]:
    latest = today - days((today.weekday() - 4) % 7)  # the last Friday on or before today
    dates: list[date] = []
    d = latest
    while (today - d).days <= HISTORY_DAYS:
        dates.append(d)
        d -= days(14)
    return dates[::-1]


def write_status_reports(
    rng: random.Random,
    out_dir: Path,
    projects: Sequence[Project],
    people: Sequence[Person],
    today: date,
) -> list[Path]:
    """Write ``status/<division>_<date>.csv`` for every fortnight of the history."""
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
                write_csv(
                    path,
                    STATUS_HEADER,
                    rows,
                    encoding="utf-8-sig" if excel else "utf-8",
                    newline="\r\n" if excel else "\n",
                )
            )
    return paths


def _reports_on(p: Project, d: date) -> bool:
    if d < p.start or (p.finish and d >= p.finish):
        return False
    if p.stopped and p.stage == "Cancelled" and d >= p.stopped:
        return False
    return not (p.stale_from and d > p.stale_from)


def _status_row(
    rng: random.Random, p: Project, d: date, division: str, analysts: Sequence[str]
) -> list[str]:
    overall, *dims = rag_at(p, d)
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
    pct = round(pct_complete(p, d) * 100)
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
        _fmt_money(actual_cost_at(p, d), division),
        _fmt_date(forecast_at(p, d), division),
        _fmt_money(eac_at(p, d), division),
        summary,
        next_steps,
        reporter,
    ]


def _fmt_date(d: date, division: str) -> str:
    return d.strftime("%d/%m/%Y") if division == DMY_DIVISION else d.isoformat()


def _fmt_money(value: float, division: str) -> str:
    return f"{value:,.0f}" if division == DMY_DIVISION else f"{value:.0f}"
