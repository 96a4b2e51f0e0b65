"""Capacity charts: utilisation heatmap with bands, demand vs supply, one request's impact.

Band colours are colour-blind safe (Okabe-Ito sky blue, orange and vermillion, plus a pale blue,
told apart by lightness as well as hue), and every cell also carries its percentage, so colour is
never the only signal.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.theme import apply_theme
from dashboard.standards import CapacityBands

BAND_ORDER = ("under", "ok", "over", "critical")
BAND_COLOURS = {"under": "#E3EEF8", "ok": "#56B4E9", "over": "#E69F00", "critical": "#D55E00"}
NO_DATA_COLOUR = "#F2F2F2"
DEMAND_COLOURS = {
    "Active projects": "#0072B2",
    "Approved requests": "#009E73",
    "Pipeline (weighted)": "#CC79A7",
}
ROLE_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")


def utilisation_label(value: float, bands: CapacityBands | None = None) -> str:
    """A cell label: ``"112%"``, ``"no supply"`` (demand, no one) or ``""`` (nothing).

    A value that would round onto a band limit without being on it gets one decimal
    (``"100.4%"``), so the label never contradicts the cell's band.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if math.isinf(value):
        return "no supply"
    limits = () if bands is None else (bands.under, bands.ok, bands.over)
    if any(round(value, 2) == limit and value != limit for limit in limits):
        return f"{value:.1%}"
    return f"{value:.0%}"


def band_labels(bands: CapacityBands) -> dict[str, str]:
    """Legend text per band, with its range: ``"over (100-110%)"``."""
    return {
        "under": f"under (<{bands.under:.0%})",
        "ok": f"ok ({bands.under:.0%}-{bands.ok:.0%})",
        "over": f"over ({bands.ok:.0%}-{bands.over:.0%})",
        "critical": f"critical (>{bands.over:.0%})",
    }


def utilisation_heatmap(frame: pd.DataFrame, bands: CapacityBands, *, title: str) -> go.Figure:
    """Role x month heatmap coloured by band, each cell labelled with its utilisation.

    Args:
        frame: ``role``, ``month``, ``utilisation``, ``band``, ``supply_fte``, ``demand_fte``.
        bands: The band limits, for the legend.
        title: Chart title.
    """
    fig = go.Figure()
    if frame.empty:
        fig.add_annotation(text="No people or demand in this scope", showarrow=False)
        return apply_theme(fig, title=title)
    roles, months, cells = _heatmap_cells(frame, bands)
    labels = band_labels(bands)
    steps = len(BAND_ORDER)
    fig.add_trace(
        go.Heatmap(
            **cells,
            x=[f"{m:%b %Y}" for m in pd.DatetimeIndex(months)],
            y=roles,
            texttemplate="%{text}",
            textfont={"size": 11},
            zmin=0,
            zmax=steps,
            colorscale=_band_colourscale(),
            xgap=2,
            ygap=2,
            colorbar={
                "title": {"text": "Band"},
                "tickvals": [i + 0.5 for i in range(steps)],
                "ticktext": [labels[name] for name in BAND_ORDER],
                "lenmode": "pixels",
                "len": 160,
            },
            hovertemplate=(
                "%{y} · %{x}<br>Utilisation: %{text}<br>Demand %{customdata[0]} FTE "
                "of %{customdata[1]} FTE supply<br>Band: %{customdata[2]}<extra></extra>"
            ),
        )
    )
    fig.update_layout(plot_bgcolor=NO_DATA_COLOUR)
    fig.update_xaxes(title_text="Month", side="bottom", tickangle=-45)
    fig.update_yaxes(title_text="Role", autorange="reversed")
    return apply_theme(fig, title=title, height=max(320, 120 + 34 * len(roles)))


