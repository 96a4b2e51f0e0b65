"""Unit tests of data/sample/demo_status.py: each division's style, who reports when."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from types import ModuleType

import pandas as pd

from tests.unit.data.sample.demo_reading import ACTIVE, TODAY


def test_status_reports_come_in_each_division_style(demo: tuple[Path, list[Path]]) -> None:
    status_dir = demo[0] / "status"
    finance = sorted(status_dir.glob("finance_*.csv"))[-1].read_bytes()
    assert finance.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in finance
    text = finance.decode("utf-8-sig")
    row = text.splitlines()[1]
    assert row.split(",")[1].count("/") == 2  # dd/mm/yyyy
    assert '","' in text or ',"' in text  # quoted thousands
    operations = pd.read_csv(sorted(status_dir.glob("operations_*.csv"))[-1], dtype=str)
    assert set(operations["Overall RAG"]) <= {"G", "A", "R"}
    assert operations["% Complete"].str.endswith("%").all()
    technology = pd.read_csv(sorted(status_dir.glob("technology_*.csv"))[-1], dtype=str)
    assert set(technology["Overall RAG"]) <= {"Green", "Amber", "Red"}
    date.fromisoformat(technology["Report Date"].iloc[0])
    summaries = pd.concat(
        pd.read_csv(p, dtype=str, encoding="utf-8-sig")["Summary"]
        for p in sorted(status_dir.glob("*.csv"))
    )
    assert summaries.str.contains("\n").sum() > 0
    assert summaries.str.contains(",").sum() > 0


def test_status_reports_only_for_active_projects(
    status: pd.DataFrame, register: pd.DataFrame
) -> None:
    projects = register.set_index("Project ID")
    merged = status.join(projects[["Start Date", "Actual Finish"]], on="Project ID")
    assert (merged["Report Date"] >= merged["Start Date"]).all()
    closed = merged.dropna(subset=["Actual Finish"])
    assert (closed["Report Date"] < closed["Actual Finish"]).all()


def test_projects_that_stopped_reporting(
    gen: ModuleType, register: pd.DataFrame, status: pd.DataFrame
) -> None:
    cutoff = pd.Timestamp(TODAY - timedelta(days=42))
    active = register[register["Stage"].isin(ACTIVE) & (register["Start Date"] <= cutoff)]
    last = status.groupby("Project ID")["Report Date"].max()
    last_report = active["Project ID"].map(last)
    assert (last_report.isna() | (last_report < cutoff)).sum() == gen.N_STALE == 3
    recent = status[status["Report Date"] >= pd.Timestamp(TODAY - timedelta(days=14))]
    assert recent["Project ID"].nunique() >= 90
