"""Status reports and requests typed into the app's forms, written as loads.

A form is a one-row file: the values typed in are laid out as a sheet with the canonical
headers and run through ``loaders.validate.process_sheet``, the same coercion and validation as
an uploaded file, so a bad value gets the same message as in a file (docs/forms.md, "Every
write is a load"; docs/loaders.md, "Policies"). A rejected value is reported per field and
nothing is written; a valid row is merged as a reloaded register row is
(``loaders.history.merge_rows``) and published through the single-writer, versioned
transaction, with a ``load_runs`` record naming the user and the time
(``loaders.app_writes.record_app_load``). ``publish.transaction`` fsyncs the new version and
the pointer before it returns, so the caller says "saved" only once the write is durable.

Each submission carries an idempotency key (made when the form is shown): a replayed key (a
double click, a retried request) writes nothing and returns the first result. Submitting
twice for the same project and day is a new key with the same record key (project, report
date): the second replaces the first, and the history keeps both.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import date, datetime
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

from loaders import publish
from loaders.app_writes import record_app_load
from loaders.form_batch import publish_folded
from loaders.form_outcome import FormError, FormResult
from loaders.hashing import row_hashes
from loaders.history import merge_rows, older_than_current
from loaders.kinds import PROVENANCE, TABLES
from loaders.read import STRING, RawSheet
from loaders.validate import Options, canonical_dtype, process_sheet

MAX_TEXT = 4000
"""Longest text kept in a field (longer text is refused, not cut)."""
RAG_FIELDS = ("overall_rag", "schedule_rag", "cost_rag", "scope_rag", "resource_rag")
STATUS_FIELDS = (
    *RAG_FIELDS,
    "percent_complete",
    "actual_cost",
    "forecast_finish",
    "forecast_cost",
    "summary",
    "next_steps",
)
"""What a contributor fills in on the status form (the rest is set by the app)."""
STATUS_FORM_INPUTS = (*STATUS_FIELDS, "forecast_reason")
"""Every input of the status form, in order: the fields and the reason for a late forecast."""
REQUEST_FIELDS = (
    "title",
    "division",
    "sponsor",
    "estimated_cost",
    "expected_benefit",
    "strategic_alignment",
    "urgency",
    "risk",
    "reach",
    "confidence",
    "effort_person_months",
    "duration_months",
    "mandatory",
    "target_start",
    "business_case",
)
"""What a requester fills in on the request form."""
EDITABLE_REQUEST_STATUSES = ("draft", "submitted")
"""A requester may change their request until the PMO has taken it up."""


def status_source(user: str) -> str:
    """The ``source_file`` of a status report submitted by ``user`` through the form."""
    return f"form: status report by {user}"


def request_source(user: str) -> str:
    """The ``source_file`` of a request submitted by ``user`` (how "my requests" are found)."""
    return f"form: request by {user}"


def submit_status(
    data_dir: Path,
    project_id: str,
    values: Mapping[str, object],
    *,
    user: str,
    key: str,
    may_report: Callable[[str, str | None], bool],
    forecast_reason: str | None = None,
    now: datetime | None = None,
) -> FormResult:
    """Check and publish one status report for ``project_id`` as a load.

    Args:
        data_dir: The store.
        project_id: The project reported on.
        values: Field -> value as typed (:data:`STATUS_FIELDS`; others are ignored).
        user: The signed-in user (provenance and ``reported_by``).
        key: Idempotency key of the submission.
        may_report: ``(project_id, project_manager) -> bool``: whether the user may report on
            the project; the manager is read from the data, never taken from the caller.
        forecast_reason: Why the forecast finish is later than the baseline (required then).
        now: The submission time (tests pass one); its date is the report date and as-of.

    Returns:
        A :class:`FormResult`.

    Raises:
        FormError: Refused (scope, a missing comment, a rejected value); nothing written.
        publish.PublishError: The new version could not be written (data unchanged).
    """
    now = _now(now)
    texts = _as_percent({name: _text(values.get(name), name) for name in STATUS_FIELDS})
    errors = _status_errors(texts)
    reason = _text(forecast_reason, "reason")
    row = {
        **texts,
        "project_id": project_id,
        "report_date": now.date().isoformat(),
        "reported_by": user,
    }
    staged = _validated("status_reports", row, errors)
    if errors:  # refused before taking the loader lock: nothing to write
        raise FormError(_summary(errors), errors)
    write = partial(
        _write_status,
        project_id=project_id,
        staged=staged,
        reason=reason,
        may_report=may_report,
        user=user,
        key=key,
        errors=errors,
        now=now,
    )
    marker = {"files": [f"status report for {project_id} by {user}"]}
    replayed = partial(_replayed_status, project_id)
    return publish_folded(data_dir, _digest("status", key), marker, write, replayed)


def _status_errors(texts: Mapping[str, str | None]) -> dict[str, str]:
    """The status form's own rules: an overall RAG, and a comment for any RAG not green."""
    errors = {}
    if not texts["overall_rag"]:
        errors["overall_rag"] = "choose the overall RAG"
    not_green = [n for n in RAG_FIELDS if texts[n] and texts[n].lower() not in ("green", "g")]
    if not_green and not texts["summary"]:
        errors["summary"] = "a RAG that is not green needs a comment: say why in the summary"
    return errors


