"""The schedule and cost dimensions of health: an earned-value index and a forecast, each.

Schedule = the worse of SPI and the forecast-finish slip in days; cost = the worse of CPI and
the EAC overrun of budget in percent (docs/analytics.md, "Schedule (SPI and forecast finish)"
and "Cost (CPI and EAC)"). The facts come from :mod:`dashboard.analytics.health_facts`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.analytics.health_grading import days, grade, grade_ratio, pct, worst_of
from dashboard.standards import HealthThresholds


def schedule_dimension(facts: pd.DataFrame, t: HealthThresholds) -> dict[str, np.ndarray]:
    """Schedule RAG per project: the worse of SPI and the forecast-finish slip."""
    slip = facts["finish_slip_days"].to_numpy()
    amber, red = t.finish_slip_amber_days, t.finish_slip_red_days
    by_slip = grade(slip, amber, red, "above", _slip_words, days, 0)
    slip_why = np.where(
        facts["baseline_finish"].isna().to_numpy(), "no baseline finish", "no forecast finish"
    )
    spi = (facts["spi"].to_numpy(), t.spi_amber, t.spi_red)
    return _index_and_forecast(
        "SPI", spi, _spi_why(facts, t), ("forecast finish", by_slip, slip_why)
    )


def cost_dimension(facts: pd.DataFrame, t: HealthThresholds) -> dict[str, np.ndarray]:
    """Cost RAG per project: the worse of CPI and the EAC overrun of budget."""
    overrun = facts["eac_overrun_pct"].to_numpy()
    amber, red = t.eac_overrun_amber_pct, t.eac_overrun_red_pct
    by_eac = grade(overrun, amber, red, "above", _eac_words, pct, 1)
    budget = facts["budget"]
    no_budget = (budget.isna() | (budget <= 0)).to_numpy()
    no_ac = ~(facts["actual_cost"] > 0).to_numpy()
    cpi_why = np.select(
        [
            no_budget,
            facts["percent_complete"].isna().to_numpy(),
            facts["evm_too_early"].to_numpy(dtype=bool),
            no_ac,
        ],
        ["no budget", "no % complete", "too early for earned value", "no actual cost"],
        default="no CPI",
    )
    eac_why = np.where(no_budget, "no budget", "no forecast cost (EAC)")
    cpi = (facts["cpi"].to_numpy(), t.cpi_amber, t.cpi_red)
    return _index_and_forecast("CPI", cpi, cpi_why, ("EAC", by_eac, eac_why))


def _index_and_forecast(
    label: str,
    index: tuple[np.ndarray, float, float],
    index_why: np.ndarray,
    forecast: tuple[str, dict[str, np.ndarray], np.ndarray],
) -> dict[str, np.ndarray]:
    """Worst of an EV index (``(values, amber, red)``, the headline) and a graded forecast."""
    values, amber, red = index
    by_index = grade_ratio(values, label, amber, red)
    return worst_of(
        [(label, by_index, index_why), forecast],
        metric=label,
        value=by_index["value"],
        threshold=red,
    )


def _spi_why(facts: pd.DataFrame, t: HealthThresholds) -> np.ndarray:
    """Why SPI could not be judged, per project (the first reason that applies)."""
    no_dates = (facts["start_date"].isna() | facts["baseline_finish"].isna()).to_numpy()
    hold = facts["on_hold"].to_numpy(dtype=bool) & facts["on_hold_since"].isna().to_numpy()
    early = facts["evm_too_early"].to_numpy(dtype=bool)
    early_why = np.array(
        [
            f"too early for earned value ({0 if np.isnan(e) else 100 * e:.0f}% of the planned "
            f"duration elapsed < {t.evm_min_elapsed_pct:g}%)"
            for e in facts["elapsed_share"].to_numpy()
        ],
        dtype=object,
    )
    return np.select(
        [no_dates, hold, early, facts["percent_complete"].isna().to_numpy()],
        [
            "no start date or baseline finish",
            "on hold since an unknown date (no planned value while paused)",
            early_why,
            "no % complete",
        ],
        default="no SPI",
    )


def _slip_words(value: float) -> str:
    return f"forecast finish {value:g} days after baseline"


def _eac_words(value: float) -> str:
    return f"EAC {value:.1f}% over budget" if value >= 0 else f"EAC {-value:.1f}% under budget"
