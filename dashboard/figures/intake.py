"""Intake charts: the efficient frontier (value vs budget) and what each score is made of."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.theme import apply_theme
from dashboard.formats import money_short

CRITERION_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")


def frontier_chart(
    frontier: pd.DataFrame,
    *,
    budget: float,
    chosen_value: float,
    chosen_cost: float,
    currency: str,
    title: str,
) -> go.Figure:
    """Best total score at each budget (a step line), with the chosen budget marked.

    Args:
        frontier: ``efficient_frontier`` output: ``budget``, ``value``, ``cost``,
            ``selected_count``, ``added_ids``.
        budget: The budget typed in (a vertical line).
        chosen_value: Value of the recommended set (a marker on the line).
        chosen_cost: Its cost.
        currency: ISO code for the axis title.
        title: Chart title.
    """
    fig = go.Figure()
    fig.add_trace(_frontier_line(frontier))
    fig.add_trace(
        go.Scatter(
            x=[budget],
            y=[round(chosen_value, 1)],
            mode="markers+text",
            marker={"symbol": "diamond", "size": 14, "color": "#D55E00"},
            text=[f"Your budget {money_short(budget, currency)}: {chosen_value:.0f} points"],
            textposition="top left",
            name="Recommended set",
            hovertemplate=(
                f"Budget %{{x:,.0f}}: value %{{y:.1f}}, costs {chosen_cost:,.0f}<extra></extra>"
            ),
        )
    )
    fig.add_vline(x=budget, line={"color": "#D55E00", "dash": "dash"})
    fig.update_xaxes(title_text=f"Budget ({currency})", tickformat=",.0f", rangemode="tozero")
    fig.update_yaxes(title_text="Total weighted score of the set (points)", rangemode="tozero")
    return apply_theme(fig, title=title)


def _frontier_line(frontier: pd.DataFrame) -> go.Scatter:
    """The best value at each budget as a step line; open markers where the search was capped."""
    points = frontier.dropna(subset=["value"])
    exact = (points["status"] == "optimal").to_numpy()
    return go.Scatter(
        x=points["budget"],
        y=points["value"].round(1),
        mode="lines+markers",
        line={"shape": "hv", "color": "#0072B2"},
        marker={"symbol": ["circle" if e else "circle-open" for e in exact], "size": 8},
        name="Best value at each budget (open = best found, search capped)",
        customdata=list(
            zip(
                points["selected_count"],
                points["added_ids"].fillna(""),
                ["optimal" if e else "best found" for e in exact],
                strict=True,
            )
        ),
        hovertemplate=(
            "Budget %{x:,.0f}: value %{y:.1f} from %{customdata[0]} requests "
            "(%{customdata[2]})<br>Added here: %{customdata[1]}<extra></extra>"
        ),
    )


def score_breakdown(
    ranked: pd.DataFrame, criteria: list[dict], *, title: str, top_n: int = 15
) -> go.Figure:
    """Stacked points per criterion for the top requests (the points add up to the score).

    Args:
        ranked: ``rank_requests`` output (``request_id``, ``score``, ``<criterion>_points``).
        criteria: ``services.intake.slider_criteria`` entries (``column``, ``label``).
        title: Chart title.
        top_n: Requests shown, best score first.
    """
    top = ranked.dropna(subset=["score"]).nlargest(top_n, "score").iloc[::-1]
    fig = go.Figure()
    for i, criterion in enumerate(criteria):
        column = f"{criterion['column']}_points"
        if column not in top:
            continue
        fig.add_trace(
            go.Bar(
                x=top[column].round(1),
                y=top["request_id"],
                orientation="h",
                name=criterion["label"],
                marker={"color": CRITERION_COLOURS[i % len(CRITERION_COLOURS)]},
                hovertemplate="%{y}: %{x:.1f} points<extra>%{fullData.name}</extra>",
            )
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title_text="Weighted score (points, best request = 100)")
    fig.update_yaxes(title_text="Request")
    return apply_theme(fig, title=title, height=max(320, 110 + 24 * len(top)))
