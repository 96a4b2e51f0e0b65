"""Unit tests of dashboard/uploads/report.py: the loader's JSON report read without server paths -
no browser."""

from __future__ import annotations

from dashboard.uploads.report import file_outcome


def test_loader_messages_are_scrubbed_of_server_paths(tmp_path):
    item = {
        "file": "x.csv",
        "status": "failed",
        "message": f"cannot open {tmp_path}/uploads/abc/x.csv",
        "sheets": [],
    }
    assert str(tmp_path) not in file_outcome(item, tmp_path).message
