"""Monthly review charts: computed health by division at both dates, and the 12-month trend."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.theme import (
    RAG_COLOURS,
    RAG_LABELS,
    RAG_ORDER,
    apply_theme,
    stacked_rag_bars,
)


def division_health_comparison(
    health_before: pd.DataFrame,
    health_after: pd.DataFrame,
    *,
    before_label: str,
    after_label: str,
    title: str,
) -> go.Figure:
    """Stacked RAG bars per division, one bar per date, side by side (earlier date first).

    Args:
        health_before: ``assess_health`` rows at the earlier date; needs ``division``,
            ``overall`` (NA = unknown).
        health_after: The same at the later date.
        before_label: Text for the earlier date (e.g. "31 Oct").
        after_label: Text for the later date; must differ from ``before_label``.
        title: Chart title.
    """
    counts = _counts(health_before, before_label, health_after, after_label)
    divisions = sorted(counts.index.get_level_values(0).unique(), reverse=True)
    index = pd.MultiIndex.from_product([divisions, [after_label, before_label]])
    counts = counts.reindex(index, fill_value=0)
    y = [counts.index.get_level_values(0).tolist(), counts.index.get_level_values(1).tolist()]
    fig = go.Figure(stacked_rag_bars(counts, y))
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title_text="Open projects (count)")
    fig.update_yaxes(title_text="Division and date")
    return apply_theme(fig, title=title, height=max(300, 80 + 50 * len(divisions)))


def _counts(
    before: pd.DataFrame, before_label: str, after: pd.DataFrame, after_label: str
) -> pd.DataFrame:
    frames = [
        pd.DataFrame(
            {
                "division": frame["division"].fillna("(no division)").astype("str").to_numpy(),
                "date": label,
                "rag": frame["overall"].astype("string").fillna("unknown").to_numpy(),
            }
        )
        for frame, label in ((before, before_label), (after, after_label))
    ]
    rows = pd.concat(frames, ignore_index=True)
    table = pd.crosstab([rows["division"], rows["date"]], rows["rag"])
    return table.reindex(columns=list(RAG_ORDER), fill_value=0)


def portfolio_trend(trend: pd.DataFrame, *, title: str) -> go.Figure:
    """Stacked columns of computed red / amber / green (/ unknown) at each month-end.

    Args:
        trend: ``rag_trend`` output: ``date`` and a count column per RAG value.
        title: Chart title.
    """
    labels = [f"{pd.Timestamp(d):%b %Y}" for d in trend["date"]]
    fig = go.Figure(
        [
            go.Bar(
                name=RAG_LABELS[value],
                x=labels,
                y=trend[value].tolist(),
                marker_color=RAG_COLOURS[value],
                text=[str(int(n)) if n else "" for n in trend[value]],
                textposition="inside",
                hovertemplate="%{x}: %{y} " + RAG_LABELS[value] + "<extra></extra>",
            )
            for value in ("red", "amber", "green", "unknown")
            if value in trend.columns and (value != "unknown" or trend[value].sum() > 0)
        ]
    )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title_text="Month-end", type="category")
    fig.update_yaxes(title_text="Open projects (count)")
    return apply_theme(fig, title=title, height=360)
