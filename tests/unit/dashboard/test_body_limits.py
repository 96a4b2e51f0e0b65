"""Unit tests of dashboard/body_limits.py: well-formed callback requests, the upload callback known
early - no browser."""

from __future__ import annotations

from dashboard.body_limits import well_formed


def test_well_formed_callback_requests():
    callbacks = {"a.children": {}}
    good = {
        "output": "a.children",
        "inputs": [{"id": "x", "property": "value", "value": 1}],
        "state": [],
        "outputs": {"id": "a", "property": "children"},
        "changedPropIds": [],
    }
    assert well_formed(good, callbacks)
    assert well_formed({**good, "inputs": [[{"id": {"i": 1}, "property": "v"}]]}, callbacks)
    for bad in ({}, [], None, {**good, "output": "b.children"}, {**good, "inputs": "x"},
                {**good, "inputs": [{"id": 1, "property": "v"}]},
                {**good, "changedPropIds": [1]}, {**good, "outputs": 5}):  # fmt: skip
        assert not well_formed(bad, callbacks)


def test_the_upload_callback_is_known_before_a_workers_first_request():
    """A fresh gunicorn worker's first request may be the upload: Pages callbacks still wait in
    Dash's global map then, and the body limit must already let the upload through."""
    import dash
    from dash import Input, Output, dcc, html
    from dash import _callback as dash_callback

    from dashboard.body_limits import upload_outputs

    saved_list = list(dash_callback.GLOBAL_CALLBACK_LIST)
    saved_map = dict(dash_callback.GLOBAL_CALLBACK_MAP)
    try:
        app = dash.Dash(__name__)
        app.layout = html.Div([dcc.Upload(id="drop"), html.Div(id="report")])

        @dash.callback(Output("report", "children"), Input("drop", "contents"))
        def report(contents):
            return ""

        assert app.callback_map == {}  # not moved yet: no request has been served
        assert upload_outputs(app) == {"report.children"}
    finally:
        dash_callback.GLOBAL_CALLBACK_LIST[:] = saved_list
        dash_callback.GLOBAL_CALLBACK_MAP.clear()
        dash_callback.GLOBAL_CALLBACK_MAP.update(saved_map)
