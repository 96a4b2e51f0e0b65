"""The latest status report's narrative, shown as plain text (never Markdown or HTML)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from dashboard.components.project_header import day, rag_badge


def status_narrative(report: dict | None, *, card_id: str) -> dbc.Card:
    """Summary, next steps, who reported and when; newlines kept by CSS, markup shown as typed."""
    if report is None:
        body = [html.P("No status report received yet.", className="text-muted mb-0")]
        heading = "Latest status report"
    else:
        heading = f"Latest status report · {day(report.get('report_date'))}"
        body = [
            html.Div(rag_badge(report.get("overall_rag"), prefix="Reported: "), className="mb-2"),
            html.H6("Summary", className="text-muted mb-1"),
            html.P(str(report.get("summary") or "–"), className="project-narrative"),
            html.H6("Next steps", className="text-muted mb-1"),
            html.P(str(report.get("next_steps") or "–"), className="project-narrative"),
            html.Small(
                f"Reported by {report.get('reported_by') or 'unknown'}", className="text-muted"
            ),
        ]
    return dbc.Card(
        [dbc.CardHeader(heading), dbc.CardBody(body)], id=card_id, className="shadow-sm h-100"
    )
