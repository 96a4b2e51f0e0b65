"""The shared look of every chart: one theme and one RAG palette.

The RAG colours are the Okabe-Ito colour-blind-safe set (bluish green, orange, vermillion), and
every RAG trace is also labelled in words, so colour is never the only signal.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

RAG_ORDER = ("green", "amber", "red", "unknown")
RAG_LABELS = {"green": "Green", "amber": "Amber", "red": "Red", "unknown": "Unknown"}
RAG_COLOURS = {"green": "#009E73", "amber": "#E69F00", "red": "#D55E00", "unknown": "#999999"}
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"

# The white template as every figure's default: plotly then attaches it when a figure is made
# (about 1 ms), where ``update_layout(template=...)`` validated and copied it for every figure
# (about 40 ms; docs/performance.md). The JSON sent is the same.
pio.templates.default = "plotly_white"


def apply_theme(fig: go.Figure, *, title: str, height: int = 360) -> go.Figure:
    """The shared look: white background, readable font, title, compact margins."""
    fig.update_layout(
        # The title on the first line, the legend on its own line under it: on a 390 px phone
        # a legend beside the title wraps over it.
        title={
            "text": title,
            "x": 0,
            "xanchor": "left",
            "y": 1,
            "yref": "container",
            "yanchor": "top",
            "pad": {"t": 8},
            "font": {"size": 15},
        },
        font={"family": FONT, "size": 12},
        margin={"l": 10, "r": 10, "t": 74, "b": 10},
        height=height,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "left", "x": 0},
    )
    return fig


def stacked_rag_bars(counts: pd.DataFrame, y: list) -> list[go.Bar]:
    """Horizontal bar traces, one per RAG value present, for ``barmode="stack"``.

    Args:
        counts: One row per bar, a column per RAG value of ``RAG_ORDER`` (counts).
        y: The bar labels (a list, or a two-level list for grouped labels).
    """
    return [
        go.Bar(
            name=RAG_LABELS[value],
            y=y,
            x=counts[value].tolist(),
            orientation="h",
            marker_color=RAG_COLOURS[value],
            text=[str(int(n)) if n else "" for n in counts[value]],
            textposition="inside",
            hovertemplate="%{y}: %{x} " + RAG_LABELS[value] + "<extra></extra>",
        )
        for value in RAG_ORDER
        if counts[value].sum() > 0
    ]
