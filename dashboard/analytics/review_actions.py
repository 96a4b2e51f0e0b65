"""Actions recorded at reviews and the decisions log: which are done, open or overdue.

The log is written by ``loaders/app_writes.py`` (docs/review.md, "Decisions and actions log");
these rules only read it, with the review's dates as parameters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import numpy as np
import pandas as pd

from dashboard.analytics._checks import require_columns, to_dates, to_text

ACTION_STATES = ("overdue", "open", "done")
"""The states of an action, in the order they are listed."""
LOG_NEEDS = {"subject_type", "subject_id", "division", "decision", "owner", "due_date", "note"}
"""Columns of the decisions log the action rules read (besides ``decided_at``)."""
LOG_EXPORT_COLUMNS = {
    "decision_id": "Decision ID",
    "decided_at": "Recorded at",
    "decided_by": "Recorded by",
    "subject_type": "Subject type",
    "subject_id": "Subject",
    "name": "Name",
    "division": "Division",
    "decision": "Decision",
    "owner": "Owner",
    "due_date": "Due date",
    "note": "Note",
}
"""The decisions log's exported columns and their headers."""


def action_log(decisions: pd.DataFrame, names: Mapping[str, str], as_of: dt.date) -> pd.DataFrame:
    """Actions recorded at reviews up to ``as_of``, each done, open or overdue.

    An action is done once a ``done`` decision on the same subject, or on the action itself
    (subject id = the action's ``decision_id``), is recorded after it (and by ``as_of``);
    otherwise it is overdue when its due date is before ``as_of``, else open.

    Args:
        decisions: The review log (``decisions`` rows); needs ``subject_id``, ``division``,
            ``decision``, ``owner``, ``due_date``, ``note``, ``decided_at``.
        names: Subject id -> name (project or request title), for the lists.
        as_of: The review's later date.

    Returns:
        ``decision_id`` ("" when the log has none), ``subject_type``, ``subject_id``, ``name``,
        ``division``, ``owner``, ``due_date``, ``note``, ``done``, ``state``
        (:data:`ACTION_STATES`); overdue first, then open, then done; by due date.
    """
    require_columns(decisions, {*LOG_NEEDS, "decided_at"}, fn="action_log")
    stamp = pd.Timestamp(as_of)
    decided = to_dates(decisions["decided_at"])
    known = decisions.loc[(decided.dt.normalize() <= stamp).fillna(False).to_numpy()]
    kind = to_text(known["decision"])
    actions = known.loc[(kind == "action").fillna(False).to_numpy()]
    closes = known.loc[(kind == "done").fillna(False).to_numpy()]
    ids = (
        actions["decision_id"].astype("str")
        if "decision_id" in actions.columns
        else pd.Series("", index=actions.index)
    )
    done = _done(actions, ids, closes)
    due = to_dates(actions["due_date"])
    overdue = ~done & (due < stamp).fillna(False).to_numpy()
    subject = actions["subject_id"].astype("str")
    out = pd.DataFrame(
        {
            "decision_id": ids.to_numpy(),
            "subject_type": actions["subject_type"].astype("str").to_numpy(),
            "subject_id": subject.to_numpy(),
            "name": subject.map(lambda s: names.get(s)).to_numpy(),
            "division": actions["division"].to_numpy(),
            "owner": actions["owner"].to_numpy(),
            "due_date": due.to_numpy(),
            "note": actions["note"].to_numpy(),
            "done": np.asarray(done, dtype=bool),
            "state": np.where(done, "done", np.where(overdue, "overdue", "open")).astype("str"),
        }
    )
    order = {s: i for i, s in enumerate(ACTION_STATES)}
    out = out.assign(_order=out["state"].map(order))
    out = out.sort_values(["_order", "due_date", "subject_id"], kind="stable", ignore_index=True)
    return out.drop(columns="_order")


def _done(actions: pd.DataFrame, ids: pd.Series, closes: pd.DataFrame) -> np.ndarray:
    """Whether each action was closed by a later ``done``: on its subject or on the action."""
    last_done = (
        pd.Series(
            to_dates(closes["decided_at"]).to_numpy(), index=closes["subject_id"].astype("str")
        )
        .groupby(level=0)
        .max()
    )
    decided = to_dates(actions["decided_at"])
    # A dict, not the series: mapping through an empty datetime series casts to float and fails.
    closed_at = pd.to_datetime(
        actions["subject_id"].astype("str").map(last_done.to_dict()), errors="coerce"
    )
    done = (closed_at >= decided).fillna(False).to_numpy(dtype=bool)
    # A ``done`` whose subject is the action itself closes that action alone
    # (docs/review.md "Decisions and actions log").
    closed_one = pd.to_datetime(ids.map(last_done.to_dict()), errors="coerce")
    return done | (closed_one >= decided).fillna(False).to_numpy(dtype=bool)


def subject_names(requests: pd.DataFrame, projects: pd.DataFrame) -> dict[str, str]:
    """Subject id -> name: request titles, then project names (a project id wins a clash)."""
    names = dict(zip(requests["request_id"].astype("str"), requests["title"], strict=True))
    names.update(zip(projects["project_id"].astype("str"), projects["name"], strict=True))
    return names


def in_divisions(log: pd.DataFrame, divisions: tuple[str, ...]) -> pd.DataFrame:
    """The log rows of ``divisions``; every row when none is chosen."""
    return log.loc[log["division"].isin(divisions).to_numpy()] if divisions else log


def named_log(log: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    """The log with each subject's ``name`` (None when unknown), numbered from 0."""
    return log.assign(name=log["subject_id"].astype("str").map(names)).reset_index(drop=True)


def log_export(log: pd.DataFrame) -> pd.DataFrame:
    """The decisions log as exported: readable headers, dates as dates."""
    frame = log.reindex(columns=list(LOG_EXPORT_COLUMNS)).copy()
    frame["decided_at"] = pd.to_datetime(frame["decided_at"])
    frame["due_date"] = pd.to_datetime(frame["due_date"])
    return frame.rename(columns=LOG_EXPORT_COLUMNS)
