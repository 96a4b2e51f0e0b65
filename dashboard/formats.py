"""One formatter for money, percentages, dates and charts: pages, grids, charts and exports agree.

A value reads the same on screen, in a grid, on a chart label and in an exported workbook
(docs/ux.md "Formats"): money with the configured currency's symbol and no pence, percentages as
whole percents of a 0-1 fraction, dates as ``YYYY-MM-DD`` (``05 Nov 2026`` in sentences); every
chart has the same toolbar.
"""

from __future__ import annotations

import pandas as pd

CURRENCY_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}
MISSING = "–"
GRAPH_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}
"""plotly ``config`` of every chart: no plotly logo; "download as PNG" at twice the size."""


def currency_symbol(currency: str) -> str:
    """``"GBP"`` -> ``"£"``; an unknown ISO code is used as a prefix (``"CHF "``)."""
    return CURRENCY_SYMBOLS.get(currency, f"{currency} ")


def money(value: object, currency: str) -> str:
    """``2614000`` -> ``£2,614,000``; a missing value -> ``–``."""
    if value is None or pd.isna(value):
        return MISSING
    amount = float(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}{currency_symbol(currency)}{abs(amount):,.0f}"


def money_short(value: float, currency: str) -> str:
    """``£1.50m`` / ``£250k`` / ``£900``: short money for chart labels."""
    symbol = currency_symbol(currency)
    if abs(value) >= 1e6:
        return f"{symbol}{value / 1e6:,.2f}m"
    if abs(value) >= 1e3:
        return f"{symbol}{value / 1e3:,.0f}k"
    return f"{symbol}{value:,.0f}"


def percent(value: object) -> str:
    """A 0-1 fraction as a whole percentage (``0.456`` -> ``46%``); missing -> ``–``."""
    if value is None or pd.isna(value):
        return MISSING
    return f"{float(value):.0%}"


def day(value: object) -> str:
    """A date as ``YYYY-MM-DD``; a missing one as ``–``."""
    if value is None or pd.isna(value):
        return MISSING
    return pd.Timestamp(value).date().isoformat()


def long_day(value: object) -> str:
    """A date in words for headings and labels (``31 Oct 2026``); a missing one as ``–``."""
    if value is None or pd.isna(value):
        return MISSING
    stamp = pd.Timestamp(value)
    return f"{stamp.day} {stamp:%b %Y}"


def grid_money(currency: str) -> dict:
    """dash-ag-grid ``valueFormatter`` showing money as :func:`money` does."""
    symbol = currency_symbol(currency).replace("\\", "\\\\").replace("'", "\\'")
    return {
        "function": "params.value == null ? '' : (params.value < 0 ? '-' : '') + "
        f"'{symbol}' + d3.format(',.0f')(Math.abs(params.value))"
    }


GRID_PERCENT = {"function": "params.value == null ? '' : d3.format('.0%')(params.value)"}
"""dash-ag-grid ``valueFormatter`` showing a fraction as :func:`percent` does."""

GRID_NUMBER = {"function": "params.value == null ? '' : d3.format(',.0f')(params.value)"}


def xlsx_money(currency: str) -> str:
    """Excel number format for money in ``currency`` (``"£"#,##0``)."""
    symbol = currency_symbol(currency).replace('"', "")
    return f'"{symbol}"#,##0;-"{symbol}"#,##0'


XLSX_PERCENT = "0%"
XLSX_DATE = "yyyy-mm-dd"
XLSX_INTEGER = "#,##0"
XLSX_DECIMAL = "#,##0.00"
