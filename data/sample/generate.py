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
import random
import sys
import time
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

# The generator's modules sit beside this script: ``data/`` is no package, and this file is run
# as a script (``python data/sample/generate.py``) or loaded by path (``loaders/demo.py``).
HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from demo_headers import RAID_HEADER, REGISTER_HEADER, REQUEST_HEADER  # noqa: E402
from demo_milestones import write_milestones  # noqa: E402
from demo_people import make_people, write_people  # noqa: E402
from demo_plan import write_resource_plan  # noqa: E402
from demo_portfolio import (  # noqa: E402
    DEFAULT_SEED,
    DIVISIONS,
    N_STALE,
    N_WATERMELON_CPI,
    N_WATERMELON_SLIP,
)
from demo_projects import make_projects  # noqa: E402
from demo_raid import write_raid  # noqa: E402
from demo_register import write_register  # noqa: E402
from demo_requests import make_requests, write_requests  # noqa: E402
from demo_status import write_status_reports  # noqa: E402

__all__ = [
    "DEFAULT_SEED",
    "DIVISIONS",
    "N_STALE",
    "N_WATERMELON_CPI",
    "N_WATERMELON_SLIP",
    "RAID_HEADER",
    "REGISTER_HEADER",
    "REQUEST_HEADER",
    "generate",
    "main",
]


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
    people = make_people(rng, today)
    projects = make_projects(rng, today, people)
    requests = make_requests(rng, today)

    prev_end = today.replace(day=1) - timedelta(days=1)
    paths = [write_people(out_dir, people)]
    paths.append(write_register(out_dir, projects, prev_end, prev=True))
    paths.append(write_register(out_dir, projects, today, prev=False))
    paths.extend(write_status_reports(rng, out_dir, projects, people, today))
    paths.append(write_milestones(rng, out_dir, projects, today))
    paths.append(write_raid(rng, out_dir, projects, people, today))
    paths.append(write_requests(out_dir, requests, today))
    paths.append(write_resource_plan(rng, out_dir, projects, people, requests, today))
    return paths


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
