"""Unit tests of dashboard/components/upload_report.py: user text shown as text only."""

from __future__ import annotations

import json
from pathlib import Path

from dash.development.base_component import Component

from dashboard import uploads
from dashboard.components import upload_report
from dashboard.uploads import (
    FileOutcome,
    LoaderResult,
    Reject,
    SheetOutcome,
    UploadCheck,
    UploadRefused,
)


def walk(node):
    yield node
    children = getattr(node, "children", None)
    if isinstance(children, (list, tuple)):
        for child in children:
            yield from walk(child)
    elif children is not None:
        yield from walk(children)


def test_original_names_and_loader_text_are_shown_as_text_only():
    evil = "<img src=x onerror=alert(1)>.csv"
    check = UploadCheck(
        refused=[UploadRefused("<script>alert(1)</script>.exe", "only .xlsx ...")],
        saved=[uploads.SavedUpload(evil, "_img src=x onerror=alert(1)_.csv", "0" * 64, 1, Path())],
        result=LoaderResult(
            dry_run=True,
            files=(
                FileOutcome(
                    "_img src=x onerror=alert(1)_.csv",
                    "ok",
                    "",
                    (
                        SheetOutcome(
                            None,
                            "status_reports",
                            1,
                            2,
                            1,
                            1,
                            0,
                            {"<b>Code</b>": "project_id"},
                            (Reject(3, "<i>col</i>", "<svg onload=alert(1)> is not a date"),),
                        ),
                    ),
                ),
            ),
        ),
    )
    tree = upload_report.upload_preview(check)
    nodes = list(walk(tree))
    assert not [n for n in nodes if type(n).__name__ == "Markdown"]
    strings = [n for n in nodes if isinstance(n, str)]
    assert evil in strings
    assert "<script>alert(1)</script>.exe" in strings
    assert "<svg onload=alert(1)> is not a date" in strings
    assert all(isinstance(n, (str, int, float, Component)) for n in nodes if n is not None)
    assert "dangerously" not in json.dumps(tree.to_plotly_json(), default=str)
