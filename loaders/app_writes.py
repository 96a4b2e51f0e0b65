"""Decisions recorded in the app, written as loads: one writer, one history, the user as provenance.

A decision taken at the monthly review (approve / defer / reject a request, an action with an
owner and a due date, or "done" for a subject's actions) does not get a second storage path:
it is published through the same single-writer, versioned transaction as a file load
(``loaders.publish.transaction``), with a ``load_runs`` record naming the user and the time, so
history, "as of" views and audit hold for typed-in data as for files (docs/review.md,
"Decisions and actions log"; replays and history as in docs/loaders.md, "Policies"). A
request decision also writes a new version of that request with its new status (through
``loaders.history.merge_rows``, as a reloaded register row would), so everything that reads the
requests "as of" a date — the capacity "approved" scenario included — follows it.

Each submission carries an idempotency key: a replayed key (a double click, a retried request)
is recognised in ``load_runs`` and writes nothing. The subject's division is read from the data,
never taken from the caller, and checked against the divisions the caller may record for.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from pathlib import Path

import duckdb
import pandas as pd

from loaders import publish
from loaders.hashing import row_hashes
from loaders.history import merge_rows, older_than_current
from loaders.kinds import PROVENANCE, TABLES
from loaders.validate import canonical_dtype

DECISIONS = ("approve", "defer", "reject", "action", "done")
"""What can be recorded about a subject."""
REQUEST_STATUS = {"approve": "approved", "defer": "deferred", "reject": "rejected"}
"""A request decision and the request status it sets."""
SUBJECTS = ("request", "project")
"""Subjects of a decision typed in the form (a summary and one action done have their own
functions: :func:`record_summary`, :func:`record_action_done`)."""
MAX_TEXT = 1000
"""Longest owner or note kept (longer text is refused, not cut)."""
DECISION_COLUMNS = (
    "decision_id",
    "subject_type",
    "subject_id",
    "division",
    "decision",
    "owner",
    "due_date",
    "note",
    "decided_by",
    "decided_at",
)


class DecisionError(ValueError):
    """The decision cannot be recorded; the message says why, nothing was written."""


@dataclass(frozen=True)
class DecisionInput:
    """One decision as submitted (untrusted until :func:`record_decision` checks it)."""

    subject_type: str
    subject_id: str
    decision: str
    owner: str | None = None
    due_date: date | None = None
    note: str | None = None


@dataclass(frozen=True)
class WriteResult:
    """What a submission did.

    Attributes:
        decision_id: The recorded decision's id (the replayed one for a replay).
        load_id: Its load record.
        version: The published version holding it.
        replay: True when the key had already been recorded (nothing written again).
        request_status: The request's new status, for a request decision.
    """

    decision_id: str
    load_id: int
    version: int | None
    replay: bool
    request_status: str | None = None


def record_decision(
    data_dir: Path,
    submitted: DecisionInput,
    *,
    user: str,
    key: str,
    allowed_divisions: Collection[str] | None = None,
    now: datetime | None = None,
) -> WriteResult:
    """Check and publish one decision (and, for a request, its new status) as a load.

    Args:
        data_dir: The store (versions and ``CURRENT``).
        submitted: The decision.
        user: Who records it (the signed-in user; provenance).
        key: Idempotency key of the submission (e.g. a UUID made when the form was shown).
        allowed_divisions: Divisions the user may record for; None = every division.
        now: The time of the decision (tests pass one); its date is the load's as-of date.

    Returns:
        A :class:`WriteResult`.

    Raises:
        DecisionError: Invalid input, unknown subject, a division the user may not record for,
            or a request already changed by a later load. Nothing is written.
        publish.PublishError: The new version could not be written (data unchanged).
    """
    decision = _checked(submitted)
    if not user or not key:
        raise DecisionError("a decision needs the user who records it and a submission key")
    now = _now(now)
    digest = _digest(key)
    _require_published(data_dir)
    marker = {"files": [f"decision {decision.decision} on {decision.subject_id} by {user}"]}
    with publish.transaction(data_dir, marker=marker) as txn:
        result = _replay(txn.con, digest) or _write_decision(
            txn, decision, digest=digest, user=user, allowed_divisions=allowed_divisions, now=now
        )
    return result


def _write_decision(
    txn: publish.Transaction,
    decision: DecisionInput,
    *,
    digest: str,
    user: str,
    allowed_divisions: Collection[str] | None,
    now: datetime,
) -> WriteResult:
    """Write a checked decision, and a request's new status, in the open transaction."""
    con = txn.con
    division = _subject_division(con, decision)
    _check_division(allowed_divisions, division, f"{decision.subject_id} belongs to {division}")
    load_id = publish.next_load_id(con)
    decision_id = f"D-{load_id:06d}"
    source = f"app: monthly review decision by {user}"
    row = _log_row(
        decision.subject_type,
        decision.subject_id,
        decision.decision,
        user=user,
        now=now,
        division=division,
        owner=decision.owner,
        due_date=decision.due_date,
        note=decision.note,
        decision_id=decision_id,
    )
    status = REQUEST_STATUS.get(decision.decision)
    if status is not None:
        _write_request_status(con, decision.subject_id, status, load_id, source, now.date())
    frame = pd.DataFrame([row], columns=list(DECISION_COLUMNS))
    _insert_decisions(con, frame, load_id, source, now.date())
    record_app_load(
        txn,
        load_id,
        source,
        digest,
        now,
        rows=1 + (status is not None),
        message=f"{decision.decision} recorded on {decision.subject_type} "
        f"{decision.subject_id}" + (f"; its status is now {status}" if status else ""),
    )
    return WriteResult(decision_id, load_id, txn.number, replay=False, request_status=status)


