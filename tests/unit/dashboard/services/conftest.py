"""Fixtures of the services' unit tests: every test starts and ends with an empty cache."""

from __future__ import annotations

import pytest

from dashboard.services.cache import clear_cache


@pytest.fixture(autouse=True)
def fresh_cache():
    clear_cache()
    yield
    clear_cache()
