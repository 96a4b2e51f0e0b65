"""gunicorn (--preload, 2 workers) serves while loads publish: no request fails, no lock error.

Readers during publishes and fork safety (docs/architecture.md §3.4, §3.5) under a real server.

A shortened run of benchmarks/load_test.py: simulated users open the app and change filters
while a loader publishes a new version every few seconds. No request may fail, and no lock
error may ever reach a user.
"""

from __future__ import annotations

import shutil

import pytest

from benchmarks.load_test import run

pytestmark = pytest.mark.slow


def test_gunicorn_workers_keep_answering_while_loads_publish(tmp_path, demo_store):
    data_dir = tmp_path / "data"
    shutil.copytree(demo_store, data_dir, ignore=shutil.ignore_patterns("loader.lock"))
    results = run(users=6, duration=14, publish_every=3, workers=2, data_dir=data_dir)
    assert results.errors == []
    assert results.lock_errors == 0
    assert results.publish_failures == []
    assert results.publishes >= 2
    assert len(results.first_page) == 6
    assert len(results.filter_callback) >= 20
