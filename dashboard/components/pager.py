"""Server-side paging for large grids: the page is in the URL (``?page=N``), so it is shareable.

A grid of 10,000 projects is megabytes of JSON; the server sends one page and these links move
between pages (docs/performance.md). The other query values (filters, as-of date) are kept.
"""

from __future__ import annotations

from urllib.parse import urlencode

from dash import dcc, html


def page_href(path: str, query: dict, page: int) -> str:
    """``path`` with ``query`` and ``page=N`` (``page`` left out for the first page)."""
    pairs = [(k, v) for k, v in query.items() if k != "page" and v not in (None, "", [])]
    if page > 1:
        pairs.append(("page", str(page)))
    return f"{path}?{urlencode(pairs, doseq=True)}" if pairs else path


def pager(
    path: str, query: dict, *, page: int, pages: int, first: int, last: int, total: int, label: str
) -> html.Div:
    """A "Projects 101–200 of 8,557" line with Previous / Next links where there are more."""
    text = f"{label} {first:,}–{last:,} of {total:,}" if total else f"{label}: none"
    links = []
    if page > 1:
        links.append(
            dcc.Link("← Previous", href=page_href(path, query, page - 1), className="me-3")
        )
    if page < pages:
        links.append(dcc.Link("Next →", href=page_href(path, query, page + 1)))
    return html.Div(
        [html.Small(text, className="text-muted me-3"), *links],
        className="pmo-pager mb-1",
    )
