"""How the review writes a cell and a table: the page's tables and the pack's slides agree.

Money, shares and dates go through ``dashboard.formats`` (docs/ux.md "Formats"); a missing
value is a blank cell. Sizes are the review's own: slips in days, money moves in percent.
"""

from __future__ import annotations

import math

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from dashboard import formats

SLIP_KINDS = ("milestone_slip", "finish_slip")
"""Kinds of change whose size is a number of days."""


def missing(value: object) -> bool:
    """Whether ``value`` is absent: None, NaN, NaT or NA."""
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def format_size(value: float | str | None, kind: str) -> str:
    """Slip days as ``+46 days``; money moves as ``+27.7%`` (``from zero`` when infinite).

    ``value`` may also be the document's ``"inf"`` (JSON has no infinity).
    """
    if missing(value):
        return ""
    if kind in SLIP_KINDS:
        return f"+{float(value):.0f} days"
    number = float(value)
    if math.isinf(number):
        return "from zero"
    return f"{number:+.1f}%"


def money(value: object, currency: str) -> str:
    """``£1,200,000`` (the one money format, ``dashboard.formats``); blank when missing."""
    return "" if missing(value) else formats.money(value, currency)


def day(value: object) -> str:
    """A date as ``YYYY-MM-DD`` (``dashboard.formats``); blank when missing."""
    return "" if missing(value) else formats.day(value)


def signed_percent(value: float | None) -> str:
    """A change already in percent, signed (``+2.0%``); ``–`` when missing."""
    return formats.MISSING if missing(value) else f"{value:+.1f}%"


def count(value: int | None) -> str:
    """A whole number with separators (``1,234``); blank when missing."""
    return "" if missing(value) else f"{int(value):,}"


def score(value: float | None) -> str:
    """A priority score to one decimal; blank when missing."""
    return "" if missing(value) else f"{float(value):.1f}"


def text(value: object) -> str:
    """``value`` when it is text, else blank (a missing name, owner or division)."""
    return value if isinstance(value, str) else ""


def review_table(header: list[str], rows: list[html.Tr]) -> dbc.Table:
    """A plain, striped table of the review (printed whole; a grid would print one screen)."""
    return dbc.Table(
        [html.Thead(html.Tr([html.Th(h) for h in header])), html.Tbody(rows)],
        size="sm",
        striped=True,
        responsive=True,  # scrolls inside its card on a phone, not the page
        className="review-table mb-0",
    )
