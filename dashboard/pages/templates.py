"""Templates: the PMO's seven Excel templates, each built from pmo.toml and the current data."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, callback, dcc, html, no_update

from dashboard.components.template_cards import template_list
from dashboard.config import get_settings
from dashboard.ids import TemplatesIds as ids
from dashboard.services import templates as services

dash.register_page(
    __name__, path="/templates", name="Templates", title="PMO Lens · Templates", order=7
)


def layout(**_query: str) -> dbc.Container:
    return dbc.Container(
        [
            html.H2("Templates", id=ids.TITLE),
            html.P(
                "Send these to team leads and divisions. Each one carries the PMO's columns, "
                "input hints (hover a header), drop-down lists from the current data and a hidden "
                "sheet that tells PMO Lens which template it is, so a filled one loads as it is "
                "on the Upload page or with python -m loaders ingest.",
                className="text-muted",
            ),
            template_list(services.catalogue(), button_type=ids.DOWNLOAD_BUTTON, list_id=ids.LIST),
            dcc.Download(id=ids.DOWNLOAD),
        ],
        fluid=True,
    )


@callback(
    Output(ids.DOWNLOAD, "data"),
    Input({"type": ids.DOWNLOAD_BUTTON, "kind": ALL}, "n_clicks"),
    prevent_initial_call=True,
)
def on_template_click(_clicks: list[int | None]) -> dict:
    """Build and send the clicked template (the kind is checked by the service)."""
    trigger = dash.ctx.triggered_id
    if not trigger or not any(_clicks):
        return no_update
    try:
        return services.template_download(trigger["kind"], get_settings().as_of_default())
    except ValueError:  # a kind no button offers: a forged request gets nothing
        return no_update
