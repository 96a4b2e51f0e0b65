"""The Upload page's pieces: drop zone, preview of a dry run, report of a confirmed load.

Every file name, sheet name, header and reason here is user text: it is passed to Dash as a
string child, which React renders as text, never as HTML or Markdown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.upload_outcomes import ALLOWED_SUFFIXES, display_name, preview_rows, reject_rows

if TYPE_CHECKING:
    from dashboard.upload_outcomes import FileOutcome, LoaderResult, LoadOutcome, UploadCheck

KIND_LABELS = {
    "projects": "Project register",
    "status_reports": "Status reports",
    "milestones": "Milestones",
    "work_items": "Tasks / work items",
    "raid": "RAID log",
    "requests": "Intake requests",
    "resources": "People and roles",
    "allocations": "Resource allocations",
    "timesheets": "Timesheets",
}
SHEET_HEADERS = (
    "File",
    "Sheet",
    "Detected kind",
    "Header row",
    "Read",
    "Would load",
    "Rejected",
    "Ignored",
)
COUNT_KEYS = ("read", "loaded", "rejected", "ignored")
REJECT_HEADERS = ("File", "Sheet", "Row", "Column", "Reason")
CHECKING = "Checking the files… large workbooks can take a minute."
UPLOAD_DID_NOT_COMPLETE = (
    "The upload did not complete. Files over the size limit are refused by the server: "
    "try a smaller file, or fewer files at once."
)
LOADING = "Loading… if another load is being published, this one waits for it to finish."
LOAD_DID_NOT_COMPLETE = (
    "The load did not complete: the server did not answer. Check the Data & compliance page "
    "before trying again."
)


def upload_zone(upload_id: str, max_upload_mb: float) -> dcc.Upload:
    """The drag-and-drop area (also a file picker): several files at once, allowlisted types."""
    return dcc.Upload(
        id=upload_id,
        children=html.Div(
            [
                html.Div("Drag and drop exports here, or click to choose files", className="h5"),
                html.Div(
                    f"{', '.join(ALLOWED_SUFFIXES)} · up to {max_upload_mb:g} MB per upload",
                    className="text-muted small",
                ),
            ]
        ),
        multiple=True,
        accept=",".join(ALLOWED_SUFFIXES),
        className="pmo-upload-zone",
        className_active="pmo-upload-zone pmo-upload-zone-active",
        className_disabled="pmo-upload-zone pmo-upload-zone-disabled",
    )


def kind_label(kind: str | None) -> str:
    """A reader's name for a detected table, with the table name (``Status reports``)."""
    if not kind:
        return "not recognised"
    return f"{KIND_LABELS.get(kind, kind)} ({kind})"


def upload_preview(check: UploadCheck) -> html.Div:
    """Refused files, then per stored file what a load would do (nothing is loaded yet)."""
    parts: list = []
    if check.refused:
        parts.append(
            dbc.Alert(
                [
                    html.Strong("Not accepted (nothing was saved):"),
                    html.Ul(
                        [
                            html.Li([html.Code(display_name(r.original_name)), f": {r.reason}"])
                            for r in check.refused
                        ],
                        className="mb-0",
                    ),
                ],
                color="warning",
            )
        )
    result = check.result
    if result is not None and not result.ok:
        parts.append(_error_alert(result))
    elif result is not None:
        originals = {u.name: u.original_name for u in check.saved}
        parts.extend(_file_card(f, originals.get(f.file)) for f in result.files)
        parts.append(_sheet_table(result))
        parts.append(_rejects_table(result))
    return html.Div(parts, className="pmo-upload-preview")


def check_status(check: UploadCheck) -> str:
    """One line under the drop zone: what was checked and what Confirm will do."""
    ready = len(check.pending)
    refused = len(check.refused) + (
        len(check.saved) - ready if check.result is not None and check.result.ok else 0
    )
    if check.result is not None and not check.result.ok:
        return "The files could not be checked; nothing was loaded."
    if not ready:
        return f"Nothing to load: {refused} file(s) cannot be loaded."
    replays = sum(1 for f in check.result.files if f.status == "ok" and f.replay_of is not None)
    notes = [f"{refused} cannot be loaded"] if refused else []
    if replays:
        notes.append(f"{replays} already loaded: loading again changes nothing")
    tail = f" ({'; '.join(notes)})" if notes else ""
    return f"{ready} file(s) ready to load{tail}. Review the preview, then confirm."


