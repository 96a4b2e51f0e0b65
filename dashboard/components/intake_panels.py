"""Intake page pieces: weight sliders, method switch, ranking and selection grids, controls."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html

from dashboard.components.export_buttons import export_buttons
from dashboard.components.tables import (
    class_rules,
    data_grid,
    label_formatter,
    money_column,
    records_for_grid,
)
from dashboard.formats import GRAPH_CONFIG
from dashboard.vocabulary import REQUEST_STATUS

SCORE_FORMAT = {"function": "params.value == null ? '' : d3.format('.1f')(params.value)"}
WSJF_FORMAT = {"function": "params.value == null ? '' : d3.format('.3f')(params.value)"}
RICE_FORMAT = {"function": "params.value == null ? '' : d3.format(',.0f')(params.value)"}
METHOD_OPTIONS = [
    {"label": "Weighted score", "value": "weighted"},
    {"label": "WSJF", "value": "wsjf"},
    {"label": "RICE", "value": "rice"},
]

MANDATORY_FORMAT = {"function": "params.value ? 'Must do' : ''"}
DECISION_TONES = {"fw-semibold": ("Chosen", "Forced in", "Must do (mandatory)")}


def mandatory_column() -> dict:
    """A "Must do" column for mandatory or regulatory requests, blank otherwise."""
    return {
        "field": "mandatory",
        "headerName": "Mandatory",
        "headerTooltip": "Mandatory or regulatory: always in the recommended set",
        "valueFormatter": MANDATORY_FORMAT,
        "cellDataType": "text",  # not AG Grid's checkbox for booleans: the words read better
        "cellClass": "fw-semibold",
        "minWidth": 140,
        "maxWidth": 150,
    }


def ranking_columns(currency: str) -> list[dict]:
    """The ranking grid's columns, with money in ``currency``."""
    return [
        *RANKING_COLUMNS[:5],
        mandatory_column(),
        money_column("estimated_cost", "Cost", currency),
        money_column("expected_benefit", "Expected benefit", currency),
        *RANKING_COLUMNS[5:],
    ]


def selection_columns(currency: str) -> list[dict]:
    """The selection grid's columns, with money in ``currency``."""
    return [
        SELECTION_COLUMNS[0],
        SELECTION_COLUMNS[1],
        {
            "field": "status",
            "headerName": "Status",
            "minWidth": 120,
            "valueFormatter": label_formatter(REQUEST_STATUS),
        },
        mandatory_column(),
        SELECTION_COLUMNS[2],
        money_column("estimated_cost", "Cost", currency, minWidth=120),
        money_column("expected_benefit", "Expected benefit", currency, minWidth=130),
        SELECTION_COLUMNS[-1],
    ]


RANKING_COLUMNS: list[dict] = [
    {
        "field": "rank",
        "headerName": "Rank",
        "minWidth": 95,
        "maxWidth": 105,
        "type": "rightAligned",
        "filter": "agNumberColumnFilter",
    },
    {
        "field": "change",
        "headerName": "Move",
        "minWidth": 90,
        "maxWidth": 100,
        "headerTooltip": "Weighted-score rank change against the pmo.toml weights",
        "cellClassRules": {
            "rag-green": {"function": "startsWith(params, '↑')"},
            "rag-red": {"function": "startsWith(params, '↓')"},
        },
    },
    {"field": "request_id", "headerName": "ID", "minWidth": 110, "maxWidth": 120},
    {"field": "title", "headerName": "Title", "minWidth": 220, "flex": 2},
    {"field": "division", "headerName": "Division", "minWidth": 140},
    {
        "field": "score",
        "headerName": "Score",
        "type": "rightAligned",
        "valueFormatter": SCORE_FORMAT,
        "filter": "agNumberColumnFilter",
        "width": 110,
    },
    {
        "field": "wsjf",
        "headerName": "WSJF",
        "type": "rightAligned",
        "valueFormatter": WSJF_FORMAT,
        "filter": "agNumberColumnFilter",
        "width": 110,
    },
    {
        "field": "rice",
        "headerName": "RICE",
        "type": "rightAligned",
        "valueFormatter": RICE_FORMAT,
        "filter": "agNumberColumnFilter",
        "width": 110,
    },
    {
        "field": "status",
        "headerName": "Status",
        "minWidth": 130,
        "valueFormatter": label_formatter(REQUEST_STATUS),
    },
    {
        "field": "completeness",
        "headerName": "Completeness",
        "minWidth": 220,
        "flex": 1,
        "tooltipField": "completeness",
        "cellClassRules": {"rag-amber": {"function": "startsWith(params, 'Missing')"}},
    },
]

