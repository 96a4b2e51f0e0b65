"""Request intake: any signed-in user proposes a project; saved as draft until complete.

The completeness gate of the prioritisation (the weighted ``[scoring]`` fields) runs live as
the form is filled ("missing: estimated cost, expected benefit"). The division and the
requester's ownership are checked again on the server (docs/forms.md, "Request intake").
"""

from __future__ import annotations

import uuid

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, callback, dcc, html

from dashboard.components import forms as parts
from dashboard.config import get_settings
from dashboard.ids import RequestFormIds as ids
from dashboard.services import forms as services
from loaders.form_writes import REQUEST_FIELDS, FormError
from loaders.publish import PublishError

dash.register_page(
    __name__, path="/request", name="New request", title="PMO Lens · New request", order=9
)

SCORES = ["1", "2", "3", "4", "5"]
LABELS = {
    "title": "Title",
    "division": "Division",
    "sponsor": "Sponsor",
    "estimated_cost": "Estimated cost",
    "expected_benefit": "Expected benefit",
    "strategic_alignment": "Strategic alignment (1-5)",
    "urgency": "Urgency (1-5)",
    "risk": "Delivery risk (1-5)",
    "reach": "Reach (people or units affected)",
    "confidence": "Confidence (%)",
    "effort_person_months": "Effort (person-months)",
    "duration_months": "Duration (months)",
    "mandatory": "Mandatory (regulatory or legal)",
    "target_start": "Target start",
    "business_case": "Business case",
}
FIELDS = list(REQUEST_FIELDS)


def layout(request: str | None = None, **_query: str) -> dbc.Container:
    today = get_settings().as_of_default()
    values: dict = {}
    note = None
    if request:
        try:
            values = services.request_prefill(str(request), today)
        except services.FormRefused as exc:
            note = dbc.Alert(str(exc), color="warning")
            request = None
    divisions = services.request_divisions(today)
    return dbc.Container(
        [
            html.H2("New project request", id=ids.TITLE),
            html.P(
                "Saved as a draft until every field the PMO needs for assessment is given; "
                "then it is submitted and scored on the Intake page.",
                className="text-muted",
            ),
            *([note] if note else []),
            dcc.Store(id=ids.REQUEST_ID, data=request),
            dcc.Store(id=ids.KEY, data=uuid.uuid4().hex),
            html.Div(
                [
                    dbc.Row([_field(n, values, divisions) for n in FIELDS]),
                    html.Div(id=ids.GATE, className="mb-3", role="status"),
                    dbc.Button("Save request", id=ids.SUBMIT, color="primary"),
                ],
                role="form",
                **{"aria-label": "Project request"},
            ),
            html.Div(id=ids.RESULT, className="mt-3", role="status", **{"aria-live": "polite"}),
            html.H3("My requests", className="h5 mt-4"),
            html.Div(_mine(today), id=ids.MINE, className="table-responsive"),
        ],
        fluid=True,
        className="pmo-form",
    )


def _field(name: str, values: dict, divisions: list[str]) -> dbc.Col:
    value = values.get(name)
    control_id = ids.field(name)
    if name == "division":
        control = parts.choice_select(control_id, divisions, value)
    elif name in ("strategic_alignment", "urgency", "risk"):
        control = parts.choice_select(control_id, SCORES, None if value is None else int(value))
    elif name == "mandatory":
        shown = None if value is None else ("yes" if value else "no")
        control = parts.choice_select(control_id, ["yes", "no"], shown)
    elif name == "target_start":
        control = parts.date_input(control_id, value)
    elif name == "business_case":
        control = parts.text_area(control_id, value, rows=4)
    elif name in ("title", "sponsor"):
        control = parts.text_input(control_id, value)
    else:
        control = parts.number_input(control_id, value, high=100 if name == "confidence" else None)
    width = 12 if name in ("title", "business_case") else 4
    return parts.field(name, LABELS[name], control, ids.feedback(name), width=width)


def _mine(today) -> html.Div | dbc.Table:
    mine = services.my_requests(today)
    if mine.empty:
        return html.P("None yet.", className="text-muted")
    rows = [
        html.Tr(
            [
                html.Td(dcc.Link(r.request_id, href=f"/request?request={r.request_id}")),
                html.Td(r.title),
                html.Td(r.division),
                html.Td(r.status),
            ]
        )
        for r in mine.itertuples(index=False)
    ]
    head = html.Thead(html.Tr([html.Th(h) for h in ("Request", "Title", "Division", "Status")]))
    return dbc.Table([head, html.Tbody(rows)], size="sm", hover=True)


@callback(
    Output(ids.GATE, "children"),
    [Input(ids.field(n), "value") for n in FIELDS],
)
def on_change(*values) -> html.Span:
    """The completeness gate, live: what is still missing for assessment."""
    missing = services.missing_text(dict(zip(FIELDS, values, strict=True)))
    if missing:
        return html.Span(f"Draft: {missing}", className="text-warning-emphasis")
    return html.Span("Complete: it will be submitted for assessment.", className="text-success")


@callback(
    *parts.submit_dependencies(
        ids,
        FIELDS,
        ids.REQUEST_ID,
        extra_outputs=(Output(ids.REQUEST_ID, "data"), Output(ids.MINE, "children")),
    ),
    prevent_initial_call=True,
)
def on_submit(_clicks: int | None, request_id: str | None, key: str | None, *values) -> tuple:
    """Save the request for the signed-in user; division and ownership checked on the server."""
    typed = dict(zip(FIELDS, values, strict=True))
    try:
        result = services.submit_request(
            typed, key=str(key or uuid.uuid4().hex), request_id=request_id
        )
    except FormError as exc:
        return parts.refused_outputs(str(exc), FIELDS, exc.fields, kept=3)
    except PublishError as exc:
        return parts.refused_outputs(str(exc), FIELDS, {}, kept=3)
    invalid, messages = parts.feedback_outputs(FIELDS, {})
    text = f"Saved {result.record_id} as {result.status}"
    if result.missing:
        text += " (missing: " + ", ".join(services.FIELD_LABELS.get(m, m) for m in result.missing)
        text += ")"
    return (
        dbc.Alert(f"{text}.", color="success" if result.status == "submitted" else "info"),
        uuid.uuid4().hex,
        result.record_id,
        _mine(get_settings().as_of_default()),
        *invalid,
        *messages,
    )
