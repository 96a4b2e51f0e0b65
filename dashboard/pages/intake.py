"""Intake & prioritisation: requests ranked live by weights/WSJF/RICE, and the best set to fund."""

from __future__ import annotations

from collections.abc import Iterable

import dash
import dash_bootstrap_components as dbc
import pandas as pd
import plotly.graph_objects as go
from dash import ALL, Input, Output, State, callback, clientside_callback, dcc, html

from dashboard import db
from dashboard.components.capacity_panels import scope_note
from dashboard.components.filter_bar import filter_bar, summary_text
from dashboard.components.intake_panels import (
    incomplete_badge,
    ranking_panel,
    ranking_rows,
    selection_controls,
    selection_rows,
    selection_section,
    weights_card,
)
from dashboard.components.notices import no_data_notice
from dashboard.config import get_settings, get_standards
from dashboard.exports import download, export_context
from dashboard.figures import intake as figures
from dashboard.ids import AppIds
from dashboard.ids import IntakeIds as ids
from dashboard.layout_cache import cached_layout
from dashboard.services import intake_ranking as ranking
from dashboard.services import intake_scenario as scenarios
from dashboard.services import intake_selection as choosing
from dashboard.services import intake_weights as weighting
from dashboard.services.capacity import scope_text
from dashboard.services.intake_requests import IntakeView, intake_view
from dashboard.standards import ScoringWeights
from dashboard.url_state import query_from_search

dash.register_page(
    __name__, path="/intake", name="Intake", title="PMO Lens · Intake & prioritisation", order=3
)

SLIDERS = {"type": ids.WEIGHT_SLIDER, "index": ALL}
# Every callback reads the weights' criteria and the page's URL (division, as-of) this way.
PAGE_STATE = (State(SLIDERS, "id"), State(AppIds.URL, "search"))


@cached_layout("intake")
def layout(**query: str) -> dbc.Container:
    today = get_settings().as_of_default()
    try:
        view = intake_view(query, today)
    except db.NoData as exc:
        return no_data_notice(str(exc))
    scenario = scenarios.parse_scenario(query)
    weights, notice = weighting.weights_from_sliders(view.data.weights, scenario.weights)
    ranked = ranking.rank_requests(
        view, weights, scenario.method, include_decided=scenario.include_decided
    )
    return dbc.Container(
        [
            filter_bar(view.data.options, view.state, today=today, visible=("division", "as_of")),
            html.H2(["Intake & prioritisation", incomplete_badge(ranked, badge_id=ids.INCOMPLETE)]),
            scope_note(scope_text(view.state), text_id=ids.SUMMARY),
            dcc.Store(id=ids.SCENARIO),
            dcc.Store(id=ids.SCENARIO_WRITTEN),
            _ranking_row(view, weights, ranked, scenario),
            html.Div(notice, className="small text-danger") if notice else None,
            _selection(view, weights, scenario),
        ],
        fluid=True,
    )


def _ranking_row(
    view: IntakeView,
    weights: ScoringWeights,
    ranked: pd.DataFrame,
    scenario: scenarios.Scenario,
) -> dbc.Row:
    """The weights and method on the left, the ranking on the right."""
    card = weights_card(
        weighting.slider_criteria(view.data.weights),
        ids=ids,
        maximum=weighting.SLIDER_MAX,
        method=scenario.method,
        values={c.column: c.weight for c in weights.criteria},
    )
    panel = ranking_panel(
        ranked,
        top=ranking.top_text(ranked, scenario.method),
        moves=ranking.moves_text(ranked),
        breakdown=_breakdown(ranked, weighting.slider_criteria(weights)),
        ids=ids,
        currency=get_standards().loading.currency,
        include_decided=scenario.include_decided,
    )
    return dbc.Row([dbc.Col(card, lg=4), dbc.Col(panel, lg=8)], className="my-3")


