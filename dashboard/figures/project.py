"""Project charts: reported vs computed RAG over time, earned value, milestone slips."""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go

from dashboard import formats
from dashboard.figures.theme import RAG_COLOURS, RAG_LABELS, RAG_ORDER, apply_theme

RAG_LEVEL = {"green": 0, "amber": 1, "red": 2}
"""Vertical position of each RAG on the history chart (labelled in words on the axis)."""

OFFSET = 0.1
"""Reported points sit just above their RAG line and computed ones just below, so neither hides."""

NEUTRAL = "#6c757d"
"""Lines that join RAG markers: grey, so only the markers carry RAG colour."""

LEGEND_BELOW = {"orientation": "h", "yanchor": "top", "y": -0.3, "xanchor": "left", "x": 0}
"""Half-width charts: the legend goes under the plot so it never covers the title."""


def rag_history_chart(history: pd.DataFrame, *, title: str) -> go.Figure:
    """Reported and computed RAG at each date: two step lines on a Green/Amber/Red axis.

    Markers are coloured by RAG and sit on an axis labelled in words; reported points are
    circles, computed ones diamonds, and watermelons (reported green/amber, computed red) get
    a ringed marker of their own, so colour is never the only signal. Unknown RAG leaves a gap.

    Args:
        history: ``health_history`` rows; needs ``as_of``, ``reported_rag``, ``overall``,
            ``overall_reason`` and ``watermelon``.
        title: Chart title.
    """
    dates = pd.to_datetime(history["as_of"])
    traces = [*_rag_lines(history, dates), *_watermelon_rings(history, dates)]
    fig = go.Figure(traces)
    fig.update_yaxes(
        title_text="RAG",
        tickmode="array",
        tickvals=list(RAG_LEVEL.values()),
        ticktext=[RAG_LABELS[k] for k in RAG_LEVEL],
        range=[-0.5, 2.5],
    )
    fig.update_xaxes(title_text="Date (status report / as-of)")
    return _legend_below(apply_theme(fig, title=title, height=400))


def earned_value_chart(
    earned_value: pd.DataFrame,
    *,
    budget: float | None,
    eac: float | None,
    currency: str,
    title: str,
) -> go.Figure:
    """Planned value, earned value and actual cost over time, against the budget and the EAC.

    Args:
        earned_value: ``earned_value_history`` rows; needs ``date``, ``point``,
            ``planned_value``, ``earned_value``, ``actual_cost``, ``spi``, ``cpi``.
        budget: Budget at completion (BAC) drawn as a reference line; None = not drawn.
        eac: Estimate at completion drawn as a reference line; None = not drawn.
        currency: ISO code for the axis label.
        title: Chart title.
    """
    frame = earned_value.assign(date=pd.to_datetime(earned_value["date"]))
    fig = go.Figure(_value_traces(frame))
    lines = (
        (budget, "Budget (BAC)", "dot", "top left"),
        (eac, "EAC", "dashdot", "bottom right"),
    )
    for value, label, dash, position in lines:
        if value is not None and pd.notna(value):
            fig.add_hline(
                y=float(value),
                line={"color": "#000000", "dash": dash, "width": 1},
                annotation_text=f"{label} {formats.money(value, currency)}",
                annotation_position=position,
            )
    fig.update_xaxes(title_text="Date")
    fig.update_yaxes(title_text=f"Cumulative cost ({currency})", rangemode="tozero")
    return _legend_below(apply_theme(fig, title=title, height=400))


