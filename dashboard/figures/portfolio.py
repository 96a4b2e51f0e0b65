"""Portfolio charts: health by division and value vs risk."""

from __future__ import annotations

import html

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


HOVER_LIST_LIMIT = 20
"""Projects named in one point's hover; beyond it the hover says how many more (a 10,000-project
portfolio puts hundreds on one point, and a hover taller than the screen helps nobody)."""
RAG_OFFSETS = {"green": -0.27, "amber": -0.09, "red": 0.09, "unknown": 0.27}
"""Side-by-side positions of the RAG groups within one alignment score, so none hides another."""


def value_risk_points(health: pd.DataFrame) -> pd.DataFrame:
    """One row per (strategic alignment, open high/critical RAID, health) point of the chart.

    Args:
        health: ``assess_health`` rows; needs ``project_id``, ``name``, ``strategic_alignment``,
            ``raid_open_high``, ``raid_open_critical``, ``budget`` and ``overall``.

    Returns:
        Columns ``value``, ``risk``, ``rag``, ``projects`` (count), ``budget`` (sum), ``first_id``
        (the project id when the point holds one project, else ""), ``names`` (hover text listing
        the projects, at most ``HOVER_LIST_LIMIT``), sorted by rag then value then risk.
        Projects without an alignment score are left out (they have no x).
    """
    frame = pd.DataFrame(
        {
            "value": health["strategic_alignment"].astype("Float64"),
            "risk": (health["raid_open_high"].fillna(0) + health["raid_open_critical"].fillna(0))
            .astype("float64")
            .to_numpy(),
            "rag": health["overall"].astype("string").fillna("unknown").to_numpy(),
            "budget": health["budget"].astype("float64").to_numpy(),
            "label": (
                health["project_id"].astype(str) + " " + health["name"].astype(str)
            ).to_numpy(),
            "project_id": health["project_id"].astype(str).to_numpy(),
        }
    ).dropna(subset=["value"])
    grouped = frame.sort_values("label").groupby(["rag", "value", "risk"], sort=True)
    points = grouped.agg(
        projects=("label", "size"),
        budget=("budget", "sum"),
        first_id=("project_id", "first"),
        labels=("label", list),
    ).reset_index()
    points["first_id"] = points["first_id"].where(points["projects"] == 1, "")
    points["names"] = [_hover_names(labels) for labels in points.pop("labels")]
    return points


def _hover_names(labels: list[str]) -> str:
    # Plotly reads <b>, <br> etc. in hover text: user text is escaped, never markup.
    shown = "<br>".join(html.escape(label) for label in labels[:HOVER_LIST_LIMIT])
    more = len(labels) - HOVER_LIST_LIMIT
    return shown + (f"<br>… and {more} more: filter or see the grid" if more > 0 else "")


def value_risk_bubble(health: pd.DataFrame, *, title: str) -> go.Figure:
    """Strategic value (x) against risk exposure (y): one bubble per point, area = projects.

    Projects sharing a score are one bubble whose hover lists them, and each health colour sits
    beside the others rather than on top, so 150 or 10,000 projects stay readable.

    Args:
        health: ``assess_health`` rows (see :func:`value_risk_points`).
        title: Chart title.
    """
    points = value_risk_points(health)
    # The largest bubble is 24 px across: neighbours 0.18 units apart stay apart.
    size_ref = 2.0 * max(float(points["projects"].max()) if len(points) else 1.0, 1.0) / 24.0**2
    traces = []
    for value in RAG_ORDER:
        part = points[points["rag"] == value]
        if part.empty:
            continue
        traces.append(
            go.Scatter(
                name=RAG_LABELS[value],
                # numpy arrays, not lists: plotly validates lists element by element (20x slower)
                x=part["value"].to_numpy(dtype=float) + RAG_OFFSETS[value],
                y=part["risk"].to_numpy(dtype=float),
                mode="markers",
                marker={
                    "size": part["projects"].to_numpy(dtype=float),
                    "sizemode": "area",
                    "sizeref": size_ref,
                    "sizemin": 6,
                    "color": RAG_COLOURS[value],
                    "line": {"width": 1, "color": "#333333"},
                    "opacity": 0.85,
                },
                customdata=np.column_stack(
                    [
                        part["first_id"].to_numpy(dtype=object),
                        part["projects"].to_numpy(dtype=object),
                        part["names"].to_numpy(dtype=object),
                        part["value"].to_numpy(dtype=float).astype(object),
                    ]
                ),
                hovertemplate="<b>%{customdata[1]} project(s)</b>, alignment %{customdata[3]}, "
                "open high/critical RAID %{y}<br>%{customdata[2]}<extra>"
                + RAG_LABELS[value]
                + "</extra>",
            )
        )
    fig = go.Figure(traces)
    fig.update_xaxes(title_text="Strategic alignment (1–5)", range=[0.5, 5.5], dtick=1)
    top = float(points["risk"].max()) if len(points) else 1.0
    # Room below 0 and above the top row, so the bubbles on the edges are drawn whole.
    fig.update_yaxes(title_text="Open high/critical RAID items (count)", range=[-0.6, top + 0.8])
    fig.update_layout(hoverlabel={"align": "left"})
    apply_theme(fig, title=title, height=380)
    # Legend marks at one size: the bubble sizes mean counts, not health.
    fig.update_layout(legend_itemsizing="constant")
    return fig
