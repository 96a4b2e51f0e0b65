"""Data & compliance charts: compliance league by division and status-report freshness."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.theme import RAG_COLOURS, apply_theme
from dashboard.formats import percent

SCORE_COLOUR = "#0072B2"  # Okabe-Ito blue: a score, not a RAG judgement
FRESHNESS_NAMES = {
    "red": "Stopped reporting",
    "amber": "Late",
    "green": "On time",
    "unknown": "Unknown",
}


def compliance_league_bar(league: pd.DataFrame, *, title: str) -> go.Figure:
    """Average compliance score per division, best at the top, labelled with score and rank.

    Args:
        league: ``compliance_league`` output; needs ``rank``, ``division``, ``projects``,
            ``average_score``, ``fully_compliant_share``, ``most_failed_check``.
        title: Chart title.
    """
    frame = league.sort_values(["average_score", "division"], ascending=[True, False])
    labels = [
        f"#{rank} · {score:.0f}"
        for rank, score in zip(frame["rank"], frame["average_score"], strict=True)
    ]
    custom = frame[["projects", "fully_compliant_share", "most_failed_check"]].copy()
    custom["fully_compliant_share"] = custom["fully_compliant_share"].map(percent)
    custom["most_failed_check"] = (
        custom["most_failed_check"].replace("", "none").str.replace("_", " ")
    )
    fig = go.Figure(
        go.Bar(
            name="Average score",
            y=frame["division"].astype("str").tolist(),
            x=frame["average_score"].astype(float).round(1).tolist(),
            orientation="h",
            marker_color=SCORE_COLOUR,
            text=labels,
            textposition="inside",
            insidetextanchor="end",
            customdata=custom.astype("str").to_numpy().tolist(),
            hovertemplate="%{y}: average %{x:.1f} of 100<br>%{customdata[0]} projects, "
            "%{customdata[1]} fully compliant<br>most failed: %{customdata[2]}<extra></extra>",
        )
    )
    fig.update_xaxes(title_text="Average compliance score (0–100)", range=[0, 100])
    fig.update_yaxes(title_text="Division")
    fig.update_layout(showlegend=False)
    return apply_theme(fig, title=title, height=max(260, 80 + 42 * len(frame)))


def freshness_bar(
    freshness: pd.DataFrame,
    *,
    cadence_days: int,
    stale_red_days: int,
    title: str,
    top_n: int = 15,
) -> go.Figure:
    """The ``top_n`` oldest last status reports as bars, with the cadence and red lines.

    Projects that never reported have no bar (they lead the table below the chart).

    Args:
        freshness: ``freshness_table`` output; needs ``project_id``, ``name``,
            ``days_since_report``, ``freshness``.
        cadence_days: Expected days between reports (a dashed line).
        stale_red_days: Days after which reporting has stopped (a dotted line).
        title: Chart title.
        top_n: Bars to draw.
    """
    reported = freshness.dropna(subset=["days_since_report"])
    top = reported.sort_values("days_since_report", ascending=False, kind="stable").head(top_n)
    top = top.iloc[::-1]
    labels = (top["project_id"].astype("str") + " " + top["name"].fillna("").astype("str")).str[:40]
    fig = go.Figure(_freshness_traces(top, labels))
    fig.update_layout(barmode="overlay")
    fig.update_yaxes(categoryorder="array", categoryarray=labels.tolist(), title_text="Project")
    _reference_lines(fig, cadence_days=cadence_days, stale_red_days=stale_red_days)
    longest = float(top["days_since_report"].max()) if len(top) else float(stale_red_days)
    fig.update_xaxes(
        title_text="Days since last status report (days)",
        range=[0, max(longest, stale_red_days) * 1.15],
    )
    return apply_theme(fig, title=title, height=max(300, 90 + 24 * len(top)))


def _freshness_traces(top: pd.DataFrame, labels: pd.Series) -> list[go.Bar]:
    """One bar trace per freshness colour present, so the legend names each colour once."""
    traces = []
    for rag, name in FRESHNESS_NAMES.items():
        part = top["freshness"] == rag
        if not part.any():
            continue
        traces.append(
            go.Bar(
                name=name,
                y=labels[part].tolist(),
                x=top.loc[part, "days_since_report"].astype(float).tolist(),
                orientation="h",
                marker_color=RAG_COLOURS[rag],
                text=[f"{d:.0f} d" for d in top.loc[part, "days_since_report"]],
                textposition="outside",
                hovertemplate="%{y}: last report %{x:.0f} days ago (" + name + ")<extra></extra>",
            )
        )
    return traces


def _reference_lines(fig: go.Figure, *, cadence_days: int, stale_red_days: int) -> None:
    """The cadence (dashed) and the stopped-reporting limit (dotted, red) as vertical lines."""
    fig.add_vline(
        x=cadence_days,
        line_dash="dash",
        line_color="#555555",
        annotation_text=f"cadence {cadence_days} d",
        annotation_position="top",
    )
    fig.add_vline(
        x=stale_red_days,
        line_dash="dot",
        line_color=RAG_COLOURS["red"],
        annotation_text=f"stopped {stale_red_days} d",
        annotation_position="top",
    )
