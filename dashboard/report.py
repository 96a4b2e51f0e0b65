"""``python -m dashboard.report health|priorities|capacity|compliance|review|pack``: page numbers.

For scheduled reports and scripts: the same service functions the pages call, read from the
published database, printed as a table or (``--json``) as one JSON document — a list of records
with canonical names. ``--as-of`` defaults to today. Errors print one line, exit 1.

``review`` and ``pack`` take the review's period and scope: with neither ``--since`` nor
``--as-of`` it is the page's default, the last closed month; with ``--as-of`` only, the
month-end before it to it; ``--division D`` (repeatable) narrows the scope. ``review --json``
prints the review document (period, summary, decisions, trend, exceptions, changes) and ``pack
--out pack.pptx`` writes the PowerPoint pack built from that same document (docs/review.md).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pandas as pd

from dashboard import db
from dashboard.analytics.health import DIMENSIONS
from dashboard.analytics.periods import previous_month_end
from dashboard.config import configure, get_settings
from dashboard.services import capacity as capacity_service
from dashboard.services import data_quality as compliance_service
from dashboard.services import intake as intake_service
from dashboard.services import portfolio as portfolio_service
from dashboard.services import review as review_service
from dashboard.standards import StandardsError

CAPACITY_MONTHS = 18


def health_records(as_of: date) -> list[dict]:
    """One record per open project: overall, reported, watermelon, staleness, dimensions."""
    health = portfolio_service.portfolio(as_of).health
    records = []
    for row in health.to_dict("records"):
        records.append(
            {
                "project_id": row["project_id"],
                "name": row.get("name"),
                "division": row.get("division"),
                "overall": _rag(row["overall"]),
                "reported_rag": _rag(row["reported_rag"]),
                "watermelon": bool(row["watermelon"]),
                "stale": bool(row["stale"]),
                "days_since_report": _number(row["days_since_report"]),
                "trend": _text(row.get("trend")),
                "dimensions": {
                    dim: {
                        "rag": _rag(row[f"{dim}_rag"]),
                        # One meaning per dimension: the headline measure and its red line
                        # (docs/analytics.md, "Health", "Value and threshold").
                        "measure": _text(row[f"{dim}_metric"]),
                        "value": _number(row[f"{dim}_value"]),
                        "threshold": _number(row[f"{dim}_threshold"]),
                        "reason": _text(row[f"{dim}_reason"]),
                    }
                    for dim in DIMENSIONS
                },
            }
        )
    return records


def priority_records(as_of: date) -> list[dict]:
    """One record per request: assessable, missing inputs, weighted score and rank, WSJF, RICE."""
    scored = intake_service.intake_data(as_of).base.sort_values("score_rank", na_position="last")
    return [
        {
            "request_id": row["request_id"],
            "title": row["title"],
            "status": _text(row["status"]),
            "assessable": bool(row["assessable"]),
            "missing": [m for m in str(row["missing_inputs"] or "").split(", ") if m],
            "score": _number(row["score"]),
            "rank": _number(row["score_rank"]),
            "wsjf": _number(row["wsjf"]),
            "rice": _number(row["rice"]),
        }
        for row in scored.to_dict("records")
    ]


def capacity_records(as_of: date) -> list[dict]:
    """Role x month supply, demand, utilisation and band for the next 18 months."""
    model = capacity_service.capacity_model(as_of, (), pipeline=False)
    by_role = model.by_role[model.by_role["month"].isin(model.months[:CAPACITY_MONTHS])]
    return [
        {
            "role": row["role"],
            "month": pd.Timestamp(row["month"]).strftime("%Y-%m"),
            "supply_fte": _number(row["supply_fte"]),
            "demand_fte": _number(row["demand_fte"]),
            "utilisation": _number(row["utilisation"]),
            "band": _text(row["band"]),
        }
        for row in by_role.sort_values(["role", "month"]).to_dict("records")
    ]


def compliance_records(as_of: date) -> list[dict]:
    """One record per open project: score, failed checks, one-sentence feedback."""
    checked = compliance_service.compliance_at(as_of).sort_values(["score", "project_id"])
    return [
        {
            "project_id": row["project_id"],
            "division": row.get("division"),
            "score": _number(row["score"]),
            "failed_checks": [c for c in str(row["failed_checks"] or "").split(", ") if c],
            "feedback": _text(row["feedback"]),
        }
        for row in checked.to_dict("records")
    ]


def review_records(as_of: date, since: date | None = None) -> list[dict]:
    """One record per change between ``since`` (default: the month-end before) and ``as_of``."""
    start = since or previous_month_end(as_of)
    if start >= as_of:
        raise ValueError(f"--since {start} must be before --as-of {as_of}")
    state = review_service.ReviewState(divisions=(), start=start, end=as_of)
    changes = review_service.review(state).changes
    return [
        {
            "kind": row["kind"],
            "project_id": row["subject_id"] if row["subject_type"] == "project" else None,
            "subject_type": row["subject_type"],
            "subject_id": row["subject_id"],
            "before": _text(row["before"]),
            "after": _text(row["after"]),
            "exception": bool(row["exception"]),
            "detail": _text(row["detail"]),
        }
        for row in changes.to_dict("records")
    ]


def review_state(
    as_of: date | None, since: date | None, divisions: list[str] | None, today: date
) -> review_service.ReviewState:
    """The review's period and scope from the command line (the page's rules, checked).

    Raises:
        ValueError: ``--since`` is not before ``--as-of``, or a division is not in the register.
        db.NoData: Nothing has been published yet.
    """
    if as_of is None and since is None:
        start, end = review_service.default_dates(today)
    else:
        end = as_of or today
        start = since or previous_month_end(end)
    if start >= end:
        raise ValueError(f"--since {start} must be before --as-of {end}")
    known = portfolio_service.portfolio(end).options.divisions
    unknown = sorted(set(divisions or ()) - set(known))
    if unknown:
        raise ValueError(
            f"unknown division {', '.join(map(repr, unknown))}; known: {', '.join(known)}"
        )
    return review_service.ReviewState(
        divisions=tuple(sorted(set(divisions or ()))), start=start, end=end
    )


def review_document(state: review_service.ReviewState) -> dict:
    """The review document (``review --json``); the pack is built from exactly this."""
    return review_service.review_document(state)


REPORTS: dict[str, Callable[..., list[dict]]] = {
    "health": health_records,
    "priorities": priority_records,
    "capacity": capacity_records,
    "compliance": compliance_records,
    "review": review_records,
}
REVIEW_COMMANDS = ("review", "pack")


def main(argv: list[str] | None = None) -> int:
    """Run the command; return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m dashboard.report", description=__doc__)
    parser.add_argument("report", choices=[*REPORTS, "pack"])
    parser.add_argument("--data-dir", help="folder of published versions (env PMO_DATA_DIR)")
    parser.add_argument("--standards", help="the PMO's standards file (env PMO_STANDARDS)")
    parser.add_argument("--as-of", help="YYYY-MM-DD (default: today)")
    parser.add_argument("--since", help="review/pack: the earlier date (default: month-end)")
    parser.add_argument(
        "--division", action="append", help="review/pack: limit to a division (repeatable)"
    )
    parser.add_argument("--out", help="pack: the .pptx file to write")
    parser.add_argument("--json", action="store_true", help="one JSON document on stdout")
    args = parser.parse_args(argv)
    try:
        configure(data_dir=args.data_dir, standards=args.standards)
        as_of = _parse_date(args.as_of, "--as-of")
        if args.report in REVIEW_COMMANDS:
            if args.report == "pack" and not args.out:
                raise ValueError("pack needs --out FILE.pptx")
            state = review_state(
                as_of,
                _parse_date(args.since, "--since"),
                args.division,
                get_settings().as_of_default(),
            )
            document = review_document(state)
            if args.report == "pack":
                return _write_pack(document, args.out)
            if args.json:
                print(json.dumps(document, ensure_ascii=False, allow_nan=False))
            else:
                _print_table(document["changes"])
            return 0
        records = REPORTS[args.report](as_of or get_settings().as_of_default())
    except (db.NoData, StandardsError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(records, ensure_ascii=False, default=str))
    else:
        _print_table(records)
    return 0