def _heatmap_cells(frame: pd.DataFrame, bands: CapacityBands) -> tuple[list, list, dict]:
    """Roles, months and the cells' ``z`` (band code), ``text`` and ``customdata``.

    Every role x month gets a cell; one with no row stays blank (NaN band).
    """
    roles = sorted(frame["role"].astype(str).unique())
    months = sorted(pd.to_datetime(frame["month"]).unique())
    grid = frame.assign(month=pd.to_datetime(frame["month"])).set_index(["role", "month"])
    grid = grid.reindex(pd.MultiIndex.from_product([roles, months], names=["role", "month"]))
    shape = (len(roles), len(months))
    utilisation = grid["utilisation"].to_numpy(dtype="float64").reshape(shape)
    band = grid["band"].astype("object").to_numpy().reshape(shape)
    code = {name: i for i, name in enumerate(BAND_ORDER)}
    z = np.array(
        [[code[b] + 0.5 if isinstance(b, str) else np.nan for b in row] for row in band],
        dtype="float64",
    )
    labels = band_labels(bands)
    # An object array keeps the FTE figures numbers beside the band text.
    custom = np.empty((*shape, 3), dtype=object)
    custom[:, :, 0] = grid["demand_fte"].to_numpy(dtype="float64").reshape(shape).round(2)
    custom[:, :, 1] = grid["supply_fte"].to_numpy(dtype="float64").reshape(shape).round(2)
    custom[:, :, 2] = [[labels.get(b, "no demand or supply") for b in row] for row in band]
    text = [[utilisation_label(v, bands) for v in row] for row in utilisation]
    return roles, months, {"z": z, "text": text, "customdata": custom}


def _band_colourscale() -> list[list]:
    """A stepped colour scale: each band's colour over its quarter of 0..4."""
    steps = len(BAND_ORDER)
    scale = []
    for i, name in enumerate(BAND_ORDER):
        scale += [[i / steps, BAND_COLOURS[name]], [(i + 1) / steps, BAND_COLOURS[name]]]
    return scale


NOT_PLANNED_FILL = "#BBBBBB"


def demand_supply_chart(
    totals: pd.DataFrame, *, title: str, coverage: pd.DataFrame | None = None
) -> go.Figure:
    """Stacked demand (FTE) by source per month, with supply as a line.

    Months whose plans are mostly missing are shaded and labelled "not yet planned", so a gap
    between demand and supply there is not read as spare capacity.

    Args:
        totals: ``services.capacity_frames.monthly_totals`` output: ``month``, ``supply_fte``
            and one column per demand category.
        title: Chart title.
        coverage: ``services.capacity_frames.planning_coverage`` output (same months), or None.
    """
    fig = go.Figure()
    months = [f"{m:%b %Y}" for m in pd.to_datetime(totals["month"])]
    patterns = {"Pipeline (weighted)": "/"}
    for category, colour in DEMAND_COLOURS.items():
        if category not in totals or not (totals[category] > 0).any():
            continue
        fig.add_trace(
            go.Bar(
                x=months,
                y=totals[category].round(2),
                name=f"Demand: {category.lower()}",
                marker={"color": colour, "pattern": {"shape": patterns.get(category, "")}},
                hovertemplate="%{x}: %{y:.1f} FTE<extra>%{fullData.name}</extra>",
            )
        )
    _add_unplanned(fig, totals, months)
    fig.add_trace(
        go.Scatter(
            x=months,
            y=totals["supply_fte"].round(2),
            name="Supply (after leave)",
            mode="lines+markers",
            line={"color": "#000000", "width": 2},
            marker={"symbol": "diamond"},
            hovertemplate="%{x}: %{y:.1f} FTE<extra>Supply</extra>",
        )
    )
    if coverage is not None and len(coverage):
        _shade_not_planned(fig, coverage)
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title_text="Month", tickangle=-45)
    fig.update_yaxes(title_text="Full-time equivalents (FTE)", rangemode="tozero")
    return apply_theme(fig, title=title)


