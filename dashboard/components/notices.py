"""Friendly notices shown instead of a page when there is nothing to show."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html


def no_data_notice(detail: str) -> dbc.Container:
    """What a page shows before anything has been loaded."""
    return dbc.Container(
        dbc.Alert(
            [
                html.H4("No data yet", className="alert-heading"),
                html.P(
                    "Load the demo portfolio with `python -m loaders demo`, or your own "
                    "exports with `python -m loaders ingest FILE|DIR`."
                ),
                html.Small(detail),
            ],
            color="info",
        ),
        fluid=True,
    )


def empty_state(what: str, *, reset_href: str, notice_id: str | None = None) -> html.Div:
    """Said instead of bare axes and "No Rows To Show": what is empty and what to do next.

    ``reset_href`` is the page's own path without a query: following it clears every filter.
    """
    extra = {"id": notice_id} if notice_id else {}
    return html.Div(
        [
            html.H3(f"No {what} match these filters", className="h5"),
            html.P(
                "Widen the filters above (remove a division, stage or health value, or move "
                "the as-of date), or start again from everything.",
                className="mb-2",
            ),
            dcc.Link("Reset filters", href=reset_href, className="btn btn-primary btn-sm"),
        ],
        className="pmo-empty my-3",
        role="status",
        **extra,
    )