def _selection(
    view: IntakeView, weights: ScoringWeights, scenario: scenarios.Scenario
) -> html.Section:
    """The budget controls on the scenario's choices, and the recommendation they give."""
    choices = choosing.candidate_choices(view)
    allowed = {c["value"] for c in choices}
    forced_in = [i for i in scenario.forced_in if i in allowed]
    forced_out = [i for i in scenario.forced_out if i in allowed]
    budget = choosing.budget_or_default(view, scenario.budget)
    currency = get_standards().loading.currency
    controls = selection_controls(
        budget=budget,
        currency=currency,
        choices=choices,
        ids=ids,
        use_capacity=scenario.use_capacity,
        forced_in=forced_in,
        forced_out=forced_out,
    )
    frontier, table, message = _recommendation(
        view, weights, budget, forced_in, forced_out, scenario.use_capacity
    )
    return selection_section(
        controls, message=message, frontier=frontier, table=table, ids=ids, currency=currency
    )


def _breakdown(ranked: pd.DataFrame, criteria: list[dict]) -> go.Figure:
    """What the top weighted scores are made of."""
    return figures.score_breakdown(
        ranked, criteria, title="What the top weighted scores are made of"
    )


def _recommendation(
    view: IntakeView,
    weights: ScoringWeights,
    budget: float,
    forced_in: Iterable[str],
    forced_out: Iterable[str],
    use_capacity: bool,
) -> tuple[go.Figure, pd.DataFrame, str]:
    """Frontier figure, candidate table and message for one set of choices."""
    result = choosing.recommend(
        view,
        weights,
        budget=budget,
        forced_in=forced_in,
        forced_out=forced_out,
        use_capacity=use_capacity,
    )
    figure = figures.frontier_chart(
        result.frontier,
        budget=result.budget,
        chosen_value=result.result.total_value,
        chosen_cost=result.result.total_cost,
        currency=get_standards().loading.currency,
        title="Efficient frontier: best total score for each budget",
    )
    return figure, result.table, choosing.selection_text(result, get_standards().loading.currency)


def _inputs(search: str | None, slider_ids: list, values: list) -> tuple:
    """The URL's view and the sliders' weights (checked), plus a notice when unusable."""
    view = intake_view(query_from_search(search), get_settings().as_of_default())
    weights, notice = weighting.weights_from_sliders(
        view.data.weights, weighting.slider_values(slider_ids, values)
    )
    return view, weights, notice


@callback(
    Output(ids.GRID, "rowData"),
    Output(ids.TOP, "children"),
    Output(ids.MOVES, "children"),
    Output(ids.WEIGHT_NOTICE, "children"),
    Output(ids.BREAKDOWN, "figure"),
    Input(SLIDERS, "value"),
    Input(ids.METHOD, "value"),
    Input(ids.DECIDED, "value"),
    *PAGE_STATE,
    prevent_initial_call=True,
)
def update_ranking(
    values: list,
    method: str | None,
    include_decided: bool | None,
    slider_ids: list[dict],
    search: str | None,
) -> tuple:
    """Re-rank live as a weight, the method or the decided switch changes (one scoring pass)."""
    view, weights, notice = _inputs(search, slider_ids, values)
    ranked = ranking.rank_requests(view, weights, method, include_decided=bool(include_decided))
    return (
        ranking_rows(ranked),
        ranking.top_text(ranked, method),
        ranking.moves_text(ranked),
        notice,
        _breakdown(ranked, weighting.slider_criteria(weights)),
    )


@callback(
    Output(ids.FRONTIER, "figure"),
    Output(ids.SELECTION_GRID, "rowData"),
    Output(ids.SELECTION_MESSAGE, "children"),
    Input(ids.BUDGET, "value"),
    Input(ids.CAPACITY, "value"),
    Input(ids.FORCE_IN, "value"),
    Input(ids.FORCE_OUT, "value"),
    Input(SLIDERS, "value"),
    *PAGE_STATE,
    prevent_initial_call=True,
)
def update_selection(
    budget: object,
    use_capacity: bool | None,
    forced_in: list[str] | None,
    forced_out: list[str] | None,
    values: list,
    slider_ids: list[dict],
    search: str | None,
) -> tuple:
    """Recommend the best set for the budget, choices and current weights."""
    view, weights, _ = _inputs(search, slider_ids, values)
    figure, table, message = _recommendation(
        view,
        weights,
        choosing.budget_or_default(view, budget),
        forced_in or (),
        forced_out or (),
        bool(use_capacity),
    )
    return figure, selection_rows(table), message


