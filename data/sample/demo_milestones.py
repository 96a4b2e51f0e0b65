"""The milestone tracker: 3-6 milestones a project, following its slips, plus two bad rows.

A passed milestone now and then has no actual date although a later one is recorded (a
data-quality finding); a "TBC" baseline and a copy-pasted duplicate are rejected by the loaders.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from demo_files import write_csv
from demo_headers import MILESTONE_HEADER
from demo_records import Project, days
from demo_words import MILESTONES


def write_milestones(
    rng: random.Random, out_dir: Path, projects: Sequence[Project], today: date
) -> Path:
    """Write ``Milestones.csv``: each project's milestones, in project id order."""
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
            baseline = p.start + days(round(span * frac))
            shift = round(total_slip * frac)
            if rng.random() < 0.08 and not p.finish:
                # 5-20 days more, but never past 45 (red) unless the project is that late
                shift = min(max(45, shift), shift + 5 + (rng.randint(10, 40) - 10) // 2)
            elif rng.random() < 0.1:
                shift -= rng.randint(1, 7)
            forecast = baseline + days(shift)
            actual: date | None = None
            unrecorded: date | None = None
            if p.finish:
                actual = min(forecast + days(rng.randint(-2, 4)), p.finish)
            elif forecast <= horizon and not (p.stopped and forecast >= p.stopped):
                if rng.random() < 0.96:
                    actual = min(forecast + days(rng.randint(-2, 4)), today)
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
    return write_csv(out_dir / "Milestones.csv", MILESTONE_HEADER, rows)
