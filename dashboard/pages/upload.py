"""Upload: drop exports, preview what a load would do, map what detection got wrong, publish.

PMO only. The mapping step and profiles are explained in docs/loaders.md,
"Mapping step and mapping profiles".
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import ALL, MATCH, Input, Output, State, callback, ctx, dcc, html
from dash.exceptions import PreventUpdate

from dashboard import upload_mapping_edits as mapping_edits
from dashboard import upload_mapping_profiles as mapping_profiles
from dashboard import upload_mapping_runs as mapping_runs
from dashboard import upload_mapping_sheets as mapping_sheets
from dashboard import uploads
from dashboard.components import mapping_editor as editor
from dashboard.components import upload_report as report
from dashboard.config import get_settings
from dashboard.ids import UploadIds as ids
from dashboard.ids import UploadMappingIds as mids
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
    rows = mapping_profiles.profile_rows(settings)
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
            html.Div(id=mids.EDITOR),
            dcc.Store(id=ids.PENDING, data=[]),
            dcc.Store(id=mids.FILES, data=[]),
            dcc.Store(id=mids.SHEETS, data=[]),
            dcc.Store(id=mids.EDITS, data=[]),
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
            html.H4("Mapping profiles", className="mt-4"),
            html.Div(editor.profile_table(rows), id=mids.PROFILES),
            editor.profile_controls(rows, mids),
        ],
        fluid=True,
    )


EDITOR_STATES = (
    State(mids.SHEETS, "data"),
    State(mids.EDITS, "data"),
    State({"type": mids.MAP_KIND, "sheet": ALL}, "value"),
    State({"type": mids.MAP_HEADER_ROW, "sheet": ALL}, "value"),
    State({"type": mids.MAP_COLUMN, "sheet": ALL, "column": ALL}, "value"),
    State({"type": mids.MAP_COLUMN, "sheet": ALL, "column": ALL}, "id"),
    State({"type": mids.MAP_NAME, "sheet": ALL}, "value"),
)
"""The mapping as the user left it: the sheets shown, the edits previewed, every editor control."""


# ``running`` shows progress; its "off" status is what stays if the request fails (a 413 never
# reaches the callback). On success the callback's own status output replaces it.
@callback(
    Output(ids.PREVIEW, "children"),
    Output(ids.PENDING, "data"),
    Output(ids.CONFIRM, "disabled"),
    Output(ids.UPLOAD_STATUS, "children"),
    Output(ids.RESULT, "children", allow_duplicate=True),
    Output(ids.CONFIRM_STATUS, "children", allow_duplicate=True),
    Output(mids.EDITOR, "children"),
    Output(mids.FILES, "data"),
    Output(mids.SHEETS, "data"),
    Output(mids.EDITS, "data"),
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
        return report.pmo_only_notice(), [], True, "Nothing was saved.", None, "", None, [], [], []
    check = uploads.check_upload(contents, filenames, get_settings())
    sheets = mapping_sheets.sheet_descriptors(check.result)
    files = [u.token() for u in check.saved]
    return (
        *_preview(check),
        None,
        "",
        editor.mapping_step(sheets, mids),
        files,
        sheets,
        [],
    )


@callback(
    Output(ids.PREVIEW, "children", allow_duplicate=True),
    Output(ids.PENDING, "data", allow_duplicate=True),
    Output(ids.CONFIRM, "disabled", allow_duplicate=True),
    Output(ids.UPLOAD_STATUS, "children", allow_duplicate=True),
    Output(mids.EDITOR, "children", allow_duplicate=True),
    Output(mids.SHEETS, "data", allow_duplicate=True),
    Output(mids.EDITS, "data", allow_duplicate=True),
    Output(mids.REMAP_STATUS, "children"),
    Input(mids.REMAP, "n_clicks"),
    State(mids.FILES, "data"),
    *EDITOR_STATES,
    prevent_initial_call=True,
    running=[(Output(mids.REMAP, "disabled"), True, False)],
)
def on_remap(_clicks, files, sheets, edits, kinds, rows, columns, column_ids, names) -> tuple:
    """Dry-run the files again with the mapping as the user left it."""
    if not _clicks:  # the button was just rendered (Dash calls back for new components)
        raise PreventUpdate
    states = mapping_edits.editor_states(sheets, kinds, rows, columns, column_ids, names)
    wanted = mapping_edits.collect_edits(sheets or [], states, edits)
    try:
        check = mapping_runs.preview_mapped(files, wanted, get_settings())
    except mapping_sheets.MappingRefused as exc:
        return (dash.no_update,) * 7 + (str(exc),)
    new_sheets = mapping_sheets.sheet_descriptors(check.result)
    kept = mapping_edits.carried_edits(new_sheets, wanted)
    return (
        *_preview(check),
        editor.mapping_step(new_sheets, mids),
        new_sheets,
        kept,
        "",
    )


def _preview(check: uploads.UploadCheck) -> tuple:
    """The dry run's report, the files waiting, whether "Load" stays disabled, the status line."""
    return (
        report.upload_preview(check),
        check.pending,
        not check.pending,
        report.check_status(check),
    )


