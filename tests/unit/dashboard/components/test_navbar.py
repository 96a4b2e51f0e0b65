"""Unit tests of dashboard/components/navbar.py - no browser."""

from __future__ import annotations

from dashboard.components.navbar import navbar
from dashboard.ids import AppIds
from tests.conftest import find


def test_navbar_links_can_follow_the_url_and_collapse():
    pages = [
        {
            "name": "Portfolio",
            "path": "/",
            "relative_path": "/",
            "module": "p.portfolio",
            "order": 0,
        },
        {"name": "Capacity", "path": "/capacity", "relative_path": "/capacity", "module": "p.c"},
        {"name": "Project", "path": "/project/<id>", "relative_path": "/x", "module": "p.project"},
    ]
    bar = navbar(pages)
    ids = [
        link.id["index"]
        for link in _walk(bar)
        if isinstance(getattr(link, "id", None), dict) and link.id["type"] == AppIds.NAV_LINK
    ]
    assert ids == ["brand:/", "/", "/capacity"]
    assert find(bar, AppIds.NAV_TOGGLER) is not None
    assert find(bar, AppIds.NAV_COLLAPSE).is_open is False


def _walk(tree):
    yield tree
    children = getattr(tree, "children", None)
    if isinstance(children, list | tuple):
        for child in children:
            yield from _walk(child)
    elif children is not None and not isinstance(children, str | int | float):
        yield from _walk(children)