def _write_status(
    txn: publish.Transaction,
    load_id: int,
    *,
    project_id: str,
    staged: pd.DataFrame,
    reason: str | None,
    may_report: Callable[[str, str | None], bool],
    user: str,
    key: str,
    errors: dict[str, str],
    now: datetime,
) -> FormResult:
    """Check the report against the register in the transaction, then write it."""
    found = txn.con.execute(
        "SELECT project_manager, baseline_finish FROM projects "
        "WHERE valid_to IS NULL AND project_id = ?",
        [project_id],
    ).fetchall()
    if not found:
        raise FormError(f"project {project_id!r} is not in the register")
    manager, baseline = found[0]
    if not may_report(project_id, manager):
        raise FormError(f"you may not submit status reports for {project_id}")
    finish = staged["forecast_finish"].iloc[0]
    late = baseline is not None and not pd.isna(finish) and finish.date() > baseline
    if late and not reason:
        errors["forecast_reason"] = (
            f"the forecast finish is later than the baseline ({baseline:%d %b %Y}): give the reason"
        )
    if errors:
        raise FormError(_summary(errors), errors)
    if late and reason:
        extra = f"Forecast finish after the baseline: {reason}"
        summary = staged["summary"].iloc[0]
        staged["summary"] = pd.array(
            [extra if pd.isna(summary) else f"{summary}\n{extra}"], dtype=STRING
        )
    message = f"status report for {project_id} on {now.date().isoformat()} by form"
    _save(
        txn,
        "status_reports",
        staged,
        load_id,
        status_source(user),
        _digest("status", key),
        now,
        message,
    )
    return FormResult(project_id, load_id, txn.number, replay=False)


def _replayed_status(project_id: str, con, load_id: int, version: int | None) -> FormResult:
    return FormResult(project_id, load_id, version, replay=True)


