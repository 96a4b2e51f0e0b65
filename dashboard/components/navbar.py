"""The top navigation bar, built from the Pages registry."""

from __future__ import annotations

from collections.abc import Iterable

import dash_bootstrap_components as dbc

from dashboard.ids import AppIds


def navbar(pages: Iterable[dict]) -> dbc.Navbar:
    """A navbar with one link per registered page that asks to be in the nav (``nav=True``)."""
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
            ],
            fluid=True,
        ),
        id=AppIds.NAVBAR,
        color="dark",
        dark=True,
        className="mb-3 d-print-none",
    )
