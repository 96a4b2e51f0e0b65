"""Unit tests of data/sample/demo_requests.py: incomplete requests stay in intake."""

from __future__ import annotations

from pathlib import Path

import pandas as pd


def test_incomplete_requests(demo: tuple[Path, list[Path]]) -> None:
    requests = pd.read_excel(
        demo[0] / "Project Requests.xlsx", sheet_name="Intake", engine="openpyxl"
    )
    needed = [
        "Estimated Cost",
        "Expected Annual Benefit",
        "Effort (person-months)",
        "Strategic Alignment (1-5)",
    ]
    incomplete = requests[requests[needed].isna().any(axis=1)]
    assert len(incomplete) >= 8
    assert set(incomplete["Status"]) <= {"Submitted", "Under Review"}
