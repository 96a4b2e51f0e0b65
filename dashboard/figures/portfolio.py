"""Portfolio charts: health by division and value vs risk."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.theme import (
    RAG_COLOURS,
    RAG_LABELS,
    RAG_ORDER,
    apply_theme,
    stacked_rag_bars,
)


def division_rag_bar(projects: pd.DataFrame, rag_column: str, *, title: str) -> go.Figure:
    """Horizontal stacked bars: projects per division, split by RAG (unknown = no RAG).

    Args:
        projects: One row per project with ``division`` and ``rag_column``.
        rag_column: The RAG column to split by (reported or computed).
        title: Chart title.
    """
    rag = projects[rag_column].astype("string").fillna("unknown")
    counts = (
        pd.crosstab(projects["division"], rag)
        .reindex(columns=list(RAG_ORDER), fill_value=0)
        .sort_index(ascending=False)
    )
    fig = go.Figure(stacked_rag_bars(counts, counts.index.tolist()))
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title_text="Projects (count)")
    fig.update_yaxes(title_text="Division")
    return apply_theme(fig, title=title, height=max(260, 60 + 45 * len(counts)))


def value_risk_bubble(health: pd.DataFrame, *, title: str) -> go.Figure:
    """Strategic value (x) against risk exposure (y), bubble area = budget, colour = health.

    Args:
        health: ``assess_health`` rows; needs ``project_id``, ``name``, ``strategic_alignment``,
            ``raid_open_high``, ``raid_open_critical``, ``budget`` and ``overall``.
        title: Chart title.
    """
    frame = health.assign(
        risk=health["raid_open_high"].fillna(0) + health["raid_open_critical"].fillna(0),
        value=health["strategic_alignment"].astype("Float64"),
        rag=health["overall"].astype("string").fillna("unknown"),
    )
    budget = frame["budget"].fillna(0).astype(float)
    size_ref = 2.0 * max(float(budget.max()), 1.0) / (40.0**2)
    traces = []
    for value in RAG_ORDER:
        part = frame[frame["rag"] == value]
        if part.empty:
            continue
        traces.append(
            go.Scatter(
                name=RAG_LABELS[value],
                # numpy arrays, not lists: plotly validates lists element by element (20x slower)
                x=part["value"].to_numpy(dtype=float, na_value=np.nan),
                y=part["risk"].to_numpy(dtype=float),
                mode="markers",
                marker={
                    "size": part["budget"].fillna(0).to_numpy(dtype=float),
                    "sizemode": "area",
                    "sizeref": size_ref,
                    "sizemin": 4,
                    "color": RAG_COLOURS[value],
                    "line": {"width": 1, "color": "white"},
                    "opacity": 0.8,
                },
                customdata=part[["project_id", "name"]].astype(str).to_numpy(),
                hovertemplate="%{customdata[0]} %{customdata[1]}<br>alignment %{x}, "
                "open high/critical RAID %{y}<extra>" + RAG_LABELS[value] + "</extra>",
            )
        )
    fig = go.Figure(traces)
    fig.update_xaxes(title_text="Strategic alignment (1–5)", range=[0.5, 5.5], dtick=1)
    fig.update_yaxes(title_text="Open high/critical RAID items (count)", rangemode="tozero")
    return apply_theme(fig, title=title, height=380)