def milestone_chart(timeline: pd.DataFrame, *, as_of: date, title: str) -> go.Figure:
    """Dumbbells from each milestone's baseline to its forecast (or actual) date.

    The baseline is a hollow grey circle; the second marker sits where the slip runs to (the
    actual or forecast date; the as-of date for an overdue milestone), coloured by ``slip_rag``
    and labelled with the slip in days, the RAG and the status in words; a vertical line marks
    the as-of date.

    Args:
        timeline: ``milestone_timeline`` rows; needs ``milestone``, ``baseline_date``,
            ``slip_to``, ``status``, ``slip_days``, ``slip_rag``.
        as_of: The as-of date (vertical line).
        title: Chart title.
    """
    frame = timeline.assign(
        label=timeline["milestone"].astype("string").fillna(""),
        rag=timeline["slip_rag"].astype("string").fillna("unknown"),
        baseline=pd.to_datetime(timeline["baseline_date"]),
        expected=pd.to_datetime(timeline["slip_to"]),
    )
    # Plotly needs distinct category names; a repeated milestone name gets its row number.
    duplicated = frame["label"].duplicated(keep=False)
    frame["label"] = frame["label"].where(
        ~duplicated, frame["label"] + " (" + (frame.index + 1).astype(str) + ")"
    )
    fig = go.Figure([*_baseline_traces(frame), *_slip_traces(frame)])
    # A date axis even without milestones: else plotly reads the as-of line's date as NaN.
    fig.update_xaxes(type="date")
    _mark_as_of(fig, as_of)
    fig.update_yaxes(
        title_text="Milestone",
        categoryorder="array",
        categoryarray=frame["label"].tolist()[::-1],
    )
    fig.update_xaxes(
        title_text="Date (baseline → forecast or actual)", range=_date_range(frame, as_of)
    )
    return apply_theme(fig, title=title, height=max(280, 130 + 40 * len(frame)))


def _rag_lines(history: pd.DataFrame, dates: pd.Series) -> list[go.Scatter]:
    """The reported (circles, dotted) and computed (diamonds, solid) step lines."""
    series = {
        "Reported by the team": (history["reported_rag"], "circle", "dot", OFFSET),
        "Computed from the numbers": (history["overall"], "diamond", "solid", -OFFSET),
    }
    traces = []
    for name, (values, symbol, dash, offset) in series.items():
        rag = values.astype("string").fillna("unknown")
        reasons = (
            history["overall_reason"].astype("string").fillna("")
            if name.startswith("Computed")
            else pd.Series("", index=history.index)
        )
        traces.append(
            go.Scatter(
                name=name,
                x=dates.tolist(),
                y=[RAG_LEVEL[v] + offset if v in RAG_LEVEL else None for v in rag],
                mode="lines+markers",
                line={"shape": "hv", "color": NEUTRAL, "dash": dash, "width": 1.5},
                marker={
                    "symbol": symbol,
                    "size": 11,
                    "color": [RAG_COLOURS[v] for v in rag],
                    "line": {"width": 1, "color": "white"},
                },
                text=[RAG_LABELS[v] for v in rag],
                customdata=reasons.tolist(),
                hovertemplate="%{x|%Y-%m-%d}: %{text}<br>%{customdata}<extra>" + name + "</extra>",
            )
        )
    return traces


def _watermelon_rings(history: pd.DataFrame, dates: pd.Series) -> list[go.Scatter]:
    """A ring around each computed-red point the team reported green or amber (none: no trace)."""
    melon = history["watermelon"].fillna(False).astype(bool).to_numpy()
    if not melon.any():
        return []
    return [
        go.Scatter(
            name="Watermelon (reported green/amber, computed red)",
            x=dates[melon].tolist(),
            y=[RAG_LEVEL["red"] - OFFSET] * int(melon.sum()),
            mode="markers",
            marker={
                "symbol": "circle-open",
                "size": 20,
                "color": RAG_COLOURS["red"],
                "line": {"width": 2},
            },
            hovertemplate="%{x|%Y-%m-%d}: watermelon<extra></extra>",
        )
    ]


def _value_traces(frame: pd.DataFrame) -> list[go.Scatter]:
    """PV as a dashed line through the plan and report points; EV and AC at each report."""
    reports = frame[frame["point"] == "report"]
    plan = frame.dropna(subset=["planned_value"])
    return [
        go.Scatter(
            name="Planned value (PV)",
            x=plan["date"].tolist(),
            y=plan["planned_value"].tolist(),
            mode="lines",
            line={"color": NEUTRAL, "dash": "dash", "width": 2},
            hovertemplate="%{x|%Y-%m-%d}: PV %{y:,.0f}<extra></extra>",
        ),
        go.Scatter(
            name="Earned value (EV)",
            x=reports["date"].tolist(),
            y=reports["earned_value"].tolist(),
            mode="lines+markers",
            line={"color": "#0072B2", "width": 2},
            marker={"symbol": "circle", "size": 6},
            customdata=reports["spi"].tolist(),
            hovertemplate="%{x|%Y-%m-%d}: EV %{y:,.0f} (SPI %{customdata:.2f})<extra></extra>",
        ),
        go.Scatter(
            name="Actual cost (AC)",
            x=reports["date"].tolist(),
            y=reports["actual_cost"].tolist(),
            mode="lines+markers",
            line={"color": "#CC79A7", "width": 2},
            marker={"symbol": "square", "size": 6},
            customdata=reports["cpi"].tolist(),
            hovertemplate="%{x|%Y-%m-%d}: AC %{y:,.0f} (CPI %{customdata:.2f})<extra></extra>",
        ),
    ]


