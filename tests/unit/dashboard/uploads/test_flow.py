"""Unit tests of dashboard/uploads/flow.py: size limits across files, refusals logged, storage
failures - no browser."""

from __future__ import annotations

import logging

import pytest

from dashboard import uploads
from dashboard.uploads import (
    LoaderResult,
    flow,
)
from tests.unit.dashboard.uploads.conftest import CSV, MAX, data_url, files_under, settings_for


def test_file_one_byte_over_the_limit_is_refused_and_nothing_is_written(tmp_path, caplog):
    settings = settings_for(tmp_path, max_upload_mb=MAX / uploads.MB)
    caplog.set_level(logging.INFO, logger="pmo.uploads")
    check = uploads.check_upload(
        [data_url(CSV + b"x" * (MAX + 1 - len(CSV)), "text/csv")], ["big.csv"], settings
    )
    assert check.saved == [] and check.result is None and check.pending == []
    assert "over the" in check.refused[0].reason
    assert files_under(tmp_path) == []
    # docs/security.md, "Uploads" (audit): a refused attempt leaves a log line naming the file.
    assert any("upload refused" in r.message and "big.csv" in r.message for r in caplog.records)


def test_files_together_over_the_limit_refuse_the_one_that_does_not_fit(tmp_path, monkeypatch):
    monkeypatch.setattr(flow, "run_loader", lambda *_a, **_k: LoaderResult(dry_run=True))
    settings = settings_for(tmp_path, max_upload_mb=MAX / uploads.MB)
    half = CSV + b"x" * (MAX // 2 + 10 - len(CSV))
    check = uploads.check_upload(
        [data_url(half), data_url(half + b"y")], ["a.csv", "b.csv"], settings
    )
    assert [u.name for u in check.saved] == ["a.csv"]
    assert check.refused[0].original_name == "b.csv" and "together" in check.refused[0].reason


def test_a_file_the_server_cannot_store_is_refused_with_a_reference(tmp_path, monkeypatch, caplog):
    def disk_full(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(flow, "save_upload", disk_full)
    monkeypatch.setattr(flow, "run_loader", lambda *_a, **_k: pytest.fail("loader ran"))
    check = uploads.check_upload([data_url(CSV)], ["s.csv"], settings_for(tmp_path))
    assert check.saved == [] and "could not store the file (reference" in check.refused[0].reason
    assert "No space" not in check.refused[0].reason
    assert any("could not store" in r.message for r in caplog.records)
