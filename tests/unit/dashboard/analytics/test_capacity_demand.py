"""Unit tests of capacity demand: weights, units and each request's needs - no database."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.analytics.capacity_demand import allocation_demand, request_demand
from dashboard.standards import ApprovalProbabilities
from tests.unit.dashboard.analytics.capacity_cases import (
    FEB,
    JAN,
    MONTHS,
    REGISTER,
    REQUESTS,
    WT,
    allocations,
    people,
    placement,
)


def test_allocation_demand_weights_and_units():
    demand = allocation_demand(
        allocations(), WT, months=MONTHS, resources=people(), projects=REGISTER, requests=REQUESTS
    )
    assert len(demand) == 4  # June is outside the months
    assert demand["basis"].tolist() == [
        "active project",
        "closed project",
        "approved request",
        "request not approved (submitted)",
    ]
    assert demand["weight"].tolist() == [1.0, 0.0, 1.0, 0.0]
    assert demand["role"].tolist() == ["dev", "dev", "dev", "ba"]  # Ann's role filled in
    assert demand["team"].iloc[0] == "T1"
    assert demand["hours"].tolist() == [0.5 * 157.5, 157.5, 20.0, 150.0]
    assert demand["demand_hours"].tolist() == [78.75, 0.0, 20.0, 0.0]
    assert demand["fte"].iloc[2] == pytest.approx(20 / 157.5)


def test_pipeline_scenario_weights_requests_by_approval_probability():
    demand = allocation_demand(
        allocations(),
        WT,
        months=MONTHS,
        resources=people(),
        projects=REGISTER,
        requests=REQUESTS,
        approval=ApprovalProbabilities(submitted=0.3),
        include_pipeline=True,
    )
    assert demand["weight"].tolist() == [1.0, 0.0, 1.0, 0.3]
    assert demand["basis"].iloc[3] == "pipeline (submitted, p=0.3)"
    assert demand["demand_hours"].iloc[3] == pytest.approx(45.0)


def test_unknown_request_status_counts_as_not_approved():
    demand = allocation_demand(allocations(), WT, months=MONTHS, include_pipeline=True)
    assert demand["weight"].tolist() == [1.0, 1.0, 0.0, 0.0]
    assert demand["basis"].iloc[2] == "request not approved (no status)"


def test_request_demand_for_selection():
    _, demand = placement()
    needs = request_demand(demand)
    assert needs.to_dict("list") == {
        "request_id": ["R1", "R1"],
        "role": ["dev", "dev"],
        "month": [JAN, FEB],
        "fte": [0.2, 0.2],
    }


def test_allocation_demand_does_not_mutate_input():
    frames = (allocations(), people(), REGISTER, REQUESTS)
    before = [f.copy() for f in frames]
    allocation_demand(
        frames[0], WT, months=MONTHS, resources=frames[1], projects=frames[2], requests=frames[3]
    )
    for frame, copy in zip(frames, before, strict=True):
        pd.testing.assert_frame_equal(frame, copy)


def test_request_demand_does_not_mutate_input():
    _, demand = placement()
    before = demand.copy()
    request_demand(demand)
    pd.testing.assert_frame_equal(demand, before)
