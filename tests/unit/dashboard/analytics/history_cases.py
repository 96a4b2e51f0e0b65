"""Inputs shared by the unit tests of one project over time: a register row, reports, versions."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.standards import HealthThresholds

T = pd.Timestamp


THRESHOLDS = HealthThresholds()  # spi/cpi amber 0.9 red 0.8; milestone slip amber 14 red 45


def project(**overrides) -> pd.DataFrame:
    row = {
        "project_id": "P1",
        "name": "Payroll",
        "stage": "Execution",
        "start_date": T("2026-01-01"),
        "baseline_finish": T("2026-11-01"),  # 304 days after the start
        "forecast_finish": T("2026-11-01"),
        "budget": 1000.0,
        "actual_cost": np.nan,
        "forecast_cost": np.nan,
        "percent_complete": np.nan,
        "reported_rag": "green",
    }
    row.update(overrides)
    return pd.DataFrame([row])


def reports(*rows: tuple[str, float, float, str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "project_id": "P1",
            "report_date": [T(r[0]) for r in rows],
            "percent_complete": [r[1] for r in rows],
            "actual_cost": [r[2] for r in rows],
            "overall_rag": [r[3] for r in rows],
        }
    )


def versions(frame: pd.DataFrame, spans: list[tuple[str, str | None, bool]]) -> pd.DataFrame:
    """Attach (valid_from, valid_to, first_state) to each row of ``frame``, in order."""
    return frame.assign(
        valid_from=[T(s[0]) for s in spans],
        valid_to=[T(s[1]) if s[1] else pd.NaT for s in spans],
        first_state=[s[2] for s in spans],
    )