def _digest(key: str) -> str:
    """The submission's idempotency key as stored in ``load_runs.file_sha256``."""
    return "app-decision:" + hashlib.sha256(key.encode("utf-8")).hexdigest()


def _now(now: datetime | None) -> datetime:
    return (now or datetime.now()).replace(microsecond=0)


def _require_published(data_dir: Path) -> None:
    if publish.current_version(data_dir) is None:
        raise DecisionError("no published data yet: load the register first")


def _replay(con: duckdb.DuckDBPyConnection, digest: str) -> WriteResult | None:
    """The first result of a submission already recorded under ``digest``, or None."""
    replay = con.execute(
        "SELECT d.decision_id, r.load_id, r.data_version FROM load_runs r "
        "JOIN decisions d ON d.load_id = r.load_id "
        "WHERE r.file_sha256 = ? AND r.status = 'committed'",
        [digest],
    ).fetchall()
    if not replay:
        return None
    decision_id, load_id, version = replay[0]
    return WriteResult(str(decision_id), int(load_id), version, replay=True)


def _check_division(allowed: Collection[str] | None, division: str, whose: str) -> None:
    """Refuse a subject of a division the user may not record for (``whose`` says whose)."""
    if allowed is not None and division not in set(allowed):
        mine = ", ".join(sorted(allowed)) or "no division"
        raise DecisionError(f"you may record decisions for {mine} only; {whose}")


def record_app_load(
    txn: publish.Transaction,
    load_id: int,
    source: str,
    digest: str,
    now: datetime,
    *,
    rows: int,
    message: str,
    file_format: str = "app",
) -> None:
    """The ``load_runs`` record of a write made in the app, and mark the version to publish.

    The one step every in-app write shares (review decisions here, forms in
    ``loaders.form_writes``): the record names the user in ``source``, carries the submission's
    idempotency ``digest`` in ``file_sha256`` (so a replay is found as a replayed file is) and
    the version it is published in (docs/review.md, "Decisions and actions log"; docs/forms.md).
    ``now`` is when the write started; its date is the load's as-of date.
    """
    txn.con.execute(
        "INSERT INTO load_runs (load_id, file_name, file_sha256, file_size, file_format,"
        " as_of, started_at, finished_at, status, rows_read, rows_loaded, rows_rejected,"
        " rows_ignored, message, data_version)"
        " VALUES (?, ?, ?, 0, ?, ?, ?, ?, 'committed', ?, ?, 0, 0, ?, ?)",
        [
            load_id,
            source,
            digest,
            file_format,
            now.date(),
            now,
            datetime.now().replace(microsecond=0),
            rows,
            rows,
            message,
            txn.number,
        ],
    )
    txn.changed = True


def _checked(submitted: DecisionInput) -> DecisionInput:
    decision = (submitted.decision or "").strip().lower()
    subject_type = (submitted.subject_type or "").strip().lower()
    subject_id = (submitted.subject_id or "").strip()
    if decision not in DECISIONS:
        raise DecisionError(f"decision must be one of {', '.join(DECISIONS)}, got {decision!r}")
    if not subject_id:
        raise DecisionError("choose the request or project the decision is about")
    if subject_type not in SUBJECTS:
        raise DecisionError(f"subject must be a request or a project, got {subject_type!r}")
    if decision in REQUEST_STATUS and subject_type != "request":
        raise DecisionError(f"'{decision}' applies to a request; record an action for a project")
    owner = _text(submitted.owner, "owner")
    note = _text(submitted.note, "note")
    if decision == "action" and (owner is None or submitted.due_date is None):
        raise DecisionError("an action needs an owner and a due date")
    return DecisionInput(subject_type, subject_id, decision, owner, submitted.due_date, note)


def _text(value: str | None, what: str) -> str | None:
    text = (value or "").strip()
    if len(text) > MAX_TEXT:
        raise DecisionError(f"the {what} is longer than {MAX_TEXT} characters")
    return text or None


