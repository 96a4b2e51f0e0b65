"""Unit tests of dashboard/components/forms.py: the shared submit wiring - no browser."""

from __future__ import annotations

from dash import Input, Output, State, no_update

from dashboard.components.forms import feedback_outputs, refused_outputs, submit_dependencies


class Ids:
    RESULT = "result"
    KEY = "key"
    SUBMIT = "submit"

    @staticmethod
    def field(name: str) -> str:
        return f"field-{name}"

    @staticmethod
    def feedback(name: str) -> str:
        return f"feedback-{name}"


def test_submit_dependencies_follow_the_order_of_the_callbacks_arguments_and_results():
    deps = submit_dependencies(Ids, ["a", "b"], "record", extra_outputs=(Output("x", "data"),))
    flat = [d for item in deps for d in (item if isinstance(item, list) else [item])]
    assert [(type(d), d.component_id, d.component_property) for d in flat] == [
        (Output, "result", "children"),
        (Output, "key", "data"),
        (Output, "x", "data"),
        (Output, "field-a", "invalid"),
        (Output, "field-b", "invalid"),
        (Output, "feedback-a", "children"),
        (Output, "feedback-b", "children"),
        (Input, "submit", "n_clicks"),
        (State, "record", "data"),
        (State, "key", "data"),
        (State, "field-a", "value"),
        (State, "field-b", "value"),
    ]


def test_refused_outputs_flag_the_named_fields_and_leave_the_kept_outputs_alone():
    alert, *rest = refused_outputs("Not saved.", ["a", "b"], {"b": "too big"}, kept=2)
    assert alert.children == "Not saved." and alert.color == "danger"
    assert rest[:2] == [no_update, no_update]
    assert rest[2:] == [False, True, "", "too big"]


def test_feedback_outputs_clear_every_field_without_errors():
    assert feedback_outputs(["a", "b"], {}) == ([False, False], ["", ""])