@callback(
    Output({"type": mids.MAP_COLUMN, "sheet": MATCH, "column": ALL}, "options"),
    Output({"type": mids.MAP_COLUMN, "sheet": MATCH, "column": ALL}, "value"),
    Input({"type": mids.MAP_KIND, "sheet": MATCH}, "value"),
    State({"type": mids.MAP_COLUMN, "sheet": MATCH, "column": ALL}, "value"),
    State({"type": mids.MAP_COLUMN, "sheet": MATCH, "column": ALL}, "id"),
    State(mids.SHEETS, "data"),
    prevent_initial_call=True,
)
def on_kind(kind: str | None, values: list, column_ids: list, sheets: list | None) -> tuple:
    """Offer the chosen table's columns, keeping choices that fit it, else the loader's guess."""
    index = ctx.triggered_id["sheet"] if ctx.triggered_id else None
    options, chosen = mapping_edits.columns_for_kind(sheets, index, kind, values, column_ids)
    return [options] * len(values), chosen


@callback(
    Output(ids.RESULT, "children"),
    Output(ids.CONFIRM, "disabled", allow_duplicate=True),
    Output(ids.CONFIRM_STATUS, "children"),
    Output(ids.PENDING, "data", allow_duplicate=True),
    Output(mids.PROFILES, "children", allow_duplicate=True),
    Output(mids.PROFILE_SELECT, "options", allow_duplicate=True),
    Input(ids.CONFIRM, "n_clicks"),
    State(ids.PENDING, "data"),
    *EDITOR_STATES,
    prevent_initial_call=True,
    running=[
        (Output(ids.CONFIRM, "disabled"), True, False),
        (Output(ids.UPLOAD, "disabled"), True, False),
        (Output(ids.CONFIRM_STATUS, "children"), report.LOADING, report.LOAD_DID_NOT_COMPLETE),
    ],
)
def on_confirm(
    _clicks,
    pending,
    sheets=None,
    edits=None,
    kinds=None,
    rows=None,
    columns=None,
    column_ids=None,
    names=None,
) -> tuple:
    """Load the previewed files for real (with the previewed mapping) and save the mapping."""
    keep = (dash.no_update, dash.no_update)
    if not current_scope().can_upload:
        return report.pmo_only_notice(), True, "Nothing was loaded.", [], *keep
    states = mapping_edits.editor_states(sheets, kinds, rows, columns, column_ids, names)
    if not mapping_edits.same_edits(
        mapping_edits.collect_edits(sheets or [], states, edits), edits
    ):
        return None, False, mapping_sheets.PREVIEW_FIRST, dash.no_update, *keep
    settings = get_settings()
    try:
        outcome, saved = mapping_runs.confirm_mapped(pending, edits, settings)
    except mapping_sheets.MappingRefused as exc:
        return None, False, str(exc), dash.no_update, *keep
    rows_now = mapping_profiles.profile_rows(settings)
    return (
        report.load_report(outcome, saved),
        True,
        report.load_status(outcome),
        [],
        editor.profile_table(rows_now),
        editor.profile_options(rows_now),
    )


@callback(
    Output(mids.PROFILES, "children"),
    Output(mids.PROFILE_SELECT, "options"),
    Output(mids.PROFILE_SELECT, "value"),
    Output(mids.PROFILE_STATUS, "children"),
    Input(mids.PROFILE_RENAME, "n_clicks"),
    Input(mids.PROFILE_DELETE, "n_clicks"),
    State(mids.PROFILE_SELECT, "value"),
    State(mids.PROFILE_NEW_NAME, "value"),
    prevent_initial_call=True,
)
def on_profile_action(_rename, _delete, chosen: str | None, new_name: str | None) -> tuple:
    """Rename or delete the chosen mapping profile, then list the profiles again."""
    settings = get_settings()
    if ctx.triggered_id == mids.PROFILE_RENAME:
        message = mapping_profiles.rename_profile(chosen, new_name, settings)
    else:
        message = mapping_profiles.delete_profile(chosen, settings)
    rows = mapping_profiles.profile_rows(settings)
    return editor.profile_table(rows), editor.profile_options(rows), mapping_sheets.UNSET, message