def load_report(outcome: LoadOutcome, saved: list[str] | None = None) -> html.Div:
    """What the confirmed load did: the published version, each file's record, profiles saved."""
    if outcome.refused:
        return html.Div(dbc.Alert(outcome.refused, color="warning"))
    result = outcome.result
    if not result.ok:
        return html.Div(_error_alert(result))
    version = outcome.published_version
    headline = (
        f"Published data version {version}. The dashboard now shows it; the load is listed "
        "on the Data & compliance page."
        if version is not None
        else "Nothing changed: no new data was published."
    )
    items = []
    for upload, f in zip(outcome.uploads, result.files, strict=False):
        record = outcome.records.get(upload.sha256)
        detail = [html.Strong(f.file), f": {f.message}" if f.message else ""]
        if record is not None and f.replay_of is None:
            detail.append(f" (load #{record.load_id}, {record.status})")
        items.append(html.Li([_status_badge(f), " ", *detail]))
    return html.Div(
        [
            dbc.Alert(
                [headline, " ", dcc.Link("Open Data & compliance", href="/data")],
                color="success" if version is not None else "info",
            ),
            html.Ul(items, className="list-unstyled"),
            *(html.P(message, className="small text-success") for message in saved or []),
        ]
    )


def load_status(outcome: LoadOutcome) -> str:
    """One line next to the Confirm button."""
    if outcome.refused or not outcome.result.ok:
        return "Nothing was loaded."
    version = outcome.published_version
    return f"Done: data version {version} published." if version is not None else "Done."


def pmo_only_notice() -> dbc.Alert:
    """What a user who may not load data sees instead of the page."""
    return dbc.Alert(
        "Only the PMO can load data. Ask a PMO analyst to upload the file.", color="info"
    )


def _file_card(outcome: FileOutcome, original: str | None) -> dbc.Card:
    title = [_status_badge(outcome), " ", html.Strong(display_name(original or outcome.file))]
    if original is not None and outcome.file != original:
        title.append(html.Small(f" saved as {outcome.file}", className="text-muted"))
    body = [html.Div(title)]
    if outcome.message:
        body.append(html.Div(outcome.message, className="small"))
    for sheet in outcome.sheets:
        applied = (sheet.mapping or {}).get("applied")
        if isinstance(applied, str):
            where = f" ({sheet.sheet})" if sheet.sheet else ""
            body.append(html.Div(f"{applied[:200]}{where}", className="small text-info"))
        if sheet.columns:
            mapping = ", ".join(f"{source} → {target}" for source, target in sheet.columns.items())
            where = f" ({sheet.sheet})" if sheet.sheet else ""
            body.append(html.Div(f"Columns{where}: {mapping}", className="small text-muted"))
    return dbc.Card(dbc.CardBody(body), className="mb-2")


def _status_badge(outcome: FileOutcome) -> dbc.Badge:
    if outcome.status != "ok":
        return dbc.Badge("cannot be loaded", color="danger")
    if outcome.replay_of is not None:
        return dbc.Badge(f"already loaded as load #{outcome.replay_of}", color="secondary")
    if "skipped" in outcome.message:
        return dbc.Badge("skipped", color="secondary")
    return dbc.Badge("ok", color="success")


def _sheet_table(result: LoaderResult) -> html.Div:
    rows = [
        html.Tr(
            [
                html.Td(row["file"]),
                html.Td(str(row["sheet"])),
                html.Td(kind_label(str(row["kind"]) or None)),
                html.Td(str(row["header_row"])),
                *(html.Td(f"{row[key]:,}", className="text-end") for key in COUNT_KEYS),
            ]
        )
        for row in preview_rows(result)
    ]
    return html.Div(
        [
            html.H5("What a load would do", className="mt-3"),
            dbc.Table(
                [
                    html.Thead(
                        html.Tr(
                            [
                                html.Th(h, className="text-end" if i >= 4 else None)
                                for i, h in enumerate(SHEET_HEADERS)
                            ]
                        )
                    ),
                    html.Tbody(rows),
                ],
                size="sm",
                striped=True,
                responsive=True,
            ),
        ]
    )


def _rejects_table(result: LoaderResult) -> html.Div:
    rows = reject_rows(result)
    if not rows:
        return html.Div(html.P("No rejected rows.", className="text-muted"))
    total = sum(s.rows_rejected for f in result.files for s in f.sheets)
    return html.Div(
        [
            html.H5(f"First rejected rows ({len(rows)} of {total:,})", className="mt-3"),
            dbc.Table(
                [
                    html.Thead(html.Tr([html.Th(h) for h in REJECT_HEADERS])),
                    html.Tbody(
                        [
                            html.Tr([html.Td(str(row[h.lower()])) for h in REJECT_HEADERS])
                            for row in rows
                        ]
                    ),
                ],
                size="sm",
                striped=True,
                responsive=True,
            ),
        ]
    )


def _error_alert(result: LoaderResult) -> dbc.Alert:
    return dbc.Alert(
        [
            html.Div(result.error),
            html.Small(f"Reference for the administrator: {result.reference}"),
        ],
        color="danger",
    )
