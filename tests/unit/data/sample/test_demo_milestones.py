"""Unit tests of data/sample/demo_milestones.py: slipped, overdue and bad rows."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from tests.unit.data.sample.demo_reading import ACTIVE, TODAY


def test_slipped_and_overdue_milestones(
    demo: tuple[Path, list[Path]], register: pd.DataFrame
) -> None:
    raw = pd.read_csv(demo[0] / "Milestones.csv", dtype=str)
    # The two planted data-quality rows: a "TBC" baseline and a duplicate of the first row.
    assert (raw["Baseline Date"] == "TBC").sum() == 1
    assert raw.duplicated(keep=False).sum() == 2
    clean = raw[(raw["Baseline Date"] != "TBC") & ~raw.duplicated(keep="first")]
    milestones = clean.assign(
        **{c: pd.to_datetime(clean[c]) for c in ("Baseline Date", "Forecast Date", "Actual Date")}
    )
    per_project = milestones.groupby("Project ID").size()
    assert per_project.between(3, 6).all()
    assert len(per_project) == 150
    shift = (milestones["Forecast Date"] - milestones["Baseline Date"]).dt.days
    assert shift.between(10, 90).sum() >= 20
    assert shift.max() <= 90
    stage = milestones["Project ID"].map(register.set_index("Project ID")["Stage"])
    overdue = (
        (milestones["Baseline Date"] < pd.Timestamp(TODAY))
        & milestones["Actual Date"].isna()
        & stage.isin(ACTIVE)
    )
    assert overdue.sum() >= 10
    assert (milestones["Actual Date"].dropna() <= pd.Timestamp(TODAY)).all()
