"""Status update form: a contributor's report on one project, prefilled from the last report.

The page shows the form only to a user who may report on the project; the submit callback
checks again on the server, whatever the browser sends (docs/forms.md, "Who may do what").
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import partial

import dash
import dash_bootstrap_components as dbc
from dash import callback, dcc, html

from dashboard.components import forms as parts
from dashboard.config import get_settings
from dashboard.formats import long_day
from dashboard.ids import StatusFormIds as ids
from dashboard.services import forms as services
from loaders.form_writes import STATUS_FORM_INPUTS, FormError
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
FIELDS = list(STATUS_FORM_INPUTS)
"""Every input of the form, in the order of the callback's states and outputs."""


def layout(project_id: str = "", **_query: str) -> dbc.Container:
    today = get_settings().as_of_default()
    try:
        values = services.status_prefill(project_id, today)
    except services.FormRefused as exc:
        return _refused_page(str(exc))
    last = values["last_report"]
    return dbc.Container(
        [
            html.H2(f"Status update: {project_id} {values['name']}", id=ids.TITLE),
            html.P(
                (f"Prefilled from the report of {long_day(last)}. " if last else "First report. ")
                + "A RAG that is not green needs a comment in the summary.",
                className="text-muted",
            ),
            dcc.Store(id=ids.PROJECT, data=project_id),
            dcc.Store(id=ids.KEY, data=uuid.uuid4().hex),
            html.Div(
                [
                    dbc.Row(_rag_fields(values)),
                    dbc.Row(_figure_fields(values)),
                    dbc.Row(_text_fields(values)),
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


def _refused_page(message: str) -> dbc.Container:
    return dbc.Container(
        [
            html.H2("Status update", id=ids.TITLE),
            dbc.Alert(message, color="warning", id=ids.REFUSED),
            dcc.Link("My projects", href="/my-projects"),
        ],
        fluid=True,
    )


def _field(name: str, label: str, control: Callable[[str], object], **kwargs) -> dbc.Col:
    """One labelled field; ``control`` builds its input from the field's id."""
    return parts.field(name, label, control(ids.field(name)), ids.feedback(name), **kwargs)


def _rag_fields(values: dict) -> list[dbc.Col]:
    overall = _field(
        "overall_rag", "Overall RAG", lambda i: parts.rag_select(i, values["overall_rag"]), width=4
    )
    return [
        overall,
        *(
            _field(name, f"{label} RAG", partial(parts.rag_select, value=values[name]), width=2)
            for name, label in DIMENSIONS.items()
        ),
    ]


def _figure_fields(values: dict) -> list[dbc.Col]:
    baseline = values["baseline_finish"]
    return [
        _field(
            "percent_complete",
            "Percent complete",
            lambda i: parts.number_input(i, values["percent_complete"], high=100),
            hint="0 to 100",
            width=3,
        ),
        _field(
            "actual_cost",
            "Actual cost to date",
            lambda i: parts.number_input(i, values["actual_cost"]),
            width=3,
        ),
        _field(
            "forecast_finish",
            "Forecast finish",
            lambda i: parts.date_input(i, values["forecast_finish"]),
            hint=f"Baseline: {long_day(baseline)}" if baseline else None,
            width=3,
        ),
        _field(
            "forecast_cost",
            "Forecast cost at completion",
            lambda i: parts.number_input(i, values["forecast_cost"]),
            width=3,
        ),
    ]


def _text_fields(values: dict) -> list[dbc.Col]:
    return [
        _field(
            "summary",
            "Summary (the comment on the RAG)",
            lambda i: parts.text_area(i, values["summary"]),
        ),
        _field("next_steps", "Next steps", lambda i: parts.text_area(i, values["next_steps"])),
        _field(
            "forecast_reason",
            "Why the forecast finish is after the baseline",
            lambda i: parts.text_area(i, None, rows=2),
            hint="Needed only when the forecast finish is later than the baseline.",
            width=12,
        ),
    ]


@callback(*parts.submit_dependencies(ids, FIELDS, ids.PROJECT), prevent_initial_call=True)
def on_submit(_clicks: int | None, project_id: str | None, key: str | None, *values) -> tuple:
    """Publish the report for the signed-in user; the scope is checked again on the server."""
    typed = dict(zip(FIELDS, values, strict=True))
    reason = typed.pop("forecast_reason")
    typed = {n: ("" if v is None else v) for n, v in typed.items()}
    try:
        result = services.submit_status(
            str(project_id or ""), typed, key=str(key or uuid.uuid4().hex), forecast_reason=reason
        )
    except FormError as exc:
        return parts.refused_outputs(str(exc), FIELDS, exc.fields, kept=1)
    except (services.FormRefused, PublishError) as exc:
        return parts.refused_outputs(str(exc), FIELDS, {}, kept=1)
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