def submit_request(
    data_dir: Path,
    values: Mapping[str, object],
    *,
    user: str,
    key: str,
    assessment_fields: Sequence[str],
    allowed_divisions: Collection[str] | None = None,
    request_id: str | None = None,
    now: datetime | None = None,
) -> FormResult:
    """Check and publish one request (new, or a new version of the user's own) as a load.

    The request is ``draft`` while any of ``assessment_fields`` is blank, ``submitted`` once
    all are given (docs/forms.md, "Request intake").

    Args:
        data_dir: The store.
        values: Field -> value as typed (:data:`REQUEST_FIELDS`; others are ignored).
        user: The signed-in user (provenance; their requests are found by it).
        key: Idempotency key of the submission.
        assessment_fields: The fields the completeness gate requires (``[scoring]`` weights).
        allowed_divisions: Divisions the user may request for; None = every division.
        request_id: The user's own request to update; None for a new request.
        now: The submission time (tests pass one).

    Returns:
        A :class:`FormResult` with the id, the status and what is still missing.

    Raises:
        FormError: Refused (another division, not the user's request, a rejected value).
        publish.PublishError: The new version could not be written (data unchanged).
    """
    now = _now(now)
    texts = _as_percent({name: _text(values.get(name), name) for name in REQUEST_FIELDS})
    missing = tuple(f for f in assessment_fields if not texts.get(f))
    errors = _request_errors(texts, allowed_divisions)
    row = {
        **texts,
        "request_id": request_id or "REQ-NEW",
        "status": "draft" if missing else "submitted",
        "submitted_date": now.date().isoformat(),
    }
    staged = _validated("requests", row, errors)
    if errors:
        raise FormError(_summary(errors), errors)
    write = partial(
        _write_request,
        staged=staged,
        division=texts["division"],
        request_id=request_id,
        missing=missing,
        user=user,
        key=key,
        errors=errors,
        now=now,
    )
    replayed = partial(_replayed_request, request_id, missing)
    marker = {"files": [f"request by {user}"]}
    return publish_folded(data_dir, _digest("request", key), marker, write, replayed)


def _request_errors(
    texts: Mapping[str, str | None], allowed_divisions: Collection[str] | None
) -> dict[str, str]:
    """The request form's own rules: a title, and a division the user may request for.

    Raises:
        FormError: The division is not one the user may request for.
    """
    errors = {}
    if not texts["title"]:
        errors["title"] = "give the request a title"
    division = texts["division"]
    if not division:
        errors["division"] = "choose the division the request is for"
    elif allowed_divisions is not None and division not in set(allowed_divisions):
        mine = ", ".join(sorted(allowed_divisions)) or "no division"
        raise FormError(f"you may submit requests for {mine} only, not {division}")
    return errors


def _write_request(
    txn: publish.Transaction,
    load_id: int,
    *,
    staged: pd.DataFrame,
    division: str | None,
    request_id: str | None,
    missing: tuple[str, ...],
    user: str,
    key: str,
    errors: dict[str, str],
    now: datetime,
) -> FormResult:
    """Check the request against the data in the transaction (division, owner), then write it."""
    con = txn.con
    known = {
        d
        for (d,) in con.execute(
            "SELECT DISTINCT division FROM projects WHERE valid_to IS NULL "
            "UNION SELECT DISTINCT division FROM requests WHERE valid_to IS NULL"
        ).fetchall()
    }
    if division and division not in known:
        errors["division"] = f"{division!r} is not a division of the portfolio"
    chosen = request_id or f"REQ-F{load_id:05d}"
    if request_id:
        _check_own_request(con, request_id, user)
    status = "draft" if missing else "submitted"
    staged["request_id"] = pd.array([chosen], dtype=STRING)
    if errors:
        raise FormError(_summary(errors), errors)
    message = f"request {chosen} saved as {status} by form"
    _save(
        txn,
        "requests",
        staged,
        load_id,
        request_source(user),
        _digest("request", key),
        now,
        message,
    )
    return FormResult(chosen, load_id, txn.number, False, status, missing)


def _replayed_request(
    request_id: str | None, missing: tuple[str, ...], con, load_id: int, version: int | None
) -> FormResult:
    found = con.execute(
        "SELECT request_id, status FROM requests WHERE load_id = ?", [load_id]
    ).fetchall()
    chosen, status = found[0] if found else (request_id or "", None)
    return FormResult(str(chosen), load_id, version, True, status, missing)


def _save(
    txn: publish.Transaction,
    kind: str,
    staged: pd.DataFrame,
    load_id: int,
    source: str,
    digest: str,
    now: datetime,
    message: str,
) -> None:
    """Merge the one validated row as a load of ``source`` and record that load."""
    rows = _with_provenance(kind, staged, load_id, source, now)
    _merge(kind, txn, rows)
    record_app_load(txn, load_id, source, digest, now, rows=1, message=message, file_format="form")


