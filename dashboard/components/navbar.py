"""The top navigation bar, built from the Pages registry."""

from __future__ import annotations

from collections.abc import Iterable

import dash_bootstrap_components as dbc

from dashboard.ids import AppIds
from dashboard.scope import UNRESTRICTED, Scope


def nav_link_id(path: str) -> dict[str, str]:
    """The pattern-matching id of the nav link to ``path`` (its href is set in the browser).

    ``dashboard.clientside_callbacks`` rewrites the hrefs as the URL changes.
    """
    return {"type": AppIds.NAV_LINK, "index": path}


def navbar(pages: Iterable[dict], scope: Scope = UNRESTRICTED) -> dbc.Navbar:
    """One link per registered page the user may use; a sign-out link when signed in.

    Every link keeps the current filters (dashboard.clientside_callbacks adds the query to each
    href when the URL changes), and on a phone the links fold behind a toggler. Pages registered
    with ``pmo_only=True`` (uploads) are shown to the PMO role only; the server refuses their
    callbacks to others anyway.
    """
    pages = [p for p in pages if scope.can_upload or not p.get("pmo_only")]
    links = [
        dbc.NavItem(
            dbc.NavLink(
                page["name"],
                href=page["relative_path"],
                active="exact",
                id=nav_link_id(page["relative_path"]),
            )
        )
        for page in sorted(
            pages, key=lambda p: p.get("order") if p.get("order") is not None else 99
        )
        if page.get("nav", True)
        and "<" not in page["path"]
        and not page["module"].endswith("not_found_404")
    ]
    sign_out = (
        [dbc.NavLink(f"Sign out ({scope.user})", href="/logout", external_link=True)]
        if scope.user
        else []
    )
    return dbc.Navbar(
        dbc.Container(
            [
                dbc.NavbarBrand(
                    "PMO Lens", href="/", id=nav_link_id("brand:/"), className="fw-semibold"
                ),
                dbc.NavbarToggler(id=AppIds.NAV_TOGGLER, n_clicks=0),
                dbc.Collapse(
                    [dbc.Nav(links, navbar=True, className="me-auto"), *sign_out],
                    id=AppIds.NAV_COLLAPSE,
                    is_open=False,
                    navbar=True,
                ),
            ],
            fluid=True,
        ),
        id=AppIds.NAVBAR,
        color="dark",
        dark=True,
        expand="md",
        className="mb-3 d-print-none",
    )