@callback(
    Output(SLIDERS, "value"),
    Input(ids.RESET, "n_clicks"),
    State(SLIDERS, "id"),
    prevent_initial_call=True,
)
def on_reset(_clicks: int | None, slider_ids: list[dict]) -> list[float]:
    """Put every slider back on its pmo.toml weight."""
    return weighting.base_slider_values(get_standards().scoring, slider_ids)


@callback(
    Output(ids.DOWNLOAD, "data"),
    Input(ids.EXPORT_CSV, "n_clicks"),
    Input(ids.EXPORT_XLSX, "n_clicks"),
    State(SLIDERS, "value"),
    State(SLIDERS, "id"),
    State(ids.METHOD, "value"),
    State(ids.DECIDED, "value"),
    State(AppIds.URL, "search"),
    prevent_initial_call=True,
)
def on_export(
    _csv: int | None,
    _xlsx: int | None,
    values: list,
    slider_ids: list[dict],
    method: str | None,
    include_decided: bool | None,
    search: str | None,
) -> dict:
    """Download the ranked list as shown (formula injection neutralised)."""
    view, weights, _ = _inputs(search, slider_ids, values)
    ranked = ranking.rank_requests(view, weights, method, include_decided=bool(include_decided))
    fmt = "xlsx" if dash.ctx.triggered_id == ids.EXPORT_XLSX else "csv"
    context = export_context(
        f"Requests ranked ({method or 'weighted score'})",
        summary_text(view.state),
        view.state.as_of,
        data_version=db.data_version(),
        currency=get_standards().loading.currency,
    )
    return download(
        ranking.export_frame(ranked),
        stem="requests-ranked",
        as_of=view.state.as_of,
        fmt=fmt,
        context=context,
    )


@callback(
    Output(ids.SCENARIO, "data"),
    Input(SLIDERS, "value"),
    Input(ids.METHOD, "value"),
    Input(ids.BUDGET, "value"),
    Input(ids.CAPACITY, "value"),
    Input(ids.DECIDED, "value"),
    Input(ids.FORCE_IN, "value"),
    Input(ids.FORCE_OUT, "value"),
    *PAGE_STATE,
    prevent_initial_call=True,
)
def share_scenario(
    values: list,
    method: str | None,
    budget: object,
    use_capacity: bool | None,
    include_decided: bool | None,
    forced_in: list[str] | None,
    forced_out: list[str] | None,
    slider_ids: list[dict],
    search: str | None,
) -> str:
    """The URL query with the scenario in it, so the address bar is a link to this scenario."""
    view, weights, _ = _inputs(search, slider_ids, values)
    default = choosing.default_budget(view)
    scenario = scenarios.Scenario(
        method=weighting.method_or_default(method),
        budget=choosing.budget_or_default(view, budget),
        use_capacity=bool(use_capacity),
        include_decided=bool(include_decided),
        forced_in=tuple(i for i in forced_in or () if isinstance(i, str)),
        forced_out=tuple(i for i in forced_out or () if isinstance(i, str)),
    )
    return scenarios.scenario_query(
        search, base=view.data.weights, weights=weights, scenario=scenario, default=default
    )


# replaceState, not the app's dcc.Location: writing the Location would make Pages rebuild the
# page (and drop the focus from the slider being moved); the address bar only has to hold the
# scenario for a copied link, which ``layout`` reads back (docs/review.md "Intake").
clientside_callback(
    """
    function(query) {
        if (typeof query !== "string") { return window.dash_clientside.no_update; }
        if (query !== window.location.search) {
            window.history.replaceState(window.history.state, "", window.location.pathname + query);
        }
        return query;
    }
    """,
    Output(ids.SCENARIO_WRITTEN, "data"),
    Input(ids.SCENARIO, "data"),
    prevent_initial_call=True,
)
