"""The wiring every export callback shares: two buttons' clicks in, one download out.

A page's export callback is ``@callback(*export_dependencies(...), prevent_initial_call=True)``
and picks the file type with :func:`export_format` from ``dash.ctx.triggered_id`` (read in the
callback itself); the buttons come from ``components.export_buttons``.
"""

from __future__ import annotations

from dash import Input, Output, State


def export_dependencies(
    download_id: str, csv_id: str, xlsx_id: str, state: State
) -> tuple[Output, Input, Input, State]:
    """The download's data as output, both buttons' clicks as inputs, and what says what to export.

    Args:
        download_id: Id of the ``dcc.Download``.
        csv_id: Id of the CSV button.
        xlsx_id: Id of the Excel button.
        state: The state the callback reads (the URL's query, or the page's context store).
    """
    return (
        Output(download_id, "data"),
        Input(csv_id, "n_clicks"),
        Input(xlsx_id, "n_clicks"),
        state,
    )


def export_format(triggered_id: object, xlsx_id: str) -> str:
    """``"xlsx"`` when the Excel button was clicked, else ``"csv"``."""
    return "xlsx" if triggered_id == xlsx_id else "csv"
