"""Monthly review data: what changed between two dates, exceptions first, for a division or all.

Dates: the review compares a month-end (``from``) with a later date (``to``). By default it is
**the last closed month** (``dashboard.analytics.periods.last_closed_month``): opened on
2026-12-02 that is 2026-10-31 vs 2026-11-30, the month leadership meets about. "Month to date"
(the previous month-end vs today) is one click away (:func:`period_links`). ``to`` may also be
any earlier month-end, so a past review can be rebuilt.

This module is the review's service API, the one the page, the report command and the tests
import: it builds the view the URL asks for and gathers the names of the modules that do the
work (docs/review.md "In the code"):

- ``review_url``: the URL state and its allowlist;
- ``review_changes``: the changes between the two dates (:func:`review`);
- ``review_meeting``: the meeting's decisions, actions and trend (:func:`meeting`);
- ``review_records``: decisions, actions done and the summary the user records;
- ``review_document``: the JSON document the pack and ``report review --json`` are built from.

The rules themselves are pure functions in ``dashboard.analytics.review*`` (docs/analytics.md §6).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dashboard.analytics.review_actions import log_export
from dashboard.analytics.review_meeting import DECISION_TITLES
from dashboard.analytics.review_periods import default_dates, month_ends, trend_dates
from dashboard.analytics.review_sections import (
    SECTIONS,
    Section,
    changes_export,
    exception_counts,
    section_changes,
)
from dashboard.services.portfolio import portfolio
from dashboard.services.review_changes import Review, review
from dashboard.services.review_document import review_document
from dashboard.services.review_meeting import (
    Meeting,
    decisions_log,
    decisions_note,
    earlier_actions,
    meeting,
)
from dashboard.services.review_records import (
    DecisionRefused,
    ExecutiveSummary,
    can_record,
    can_write_summary,
    decision_subjects,
    executive_summary,
    mark_action_done,
    parse_subject,
    record_decision,
    record_summary,
)
from dashboard.services.review_url import (
    ReviewOptions,
    ReviewState,
    active_period,
    parse_review,
    period_links,
    review_options,
    review_search,
)

__all__ = [
    "DECISION_TITLES",
    "SECTIONS",
    "SECTION_ROW_LIMIT",
    "DecisionRefused",
    "ExecutiveSummary",
    "Meeting",
    "Review",
    "ReviewOptions",
    "ReviewState",
    "ReviewView",
    "Section",
    "active_period",
    "can_record",
    "can_write_summary",
    "changes_export",
    "current_options",
    "decision_subjects",
    "decisions_log",
    "decisions_note",
    "default_dates",
    "earlier_actions",
    "exception_counts",
    "executive_summary",
    "log_export",
    "mark_action_done",
    "meeting",
    "month_ends",
    "parse_review",
    "parse_subject",
    "period_links",
    "record_decision",
    "record_summary",
    "review",
    "review_document",
    "review_options",
    "review_search",
    "review_view",
    "section_changes",
    "trend_dates",
]

SECTION_ROW_LIMIT = 50
"""Changes per review section sent to the browser (exceptions first); the export has all."""


@dataclass(frozen=True)
class ReviewView:
    """The review the URL asks for, with the controls' options."""

    review: Review
    options: ReviewOptions


def review_view(query: dict, today: date) -> ReviewView:
    """Parse the URL query against the allowlist and build (or fetch) that review.

    Raises:
        db.NoData: Nothing has been published yet.
    """
    options = current_options(today)
    state = parse_review(query, options, today)
    return ReviewView(review=review(state), options=options)


def current_options(today: date) -> ReviewOptions:
    """The controls' options: the register's divisions today, the offered dates.

    Raises:
        db.NoData: Nothing has been published yet.
    """
    return review_options(portfolio(today).options.divisions, today)