def _validated(
    kind: str, row: dict[str, str | None], errors: dict[str, str]
) -> pd.DataFrame | None:
    """``row`` through the loaders' validation; rejected values are added to ``errors``.

    Returns:
        The typed row, or None when a value was rejected (``errors`` says which).

    Raises:
        FormError: The row could not be read as a ``kind`` row at all.
    """
    spec = TABLES[kind]
    headers = [c for c in spec.columns if c in row]
    grid = pd.DataFrame(
        [headers, [row[c] for c in headers]], columns=range(len(headers)), dtype=STRING
    )
    raw = RawSheet(name="form", grid=grid, row_numbers=np.array([1, 2]))
    result = process_sheet(raw, Options(kind=kind, date_order="dmy"))
    if result.fatal:
        raise FormError(result.fatal)
    for reject in result.rejects:
        column = reject.column if reject.column in row else None
        errors.setdefault(column or "form", reject.reason)
    if (result.rows_loaded != 1 or result.staged is None) and not errors:
        errors["form"] = result.message or "the form could not be read"
    if result.rows_loaded != 1 or result.staged is None:
        return None
    return result.staged.reset_index(drop=True)


def _with_provenance(
    kind: str, staged: pd.DataFrame, load_id: int, source: str, now: datetime
) -> pd.DataFrame:
    """The validated row with its canonical types, provenance and row hash, as a load has."""
    spec = TABLES[kind]
    rows = staged.copy()
    for column in spec.business_columns:
        if column not in rows:
            rows[column] = None
        rows[column] = rows[column].astype(canonical_dtype(spec, column))
    rows["load_id"] = load_id
    rows["source_file"] = source
    rows["source_sheet"] = None
    rows["source_row"] = 1
    rows["row_hash"] = row_hashes(rows, spec.business_columns)
    rows["valid_from"] = pd.Timestamp(now.date())
    return rows[[*spec.business_columns, *PROVENANCE, "row_hash", "valid_from"]]


def _merge(kind: str, txn: publish.Transaction, rows: pd.DataFrame) -> None:
    spec = TABLES[kind]
    newer = older_than_current(txn.con, spec, rows)
    if newer:
        raise FormError(
            f"this record was changed by a load as of {next(iter(newer.values()))}, "
            "after today: reload the page"
        )
    merge_rows(txn.con, spec, rows)


def _check_own_request(con, request_id: str, user: str) -> None:
    """Only the requester changes their request, and only until the PMO takes it up."""
    mine = con.execute(
        "SELECT count(*) FROM requests WHERE request_id = ? AND source_file = ?",
        [request_id, request_source(user)],
    ).fetchone()[0]
    current = con.execute(
        "SELECT status FROM requests WHERE valid_to IS NULL AND request_id = ?", [request_id]
    ).fetchall()
    if not mine or not current:
        raise FormError(f"request {request_id} is not one of your requests")
    if current[0][0] not in EDITABLE_REQUEST_STATUSES:
        raise FormError(f"request {request_id} is {current[0][0]}: the PMO has taken it up")


def _text(value: object, name: str) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, bool):
        text = "yes" if value else "no"
    elif isinstance(value, date):
        text = value.isoformat()
    else:
        text = str(value).strip()
    if len(text) > MAX_TEXT:
        raise FormError(f"{name} is longer than {MAX_TEXT} characters", {name: "too long"})
    return text or None


def _as_percent(texts: dict[str, str | None]) -> dict[str, str | None]:
    """The forms ask for percent: 40 means 40 % (a file's lone 40 would be read the same)."""
    for name in ("percent_complete", "confidence"):
        text = texts.get(name)
        if text and not text.endswith("%"):
            try:
                float(text)
            except ValueError:
                continue
            texts[name] = text + "%"
    return texts


def _summary(errors: Mapping[str, str]) -> str:
    return "; ".join(f"{name.replace('_', ' ')}: {message}" for name, message in errors.items())


def _digest(kind: str, key: str) -> str:
    if not key:
        raise FormError("a submission needs a key")
    return f"app-form-{kind}:" + hashlib.sha256(key.encode("utf-8")).hexdigest()


def _now(now: datetime | None) -> datetime:
    return (now or datetime.now()).replace(microsecond=0)