def _write_pack(document: dict, out: str) -> int:
    from dashboard.pack import build_pack

    path = Path(out)
    if path.suffix.lower() != ".pptx":
        raise ValueError(f"--out must name a .pptx file, got {out!r}")
    data = build_pack(document)
    # Write beside the target, then rename: a scheduled job never leaves half a file.
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ValueError(f"cannot write {out}: {exc.strerror or exc}") from None
    print(f"wrote {path} ({len(data):,} bytes)")
    return 0


def _parse_date(text: str | None, flag: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{flag} must be a date as YYYY-MM-DD, got {text!r}") from None


def _print_table(records: list[dict]) -> None:
    if not records:
        print("(nothing to report)")
        return
    flat = pd.DataFrame([{k: v for k, v in r.items() if not isinstance(v, dict)} for r in records])
    with pd.option_context(
        "display.max_rows", None, "display.width", 200, "display.max_colwidth", 60
    ):
        print(flat.to_string(index=False))


def _rag(value: object) -> str:
    return "unknown" if value is None or value is pd.NA or _is_nan(value) else str(value)


def _text(value: object) -> str | None:
    return None if value is None or value is pd.NA or _is_nan(value) else str(value)


def _number(value: object) -> float | int | None:
    if value is None or value is pd.NA or _is_nan(value):
        return None
    number = float(value)
    return int(number) if number.is_integer() else round(number, 4)


def _is_nan(value: object) -> bool:
    return (isinstance(value, float) and math.isnan(value)) or value is pd.NaT


if __name__ == "__main__":
    sys.exit(main())
