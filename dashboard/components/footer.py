"""The footer: which data version is shown and as of which date, so a screenshot is traceable."""

from __future__ import annotations

from datetime import date

from dash import html

from dashboard.ids import AppIds


def footer(info: dict | None, as_of: date) -> html.Footer:
    """Footer text from ``Snapshot.info()`` (or None when nothing is loaded yet)."""
    if info is None:
        text = "No data loaded yet: run `python -m loaders demo` or load your files."
    else:
        last = info["last_load"]
        text = (
            f"Data version {info['version']} · {info['loads']} files loaded"
            + (f", last at {last:%Y-%m-%d %H:%M}" if last else "")
            + f" · as of {as_of.isoformat()}"
        )
    return html.Footer(
        html.Small(text, id=AppIds.FOOTER_VERSION),
        id=AppIds.FOOTER,
        className="pmo-footer text-muted border-top mt-4 py-2 px-3",
    )
