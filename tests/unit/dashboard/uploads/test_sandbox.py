"""Unit tests of dashboard/uploads/sandbox.py: the loader subprocess's limits and its failures in
plain words - no browser."""

from __future__ import annotations

import pytest

from dashboard import uploads
from dashboard.uploads import (
    UploadedFile,
    loader_failure_message,
    save_upload,
)
from tests.unit.dashboard.uploads.conftest import CSV


def test_run_loader_timeout_becomes_a_friendly_message(tmp_path):
    path = save_upload(UploadedFile("s.csv", "s.csv", CSV, "text"), tmp_path)
    result = uploads.run_loader([path], tmp_path, dry_run=True, timeout=0.05)
    assert not result.ok and "longer than" in result.error
    assert (
        result.reference and "Traceback" not in result.error and str(tmp_path) not in result.error
    )


def test_run_loader_timeout_of_a_real_load_says_loading_again_is_safe(tmp_path):
    path = save_upload(UploadedFile("s.csv", "s.csv", CSV, "text"), tmp_path)
    result = uploads.run_loader([path], tmp_path, dry_run=False, timeout=0.05)
    assert not result.ok and "files already loaded are skipped" in result.error


def test_run_loader_memory_limit_becomes_a_friendly_message(tmp_path):
    path = save_upload(UploadedFile("s.csv", "s.csv", CSV, "text"), tmp_path)
    result = uploads.run_loader([path], tmp_path, dry_run=True, memory_bytes=48 * uploads.MB)
    assert not result.ok and "memory" in result.error
    assert "Traceback" not in result.error and "/" not in result.error


@pytest.mark.parametrize(
    ("returncode", "stderr", "expected"),
    [
        (1, "Traceback (most recent call last):\n  File '/srv/x.py'\nMemoryError\n", "memory"),
        (-9, "", "memory"),
        (-24, "", "longer than"),
        (1, "error: Could not set lock on file '/data/pmo-000003.duckdb'", "Another load"),
        (1, "error: pmo.toml: [loading].date_order must be one of auto, dmy, mdy", "date_order"),
        (1, "error: /srv/data/CURRENT does not name a database version", "stopped unexpectedly"),
        (1, "Traceback (most recent call last):\nKeyError: 'x'\n", "stopped unexpectedly"),
        (-11, "", "stopped unexpectedly"),
    ],
)
def test_loader_failure_message(returncode, stderr, expected):
    message = uploads.loader_failure_message(returncode, stderr)
    assert expected in message
    assert "Traceback" not in message and "/srv" not in message and "/data" not in message


def test_reader_memory_errors_get_the_clear_message():
    message = loader_failure_message(-6, "memory allocation of 2147483648 bytes failed\n")
    assert "needs more memory than an upload may use" in message