SELECTION_COLUMNS: list[dict] = [
    {"field": "request_id", "headerName": "ID", "minWidth": 110},
    {"field": "title", "headerName": "Title", "minWidth": 200, "flex": 2},
    {
        "field": "score",
        "headerName": "Score",
        "type": "rightAligned",
        "valueFormatter": SCORE_FORMAT,
        "minWidth": 100,
    },
    {
        "field": "decision_text",
        "headerName": "Decision",
        "minWidth": 280,
        "flex": 3,
        "tooltipField": "decision_text",
        "wrapText": True,
        "autoHeight": True,
        "cellStyle": {"lineHeight": "1.3", "whiteSpace": "normal", "wordBreak": "normal"},
        "cellClassRules": class_rules(DECISION_TONES),
    },
]


def weight_sliders(
    criteria: list[dict], *, slider_type: str, maximum: int, values: dict[str, float] | None = None
) -> list[html.Div]:
    """One labelled 0..``maximum`` slider per criterion, at ``values`` or its ``pmo.toml`` weight.

    ``values`` are the weights of a shared scenario (from the URL); the label keeps saying
    the ``pmo.toml`` weight so the reader sees what was moved.
    """
    values = values or {}
    return [
        html.Div(
            [
                dbc.Label(
                    [
                        c["label"],
                        html.Small(
                            f" ({'higher' if c['higher_is_better'] else 'lower'} is better;"
                            f" pmo.toml {c['weight']:g})",
                            className="text-muted",
                        ),
                    ],
                    className="small mb-0",
                ),
                dcc.Slider(
                    id={"type": slider_type, "index": c["column"]},
                    min=0,
                    max=maximum,
                    step=1,
                    value=values.get(c["column"], c["weight"]),
                    marks={0: "0", maximum // 2: str(maximum // 2), maximum: str(maximum)},
                    className="intake-weight-slider",
                ),
            ],
            # assets/pmo_a11y.js names the slider's thumb and number box with this.
            **{"data-a11y-label": f"Weight of {c['label']} (0 to {maximum})"},
            className="mb-2",
        )
        for c in criteria
    ]


def weights_card(
    criteria: list[dict],
    *,
    ids: type,
    maximum: int,
    method: str = "weighted",
    values: dict[str, float] | None = None,
) -> dbc.Card:
    """Method switch, one slider per criterion, and a reset button (starting on a scenario)."""
    return dbc.Card(
        dbc.CardBody(
            [
                html.H5("Ranking method"),
                dbc.RadioItems(
                    id=ids.METHOD,
                    options=METHOD_OPTIONS,
                    value=method,
                    inline=True,
                    className="mb-3",
                ),
                html.H5("Weights (relative)"),
                *weight_sliders(
                    criteria, slider_type=ids.WEIGHT_SLIDER, maximum=maximum, values=values
                ),
                dbc.Button(
                    "Reset to pmo.toml", id=ids.RESET, size="sm", color="secondary", outline=True
                ),
                html.Div(id=ids.WEIGHT_NOTICE, className="small mt-2 text-danger"),
            ]
        ),
        className="shadow-sm d-print-none",
    )


def ranking_grid(ranked: pd.DataFrame, *, grid_id: str, currency: str) -> html.Div:
    """Every request in rank order, with scores, money, rank change and what is missing."""
    return data_grid(
        ranked, ranking_columns(currency), grid_id=grid_id, height=560, row_id="request_id"
    )


def ranking_rows(ranked: pd.DataFrame) -> list[dict]:
    """The ranking grid's ``rowData`` after a re-rank (the fields do not depend on currency)."""
    return records_for_grid(ranked, ranking_columns(""))


def selection_grid(table: pd.DataFrame, *, grid_id: str, currency: str) -> html.Div:
    """The candidates with the solver's decision for each (chosen first)."""
    return data_grid(
        table,
        selection_columns(currency),
        grid_id=grid_id,
        height=480,
        page_size=15,
        row_id="request_id",
    )


def selection_rows(table: pd.DataFrame) -> list[dict]:
    """The selection grid's ``rowData`` after a new recommendation."""
    return records_for_grid(table, selection_columns(""))


def incomplete_badge(ranked: pd.DataFrame, *, badge_id: str) -> dbc.Badge:
    """How many requests are not scored for missing inputs (the flags name what is missing)."""
    count = int((~ranked["complete"]).sum())
    return dbc.Badge(
        f"{count} incomplete" if count else "All complete",
        id=badge_id,
        color="warning" if count else "success",
        text_color="dark" if count else None,
        className="ms-2",
    )


def selection_controls(
    *,
    budget: float,
    currency: str,
    choices: list[dict],
    ids: type,
    use_capacity: bool = True,
    forced_in: list[str] | None = None,
    forced_out: list[str] | None = None,
) -> dbc.Row:
    """Budget, capacity switch, force-in and force-out pickers (starting on a scenario)."""
    budget_column = [
        dbc.Label(f"Budget ({currency})", html_for=ids.BUDGET, className="small"),
        dbc.Input(id=ids.BUDGET, type="number", min=0, step=50_000, value=budget, debounce=True),
        dbc.Switch(
            id=ids.CAPACITY,
            value=use_capacity,
            label="Respect role-by-month capacity",
            className="mt-2",
        ),
    ]
    return dbc.Row(
        [
            dbc.Col(budget_column, md=3),
            dbc.Col(_request_picker("Force in", ids.FORCE_IN, choices, forced_in), md=4),
            dbc.Col(_request_picker("Force out", ids.FORCE_OUT, choices, forced_out), md=5),
        ],
        className="g-3 mb-3 d-print-none",
    )


def _request_picker(
    label: str, picker_id: str, choices: list[dict], chosen: list[str] | None
) -> list:
    """A labelled multi-select of requests (nothing picked reads "None")."""
    return [
        dbc.Label(label, html_for=picker_id, className="small"),
        dcc.Dropdown(
            id=picker_id, options=choices, value=chosen or [], multi=True, placeholder="None"
        ),
    ]


def ranking_panel(
    ranked: pd.DataFrame,
    *,
    top: str,
    moves: str,
    breakdown: go.Figure,
    ids: type,
    currency: str,
    include_decided: bool = False,
) -> list:
    """The top request, the rank moves, the decided switch, exports, the grid and the breakdown."""
    return [
        html.P(top, id=ids.TOP, className="fw-semibold mb-1"),
        html.P(moves, id=ids.MOVES, className="small text-muted"),
        dbc.Switch(
            id=ids.DECIDED,
            value=include_decided,
            label="Include decided requests (approved, rejected, deferred)",
            className="small d-print-none",
        ),
        export_buttons(ids.EXPORT_CSV, ids.EXPORT_XLSX, ids.DOWNLOAD),
        ranking_grid(ranked, grid_id=ids.GRID, currency=currency),
        dcc.Graph(id=ids.BREAKDOWN, config=GRAPH_CONFIG, figure=breakdown),
    ]


def selection_section(
    controls: dbc.Row,
    *,
    message: str,
    frontier: go.Figure,
    table: pd.DataFrame,
    ids: type,
    currency: str,
) -> html.Section:
    """Budget and forced choices (``controls``), the solver's verdict, frontier and decisions."""
    return html.Section(
        [
            html.H4("Recommended set under a budget", className="mt-4"),
            html.P(
                "Chosen among requests awaiting a decision (submitted, under review, deferred) "
                "to maximise the total weighted score; exact (mixed-integer optimisation, "
                "HiGHS). Mandatory and regulatory requests are always in.",
                className="small text-muted",
            ),
            controls,
            dbc.Alert(message, id=ids.SELECTION_MESSAGE, color="light", className="py-2"),
            dbc.Row(
                [
                    dbc.Col(dcc.Graph(id=ids.FRONTIER, config=GRAPH_CONFIG, figure=frontier), lg=6),
                    dbc.Col(
                        selection_grid(table, grid_id=ids.SELECTION_GRID, currency=currency),
                        lg=6,
                    ),
                ]
            ),
        ]
    )
