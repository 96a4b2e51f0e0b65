"""The Templates page's list of downloads, and the outdated-template note of Data & compliance."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html


def template_list(entries: list, *, button_type: str, list_id: str) -> dbc.ListGroup:
    """One row per template: its title, what it holds, and a download button."""
    return dbc.ListGroup(
        [
            dbc.ListGroupItem(
                dbc.Row(
                    [
                        dbc.Col(
                            [
                                html.H5(entry.title, className="mb-1"),
                                html.Small(entry.description, className="text-muted"),
                            ],
                            md=9,
                        ),
                        dbc.Col(
                            dbc.Button(
                                "Download .xlsx",
                                id={"type": button_type, "kind": entry.kind},
                                color="primary",
                                outline=True,
                                size="sm",
                                title=f"Download the {entry.title} template",
                            ),
                            md=3,
                            className="text-md-end mt-2 mt-md-0",
                        ),
                    ],
                    className="align-items-center",
                ),
                className="template-entry",
            )
            for entry in entries
        ],
        id=list_id,
        className="mb-3",
    )


def outdated_templates_note(
    outdated: pd.DataFrame, current_version: int, *, note_id: str
) -> html.Div:
    """Projects whose latest status report came from an older template, or a line saying none."""
    heading = html.H4("Template versions", className="d-inline me-3 mb-0")
    if outdated.empty:
        body = html.Div(
            html.Small(
                f"No project's latest status report comes from a template older than "
                f"v{current_version}.",
                className="text-muted",
            )
        )
    else:
        body = dbc.Alert(
            [
                html.Div(
                    f"{len(outdated)} project(s) report on an outdated template (the current "
                    f"template is v{current_version}): send them the new one from Templates."
                ),
                html.Ul(
                    [
                        html.Li(
                            f"{row.project_id}: v{row.template_version} "
                            f"({row.source_file}, report of {row.report_date:%Y-%m-%d})"
                        )
                        for row in outdated.itertuples()
                    ],
                    className="mb-0",
                ),
            ],
            color="warning",
        )
    return html.Div([heading, body], id=note_id, className="mt-4 mb-2")
