"""My projects: a contributor's home, each project with its next report due, overdue first."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.config import get_settings
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
    body = [
        html.Tr(
            [
                html.Td(dcc.Link(r.project_id, href=f"/project/{r.project_id}")),
                html.Td(r.name),
                html.Td(f"{r.last_report:%d %b %Y}" if r.last_report else "never"),
                html.Td(r.last_rag or ""),
                html.Td(
                    [
                        f"{r.due:%d %b %Y}",
                        *(
                            [dbc.Badge("overdue", color="danger", className="ms-2")]
                            if r.overdue
                            else []
                        ),
                    ]
                ),
                html.Td(
                    dcc.Link(
                        "Report",
                        href=f"/status/{r.project_id}",
                        className="btn btn-sm btn-primary",
                        title=f"Status report for {r.project_id}",
                    )
                ),
            ],
            className="table-danger" if r.overdue else None,
        )
        for r in rows
    ]
    head = html.Thead(
        html.Tr([html.Th(h) for h in ("Project", "Name", "Last report", "RAG", "Next due", "")])
    )
    return dbc.Container(
        [
            title,
            html.P(
                f"Every {services.cadence_days()} days a status report is due; "
                "overdue ones come first.",
                className="text-muted",
            ),
            html.Div(
                dbc.Table([head, html.Tbody(body)], id=ids.LIST, hover=True, size="sm"),
                className="table-responsive",
            ),
        ],
        fluid=True,
    )
