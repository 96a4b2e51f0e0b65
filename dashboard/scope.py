"""Who is asking, for the duration of one request: role and the divisions they may see.

The auth layer sets it before every request; ``dashboard.db`` filters every query by it and
``dashboard.services.cache`` puts it in every cache key, so a division manager can only ever
receive their divisions' rows — exports, tooltips and cached results included
(docs/architecture.md §8; docs/security.md, "Data shown and exported"). Outside a request
(scripts, tests) nothing is restricted.
"""

from __future__ import annotations

import contextvars
from dataclasses import dataclass

ROLES = ("pmo", "division_manager", "contributor", "viewer")


@dataclass(frozen=True)
class Scope:
    """The current user's access.

    Attributes:
        user: User name, or None when sign-in is off.
        role: One of ``ROLES``.
        divisions: Divisions the user may see; None means all.
        projects: A contributor's projects (the users file's ``projects``); None = not listed.
        project_manager: A contributor's name as the register's ``project_manager`` column
            spells it: they report on the projects they manage (docs/forms.md, "Who may do what").
    """

    user: str | None = None
    role: str = "pmo"
    divisions: tuple[str, ...] | None = None
    projects: tuple[str, ...] | None = None
    project_manager: str | None = None

    @property
    def can_upload(self) -> bool:
        """Only the PMO loads data."""
        return self.role == "pmo"

    @property
    def reports_on_all(self) -> bool:
        """The PMO may submit a status report for any project; a contributor for their own."""
        return self.role == "pmo"

    def reports_on(self, project_id: str, project_manager: str | None) -> bool:
        """Whether this user may submit a status report for the project (checked on the server).

        Args:
            project_id: The project.
            project_manager: The project's manager as the register names them (read from the
                data, never taken from the caller).
        """
        if self.reports_on_all:
            return True
        if self.role != "contributor":
            return False
        if self.projects is not None and project_id in self.projects:
            return True
        return bool(self.project_manager) and project_manager == self.project_manager

    @property
    def sees_everything(self) -> bool:
        """True when no division restriction applies."""
        return self.divisions is None

    @property
    def cache_key(self) -> tuple:
        """What distinguishes this scope's cached results from another's."""
        return ("all",) if self.divisions is None else ("divisions", *sorted(self.divisions))


UNRESTRICTED = Scope()
_current: contextvars.ContextVar[Scope] = contextvars.ContextVar("pmo_scope", default=UNRESTRICTED)


def current_scope() -> Scope:
    """The scope of the request being served (unrestricted outside a request)."""
    return _current.get()


def set_scope(scope: Scope) -> contextvars.Token:
    """Set the scope for the current request; returns a token for ``reset_scope``."""
    return _current.set(scope)


def reset_scope(token: contextvars.Token) -> None:
    """Restore the previous scope."""
    _current.reset(token)
