"""The Upload page's mapping step: per sheet, the kind, the header row and each column's target.

Every header, sheet and profile name is user text: passed to Dash as a string child or an
option label, which React renders as text, never as HTML.
"""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import html

from dashboard.components.upload_report import KIND_LABELS, kind_label
from dashboard.upload_mapping_sheets import UNSET, column_options, editor_state
from dashboard.upload_outcomes import display_name

PROFILE_HEADERS = ("Profile", "Loads into", "Made for the headers", "Saved")


def kind_options() -> list[dict[str, str]]:
    """The tables a sheet can load into, and "not loaded"."""
    return [{"label": "Not loaded (choose what the sheet holds)", "value": UNSET}] + [
        {"label": f"{label} ({kind})", "value": kind} for kind, label in KIND_LABELS.items()
    ]


def mapping_step(descriptors: list[dict[str, Any]], ids: type) -> html.Div:
    """One card per sheet, then the button that previews the files again with the changes."""
    if not descriptors:
        return html.Div()
    return html.Div(
        [
            html.H5("Columns and mapping", className="mt-3"),
            html.P(
                "Check what each sheet holds and where each column loads. Change anything "
                "that is wrong, preview again, then load: the mapping is saved under the name "
                "you give it and used by itself for the next file with the same headers.",
                className="text-muted small",
            ),
            *(sheet_card(i, d, ids) for i, d in enumerate(descriptors)),
            dbc.Button(
                "Preview again with this mapping", id=ids.REMAP, color="secondary", n_clicks=0
            ),
            html.Span(id=ids.REMAP_STATUS, role="status", className="ms-3 small"),
        ],
        className="pmo-mapping-step",
    )


def sheet_card(index: int, descriptor: dict[str, Any], ids: type) -> dbc.Card:
    """The editor of one sheet: kind, header row, a target per source column, profile name."""
    state = editor_state(descriptor)
    kind = state["kind"] or None
    rows = [_column_row(index, position, header, state, descriptor, ids)
            for position, header in enumerate(descriptor["headers"])]  # fmt: skip
    # A recognised sheet's editor starts folded: most loads need no change.
    return dbc.Card(
        dbc.CardBody(
            html.Details(
                [
                    html.Summary(_sheet_status(descriptor, kind, state), className="mb-2"),
                    _sheet_controls(index, state, ids),
                    dbc.Table(
                        [
                            html.Thead(html.Tr([html.Th("Source column"), html.Th("Loads into")])),
                            html.Tbody(rows),
                        ],
                        size="sm",
                        className="mb-0 pmo-mapping-table",
                    ),
                ],
                open=kind is None,
            )
        ),
        className="mb-2",
    )


def _sheet_status(descriptor: dict[str, Any], kind: str | None, state: dict[str, Any]) -> list:
    """Where the sheet is, then its applied profile, its detected kind or "not recognised"."""
    where = display_name(descriptor["file"])
    if descriptor["sheet"]:
        where += f" · {display_name(descriptor['sheet'])}"
    status: list = [html.Strong(where), " "]
    if descriptor.get("applied"):
        status.append(dbc.Badge(descriptor["applied"], color="info"))
    elif kind is not None:
        status.append(
            html.Small(
                f"{kind_label(kind)}, header row {state['header_row']}", className="text-muted"
            )
        )
    else:
        status.append(dbc.Badge("not recognised", color="warning"))
        if descriptor["kind_guess"]:
            status.append(
                html.Small(
                    f" best guess: {kind_label(descriptor['kind_guess'])}", className="text-muted"
                )
            )
    return status


def _sheet_controls(index: int, state: dict[str, Any], ids: type) -> dbc.Row:
    """The sheet's kind, header row and profile name, side by side."""
    kind = dbc.Select(
        id={"type": ids.MAP_KIND, "sheet": index},
        options=kind_options(),
        value=state["kind"] or UNSET,
        size="sm",
    )
    header_row = dbc.Input(
        id={"type": ids.MAP_HEADER_ROW, "sheet": index},
        type="number",
        min=1,
        max=30,
        step=1,
        value=state["header_row"],
        size="sm",
    )
    name = dbc.Input(
        id={"type": ids.MAP_NAME, "sheet": index}, value=state["name"], maxLength=80, size="sm"
    )
    return dbc.Row(
        [
            _labelled("The sheet holds", kind, md=5),
            _labelled("Header row", header_row, md=2),
            _labelled("Save the mapping as profile", name, md=5),
        ],
        className="g-2 mb-2",
    )


def _labelled(label: str, control: dbc.Select | dbc.Input, *, md: int) -> dbc.Col:
    return dbc.Col([dbc.Label(label, className="small mb-0"), control], md=md)


def _column_row(
    index: int,
    position: int,
    header: str,
    state: dict[str, Any],
    descriptor: dict[str, Any],
    ids: type,
) -> html.Tr:
    fixed = descriptor["columns"].get(header, "")
    if fixed.startswith("month "):
        target: Any = html.Span(f"{fixed} (a month of the plan)", className="text-muted")
    else:
        target = dbc.Select(
            id={"type": ids.MAP_COLUMN, "sheet": index, "column": position},
            options=column_options(state["kind"] or None),
            value=state["columns"].get(header) or UNSET,
            size="sm",
        )
    return html.Tr([html.Td(header), html.Td(target)])


def profile_options(rows: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The choices of the rename/delete selector."""
    return [{"label": "Choose a profile", "value": UNSET}] + [
        {"label": r["name"], "value": r["name"]} for r in rows
    ]


def profile_table(rows: list[dict[str, Any]]) -> html.Div:
    """The saved mapping profiles: name, table, the headers each was made for, when saved."""
    if not rows:
        return html.Div(
            html.P(
                "No mapping profiles yet: one is saved when you load a file with a changed "
                "mapping.",
                className="text-muted small",
            )
        )
    return html.Div(
        dbc.Table(
            [
                html.Thead(html.Tr([html.Th(h) for h in PROFILE_HEADERS])),
                html.Tbody(
                    [
                        html.Tr(
                            [
                                html.Td(r["name"]),
                                html.Td(kind_label(r["kind"] or None)),
                                html.Td(r["headers"], className="small"),
                                html.Td(r["saved_at"], className="small"),
                            ]
                        )
                        for r in rows
                    ]
                ),
            ],
            size="sm",
            striped=True,
            responsive=True,
        )
    )


def profile_controls(rows: list[dict[str, Any]], ids: type) -> dbc.Row:
    """Choose a profile, then rename it (with a new name) or delete it."""
    return dbc.Row(
        [
            dbc.Col(
                [
                    dbc.Label(
                        "Mapping profile", html_for=ids.PROFILE_SELECT, class_name="visually-hidden"
                    ),
                    dbc.Select(
                        id=ids.PROFILE_SELECT, options=profile_options(rows), value=UNSET, size="sm"
                    ),
                ],
                md=4,
            ),
            dbc.Col(
                dbc.Input(id=ids.PROFILE_NEW_NAME, placeholder="New name", maxLength=80, size="sm"),
                md=4,
            ),
            dbc.Col(
                [
                    dbc.Button("Rename", id=ids.PROFILE_RENAME, size="sm", n_clicks=0),
                    dbc.Button(
                        "Delete",
                        id=ids.PROFILE_DELETE,
                        size="sm",
                        color="danger",
                        outline=True,
                        className="ms-2",
                        n_clicks=0,
                    ),
                    html.Span(id=ids.PROFILE_STATUS, role="status", className="ms-3 small"),
                ],
                md=4,
            ),
        ],
        className="g-2",
    )
