"""The global filter bar: division, portfolio, stage, project manager, computed health, as-of."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.ids import FilterIds
from dashboard.url_state import FilterOptions, ViewState

HEALTH_LABELS = {"red": "Red", "amber": "Amber", "green": "Green", "unknown": "Unknown"}
FILTER_KEYS = ("division", "portfolio", "stage", "manager", "health", "as_of")
"""The bar's filters in display order (``filter_bar(visible=...)`` names a subset)."""


def filter_bar(
    options: FilterOptions,
    state: ViewState,
    *,
    today: date,
    visible: Collection[str] | None = None,
) -> dbc.Card:
    """Dropdowns preset from ``state``; changing one rewrites the URL (see dashboard.url_sync).

    ``visible`` (keys of ``FILTER_KEYS``; default all) shows only the filters a page uses; the
    others stay in the page, hidden, so the URL sync keeps working and keeps their values.
    """
    f = state.filters
    bar = dbc.Card(
        dbc.CardBody(
            dbc.Row(
                [
                    _dropdown("Division", FilterIds.DIVISION, options.divisions, f.divisions),
                    _dropdown("Portfolio", FilterIds.PORTFOLIO, options.portfolios, f.portfolios),
                    _dropdown("Stage", FilterIds.STAGE, options.stages, f.stages),
                    _dropdown("Project manager", FilterIds.MANAGER, options.managers, f.managers),
                    _dropdown(
                        "Computed health",
                        FilterIds.HEALTH,
                        options.health,
                        f.health,
                        labels=HEALTH_LABELS,
                    ),
                    dbc.Col(
                        [
                            dbc.Label("As of", html_for=FilterIds.AS_OF, className="small mb-1"),
                            dcc.DatePickerSingle(
                                id=FilterIds.AS_OF,
                                date=state.as_of.isoformat(),
                                max_date_allowed=today.isoformat(),
                                display_format="YYYY-MM-DD",
                                first_day_of_week=1,
                                className="d-block",
                            ),
                            dcc.Store(id=FilterIds.TODAY, data=today.isoformat()),
                        ],
                        xs=12,
                        md=4,
                        lg=2,
                    ),
                ],
                className="g-2",
            )
        ),
        className="mb-3 shadow-sm d-print-none",
    )
    if visible is not None:
        for key, column in zip(FILTER_KEYS, bar.children.children.children, strict=True):
            if key not in visible:
                column.className = "d-none"
    return bar


def _dropdown(
    label: str,
    component_id: str,
    values: tuple[str, ...],
    selected: tuple[str, ...],
    *,
    labels: dict[str, str] | None = None,
) -> dbc.Col:
    return dbc.Col(
        [
            dbc.Label(label, html_for=component_id, className="small mb-1"),
            dcc.Dropdown(
                id=component_id,
                options=[{"label": (labels or {}).get(v, v), "value": v} for v in values],
                value=list(selected),
                multi=True,
                placeholder="All",
            ),
        ],
        xs=12,
        md=4,
        lg=2,
    )


def filter_summary(state: ViewState) -> html.Small:
    """One line saying what is filtered, for printouts and screenshots."""
    f = state.filters
    parts = [
        f"{name}: {', '.join(values)}"
        for name, values in (
            ("Division", f.divisions),
            ("Portfolio", f.portfolios),
            ("Stage", f.stages),
            ("PM", f.managers),
            ("Health", f.health),
        )
        if values
    ]
    text = " · ".join(parts) or "All projects"
    return html.Small(f"{text} · as of {state.as_of.isoformat()}", className="text-muted")
