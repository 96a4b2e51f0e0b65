"""Unit tests of data/sample/demo_raid.py: the RAID log's columns and values."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pandas as pd


def test_raid_log(gen: ModuleType, demo: tuple[Path, list[Path]], register: pd.DataFrame) -> None:
    raid = pd.read_excel(demo[0] / "RAID Log.xlsx", sheet_name="RAID", engine="openpyxl")
    assert list(raid.columns) == list(gen.RAID_HEADER)
    assert 300 <= len(raid) <= 500
    assert raid["ID"].is_unique
    assert set(raid["Type"]) == {"Risk", "Issue", "Assumption", "Dependency"}
    assert raid["Probability"].dropna().between(0, 1).all()
    assert raid["Impact"].between(1, 5).all()
    assert set(raid["Severity"]) == {"Low", "Medium", "High", "Critical"}
    assert set(raid["Status"]) == {"Open", "Closed"}
    assert set(raid["Project"]) <= set(register["Project ID"])
    assert (raid["Due Date"] > raid["Date Raised"]).all()
