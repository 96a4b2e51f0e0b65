"""Unit tests of data/sample/generate.py: determinism, load order, dates, speed, counts."""

from __future__ import annotations

import time
from datetime import date, timedelta
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest

from tests.unit.data.sample.demo_reading import TODAY, read_register, xlsx_values


def test_same_today_and_seed_give_identical_files(gen: ModuleType, tmp_path: Path) -> None:
    first = gen.generate(tmp_path / "a", TODAY)
    second = gen.generate(tmp_path / "b", TODAY)
    assert [p.relative_to(tmp_path / "a") for p in first] == [
        p.relative_to(tmp_path / "b") for p in second
    ]
    for a, b in zip(first, second, strict=True):
        if a.suffix == ".csv":
            assert a.read_bytes() == b.read_bytes(), a.name
        else:
            assert xlsx_values(a) == xlsx_values(b), a.name
            assert a.read_bytes() == b.read_bytes(), a.name


def test_another_seed_gives_another_portfolio(gen: ModuleType, tmp_path: Path) -> None:
    gen.generate(tmp_path / "a", TODAY)
    gen.generate(tmp_path / "b", TODAY, seed=7)
    name = "Milestones.csv"
    assert (tmp_path / "a" / name).read_bytes() != (tmp_path / "b" / name).read_bytes()


def test_returns_every_file_in_load_order(demo: tuple[Path, list[Path]]) -> None:
    out, paths = demo
    assert sorted(paths) == sorted(p for p in out.rglob("*") if p.is_file())
    names = [p.name for p in paths]
    assert names[:3] == [
        "People.csv",
        "Project Register 2026-10-31.xlsx",
        f"Project Register {TODAY.isoformat()}.xlsx",
    ]
    assert names[-4:] == [
        "Milestones.csv",
        "RAID Log.xlsx",
        "Project Requests.xlsx",
        "Resource Plan.xlsx",
    ]
    report_dates = [p.stem.rsplit("_", 1)[1] for p in paths if p.parent.name == "status"]
    assert report_dates == sorted(report_dates)


@pytest.mark.parametrize("today", [TODAY, date(2027, 6, 1), date(2027, 2, 28)])
def test_latest_status_report_is_within_14_days(
    gen: ModuleType, tmp_path: Path, today: date
) -> None:
    paths = gen.generate(tmp_path, today)
    dates = sorted(
        date.fromisoformat(p.stem.rsplit("_", 1)[1]) for p in paths if p.parent.name == "status"
    )
    assert 0 <= (today - dates[-1]).days < 14
    assert all(d.weekday() == 4 for d in dates)
    assert (today - dates[0]).days > 500  # 18 months of history
    prev_end = today.replace(day=1) - timedelta(days=1)
    assert (tmp_path / f"Project Register {prev_end.isoformat()}.xlsx").exists()
    assert len(read_register(tmp_path / f"Project Register {today.isoformat()}.xlsx")) == 150


def test_generation_is_fast(gen: ModuleType, tmp_path: Path) -> None:
    started = time.perf_counter()
    gen.generate(tmp_path, TODAY)
    assert time.perf_counter() - started < 5


def test_counts(gen: ModuleType, demo: tuple[Path, list[Path]], register: pd.DataFrame) -> None:
    out = demo[0]
    assert len(register) == 150
    assert register["Project ID"].tolist() == [f"PRJ-{i:03d}" for i in range(1, 151)]
    assert register["Division"].nunique() == 6
    people = pd.read_csv(out / "People.csv")
    assert len(people) == 90
    assert people["Employee ID"].tolist() == [f"E{i:04d}" for i in range(1, 91)]
    assert set(people["FTE"]) <= {1.0, 0.8, 0.5}
    assert (people["FTE"] == 1.0).mean() > 0.75
    assert people["End Date"].notna().sum() >= 3
    requests = pd.read_excel(out / "Project Requests.xlsx", sheet_name="Intake", engine="openpyxl")
    assert list(requests.columns) == list(gen.REQUEST_HEADER)
    assert requests["Request ID"].tolist() == [f"REQ-{i:03d}" for i in range(1, 41)]
    assert set(requests["Status"]) == {
        "Submitted",
        "Under Review",
        "Approved",
        "Rejected",
        "Deferred",
    }
    assert set(requests["Mandatory?"]) == {"Yes", "No"}
