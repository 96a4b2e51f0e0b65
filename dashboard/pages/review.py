"""Monthly review: what changed between a month-end and now, exceptions first, then the portfolio.

Defaults to the previous month-end vs today (see ``dashboard.services.review``); the division
and both dates live in the URL (``?division=Finance&from=2026-09-30``) and the browser's
print-to-PDF gives the review pack (print styles in assets/pmo.css).
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html, no_update

from dashboard import db
from dashboard.components import review_sections as blocks
from dashboard.components.footer import stale_notice
from dashboard.components.notices import no_data_notice
from dashboard.config import get_settings
from dashboard.exports import download
from dashboard.figures import review as figures
from dashboard.ids import AppIds
from dashboard.ids import ReviewIds as ids
from dashboard.services import review as services
from dashboard.url_state import query_from_search

dash.register_page(
    __name__, path="/review", name="Monthly review", title="PMO Lens · Monthly review", order=6
)

GRAPH_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}


def layout(**query: str) -> dbc.Container:
    today = get_settings().as_of_default()
    try:
        view = services.review_view(query, today)
    except db.NoData as exc:
        return no_data_notice(str(exc))
    review, state = view.review, view.review.state
    since = blocks.day_label(state.start)
    return dbc.Container(
        [
            blocks.review_controls(
                view.options,
                state,
                today=today,
                division_id=ids.DIVISION,
                from_id=ids.FROM,
                to_id=ids.TO,
                export_ids=(ids.EXPORT_CSV, ids.EXPORT_XLSX, ids.DOWNLOAD),
            ),
            blocks.review_heading(state, title_id=ids.TITLE),
            html.H3("Exceptions and decisions", className="h4"),
            blocks.exception_summary(services.exception_counts(review), summary_id=ids.SUMMARY),
            *[_section(review, section, since) for section in services.SECTIONS],
            html.H3("Portfolio summary", className="h4 mt-4 review-page-break"),
            dbc.Row(
                blocks.review_kpis(review.summary_before, review.summary_after, before_label=since),
                id=ids.KPI_ROW,
                className="mb-3",
            ),
            stale_notice(review.version, db.data_version()),
            dcc.Graph(
                id=ids.DIVISION_CHART,
                config=GRAPH_CONFIG,
                figure=figures.division_health_comparison(
                    review.health_before,
                    review.health_after,
                    before_label=since,
                    after_label=blocks.day_label(state.end),
                    title="Computed health by division at both dates",
                ),
                className="review-chart",
            ),
        ],
        fluid=True,
    )


def _section(review: services.Review, section: services.Section, since: str) -> dbc.Card:
    extra = None
    if section.key == "decisions":
        extra = blocks.awaiting_table(review.awaiting)
    elif section.key == "capacity":
        extra = blocks.capacity_note(
            review.hot_before, review.hot_after, review.horizon_months, since
        )
    return blocks.change_section(
        section.title,
        services.section_changes(review.changes, section),
        section_id=ids.section(section.key),
        empty=section.empty,
        size_label=section.size_label,
        before=extra,
        changes_heading="Decided and submitted this period" if section.key == "decisions" else None,
        limit=services.SECTION_ROW_LIMIT,
    )


@callback(
    Output(AppIds.URL, "search", allow_duplicate=True),
    Input(ids.DIVISION, "value"),
    Input(ids.FROM, "value"),
    Input(ids.TO, "value"),
    State(AppIds.URL, "search"),
    prevent_initial_call=True,
)
def on_review_change(
    divisions: list[str] | None, start: str | None, end: str | None, search: str | None
) -> str:
    """Put the chosen division and dates in the URL (Pages then rebuilds the review)."""
    today = get_settings().as_of_default()
    options = services.current_options(today)
    new = services.review_search(divisions, start, end, options, today)
    return no_update if new == (search or "") else new


@callback(
    Output(ids.DOWNLOAD, "data"),
    Input(ids.EXPORT_CSV, "n_clicks"),
    Input(ids.EXPORT_XLSX, "n_clicks"),
    State(AppIds.URL, "search"),
    prevent_initial_call=True,
)
def on_export(_csv: int | None, _xlsx: int | None, search: str | None) -> dict:
    """Download every change of the review shown (formula injection neutralised)."""
    view = services.review_view(query_from_search(search), get_settings().as_of_default())
    fmt = "xlsx" if dash.ctx.triggered_id == ids.EXPORT_XLSX else "csv"
    frame = services.changes_export(view.review.changes)
    return download(frame, stem="review-changes", as_of=view.review.state.end, fmt=fmt)
