"""Helpers shared by the unit tests of dashboard/: a hardened test app, a fake clock, frames."""

from __future__ import annotations

import dash
import pandas as pd
import pytest
from dash import html

from dashboard import auth
from dashboard.scope import current_scope
from dashboard.security import harden

SECRET = "s" * 48


class Clock:
    """A clock that stands still until a test moves ``now`` (seconds)."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def config_in_tmp(tmp_path):
    """Sessions and throttle counts go to a fresh data folder for each test."""
    from dashboard import config

    config._overrides.clear()
    config.configure(data_dir=tmp_path)
    yield
    config._overrides.clear()
    config.get_settings.cache_clear()


def make_app(mode: str = "off", users: dict | None = None) -> dash.Dash:
    """A one-page app with the security hooks and sign-in in ``mode``; ``/boom`` raises."""
    app = dash.Dash(__name__, serve_locally=True)
    app.layout = html.Div("hello")

    @app.server.route("/boom")
    def boom():
        raise RuntimeError("secret detail /srv/pmo/app.py")

    @app.server.route("/whoami")
    def whoami():
        scope = current_scope()
        return {"user": scope.user, "role": scope.role, "divisions": scope.divisions}

    harden(app)
    auth.install(app.server, mode=mode, users=users or {}, secret_key=SECRET, secure_cookies=False)
    return app


def staleness_health() -> pd.DataFrame:
    """Five projects' reporting, as ``assess_health`` gives it: on time, stopped, never, late."""
    return pd.DataFrame(
        {
            "project_id": ["P1", "P2", "P3", "P4", "P5"],
            "name": ["Alpha", "Beta", "=cmd()", "Delta", "Echo"],
            "division": ["Ops", "Ops", "IT", "IT", "IT"],
            "project_manager": ["Ann", "Bob", "Cy", "Di", "Ed"],
            "last_report_date": pd.to_datetime(
                ["2026-11-20", "2026-09-01", None, "2026-11-01", None]
            ),
            "days_since_report": [6.0, 86.0, None, 25.0, None],
            "staleness_rag": pd.Categorical(
                # P5's first report is not due yet: staleness unknown (NA), not green.
                ["green", "red", "red", "amber", None],
                categories=["green", "amber", "red"],
            ),
            "staleness_reason": ["ok", "old", "no report", "late", "not due"],
        }
    )
