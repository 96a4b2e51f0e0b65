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


def stale_notice(served: int, current: int | None) -> html.Small | None:
    """Says that figures come from an earlier version while the newest is being prepared.

    Right after a publish, one process computes the new version's results in the background
    and pages meanwhile show the previous version's (docs/performance.md); None when current.
    """
    if current is None or served >= current:
        return None
    return html.Small(
        f"Figures from data version {served}; version {current} is being prepared — "
        "reload in a moment for the newest.",
        className="pmo-stale-notice text-muted d-block mt-3",
    )
