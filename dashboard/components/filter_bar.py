"""The global filter bar: division, portfolio, stage, project manager, computed health, as-of."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import vocabulary
from dashboard.ids import FilterIds
from dashboard.url_state import FilterOptions, ViewState

HEALTH_LABELS = vocabulary.HEALTH
FILTER_KEYS = ("division", "portfolio", "stage", "manager", "health", "as_of")
"""The bar's filters in display order (``filter_bar(visible=...)`` names a subset)."""


def filter_bar(
    options: FilterOptions,
    state: ViewState,
    *,
    today: date,
    visible: Collection[str] | None = None,
) -> dbc.Card:
    """Dropdowns preset from ``state``; changing one rewrites the URL (see clientside_callbacks).

    ``visible`` (keys of ``FILTER_KEYS``; default all) shows only the filters a page uses; the
    others stay in the page, hidden, so the URL sync keeps working and keeps their values.
    On a phone the filters fold behind one "Filters" button (assets/pmo.css shows them unfolded
    from the md breakpoint up); "Reset filters" clears the whole query (clientside_callbacks).
    """
    columns = _filter_columns(options, state, today)
    if visible is not None:
        for key, column in zip(FILTER_KEYS, columns, strict=True):
            if key not in visible:
                column.className = "d-none"
    active = active_filter_count(state, today, visible)
    return dbc.Card(
        dbc.CardBody(
            [
                _actions(active),
                dbc.Collapse(
                    dbc.Row(columns, className="g-2"),
                    id=FilterIds.COLLAPSE,
                    is_open=False,
                    className="pmo-filter-collapse",
                ),
            ],
            className="py-2",
        ),
        className="mb-3 shadow-sm d-print-none",
    )


def _filter_columns(options: FilterOptions, state: ViewState, today: date) -> list[dbc.Col]:
    """One column per filter, in :data:`FILTER_KEYS` order."""
    f = state.filters
    return [
        _dropdown("Division", FilterIds.DIVISION, options.divisions, f.divisions),
        _dropdown("Portfolio", FilterIds.PORTFOLIO, options.portfolios, f.portfolios),
        _dropdown("Stage", FilterIds.STAGE, options.stages, f.stages),
        _dropdown("Project manager", FilterIds.MANAGER, options.managers, f.managers),
        _dropdown(
            "Computed health", FilterIds.HEALTH, options.health, f.health, labels=HEALTH_LABELS
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
    ]


def _actions(active: int) -> html.Div:
    """The phone-only "Filters" toggle (with the active count) and "Reset filters"."""
    toggle_text = f"Filters ({active} active)" if active else "Filters"
    return html.Div(
        [
            dbc.Button(
                toggle_text,
                id=FilterIds.TOGGLE,
                color="secondary",
                outline=True,
                size="sm",
                className="d-md-none",
            ),
            dbc.Button(
                "Reset filters",
                id=FilterIds.RESET,
                color="link",
                size="sm",
                className="ms-auto p-0",
                disabled=active == 0,
            ),
        ],
        className="d-flex align-items-center gap-2 pmo-filter-actions",
    )


def active_filter_count(
    state: ViewState, today: date, visible: Collection[str] | None = None
) -> int:
    """How many filters narrow the view (an as-of other than today counts as one)."""
    f = state.filters
    chosen = {
        "division": f.divisions,
        "portfolio": f.portfolios,
        "stage": f.stages,
        "manager": f.managers,
        "health": f.health,
    }
    count = sum(
        1 for key, values in chosen.items() if values and (visible is None or key in visible)
    )
    return count + (state.as_of != today)


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


def filter_summary(state: ViewState, *, summary_id: str | None = None) -> html.P:
    """One line saying what is filtered, for printouts, screenshots and exports."""
    f = state.filters
    parts = [
        f"{name}: {', '.join(values)}"
        for name, values in (
            ("Division", f.divisions),
            ("Portfolio", f.portfolios),
            ("Stage", f.stages),
            ("PM", f.managers),
            ("Health", tuple(vocabulary.label("health", v) for v in f.health)),
        )
        if values
    ]
    text = "Filtered to " + "; ".join(parts) if parts else "All projects, no filter"
    extra = {"id": summary_id} if summary_id else {}
    return html.P(
        f"{text} · as of {state.as_of.isoformat()}",
        className="small text-muted mb-0 pmo-filter-summary",
        **extra,
    )


def summary_text(state: ViewState) -> str:
    """The filter summary as plain text (the first sheet of an export records it)."""
    return filter_summary(state).children
