"""Unit tests of data/sample/demo_plan.py: the resource plan and its over-allocations."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl
import pandas as pd


def test_over_allocated_roles_and_people(demo: tuple[Path, list[Path]]) -> None:
    out = demo[0]
    plan = pd.read_excel(out / "Resource Plan.xlsx", sheet_name="Plan", engine="openpyxl")
    months = list(plan.columns[4:])
    assert len(months) == 24
    assert months[0] == pd.Timestamp(2026, 5, 1)
    assert months[-1] == pd.Timestamp(2028, 4, 1)
    ws = openpyxl.load_workbook(out / "Resource Plan.xlsx")["Plan"]
    assert isinstance(ws["E1"].value, datetime)
    assert ws["E1"].number_format == "mmm-yy"
    long = plan.melt(
        id_vars=["Project ID", "Request ID", "Resource", "Role"], var_name="month", value_name="fte"
    ).dropna(subset=["fte"])
    # One row per project and person-or-role: repeated demand is summed into it (within the
    # loaders' 0-2 FTE range per cell).
    assert long["fte"].between(0.1, 2.0).all()
    keys = plan[["Project ID", "Request ID", "Resource", "Role"]].astype(str)
    assert not keys.duplicated().any()  # the loaders would reject every copy
    requests = pd.read_excel(out / "Project Requests.xlsx", sheet_name="Intake", engine="openpyxl")
    approved = set(requests.loc[requests["Status"] == "Approved", "Request ID"])
    committed = long[long["Project ID"].notna() | long["Request ID"].isin(approved)]
    demand = committed.groupby(["Role", "month"])["fte"].sum()
    people = pd.read_csv(out / "People.csv", parse_dates=["Start Date", "End Date"])
    coming = months[7:13]
    for role in ("Data Engineer", "Architect"):
        staff = people[people["Role"] == role]
        for month in coming:
            month_end = month + pd.offsets.MonthEnd(0)
            employed = (staff["Start Date"] <= month_end) & (
                staff["End Date"].isna() | (staff["End Date"] >= month)
            )
            supply = staff.loc[employed, "FTE"].sum()
            assert demand[(role, month)] > supply, (role, month)
    named = long.dropna(subset=["Resource"]).groupby(["Resource", "month"])["fte"].sum().round(2)
    assert named[named > 1.0].index.get_level_values("Resource").nunique() >= 3
    rows_per_project = plan.dropna(subset=["Project ID"]).groupby("Project ID").size()
    assert rows_per_project.between(2, 5).all()
    pipeline = plan.dropna(subset=["Request ID"])
    assert pipeline["Resource"].isna().all()
    assert len(pipeline) > 0
