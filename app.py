"""PMO Lens app: wiring only. ``app`` and ``server`` for WSGI; ``python app.py`` serves it.

``python app.py [--data-dir DIR] [--host 127.0.0.1] [--port 8050] [--standards FILE]``
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import dash
import dash_bootstrap_components as dbc
from dash import Dash, dcc, html
from werkzeug.serving import WSGIRequestHandler

from dashboard import clientside_callbacks, db  # noqa: F401 (registers the URL callbacks)
from dashboard.auth import AuthConfigError, check_startup, install, load_users
from dashboard.body_limits import install_body_limits
from dashboard.components.footer import footer
from dashboard.components.navbar import navbar
from dashboard.config import SETTINGS, Settings, configure, get_settings, get_standards
from dashboard.ids import AppIds
from dashboard.scope import current_scope
from dashboard.security import harden
from dashboard.services import derived, preparer, warmup
from dashboard.standards import StandardsError
from dashboard.uploads import configure_uploads

ROOT = Path(__file__).parent
SERVER_NAME = "PMO Lens"  # the Server header: no server or Python version to look up


class QuietRequestHandler(WSGIRequestHandler):
    """Werkzeug's handler without ``Werkzeug/x.y Python/x.y`` in the Server header."""

    def version_string(self) -> str:
        """The Server header's value."""
        return SERVER_NAME


def serve_layout() -> dbc.Container:
    """The shell, rebuilt on every page load so the footer names the version being read."""
    try:
        with db.snapshot() as snap:
            info = snap.info()
    except db.NoData:
        info = None
    return dbc.Container(
        [
            dcc.Location(id=AppIds.URL, refresh="callback-nav"),
            navbar(dash.page_registry.values(), current_scope()),
            html.Main(dash.page_container, className="pmo-main"),
            footer(info, get_settings().as_of_default()),
        ],
        fluid=True,
        className="px-0",
    )


def create_app() -> Dash:
    """Build the Dash app: Pages from dashboard/pages, vendored assets served locally."""
    app = Dash(
        __name__,
        use_pages=True,
        pages_folder=str(ROOT / "dashboard" / "pages"),
        assets_folder=str(ROOT / "dashboard" / "assets"),
        title="PMO Lens",
        suppress_callback_exceptions=True,
        serve_locally=True,
    )
    app.layout = serve_layout
    app.index_string = app.index_string.replace("<html>", '<html lang="en">', 1)  # WCAG 3.1.1
    secure(app)
    configure_uploads(app.server)  # upload size limit and its clear 413
    # Every other request gets a small body limit (after sign-in, which sets the role it checks).
    install_body_limits(app)
    return app


def secure(app: Dash) -> None:
    """Headers, Origin check, generic errors; sign-in when configured (dashboard.auth)."""
    settings = get_settings()
    harden(app, hsts=settings.secure_cookies and settings.auth != "off")
    check_settings(settings)
    install(
        app.server,
        mode=settings.auth,
        users=load_users(settings.users_file, settings.auth) if settings.auth != "off" else {},
        secret_key=os.environ.get("PMO_SECRET_KEY"),
        header=settings.auth_header,
        secure_cookies=settings.secure_cookies,
        assets_folder=ROOT / "dashboard" / "assets",
    )
    app.server.add_url_rule("/healthz", "healthz", lambda: {"status": "ok"})


def check_settings(settings: Settings) -> None:
    """Refuse to start when sign-in is misconfigured (raises ``AuthConfigError``)."""
    check_startup(
        settings.auth,
        settings.host,
        os.environ.get("PMO_SECRET_KEY"),
        settings.users_file,
        settings.trusted_proxies,
    )


try:
    app = create_app()
except AuthConfigError as exc:
    if __name__ != "__main__":
        raise  # under gunicorn, gunicorn.conf.py has already said why, without a traceback
    sys.exit(f"error: {exc}")
server = app.server
# Each new version's common views are prepared once, in the background, by one process
# (docs/performance.md); PMO_BACKGROUND_PREPARE=0 turns it off (the test suite does).
derived.register_warmer(warmup.common_views)
if os.environ.get("PMO_BACKGROUND_PREPARE", "1") != "0":
    derived.enable_background()
    server.before_request(preparer.ensure_watching)


def set_up_process() -> bool:
    """Let Dash finish setting itself up in this process before it takes requests.

    Dash sets itself up on a process's first request and marks that done *before* it has moved
    the pages' callbacks into place, so the other first requests of a fresh gunicorn worker,
    arriving meanwhile, found no such callback and were refused as malformed (400; seen in
    ``benchmarks/bench_forms.py``). One local request first does the set-up, with nobody
    waiting: ``gunicorn.conf.py`` (``post_worker_init``) and :func:`main` call this.

    Returns:
        Whether the set-up request was answered.
    """
    response = server.test_client().get(
        "/healthz", base_url="http://127.0.0.1", environ_base={"REMOTE_ADDR": "127.0.0.1"}
    )
    return response.status_code == 200


def prepare_before_serving() -> None:
    """Prepare the current version's common views before this process takes requests.

    So the first users after a start are not cold either (docs/performance.md, "No cold
    users"). Under gunicorn every worker calls it (``post_worker_init``): one prepares, the
    others wait for its prepare lock and then read the stored results.
    """
    if derived.background_enabled():  # PMO_BACKGROUND_PREPARE, read once above
        derived.prepare_current()


def main(argv: list[str] | None = None) -> None:
    """Serve the app with Flask's development server (use gunicorn for production)."""
    parser = argparse.ArgumentParser(description="Serve PMO Lens.")
    parser.add_argument("--data-dir", help=SETTINGS["data_dir"])
    parser.add_argument("--standards", help=SETTINGS["standards"])
    parser.add_argument("--host", help=SETTINGS["host"])
    parser.add_argument("--port", type=int, help=SETTINGS["port"])
    parser.add_argument("--debug", action="store_true", default=None, help=SETTINGS["debug"])
    args = parser.parse_args(argv)
    settings = configure(
        data_dir=args.data_dir,
        standards=args.standards,
        host=args.host,
        port=args.port,
        debug=args.debug,
    )
    try:
        check_settings(settings)
        get_standards()
    except (AuthConfigError, StandardsError) as exc:
        sys.exit(f"error: {exc}")
    set_up_process()
    prepare_before_serving()
    app.run(
        host=settings.host,
        port=settings.port,
        debug=settings.debug,
        request_handler=QuietRequestHandler,
    )


if __name__ == "__main__":
    main()
