"""The common views prepared in the background when a new version appears (``derived``).

Portfolio today, the default monthly review (also per division), Data & compliance, Capacity,
Intake, and the Portfolio as of each of the last :data:`MONTH_ENDS` month-ends (as-of views,
trends, past reviews), unrestricted: what most people open first after a publish. Health per date is
incremental (``services.portfolio``), so after the first version these cost little. Division
filters read these results. Project pages are keyed by their own inputs; the ones people opened
that a publish changed are computed again here, the others are reused as they are.
"""

from __future__ import annotations

from datetime import date, timedelta

from dashboard.config import get_settings
from dashboard.services import capacity, data_quality, intake, portfolio, project, review, visits


def common_views() -> None:
    """Compute (and so store) the common views of the current version, most visited first."""
    today = get_settings().as_of_default()
    portfolio.portfolio_view({}, today)
    opened = review.review_view({}, today)
    review.meeting(opened.review.state)  # its 12-month trend computes those month-ends
    data_quality.data_quality_view({}, today)
    capacity.capacity_view({}, today)
    intake.intake_view({}, today)
    for month_end in month_ends(today, MONTH_ENDS):
        portfolio.portfolio(month_end)
    # The review per division (a division manager's default view; ~0.4 s each at the demo
    # size when a request had to build it).
    for division in opened.options.divisions:
        review.meeting(review.review_view({"division": division}, today).review.state)
    # Project pages people opened that this publish changed (the others are reused as they are).
    changed = portfolio.changed_projects(today)
    if changed:
        for project_id in visits.visited("project"):
            if project_id in changed:
                project.project_view(project_id, today)


MONTH_ENDS = 6
"""How many past month-ends are prepared besides the review's trend (the as-of links)."""


def month_ends(today: date, count: int) -> list[date]:
    """The last day of each of the ``count`` months before ``today``'s month, newest first."""
    out, day = [], today.replace(day=1)
    for _ in range(count):
        day -= timedelta(days=1)
        out.append(day)
        day = day.replace(day=1)
    return out