def _add_unplanned(fig: go.Figure, totals: pd.DataFrame, months: list[str]) -> None:
    """The gap between booked demand and supply, drawn as work not booked yet."""
    booked = sum(
        (totals[c] for c in DEMAND_COLOURS if c in totals), pd.Series(0.0, index=totals.index)
    )
    open_fte = (totals["supply_fte"] - booked).clip(lower=0).round(2)
    if not (open_fte > 0).any():
        return
    # The gap up to supply is work nobody has booked yet (later projects are not planned
    # this far ahead), so it is drawn as "unplanned", never as spare capacity.
    fig.add_trace(
        go.Bar(
            x=months,
            y=open_fte,
            name="Unplanned: not booked yet (not spare capacity)",
            marker={
                "color": "#FFFFFF",
                "line": {"color": "#777777", "width": 1},
                "pattern": {"shape": ".", "fgcolor": "#999999", "size": 6},
            },
            hovertemplate="%{x}: %{y:.1f} FTE not booked yet<extra>Unplanned</extra>",
        )
    )


def _shade_not_planned(fig: go.Figure, coverage: pd.DataFrame) -> None:
    """Grey bands over not-yet-planned months, and a legend entry saying what they mean."""
    flagged = np.flatnonzero(coverage["not_planned"].to_numpy(dtype=bool))
    if not len(flagged):
        return
    for index in flagged:
        fig.add_vrect(
            x0=index - 0.5,
            x1=index + 0.5,
            fillcolor=NOT_PLANNED_FILL,
            opacity=0.35,
            line_width=0,
            layer="below",
        )
    first = int(flagged[0])
    fig.add_annotation(
        x=first - 0.5,
        xanchor="left",
        y=1,
        yref="paper",
        yanchor="bottom",
        text="Not yet planned →",
        showarrow=False,
        font={"size": 11, "color": "#333333"},
    )
    months = [f"{m:%b %Y}" for m in pd.to_datetime(coverage["month"])]
    fig.add_trace(
        go.Bar(
            x=months,
            y=[0] * len(months),
            name="Not yet planned (grey): low demand is missing plans, not free capacity",
            marker={"color": NOT_PLANNED_FILL},
            customdata=np.column_stack(
                [coverage["unplanned"].to_numpy(), coverage["running"].to_numpy()]
            ),
            hovertemplate="%{x}: %{customdata[0]} of %{customdata[1]} running projects have "
            "no allocation<extra></extra>",
        )
    )


def impact_chart(impact: pd.DataFrame, bands: CapacityBands, *, title: str) -> go.Figure:
    """Utilisation of each role the request needs, before (dashed) and after (solid) approval.

    Args:
        impact: ``request_impact`` output by role: ``role``, ``month``, ``utilisation_before``,
            ``utilisation_after``.
        bands: ``ok`` is drawn as the capacity line.
        title: Chart title.
    """
    fig = go.Figure()
    if impact.empty:
        fig.add_annotation(text="This request places no demand in this scope", showarrow=False)
        return apply_theme(fig, title=title)
    for i, (role, rows) in enumerate(impact.groupby("role", sort=True)):
        colour = ROLE_COLOURS[i % len(ROLE_COLOURS)]
        months = pd.to_datetime(rows["month"])
        for column, dash, suffix in (
            ("utilisation_before", "dash", "before"),
            ("utilisation_after", "solid", "after"),
        ):
            values = rows[column].replace([np.inf, -np.inf], np.nan) * 100
            fig.add_trace(
                go.Scatter(
                    x=months,
                    y=values.round(1),
                    name=f"{role} ({suffix})",
                    mode="lines+markers",
                    line={"color": colour, "dash": dash},
                    marker={"symbol": "circle-open" if suffix == "before" else "circle"},
                    hovertemplate="%{x|%b %Y}: %{y:.0f}%<extra>%{fullData.name}</extra>",
                )
            )
    fig.add_hline(
        y=bands.ok * 100,
        line={"color": "#555555", "dash": "dot"},
        annotation_text=f"capacity ({bands.ok:.0%})",
        annotation_position="top left",
    )
    fig.update_xaxes(title_text="Month", tickformat="%b %Y", dtick="M1", tickangle=-45)
    fig.update_yaxes(title_text="Utilisation of the role (%)", rangemode="tozero")
    return apply_theme(fig, title=title)
