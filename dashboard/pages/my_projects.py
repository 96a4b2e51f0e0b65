"""My projects: a contributor's home, each project with its next report due, overdue first."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.config import get_settings
from dashboard.formats import long_day
from dashboard.ids import MyProjectsIds as ids
from dashboard.scope import current_scope
from dashboard.services import forms as services

dash.register_page(
    __name__, path="/my-projects", name="My projects", title="PMO Lens · My projects", order=8
)


def layout(**_query: str) -> dbc.Container:
    today = get_settings().as_of_default()
    rows = services.my_projects(today)
    title = html.H2("My projects", id=ids.TITLE)
    if not rows:
        why = (
            "No open project is in your scope."
            if services.may_report(current_scope())
            else "Your role does not submit status reports."
        )
        return dbc.Container([title, dbc.Alert(why, color="info", id=ids.EMPTY)], fluid=True)
    return dbc.Container(
        [
            title,
            html.P(
                f"Every {services.cadence_days()} days a status report is due; "
                "overdue ones come first.",
                className="text-muted",
            ),
            dbc.ListGroup([_project_item(r) for r in rows], id=ids.LIST),
        ],
        fluid=True,
    )


def _project_item(r: services.DueProject) -> dbc.ListGroupItem:
    """One project: its link and last report on the left, the "Report" button on the right."""
    return dbc.ListGroupItem(
        dbc.Row(
            [
                dbc.Col(
                    [
                        html.Div(
                            [dcc.Link(r.project_id, href=f"/project/{r.project_id}"), f" {r.name}"],
                            className="fw-semibold",
                        ),
                        html.Div(
                            [
                                "Last report: "
                                + (long_day(r.last_report) if r.last_report else "never")
                                + (f" ({r.last_rag})" if r.last_rag else "")
                                + f" · next due {long_day(r.due)}",
                                *(
                                    [dbc.Badge("overdue", color="danger", className="ms-2")]
                                    if r.overdue
                                    else []
                                ),
                            ],
                            className="small text-muted",
                        ),
                    ],
                    xs=12,
                    md=9,
                ),
                dbc.Col(
                    dcc.Link(
                        "Report",
                        href=f"/status/{r.project_id}",
                        className="btn btn-sm btn-primary mt-2 mt-md-0",
                        title=f"Status report for {r.project_id}",
                    ),
                    xs=12,
                    md=3,
                    className="text-md-end",
                ),
            ],
            align="center",
        ),
        color="danger" if r.overdue else None,
    )
