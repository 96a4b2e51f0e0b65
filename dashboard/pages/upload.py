"""Upload: drop exports, preview what a load would do, confirm to publish them (PMO only)."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html

from dashboard import uploads
from dashboard.components import upload_report as report
from dashboard.config import get_settings
from dashboard.ids import UploadIds as ids
from dashboard.scope import current_scope

dash.register_page(
    __name__,
    path="/upload",
    name="Upload",
    title="PMO Lens · Upload",
    order=6,
    pmo_only=True,
)


def layout(**_query: str) -> dbc.Container:
    if not current_scope().can_upload:
        return dbc.Container(report.pmo_only_notice(), fluid=True)
    settings = get_settings()
    return dbc.Container(
        [
            html.H2("Upload exports"),
            html.P(
                "Files are checked first and nothing is loaded until you confirm. Each sheet is "
                "detected separately; rejected rows are listed with their reasons and never "
                "loaded. Loading the same file twice changes nothing.",
                className="text-muted",
            ),
            report.upload_zone(ids.UPLOAD, settings.max_upload_mb),
            html.Div(id=ids.UPLOAD_STATUS, role="status", className="pmo-upload-status my-2"),
            dcc.Loading(html.Div(id=ids.PREVIEW), type="default"),
            dcc.Store(id=ids.PENDING, data=[]),
            html.Div(
                [
                    dbc.Button(
                        "Load into the dashboard", id=ids.CONFIRM, color="primary", disabled=True
                    ),
                    html.Span(id=ids.CONFIRM_STATUS, role="status", className="ms-3"),
                ],
                className="my-3",
            ),
            dcc.Loading(html.Div(id=ids.RESULT), type="default"),
        ],
        fluid=True,
    )


# ``running`` shows progress; its "off" status is what stays if the request fails (a 413 never
# reaches the callback). On success the callback's own status output replaces it.
@callback(
    Output(ids.PREVIEW, "children"),
    Output(ids.PENDING, "data"),
    Output(ids.CONFIRM, "disabled"),
    Output(ids.UPLOAD_STATUS, "children"),
    Output(ids.RESULT, "children", allow_duplicate=True),
    Output(ids.CONFIRM_STATUS, "children", allow_duplicate=True),
    Input(ids.UPLOAD, "contents"),
    State(ids.UPLOAD, "filename"),
    prevent_initial_call=True,
    running=[
        (Output(ids.UPLOAD, "disabled"), True, False),
        (Output(ids.UPLOAD_STATUS, "children"), report.CHECKING, report.UPLOAD_DID_NOT_COMPLETE),
    ],
)
def on_upload(contents: list[str] | None, filenames: list[str] | None) -> tuple:
    """Store the dropped files and preview a dry run of the loader on them."""
    if not current_scope().can_upload:
        return report.pmo_only_notice(), [], True, "Nothing was saved.", None, ""
    check = uploads.check_upload(contents, filenames, get_settings())
    pending = check.pending
    return report.upload_preview(check), pending, not pending, report.check_status(check), None, ""


@callback(
    Output(ids.RESULT, "children"),
    Output(ids.CONFIRM, "disabled", allow_duplicate=True),
    Output(ids.CONFIRM_STATUS, "children"),
    Output(ids.PENDING, "data", allow_duplicate=True),
    Input(ids.CONFIRM, "n_clicks"),
    State(ids.PENDING, "data"),
    prevent_initial_call=True,
    running=[
        (Output(ids.CONFIRM, "disabled"), True, False),
        (Output(ids.UPLOAD, "disabled"), True, False),
        (Output(ids.CONFIRM_STATUS, "children"), report.LOADING, report.LOAD_DID_NOT_COMPLETE),
    ],
)
def on_confirm(_clicks: int | None, pending: list[dict] | None) -> tuple:
    """Load the previewed files for real and report the published version."""
    if not current_scope().can_upload:
        return report.pmo_only_notice(), True, "Nothing was loaded.", []
    outcome = uploads.confirm_upload(pending, get_settings())
    return report.load_report(outcome), True, report.load_status(outcome), []
