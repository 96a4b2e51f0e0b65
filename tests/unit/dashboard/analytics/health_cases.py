"""Inputs shared by the unit tests of computed health: one all-green project and its thresholds."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard.analytics.health import assess_health
from dashboard.standards import HealthThresholds

D = dt.date


AS_OF = D(2026, 3, 1)


# Explicit thresholds so the tests do not move when pmo.toml is tuned.
T = HealthThresholds(
    cadence_days=14,
    stale_red_days=42,
    closed_stages=("closed", "cancelled"),
    spi_amber=0.95,
    spi_red=0.85,
    cpi_amber=0.95,
    cpi_red=0.85,
    eac_overrun_amber_pct=5.0,
    eac_overrun_red_pct=10.0,
    finish_slip_amber_days=14,
    finish_slip_red_days=30,
    milestone_slip_amber_days=7,
    milestone_slip_red_days=30,
    milestone_overdue_red=1,
    raid_amber_open_high=1,
    raid_red_open_high=3,
    raid_red_open_critical=1,
)


def projects(**overrides) -> pd.DataFrame:
    """One all-green project at AS_OF: planned share 0.5, SPI 1.0, CPI 1.0, EAC = budget."""
    row = {
        "project_id": "P1",
        "name": "Alpha",
        "division": "Ops",
        "stage": "Delivery",
        "start_date": D(2025, 3, 1),
        "baseline_finish": D(2027, 3, 1),  # 730 days: on AS_OF 365 have elapsed = 0.5
        "forecast_finish": D(2027, 3, 1),
        "actual_finish": None,
        "budget": 1000.0,
        "actual_cost": 500.0,
        "forecast_cost": 1000.0,
        "percent_complete": 0.5,
        "reported_rag": "green",
    }
    row.update(overrides)
    return pd.DataFrame([row])


def reports(*rows: dict) -> pd.DataFrame:
    columns = [
        "project_id",
        "report_date",
        "overall_rag",
        "percent_complete",
        "actual_cost",
        "forecast_finish",
        "forecast_cost",
    ]
    base = dict.fromkeys(columns)
    return pd.DataFrame([{**base, **r} for r in rows], columns=columns)


def fresh_report(**overrides) -> pd.DataFrame:
    return reports(
        {"project_id": "P1", "report_date": D(2026, 2, 22), "overall_rag": "green", **overrides}
    )


def milestones(*rows: tuple) -> pd.DataFrame:
    return pd.DataFrame(
        rows or [("P1", "Design", D(2026, 6, 1), D(2026, 6, 1), None)],
        columns=["project_id", "milestone", "baseline_date", "forecast_date", "actual_date"],
    )


def raid(*rows: tuple) -> pd.DataFrame:
    return pd.DataFrame(
        list(rows),
        columns=["raid_id", "project_id", "raid_type", "severity", "status", "raised_date"],
    )


def assess(
    project: pd.DataFrame | None = None,
    status: pd.DataFrame | None = None,
    miles: pd.DataFrame | None = None,
    risks: pd.DataFrame | None = None,
    thresholds: HealthThresholds = T,
    as_of: dt.date = AS_OF,
    **kwargs,
) -> pd.DataFrame:
    return assess_health(
        projects() if project is None else project,
        fresh_report() if status is None else status,
        milestones() if miles is None else miles,
        raid() if risks is None else risks,
        thresholds,
        as_of=as_of,
        **kwargs,
    )


def one(frame: pd.DataFrame) -> pd.Series:
    assert len(frame) == 1
    return frame.iloc[0]


def raid_due(*rows: tuple) -> pd.DataFrame:
    return pd.DataFrame(
        list(rows),
        columns=["raid_id", "project_id", "raid_type", "severity", "status", "due_date"],
    )


ROUNDING = HealthThresholds(spi_amber=0.95, spi_red=0.8, cpi_amber=0.95, cpi_red=0.8)
