"""Pure plotly builders: a frame in, a ``go.Figure`` out; one theme and one RAG palette.

The RAG colours are the Okabe-Ito colour-blind-safe set (bluish green, orange, vermillion), and
every RAG trace is also labelled in words, so colour is never the only signal.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

RAG_ORDER = ("green", "amber", "red", "unknown")
RAG_LABELS = {"green": "Green", "amber": "Amber", "red": "Red", "unknown": "Unknown"}
RAG_COLOURS = {"green": "#009E73", "amber": "#E69F00", "red": "#D55E00", "unknown": "#999999"}
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


def apply_theme(fig: go.Figure, *, title: str, height: int = 360) -> go.Figure:
    """The shared look: white background, readable font, title, compact margins."""
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 15}},
        template="plotly_white",
        font={"family": FONT, "size": 12},
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        height=height,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1},
    )
    return fig


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
    fig = go.Figure(
        [
            go.Bar(
                name=RAG_LABELS[value],
                y=counts.index.tolist(),
                x=counts[value].tolist(),
                orientation="h",
                marker_color=RAG_COLOURS[value],
                text=counts[value].where(counts[value] > 0).tolist(),
                textposition="inside",
                hovertemplate="%{y}: %{x} " + RAG_LABELS[value] + "<extra></extra>",
            )
            for value in RAG_ORDER
            if counts[value].sum() > 0
        ]
    )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title_text="Projects (count)")
    fig.update_yaxes(title_text="Division")
    return apply_theme(fig, title=title, height=max(260, 60 + 45 * len(counts)))
