"""A project's state at any date: forecast, % complete, money, stage and the RAG it reports.

The writers of every export ask these functions, so the register, the status reports and the
milestones tell one story. The RAG follows the PMO's default rules (pmo.toml ``[health]``).
"""

from __future__ import annotations

from datetime import date

from demo_records import Project, days

RAG_ORDER = {"Green": 0, "Amber": 1, "Red": 2}


def forecast_at(p: Project, d: date) -> date:
    """The forecast finish reported at ``d``: the baseline plus the slips known by then."""
    f = p.baseline
    if p.slip1 and p.slip1_date and d >= p.slip1_date:
        f += days(p.slip1)
    if p.slip2 and p.event and d >= p.event:
        f += days(p.slip2)
    return f


def pct_complete(p: Project, d: date) -> float:
    """% complete (0-1) at ``d``, linear from the start to the forecast finish."""
    if d < p.start:
        return 0.0
    if p.finish and d >= p.finish:
        return 1.0
    if p.stopped:
        d = min(d, p.stopped)
    # Progress runs linearly to the forecast finish, so an on-time project has SPI ≈ 1 and a
    # slipped one SPI ≈ planned duration / forecast duration.
    t = (d - p.start).days / max(1, (p.forecast_final - p.start).days)
    return round(min(0.97, max(0.0, t)), 2)


def budget_at(p: Project, d: date) -> float:
    """The budget at ``d``: re-baselined from a mover's change date on."""
    uplift = p.budget_uplift if p.event and d >= p.event else 0.0
    return round(p.budget0 * (1 + uplift), -3)


def actual_cost_at(p: Project, d: date) -> float:
    """Actual cost to date at ``d``: earned value / CPI."""
    return round(p.budget0 * pct_complete(p, d) / p.cpi, -2)


def eac_at(p: Project, d: date) -> float:
    """Estimate at completion at ``d`` (the actual cost once the project is finished)."""
    actual = actual_cost_at(p, d)
    if p.finish and d >= p.finish:
        return actual
    uplift = p.eac_uplift if p.event and d >= p.event else 0.0
    return max(actual, round(p.budget0 / p.cpi * (1 + uplift), -3))


def stage_at(p: Project, d: date) -> str:
    """The stage the register shows at ``d``."""
    if p.finish and d >= p.finish:
        return "Closed"
    if p.stopped and d >= p.stopped:
        return "Cancelled" if p.stage == "Cancelled" else "On Hold"
    if d < p.init_end:
        return "Initiation"
    if d < p.plan_end:
        return "Planning"
    if d < p.closing_start:
        return "Execution"
    return "Closing"


def rag_at(p: Project, d: date) -> tuple[str, str, str, str, str]:
    """Overall, schedule, cost, scope and resources RAG as the team lead reports them at d."""
    if p.watermelon:
        return ("Green",) * 5
    # An honest team lead applies the PMO's default rules (pmo.toml [health]) to the numbers:
    # schedule = worse of SPI and forecast-finish slip, cost = worse of CPI and EAC overrun.
    slip = (forecast_at(p, d) - p.baseline).days
    spi = spi_at(p, d)
    schedule = worse(
        "Red" if slip > 45 else "Amber" if slip > 14 else "Green",
        "Green" if spi is None else "Red" if spi < 0.8 else "Amber" if spi < 0.9 else "Green",
    )
    # CPI and budget/EAC from the unrounded model, so rounding never flips a RAG between dates
    changed = p.event is not None and d >= p.event
    cpi = p.cpi * (1 + p.budget_uplift) if changed else p.cpi
    overrun = 100 * ((1 + p.eac_uplift) / cpi - 1) if changed else 100 * (1 / cpi - 1)
    cost = worse(
        "Red" if cpi < 0.8 else "Amber" if cpi < 0.9 else "Green",
        "Red" if overrun > 10 else "Amber" if overrun > 5 else "Green",
    )
    scope = "Amber" if p.scope_concern else "Green"
    resources = "Green"
    if p.resource_gap:
        gap_start, gap_end = p.resource_gap
        if gap_start <= d and (gap_end is None or d < gap_end):
            resources = "Amber"
    overall = max((schedule, cost, scope, resources), key=RAG_ORDER.__getitem__)
    if p.stopped and p.stage == "On Hold" and d >= p.stopped and overall == "Green":
        overall = "Amber"
    return overall, schedule, cost, scope, resources


def worse(a: str, b: str) -> str:
    """The worse of two RAG words."""
    return max(a, b, key=RAG_ORDER.__getitem__)


def spi_at(p: Project, d: date) -> float | None:
    """SPI as the PMO computes it (% complete / elapsed share of start → baseline finish).

    None before 10 % of the planned duration has elapsed (pmo.toml evm_min_elapsed_pct) and
    once the project is paused (no planned value accrues while on hold).
    """
    duration = (p.baseline - p.start).days
    share = min(1.0, (d - p.start).days / duration) if duration > 0 else 0.0
    if share < 0.1 or (p.stopped and d >= p.stopped):
        return None
    return pct_complete(p, d) / share


def register_rag(p: Project, d: date) -> str:
    """The register's RAG: frozen at the last day before a project closed or stopped."""
    if p.finish and d >= p.finish:
        return rag_at(p, p.finish - days(1))[0]
    if p.stopped and p.stage == "Cancelled" and d >= p.stopped:
        return rag_at(p, p.stopped - days(1))[0]
    return rag_at(p, d)[0]
