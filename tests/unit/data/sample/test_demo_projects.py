"""Unit tests of data/sample/demo_projects.py (and the state it reports): the planted cases."""

from __future__ import annotations

from types import ModuleType

import pandas as pd

from tests.unit.data.sample.demo_reading import ACTIVE


def test_watermelon_projects(gen: ModuleType, register: pd.DataFrame, status: pd.DataFrame) -> None:
    active = register[register["Stage"].isin(ACTIVE)]
    cpi = active["% Complete"] * active["Budget (£)"] / active["Actual Cost (£)"]
    slip = (active["Forecast Finish"] - active["Baseline Finish"]).dt.days
    red_numbers = (cpi < 0.8) | (slip > 60)
    watermelons = active[red_numbers & (active["RAG Status"] == "Green")]
    # A handful, each planted: the rest of the portfolio reports what its numbers say.
    assert len(watermelons) == gen.N_WATERMELON_CPI + gen.N_WATERMELON_SLIP == 4
    latest = status.sort_values("Report Date").groupby("Project ID").tail(1)
    latest = latest.set_index("Project ID")["Overall RAG"]
    assert (latest[watermelons["Project ID"]] == "green").all()
    assert (cpi[red_numbers & (active["RAG Status"] == "Green")] < 0.8).sum() == 2
    assert (slip[red_numbers & (active["RAG Status"] == "Green")] > 60).sum() == 2


def test_honest_projects_report_what_the_pmo_rules_say(
    gen: ModuleType, register: pd.DataFrame
) -> None:
    # pmo.toml defaults: cost red when CPI < 0.8 or EAC more than 10 % over budget; schedule red
    # when the forecast finish is more than 45 days late. Apart from the planted watermelons,
    # every project red on those numbers is reported Red in the register.
    active = register[register["Stage"].isin(ACTIVE)]
    cpi = active["% Complete"] * active["Budget (£)"] / active["Actual Cost (£)"]
    overrun = 100 * (active["EAC (£)"] / active["Budget (£)"] - 1)
    slip = (active["Forecast Finish"] - active["Baseline Finish"]).dt.days
    red = (cpi.round(2) < 0.8) | (overrun.round(1) > 10) | (slip > 45)
    reported = active.loc[red, "RAG Status"]
    assert (reported == "Red").sum() >= 8
    assert (reported != "Red").sum() == gen.N_WATERMELON_CPI + gen.N_WATERMELON_SLIP


def test_closed_cancelled_and_new_projects(
    register: pd.DataFrame, previous_register: pd.DataFrame
) -> None:
    stages = register["Stage"].value_counts()
    assert stages["Closed"] >= 8
    assert stages["Cancelled"] >= 4
    assert set(stages.index) == {
        "Initiation",
        "Planning",
        "Execution",
        "Closing",
        "Closed",
        "Cancelled",
        "On Hold",
    }
    closed = register.loc[register["Stage"] == "Closed"]
    assert closed["Actual Finish"].notna().all()
    assert (closed["% Complete"] == 1).all()
    new = set(register["Project ID"]) - set(previous_register["Project ID"])
    assert len(new) == 6
    assert len(previous_register) == 144
    before = previous_register.set_index("Project ID")["Stage"]
    now = register.set_index("Project ID")["Stage"]
    just_closed = [
        pid for pid in before.index if before[pid] == "Execution" and now[pid] == "Closed"
    ]
    assert len(just_closed) >= 2


def test_monthly_review_shows_moves(
    register: pd.DataFrame, previous_register: pd.DataFrame
) -> None:
    cols = ["Budget (£)", "EAC (£)", "Forecast Finish", "RAG Status"]
    now = register.set_index("Project ID")
    before = previous_register.set_index("Project ID")
    both = before.index.intersection(now.index)
    still_open = both[now.loc[both, "Stage"] != "Closed"]
    changed = (now.loc[still_open, cols] != before.loc[still_open, cols]).any(axis=1)
    assert 12 <= changed.sum() <= 25
    assert (now.loc[still_open, "Budget (£)"] != before.loc[still_open, "Budget (£)"]).sum() >= 3
    assert (now.loc[still_open, "RAG Status"] != before.loc[still_open, "RAG Status"]).sum() >= 3


def test_numbers_are_plausible(register: pd.DataFrame, status: pd.DataFrame) -> None:
    assert (register["EAC (£)"] >= register["Actual Cost (£)"]).all()
    assert register["% Complete"].between(0, 1).all()
    assert register["Strategic Alignment (1-5)"].between(1, 5).all()
    assert (status["EAC"] >= status["Actual Cost"]).all()
    history = status.sort_values(["Project ID", "Report Date"])
    by_project = history.groupby("Project ID")
    assert (by_project["Actual Cost"].diff().dropna() >= 0).all()
    assert (by_project["% Complete"].diff().dropna() >= 0).all()
    assert status["Overall RAG"].isin(["green", "amber", "red"]).all()
