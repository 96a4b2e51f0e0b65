"""Status update form: a contributor's report on one project, prefilled from the last report.

The page shows the form only to a user who may report on the project; the submit callback
checks again on the server, whatever the browser sends (docs/forms.md, "Who may do what").
"""

from __future__ import annotations

import uuid

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html, no_update

from dashboard.components import forms as parts
from dashboard.config import get_settings
from dashboard.ids import StatusFormIds as ids
from dashboard.services import forms as services
from loaders.form_writes import FormError
from loaders.publish import PublishError

dash.register_page(
    __name__,
    path_template="/status/<project_id>",
    name="Status update",
    title="PMO Lens · Status update",
    order=98,
    nav=False,
)

DIMENSIONS = {
    "schedule_rag": "Schedule",
    "cost_rag": "Cost",
    "scope_rag": "Scope",
    "resource_rag": "Resources",
}
FIELDS = [
    "overall_rag",
    *DIMENSIONS,
    "percent_complete",
    "actual_cost",
    "forecast_finish",
    "forecast_cost",
    "summary",
    "next_steps",
    "forecast_reason",
]
"""Every input of the form, in the order of the callback's states and outputs."""


def layout(project_id: str = "", **_query: str) -> dbc.Container:
    today = get_settings().as_of_default()
    try:
        values = services.status_prefill(project_id, today)
    except services.FormRefused as exc:
        return dbc.Container(
            [
                html.H2("Status update", id=ids.TITLE),
                dbc.Alert(str(exc), color="warning", id=ids.REFUSED),
                dcc.Link("My projects", href="/my-projects"),
            ],
            fluid=True,
        )
    last = values["last_report"]
    baseline = values["baseline_finish"]
    rag_fields = [
        parts.field(
            "overall_rag",
            "Overall RAG",
            parts.rag_select(ids.field("overall_rag"), values["overall_rag"]),
            ids.feedback("overall_rag"),
            width=4,
        ),
        *[
            parts.field(
                name,
                f"{label} RAG",
                parts.rag_select(ids.field(name), values[name]),
                ids.feedback(name),
                width=2,
            )
            for name, label in DIMENSIONS.items()
        ],
    ]
    return dbc.Container(
        [
            html.H2(f"Status update: {project_id} {values['name']}", id=ids.TITLE),
            html.P(
                (f"Prefilled from the report of {last:%d %b %Y}. " if last else "First report. ")
                + "A RAG that is not green needs a comment in the summary.",
                className="text-muted",
            ),
            dcc.Store(id=ids.PROJECT, data=project_id),
            dcc.Store(id=ids.KEY, data=uuid.uuid4().hex),
            html.Div(
                [
                    dbc.Row(rag_fields),
                    dbc.Row(
                        [
                            parts.field(
                                "percent_complete",
                                "Percent complete",
                                parts.number_input(
                                    ids.field("percent_complete"),
                                    values["percent_complete"],
                                    high=100,
                                ),
                                ids.feedback("percent_complete"),
                                hint="0 to 100",
                                width=3,
                            ),
                            parts.field(
                                "actual_cost",
                                "Actual cost to date",
                                parts.number_input(ids.field("actual_cost"), values["actual_cost"]),
                                ids.feedback("actual_cost"),
                                width=3,
                            ),
                            parts.field(
                                "forecast_finish",
                                "Forecast finish",
                                parts.date_input(
                                    ids.field("forecast_finish"), values["forecast_finish"]
                                ),
                                ids.feedback("forecast_finish"),
                                hint=f"Baseline: {baseline:%d %b %Y}" if baseline else None,
                                width=3,
                            ),
                            parts.field(
                                "forecast_cost",
                                "Forecast cost at completion",
                                parts.number_input(
                                    ids.field("forecast_cost"), values["forecast_cost"]
                                ),
                                ids.feedback("forecast_cost"),
                                width=3,
                            ),
                        ]
                    ),
                    dbc.Row(
                        [
                            parts.field(
                                "summary",
                                "Summary (the comment on the RAG)",
                                parts.text_area(ids.field("summary"), values["summary"]),
                                ids.feedback("summary"),
                            ),
                            parts.field(
                                "next_steps",
                                "Next steps",
                                parts.text_area(ids.field("next_steps"), values["next_steps"]),
                                ids.feedback("next_steps"),
                            ),
                            parts.field(
                                "forecast_reason",
                                "Why the forecast finish is after the baseline",
                                parts.text_area(ids.field("forecast_reason"), None, rows=2),
                                ids.feedback("forecast_reason"),
                                hint="Needed only when the forecast finish is later than "
                                "the baseline.",
                                width=12,
                            ),
                        ]
                    ),
                    dbc.Button("Submit status report", id=ids.SUBMIT, color="primary"),
                ],
                # A plain group, not a <form>: the button runs the callback, nothing reloads.
                role="form",
                **{"aria-label": "Status report"},
            ),
            html.Div(id=ids.RESULT, className="mt-3", role="status", **{"aria-live": "polite"}),
        ],
        fluid=True,
        className="pmo-form",
    )


@callback(
    Output(ids.RESULT, "children"),
    Output(ids.KEY, "data"),
    [Output(ids.field(n), "invalid") for n in FIELDS],
    [Output(ids.feedback(n), "children") for n in FIELDS],
    Input(ids.SUBMIT, "n_clicks"),
    State(ids.PROJECT, "data"),
    State(ids.KEY, "data"),
    [State(ids.field(n), "value") for n in FIELDS],
    prevent_initial_call=True,
)
def on_submit(_clicks: int | None, project_id: str | None, key: str | None, *values) -> tuple:
    """Publish the report for the signed-in user; the scope is checked again on the server."""
    typed = dict(zip(FIELDS, values, strict=True))
    reason = typed.pop("forecast_reason")
    typed = {n: ("" if v is None else v) for n, v in typed.items()}
    try:
        result = services.submit_status(
            str(project_id or ""), typed, key=str(key or uuid.uuid4().hex), forecast_reason=reason
        )
    except services.FormRefused as exc:
        return _refused(str(exc), {})
    except FormError as exc:
        return _refused(str(exc), exc.fields)
    except PublishError as exc:
        return _refused(str(exc), {})
    invalid, messages = parts.feedback_outputs(FIELDS, {})
    saved = "Already saved" if result.replay else "Saved"
    return (
        dbc.Alert(
            [
                f"{saved}: the status report for {result.record_id} is published "
                f"(data version {result.version}). ",
                dcc.Link("See it on the project page", href=f"/project/{result.record_id}"),
            ],
            color="success",
        ),
        uuid.uuid4().hex,
        *invalid,
        *messages,
    )


def _refused(message: str, errors: dict[str, str]) -> tuple:
    invalid, messages = parts.feedback_outputs(FIELDS, errors)
    return dbc.Alert(message, color="danger"), no_update, *invalid, *messages