def _baseline_traces(frame: pd.DataFrame) -> list[go.Scatter]:
    """Grey links from each baseline to where the slip runs to, and hollow baseline circles."""
    link_x: list = []
    link_y: list = []
    for row in frame.itertuples():
        link_x += [row.baseline, row.expected, None]
        link_y += [row.label, row.label, None]
    return [
        go.Scatter(
            name="Baseline → forecast",
            x=link_x,
            y=link_y,
            mode="lines",
            line={"color": "#adb5bd", "width": 3},
            hoverinfo="skip",
            showlegend=False,
        ),
        go.Scatter(
            name="Baseline",
            x=frame["baseline"].tolist(),
            y=frame["label"].tolist(),
            mode="markers",
            marker={"symbol": "circle-open", "size": 11, "color": NEUTRAL, "line": {"width": 2}},
            hovertemplate="%{y}<br>baseline %{x|%Y-%m-%d}<extra></extra>",
        ),
    ]


def _slip_traces(frame: pd.DataFrame) -> list[go.Scatter]:
    """One trace per slip RAG: the marker where the slip runs to, labelled in words."""
    traces = []
    for rag in RAG_ORDER:
        part = frame[frame["rag"] == rag]
        if part.empty:
            continue
        words = [
            f"{_slip_words(slip)} · {RAG_LABELS[rag]}"
            + ("" if status == "achieved" else f" · {status}")
            for slip, status in zip(
                part["slip_days"].astype("float64"), part["status"].astype("str"), strict=True
            )
        ]
        traces.append(
            go.Scatter(
                name=f"Slip: {RAG_LABELS[rag]}",
                x=part["expected"].tolist(),
                y=part["label"].tolist(),
                mode="markers+text",
                marker={"symbol": "circle", "size": 12, "color": RAG_COLOURS[rag]},
                text=words,
                textposition="middle right",
                customdata=part["status"].astype("string").fillna("").tolist(),
                hovertemplate="%{y}<br>%{customdata} %{x|%Y-%m-%d}<br>%{text}<extra></extra>",
            )
        )
    return traces


def _mark_as_of(fig: go.Figure, as_of: date) -> None:
    """A dotted vertical line at the as-of date, labelled at the top."""
    # add_vline's own annotation cannot place itself on a date axis, hence a separate annotation.
    fig.add_vline(x=as_of.isoformat(), line={"color": "#000", "dash": "dot"})
    fig.add_annotation(
        x=as_of.isoformat(),
        y=1,
        yref="paper",
        text=f"as of {as_of.isoformat()}",
        showarrow=False,
        xanchor="right",
        yanchor="top",
        font={"size": 11},
    )


def _legend_below(fig: go.Figure) -> go.Figure:
    fig.update_layout(legend=LEGEND_BELOW)
    return fig


def _date_range(frame: pd.DataFrame, as_of: date) -> list[str] | None:
    """Dates shown: every marker and the as-of line, with room on the right for the labels."""
    dates = pd.concat([frame["baseline"], frame["expected"]]).dropna()
    if dates.empty:
        return None
    lo, hi = dates.min(), max(dates.max(), pd.Timestamp(as_of))
    span = max(hi - lo, pd.Timedelta(days=30))
    return [(lo - span * 0.03).isoformat(), (hi + span * 0.2).isoformat()]


def _slip_words(days: float) -> str:
    if pd.isna(days):
        return "no slip data"
    if days == 0:
        return "on baseline"
    return f"{days:+.0f} d"
