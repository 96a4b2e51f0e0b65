"""The common views prepared in the background when a new version appears (``derived``).

Portfolio (today, and the previous month-end the review and as-of links start from), the
default monthly review, Data & compliance and Capacity, unfiltered and unrestricted: what most
people open first after a publish. Division filters and project pages then read these results
or are computed on demand.
"""

from __future__ import annotations

from datetime import timedelta

from dashboard.config import get_settings
from dashboard.services import capacity, data_quality, portfolio, review


def common_views() -> None:
    """Compute (and so store) the common views of the current version, most visited first."""
    today = get_settings().as_of_default()
    portfolio.portfolio_view({}, today)
    review.review_view({}, today)
    data_quality.data_quality_view({}, today)
    capacity.capacity_view({}, today)
    portfolio.portfolio(today.replace(day=1) - timedelta(days=1))
