"""Shared fixtures: tiny export files, an isolated store, the demo store, the app's settings."""

from __future__ import annotations

import base64
import contextlib
import csv
import os
import sys
from collections.abc import Callable, Iterator
from contextvars import copy_context
from datetime import date, timedelta
from pathlib import Path

import pytest
from dash._callback_context import context_value
from dash._utils import AttributeDict

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# Tests compute what they ask for, synchronously: no background preparation of new versions
# (tests/unit/test_derived.py turns it on where it is the subject).
os.environ.setdefault("PMO_BACKGROUND_PREPARE", "0")

DEMO_TODAY = date(2026, 11, 26)
"""The anchor day of the demo store used by integration and browser tests (never the calendar)."""

STATUS_HEADER = ["Project Code", "Report Date", "Overall RAG", "% Complete", "Summary"]


def write_status_csv(path: Path, rows: int, report_date: date, *, prefix: str = "P") -> Path:
    """A clean status-report CSV with ``rows`` projects reporting on ``report_date``."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(STATUS_HEADER)
        for i in range(rows):
            writer.writerow(
                [
                    f"{prefix}-{i:05d}",
                    report_date.isoformat(),
                    ("Green", "Amber", "Red")[i % 3],
                    f"{(i % 100)}%",
                    f"Update {i}, all fine",
                ]
            )
    return path


@pytest.fixture
def status_csv(tmp_path: Path) -> Callable[..., Path]:
    """Factory: ``status_csv(rows, report_date, name=...)`` writes a status CSV into tmp_path."""

    def make(rows: int = 10, report_date: date = date(2026, 1, 2), name: str | None = None) -> Path:
        return write_status_csv(tmp_path / (name or f"status_{report_date}.csv"), rows, report_date)

    return make


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """An empty store folder."""
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo portfolio anchored to DEMO_TODAY, built once through the real loaders."""
    from loaders.demo import build_demo

    root = tmp_path_factory.mktemp("demo")
    report = build_demo(root / "data", exports_dir=root / "exports", today=DEMO_TODAY)
    assert report.ok, [f.message for f in report.files if f.status == "failed"]
    return root / "data"


@contextlib.contextmanager
def dashboard_at(data_dir: Path) -> Iterator[object]:
    """The dashboard pointed at ``data_dir`` with 'today' pinned to the demo's anchor day.

    Yields the settings; afterwards the connections are closed and the settings forgotten.
    """
    from dashboard import config, db

    config._overrides.clear()
    try:
        yield config.configure(data_dir=data_dir, today=DEMO_TODAY)
    finally:
        db.close_all()
        config._overrides.clear()
        config.get_settings.cache_clear()


@pytest.fixture
def app_settings(demo_store: Path):
    """Point the dashboard at the demo store with 'today' pinned to the demo's anchor day."""
    with dashboard_at(demo_store) as settings:
        yield settings


def find(tree, component_id: str):
    """The component with ``component_id`` in a Dash layout tree (None when absent)."""
    if getattr(tree, "id", None) == component_id:
        return tree
    children = tree if isinstance(tree, list | tuple) else getattr(tree, "children", None)
    if isinstance(children, list | tuple):
        return next((f for c in children if (f := find(c, component_id)) is not None), None)
    if children is not None and not isinstance(children, str | int | float):
        return find(children, component_id)
    return None


def run_callback(prop_id: str, call: Callable[[], object]) -> object:
    """Call a callback function as Dash would, with ``ctx.triggered_id`` set.

    Callbacks read ``dash.ctx.triggered_id`` themselves (docs/architecture.md §2.6).
    """

    def inside() -> object:
        context_value.set(AttributeDict(triggered_inputs=[{"prop_id": prop_id, "value": 1}]))
        return call()

    return copy_context().run(inside)


def export_text(payload: dict) -> str:
    """A CSV download's table: decoded, its ``# label: value`` header comment lines removed."""
    text = base64.b64decode(payload["content"]).decode("utf-8-sig")
    return "".join(line for line in text.splitlines(keepends=True) if not line.startswith("# "))


def loader_env() -> dict[str, str]:
    """Environment for loader subprocesses: the repo on the path, no inherited store setting."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PMO_")}
    env["PYTHONPATH"] = str(ROOT)
    return env


def days(n: int) -> timedelta:
    """Shorthand for readable date arithmetic in tests."""
    return timedelta(days=n)
