"""Rendered pages kept per version, standards, scope and query (dashboard/layout_cache.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dashboard import layout_cache
from dashboard.scope import Scope, _current
from dashboard.services import derived
from tests.conftest import dashboard_at


@pytest.fixture
def store(demo_store: Path, tmp_path: Path):
    data_dir = tmp_path / "data"
    shutil.copytree(demo_store, data_dir, ignore=shutil.ignore_patterns(derived.SUBDIR))
    layout_cache.clear()
    with dashboard_at(data_dir):
        yield data_dir
    layout_cache.clear()


def counting_page(calls: list):
    @layout_cache.cached_layout("test-page")
    def layout(**query: str) -> dict:
        calls.append(query)
        return {"built": len(calls), **query}

    return layout


def test_a_page_is_built_once_per_version_and_query(store):
    calls: list = []
    layout = counting_page(calls)
    first = layout(division="Finance")
    assert layout(division="Finance") is first  # the same tree, not rebuilt
    assert layout(division="Sales") is not first
    assert len(calls) == 2
    pointer = (store / "CURRENT").read_text().strip()
    version = int(pointer.split("-")[1].split(".")[0])
    newer = f"pmo-{version + 1:06d}.duckdb"
    shutil.copyfile(store / pointer, store / newer)
    (store / "CURRENT").write_text(newer)  # a publish
    assert layout(division="Finance") is not first
    assert len(calls) == 3


def test_each_scope_gets_its_own_page(store):
    calls: list = []
    layout = counting_page(calls)
    everyone = layout()
    token = _current.set(Scope(user="dm", role="division_manager", divisions=("Finance",)))
    try:
        mine = layout()
    finally:
        _current.reset(token)
    assert mine is not everyone and len(calls) == 2


def test_a_page_built_from_the_previous_versions_results_is_not_kept(store, monkeypatch):
    calls: list = []

    @layout_cache.cached_layout("test-stale")
    def layout(**query: str) -> dict:
        calls.append(1)
        derived._note_stale(1, 2)  # a result came from the previous version
        return {"built": len(calls)}

    assert layout() == {"built": 1}
    assert layout() == {"built": 2}  # rebuilt: the footer said "being prepared"


def test_with_nothing_published_the_page_is_built_every_time(tmp_path):
    calls: list = []
    layout = counting_page(calls)
    with dashboard_at(tmp_path / "empty"):
        layout()
        layout()
    assert len(calls) == 2
