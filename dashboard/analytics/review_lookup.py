"""Lookups the review's rules share: one value per id, project names and labels, money by id.

Every rule keys its frames the same way (the id as text, the last row of a repeated id wins), so
the frames of both dates line up on one index (docs/analytics.md §6).
"""

from __future__ import annotations

import pandas as pd

from dashboard.analytics._checks import to_float


def by_id(frame: pd.DataFrame, id_column: str, values: pd.Series) -> pd.Series:
    """``values`` indexed by ``frame[id_column]`` as text; the last row of a repeated id wins."""
    series = pd.Series(values.to_numpy(), index=frame[id_column].astype("str").to_numpy())
    return series[~series.index.duplicated(keep="last")]


def column_by_id(frame: pd.DataFrame, id_column: str, column: str) -> pd.Series:
    """:func:`by_id` of one column; empty when the frame has no such column (optional data)."""
    if column not in frame.columns:
        return pd.Series(dtype="object")
    return by_id(frame, id_column, frame[column])


def project_names(*projects: pd.DataFrame) -> dict[str, str]:
    """Project id -> name; a name in an earlier frame wins (pass the later register first)."""
    names: dict[str, str] = {}
    for frame in reversed(projects):
        if "name" in frame.columns:
            for pid, name in zip(frame["project_id"], frame["name"], strict=True):
                if isinstance(name, str) and name:
                    names[str(pid)] = name
    return names


def project_label(pid: str, names: dict[str, str]) -> str:
    """``P1 Alpha`` (the id alone when the project has no name): how details name a project."""
    name = names.get(str(pid))
    return f"{pid} {name}" if name else str(pid)


def money_by_id(health: pd.DataFrame, projects: pd.DataFrame, column: str) -> pd.Series:
    """Budget or EAC per project as the review compares them.

    The budget is the register's; the EAC (``forecast_cost``) is the health engine's computed one
    where it has one, else the register's (docs/analytics.md §6.2).
    """
    register = by_id(projects, "project_id", to_float(projects[column]))
    if column == "budget" or column not in health.columns:
        return register
    computed = by_id(health, "project_id", to_float(health[column]))
    return computed.combine_first(register)
