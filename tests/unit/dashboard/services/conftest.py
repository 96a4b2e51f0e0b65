"""Fixtures of the services' unit tests: an empty cache around each test, a tiny portfolio."""

from __future__ import annotations

import pytest

from dashboard.services import capacity
from dashboard.services.cache import clear_cache
from tests.unit.dashboard.services.capacity_cases import inputs


@pytest.fixture(autouse=True)
def fresh_cache():
    clear_cache()
    yield
    clear_cache()


@pytest.fixture
def tiny_capacity(monkeypatch):
    """The tiny portfolio of ``capacity_cases`` in place of the published data."""
    data = inputs()
    monkeypatch.setattr(capacity, "capacity_inputs", lambda as_of: data)
    return data
