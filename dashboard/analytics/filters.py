"""The global filter bar's state and how it narrows the project list."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.analytics._checks import require_columns
from dashboard.analytics.rag import rag_label, to_rag


@dataclass(frozen=True)
class FilterState:
    """What the user picked; an empty tuple means "no filter" on that field.

    ``health`` values are ``green``, ``amber``, ``red`` or ``unknown`` (computed overall health).
    """

    divisions: tuple[str, ...] = ()
    portfolios: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    managers: tuple[str, ...] = ()
    health: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        """True when no field filters anything."""
        return not (
            self.divisions or self.portfolios or self.stages or self.managers or self.health
        )


_FIELDS = (
    ("divisions", "division"),
    ("portfolios", "portfolio"),
    ("stages", "stage"),
    ("managers", "project_manager"),
)


def apply_filters(projects: pd.DataFrame, state: FilterState) -> pd.DataFrame:
    """Keep the projects matching every non-empty field of ``state``.

    Matching is exact on ``division``, ``portfolio``, ``stage`` and ``project_manager``; the
    health filter matches the ``overall`` column (``unknown`` matches a missing overall).

    Args:
        projects: Register rows or ``assess_health`` output; needs ``division``,
            ``portfolio``, ``stage``, ``project_manager`` (and ``overall`` for a health filter).
        state: The filter bar's state.

    Returns:
        The matching rows (a new frame, original index kept).

    Raises:
        ValueError: A needed column is missing (the message lists them).
    """
    require_columns(projects, {column for _, column in _FIELDS}, fn="apply_filters")
    keep = pd.Series(True, index=projects.index)
    for attribute, column in _FIELDS:
        wanted = getattr(state, attribute)
        if wanted:
            keep &= projects[column].isin(list(wanted)).fillna(False).astype(bool)
    if state.health:
        require_columns(projects, {"overall"}, fn="apply_filters")
        labels = rag_label(to_rag(projects["overall"]))
        keep &= labels.isin([h.strip().lower() for h in state.health])
    return projects.loc[keep.to_numpy()].copy()


__all__ = ["FilterState", "apply_filters"]
