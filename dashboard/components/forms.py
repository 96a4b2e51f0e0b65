"""Form building blocks: every input labelled (``dbc.Label`` with ``html_for``), its message below.

The forms are plain inputs in source order, so they work with the keyboard alone (Tab, typing,
Enter on the button) and stack in one column at 390 px (docs/forms.md, "Accessibility").
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, State, html, no_update

RAG_OPTIONS = [
    {"label": "Not set", "value": ""},
    {"label": "Green", "value": "green"},
    {"label": "Amber", "value": "amber"},
    {"label": "Red", "value": "red"},
]


def field(
    name: str,
    label: str,
    control: dbc.Input | dbc.Select | dbc.Textarea,
    feedback_id: str,
    *,
    hint: str | None = None,
    width: int = 6,
) -> dbc.Col:
    """One labelled input with its (initially empty) message, in a responsive column."""
    return dbc.Col(
        html.Div(
            [
                dbc.Label(label, html_for=control.id, className="fw-semibold"),
                control,
                *([dbc.FormText(hint)] if hint else []),
                dbc.FormFeedback(id=feedback_id, type="invalid"),
            ],
            className="mb-3",
        ),
        xs=12,
        md=width,
        key=name,
    )


def rag_select(control_id: str, value: object) -> dbc.Select:
    """A RAG drop-down (a native select: keyboard and screen readers handle it)."""
    return dbc.Select(id=control_id, options=RAG_OPTIONS, value=_text(value))


def choice_select(control_id: str, choices: list[str], value: object) -> dbc.Select:
    """A native drop-down of ``choices`` (the first option is "choose")."""
    options = [{"label": "Choose…", "value": ""}, *({"label": c, "value": c} for c in choices)]
    return dbc.Select(id=control_id, options=options, value=_text(value))


def number_input(
    control_id: str, value: object, *, low: float = 0, high: float | None = None
) -> dbc.Input:
    """A number input; the server validates again with the loaders' rules."""
    return dbc.Input(id=control_id, type="number", min=low, max=high, value=value)


def date_input(control_id: str, value: object) -> dbc.Input:
    """A native date input (typed or picked; ISO to the server)."""
    return dbc.Input(id=control_id, type="date", value=value)


def text_area(control_id: str, value: object, rows: int = 3) -> dbc.Textarea:
    """Free text (rendered as text only, never as HTML)."""
    return dbc.Textarea(id=control_id, value=_text(value), rows=rows)


def text_input(control_id: str, value: object) -> dbc.Input:
    """A one-line text input."""
    return dbc.Input(id=control_id, type="text", value=_text(value))


def feedback_outputs(names: list[str], errors: dict[str, str]) -> tuple[list[bool], list[str]]:
    """``invalid`` flags and messages for each field, in ``names`` order."""
    return [n in errors for n in names], [errors.get(n, "") for n in names]


def submit_dependencies(
    ids: type, fields: list[str], record_store: str, *, extra_outputs: tuple[Output, ...] = ()
) -> tuple:
    """The dependencies of a form's submit callback, in the order its arguments and results use.

    Outputs: the result message, a fresh idempotency key, ``extra_outputs``, then every field's
    ``invalid`` flag and message. Inputs: the submit button; states: the record being edited
    (``record_store``), the key, then every field's value. Both forms submit this way, so the
    wiring is written once.
    """
    return (
        Output(ids.RESULT, "children"),
        Output(ids.KEY, "data"),
        *extra_outputs,
        [Output(ids.field(n), "invalid") for n in fields],
        [Output(ids.feedback(n), "children") for n in fields],
        Input(ids.SUBMIT, "n_clicks"),
        State(record_store, "data"),
        State(ids.KEY, "data"),
        [State(ids.field(n), "value") for n in fields],
    )


def refused_outputs(message: str, names: list[str], errors: dict[str, str], *, kept: int) -> tuple:
    """A refused submission: the message in red, ``kept`` outputs unchanged, fields flagged."""
    invalid, messages = feedback_outputs(names, errors)
    return dbc.Alert(message, color="danger"), *(no_update,) * kept, *invalid, *messages


def _text(value: object) -> str:
    return "" if value is None else str(value)
