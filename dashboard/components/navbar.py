"""The top navigation bar, built from the Pages registry."""

from __future__ import annotations

from collections.abc import Iterable

import dash_bootstrap_components as dbc

from dashboard.ids import AppIds
from dashboard.scope import UNRESTRICTED, Scope


def navbar(pages: Iterable[dict], scope: Scope = UNRESTRICTED) -> dbc.Navbar:
    """One link per registered page the user may use; a sign-out link when signed in.

    Pages registered with ``pmo_only=True`` (uploads) are shown to the PMO role only; the
    server refuses their callbacks to others anyway.
    """
    pages = [p for p in pages if scope.can_upload or not p.get("pmo_only")]
    links = [
        dbc.NavItem(dbc.NavLink(page["name"], href=page["relative_path"], active="exact"))
        for page in sorted(
            pages, key=lambda p: p.get("order") if p.get("order") is not None else 99
        )
        if page.get("nav", True)
        and "<" not in page["path"]
        and not page["module"].endswith("not_found_404")
    ]
    return dbc.Navbar(
        dbc.Container(
            [
                dbc.NavbarBrand("PMO Lens", href="/", className="fw-semibold"),
                dbc.Nav(links, navbar=True, className="me-auto"),
                *(
                    [dbc.NavLink(f"Sign out ({scope.user})", href="/logout", external_link=True)]
                    if scope.user
                    else []
                ),
            ],
            fluid=True,
        ),
        id=AppIds.NAVBAR,
        color="dark",
        dark=True,
        className="mb-3 d-print-none",
    )
