"""Integration test: the demo portfolio's computed health looks like a real portfolio's.

Built through the real loaders (the session's demo store) and judged by the shipped pmo.toml:
a PMO that shows 40 % of its projects red is ignored, one that shows none is not looking
(issue 16; the numbers are in data/sample/README.md).
"""

from __future__ import annotations

from dashboard.services import portfolio as portfolio_service
from tests.conftest import DEMO_TODAY


def test_red_share_of_open_projects_is_between_10_and_25_percent(app_settings):
    health = portfolio_service.portfolio(DEMO_TODAY).health
    assert len(health) == 126
    red = int((health["overall"] == "red").sum())
    assert 0.10 <= red / len(health) <= 0.25, red


def test_a_handful_of_watermelons_each_with_a_red_reason(app_settings):
    health = portfolio_service.portfolio(DEMO_TODAY).health
    melons = health[health["watermelon"]]
    assert 4 <= len(melons) <= 8  # 4 planted + the 3 that stopped reporting (README)
    assert melons["reported_rag"].isin(["green", "amber"]).all()
    assert melons["overall_reason"].str.contains("→ red").all()


def test_no_project_is_red_for_want_of_evidence(app_settings):
    health = portfolio_service.portfolio(DEMO_TODAY).health
    # SPI 0.00 on a project's first days is not a verdict: nothing too early is judged on SPI.
    early = health[health["evm_too_early"]]
    assert early["spi"].isna().all() and early["cpi"].isna().all()
    # The 5 On Hold projects accrue no planned value while paused (pause date unknown here).
    paused = health[health["on_hold"]]
    assert len(paused) == 5
    assert paused["spi"].isna().all()
    assert not paused["schedule_reason"].str.contains(r"SPI [\d.]+ < [\d.]+ → red").any()