def _subject_division(con, decision: DecisionInput) -> str:
    table, column = (
        ("requests", "request_id")
        if decision.subject_type == "request"
        else ("projects", "project_id")
    )
    # Both names are literals chosen above, never user input; the id is bound.
    found = con.execute(
        f"SELECT division FROM {table} WHERE valid_to IS NULL AND {column} = ?",  # noqa: S608
        [decision.subject_id],
    ).fetchall()
    if not found:
        raise DecisionError(f"{decision.subject_type} {decision.subject_id!r} is not in the data")
    return str(found[0][0])


def _log_row(
    subject_type: str,
    subject_id: str,
    decision: str,
    *,
    user: str,
    now: datetime,
    division: str | None = None,
    owner: str | None = None,
    due_date: date | None = None,
    note: str | None = None,
    decision_id: str = "",
) -> dict:
    """One row of the decisions log (:data:`DECISION_COLUMNS`)."""
    return {
        "decision_id": decision_id,
        "subject_type": subject_type,
        "subject_id": subject_id,
        "division": division,
        "decision": decision,
        "owner": owner,
        "due_date": due_date,
        "note": note,
        "decided_by": user,
        "decided_at": now,
    }


def _write_request_status(
    con, request_id: str, status: str, load_id: int, source: str, as_of: date
) -> None:
    """A new version of the request with ``status``, merged as a reloaded register row is."""
    spec = TABLES["requests"]
    columns = spec.business_columns
    current = con.execute(
        "SELECT * FROM requests WHERE valid_to IS NULL AND request_id = ?", [request_id]
    ).df()
    row = current[columns].copy()
    row["status"] = status
    for column in columns:
        row[column] = row[column].astype(canonical_dtype(spec, column))
    row["load_id"] = load_id
    row["source_file"] = source
    row["source_sheet"] = None
    row["source_row"] = 1
    row["row_hash"] = row_hashes(row, columns)
    row["valid_from"] = pd.Timestamp(as_of)
    row = row[[*columns, *PROVENANCE, "row_hash", "valid_from"]].reset_index(drop=True)
    newer = older_than_current(con, spec, row)
    if newer:
        raise DecisionError(
            f"request {request_id} was changed by a load as of {next(iter(newer.values()))}, "
            "after this decision's date"
        )
    merge_rows(con, spec, row)


# ------------------------------------------------------------------ executive summary

SUMMARY = "summary"
"""The decision kind of an executive summary (subject type ``review``)."""
SUMMARY_SUBJECT = "review"
MAX_SUMMARY = 2000
"""Longest executive summary kept: a short text for the top of the review and one slide."""


def summary_subject(month_end: date, divisions: Collection[str]) -> str:
    """The subject id of a review's summary: ``2026-11-30|Finance,Operations`` (``|*`` = all).

    One summary per review end date and scope (the set of divisions, in any order).
    """
    scope = ",".join(sorted({str(d) for d in divisions})) or "*"
    return f"{month_end.isoformat()}|{scope}"


def record_summary(
    data_dir: Path,
    month_end: date,
    divisions: Collection[str],
    text: str,
    *,
    user: str,
    key: str,
    now: datetime | None = None,
) -> WriteResult:
    """Publish the PMO's executive summary of a review as a load (a ``summary`` decision row).

    Each save is a new row of the ``decisions`` log (subject ``review``, the text in ``note``),
    so earlier wordings stay in the history with who wrote them and when; the review shows the
    latest. Who may write it (the PMO) is checked by the caller, the service layer.

    Args:
        data_dir: The store.
        month_end: The review's end date.
        divisions: The review's divisions (empty = all).
        text: The summary (1 to :data:`MAX_SUMMARY` characters after trimming).
        user: Who writes it (provenance).
        key: Idempotency key of the submission.
        now: The time of writing (tests pass one).

    Raises:
        DecisionError: Empty or too long text, no user or key, nothing published yet.
        publish.PublishError: The new version could not be written (data unchanged).
    """
    body = (text or "").strip()
    if not body:
        raise DecisionError("write the summary before saving it")
    if len(body) > MAX_SUMMARY:
        raise DecisionError(f"the summary is longer than {MAX_SUMMARY} characters")
    if not user or not key:
        raise DecisionError("a summary needs the user who writes it and a submission key")
    _require_published(data_dir)
    now = _now(now)
    subject = summary_subject(month_end, divisions)
    scope = sorted({str(d) for d in divisions})
    # One division reads like any of its rows (division managers see it); several or all
    # divisions are the PMO's view.
    division = scope[0] if len(scope) == 1 else None
    row = _log_row(
        SUMMARY_SUBJECT, subject, SUMMARY, user=user, now=now, division=division, note=body
    )
    return _publish_log_row(
        data_dir, row, user=user, key=key, now=now, what=f"executive summary of {subject}"
    )


