"""Browser-tier settings: Dash debug off (it interferes with the tests), one app per session."""

from __future__ import annotations

import os
import shutil
import socket
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from dash.testing.application_runners import BaseDashRunner

os.environ["DASH_DEBUG"] = "false"


def _free_port() -> int:
    """A port nobody listens on now, so two suites on one machine never fight over 8050."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# dash_duo numbers its servers from this class attribute (8050 by default).
BaseDashRunner._next_port = _free_port()


def pytest_collection_modifyitems(items):
    """Everything under tests/browser drives Chromium."""
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


def pytest_setup_options():
    """Chromium flags for a root, offline, headless run (no sandbox, no background network)."""
    from selenium.webdriver.chrome.options import Options

    options = Options()
    for flag in ("--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--window-size=1400,1000"):  # fmt: skip
        options.add_argument(flag)
    return options


def save_screenshot(dash_duo, name: str) -> None:
    """With PMO_SCREENSHOTS=DIR (``make screenshots``), save the page as DIR/<name>.png."""
    folder = os.environ.get("PMO_SCREENSHOTS")
    if folder:
        os.makedirs(folder, exist_ok=True)
        # A tall window, so the shot shows the grids and their colours below the charts.
        driver = dash_duo.driver
        size = driver.get_window_size()
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(size["width"], min(max(size["height"], height), 2200))
        driver.execute_script("window.scrollTo(0, 0)")
        time.sleep(1)
        driver.save_screenshot(os.path.join(folder, f"{name}.png"))
        driver.set_window_size(size["width"], size["height"])


@pytest.fixture(autouse=True)
def _callbacks_settle_before_the_server_stops(request):
    """Let the page's callbacks finish before dash_duo stops its server.

    dash_duo stops the server by raising SystemExit in its threads: a callback still computing
    then dies mid-way and pytest reports that thread's exception, which has nothing to do with
    the test. Asking for ``dash_duo`` here makes this teardown run before the server's.
    """
    if "dash_duo" not in request.fixturenames:
        yield
        return
    duo = request.getfixturevalue("dash_duo")
    yield
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if duo._wait_for_callbacks():
                return
        except Exception:  # no page open, or the browser is gone: nothing to wait for
            return
        time.sleep(0.2)


def opened_on(data_dir: Path, day: date) -> Iterator[object]:
    """The app's settings on ``data_dir`` with "today" pinned to ``day``; cleaned up after.

    A generator for fixtures to ``yield from``: caches and connections of one test never leak
    into the next.
    """
    from dashboard import config, db
    from dashboard.services.cache import clear_cache

    config._overrides.clear()
    clear_cache()
    yield config.configure(data_dir=data_dir, today=day)
    db.close_all()
    clear_cache()
    config._overrides.clear()
    config.get_settings.cache_clear()


def store_copy(store: Path, target: Path) -> Path:
    """``target``: a copy of the published version of ``store`` (a test may write to it)."""
    from loaders import publish

    target.mkdir()
    current = publish.current_version(store)
    shutil.copyfile(current.path, target / current.path.name)
    (target / "CURRENT").write_text((store / "CURRENT").read_text())
    return target


@pytest.fixture
def store_copy_on_2_december(demo_store: Path, tmp_path: Path) -> Iterator[object]:
    """A copy of the demo store (the test writes to it), opened on 2 Dec 2026."""
    yield from opened_on(store_copy(demo_store, tmp_path / "data"), date(2026, 12, 2))
