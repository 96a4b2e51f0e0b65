"""gunicorn settings read from the repository root (gunicorn loads ./gunicorn.conf.py itself).

gunicorn binds with ``--bind``, which ``PMO_HOST`` knows nothing about, so the start-up checks
run here on the sockets gunicorn actually opened (docs/security.md, "Start-up checks"): with
sign-in off and a non-loopback listener, or proxy mode on one without ``PMO_TRUSTED_PROXIES``,
gunicorn stops with a one-line reason before any worker serves a request. The bound address is
then handed to the workers as ``PMO_HOST`` (Host allow-list defaults). The app also refuses,
per request, any non-loopback client while sign-in is off, should it run without this file.
"""

from __future__ import annotations

import os
import socket

import gunicorn.http.wsgi

# The Server header names no server version ("gunicorn" alone by default in this version).
gunicorn.http.wsgi.SERVER = "PMO Lens"


def bound_host(listeners: list) -> str:
    """The least safe address among gunicorn's listeners (a non-loopback one if any).

    A Unix socket is reachable from this machine only, like a loopback address.
    """
    from dashboard.network import is_loopback

    hosts = []
    for listener in listeners:
        sock = getattr(listener, "sock", listener)
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            hosts.append(str(sock.getsockname()[0]))
    outside = [host for host in hosts if not is_loopback(host)]
    return (outside or hosts or ["127.0.0.1"])[0]


def when_ready(server: object) -> None:
    """Check sign-in against the real listeners; stop gunicorn with the reason if unsafe."""
    from dashboard.auth import AuthConfigError, check_startup
    from dashboard.config import get_settings

    host = bound_host(server.LISTENERS)  # type: ignore[attr-defined]
    os.environ["PMO_HOST"] = host
    get_settings.cache_clear()
    settings = get_settings()
    try:
        check_startup(
            settings.auth,
            host,
            os.environ.get("PMO_SECRET_KEY"),
            settings.users_file,
            settings.trusted_proxies,
        )
    except AuthConfigError as exc:
        server.log.error("error: %s", exc)  # type: ignore[attr-defined]
        server.halt(reason=str(exc), exit_status=1)  # type: ignore[attr-defined]


def post_worker_init(worker: object) -> None:
    """Finish Dash's set-up and prepare the current version before a worker takes requests.

    Without the set-up request (``app.set_up_process``) the first callbacks reaching a fresh
    worker at once could be refused as malformed while Dash was still moving the pages'
    callbacks into place; without the preparation (``app.prepare_before_serving``) the first
    users after a start all computed the same views at once, cold.
    """
    import sys

    app_module = sys.modules.get("app")
    if app_module is None:
        return
    if not app_module.set_up_process():
        worker.log.warning("the worker's set-up request was not answered with 200")  # type: ignore[attr-defined]
    app_module.prepare_before_serving()