def _publish_log_row(
    data_dir: Path,
    row: dict,
    *,
    user: str,
    key: str,
    now: datetime,
    what: str,
    prepare: Callable[[duckdb.DuckDBPyConnection], dict] | None = None,
) -> WriteResult:
    """One row of the decisions log, published as its own load (idempotent on ``key``).

    ``prepare`` reads the version being written (inside the same transaction, so the check and
    the write see the same data) and returns values for the row, or raises DecisionError.
    """
    digest = _digest(key)
    marker = {"files": [f"{what} by {user}"]}
    with publish.transaction(data_dir, marker=marker) as txn:
        con = txn.con
        replay = _replay(con, digest)
        if replay is not None:
            return replay
        if prepare is not None:
            row = {**row, **prepare(con)}
        load_id = publish.next_load_id(con)
        decision_id = f"D-{load_id:06d}"
        source = f"app: {what} by {user}"
        frame = pd.DataFrame([{**row, "decision_id": decision_id}], columns=list(DECISION_COLUMNS))
        _insert_decisions(con, frame, load_id, source, now.date())
        record_app_load(txn, load_id, source, digest, now, rows=1, message=f"{what} recorded")
        number = txn.number
    return WriteResult(decision_id, load_id, number, replay=False)


# ------------------------------------------------------------------ one action done

ACTION_SUBJECT = "action"
"""Subject type of a ``done`` that closes one action (its subject id is the action's id)."""


def record_action_done(
    data_dir: Path,
    action_id: str,
    *,
    user: str,
    key: str,
    allowed_divisions: Collection[str] | None = None,
    note: str | None = None,
    now: datetime | None = None,
) -> WriteResult:
    """Mark one recorded action done (not every action on its subject), published as a load.

    The row is a ``done`` decision whose subject is the action itself (subject type
    ``action``, subject id the action's ``decision_id``); its division is read from the action,
    never taken from the caller, and checked against ``allowed_divisions``.

    Raises:
        DecisionError: Unknown action id, another division's action, a note too long, no user or
            key, nothing published yet. Nothing is written.
        publish.PublishError: The new version could not be written (data unchanged).
    """
    action_id = (action_id or "").strip()
    if not action_id:
        raise DecisionError("choose the action that is done")
    if not user or not key:
        raise DecisionError("marking an action done needs the user and a submission key")
    _require_published(data_dir)
    now = _now(now)
    row = _log_row(ACTION_SUBJECT, action_id, "done", user=user, now=now, note=_text(note, "note"))
    return _publish_log_row(
        data_dir,
        row,
        user=user,
        key=key,
        now=now,
        what=f"{action_id} done",
        prepare=partial(_action_division, action_id=action_id, allowed=allowed_divisions),
    )


def _action_division(
    con: duckdb.DuckDBPyConnection, *, action_id: str, allowed: Collection[str] | None
) -> dict:
    """The division of the action being closed, read from the log and checked (``prepare``)."""
    found = con.execute(
        "SELECT division FROM decisions WHERE valid_to IS NULL AND decision = 'action' "
        "AND decision_id = ?",
        [action_id],
    ).fetchall()
    if not found:
        raise DecisionError(f"action {action_id!r} is not in the decisions log")
    division = found[0][0]
    _check_division(allowed, division, f"action {action_id} belongs to {division}")
    return {"division": division}


def _insert_decisions(con, frame: pd.DataFrame, load_id: int, source: str, day: date) -> None:
    """Insert decision rows (``DECISION_COLUMNS``) with their provenance, as a load does."""
    frame = frame.copy()
    frame["due_date"] = pd.to_datetime(frame["due_date"]).astype("datetime64[ms]")
    frame["decided_at"] = pd.to_datetime(frame["decided_at"]).astype("datetime64[ms]")
    frame["row_hash"] = row_hashes(frame, list(DECISION_COLUMNS)).astype("uint64")
    frame = frame.assign(
        load_id=load_id,
        source_file=source,
        source_sheet=None,
        source_row=1,
        valid_from=pd.Timestamp(day),
    )
    con.register("decision_rows", frame)
    try:
        con.execute(
            "INSERT INTO decisions (decision_id, subject_type, subject_id, division, decision,"
            " owner, due_date, note, decided_by, decided_at, load_id, source_file,"
            " source_sheet, source_row, valid_from, valid_to, row_hash)"
            " SELECT decision_id, subject_type, subject_id, division, decision, owner,"
            " due_date, note, decided_by, decided_at, load_id, source_file, source_sheet,"
            " source_row, valid_from, NULL, row_hash FROM decision_rows"
        )
    finally:
        con.unregister("decision_rows")
