"""Unit tests of the RAID dimension of health - hand-computed expectations, no database."""

from __future__ import annotations

import pytest

from dashboard.standards import HealthThresholds
from tests.unit.dashboard.analytics.health_cases import (
    D,
    assess,
    one,
    raid,
    raid_due,
)


@pytest.mark.parametrize(
    ("items", "rag", "critical"),
    [
        ([], "green", 0),
        ([("R1", "P1", "risk", "high", "open", D(2026, 1, 1))], "amber", 0),
        (
            [("R1", "P1", "risk", "high", "open", None)] * 2
            + [("R3", "P1", "issue", "high", "Open", D(2026, 1, 1))],
            "red",
            0,
        ),
        ([("R1", "P1", "issue", "critical", "open", D(2026, 1, 1))], "red", 1),
        ([("R1", "P1", "risk", "high", "closed", D(2026, 1, 1))], "green", 0),
        ([("R1", "P1", "risk", "medium", "open", D(2026, 1, 1))], "green", 0),
        ([("R1", "P1", "assumption", "high", "open", None)], "green", 0),
        ([("R1", "P1", "risk", "high", "open", D(2026, 3, 2))], "green", 0),
        ([("R1", "P1", "risk", "high", None, None)], "amber", 0),
    ],
)
def test_raid_rules(items, rag, critical):
    row = one(assess(risks=raid(*items)))
    assert row["raid_rag"] == rag
    assert row["raid_metric"] == "open critical"  # one meaning: value = open critical items
    assert row["raid_value"] == critical
    assert row["raid_threshold"] == 1


def test_raid_reason():
    row = one(assess(risks=raid(("R1", "P1", "issue", "critical", "open", None))))
    assert row["raid_reason"] == "1 open critical ≥ 1 → red"


@pytest.mark.parametrize(
    ("items", "rag", "reason"),
    [
        (
            [("R1", "P1", "issue", "critical", "open", D(2026, 6, 1))],
            "amber",
            "1 open high/critical ≥ 1 → amber",
        ),
        (
            [("R1", "P1", "issue", "critical", "open", D(2026, 6, 1))] * 2,
            "red",
            "2 open critical ≥ 2 → red",
        ),
        (
            [("R1", "P1", "risk", "critical", "open", D(2026, 2, 28))],
            "red",
            "1 open critical past due date ≥ 1 → red",
        ),
        (
            [("R1", "P1", "risk", "high", "open", D(2026, 2, 1))] * 5,
            "amber",  # red by count of high items is off by default
            "5 open high/critical ≥ 1 → amber",
        ),
        (
            [("R1", "P1", "risk", "critical", "closed", D(2026, 2, 1))],
            "green",
            "0 open high/critical < 1 → green",
        ),
    ],
)
def test_raid_default_escalation(items, rag, reason):
    row = one(assess(risks=raid_due(*items), thresholds=HealthThresholds()))
    assert row["raid_rag"] == rag
    assert row["raid_reason"] == reason
