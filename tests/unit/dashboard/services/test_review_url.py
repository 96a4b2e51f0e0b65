"""Unit tests of the review's URL state: the allowlist, defaults and period links."""

from __future__ import annotations

from datetime import date

import pytest

from dashboard.services import review_url as services

TODAY = date(2026, 11, 26)
OPTIONS = services.review_options(("Finance", "Operations"), TODAY)


def test_no_query_is_the_last_closed_month_for_every_division():
    state = services.parse_review({}, OPTIONS, TODAY)
    assert (state.divisions, state.start, state.end) == ((), date(2026, 9, 30), date(2026, 10, 31))


SEP, OCT = date(2026, 9, 30), date(2026, 10, 31)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            {
                "division": ["Finance", "Nowhere", "x' OR 1=1"],
                "from": "2026-10-31",
                "to": "2026-11-26",
            },
            (("Finance",), OCT, TODAY),
        ),
        ({"from": "2026-10-31", "to": "2026-08-31"}, ((), date(2026, 8, 31), OCT)),
        ({"from": "2026-10-31", "to": "2026-10-31"}, ((), SEP, OCT)),
        ({"from": "2026-10-15"}, ((), SEP, OCT)),
        ({"from": "31/10/2026", "to": ["nonsense"]}, ((), SEP, OCT)),
        ({"to": "2027-01-31"}, ((), SEP, OCT)),
        ({"division": "Operations"}, (("Operations",), SEP, OCT)),
    ],
)
def test_parse_review_keeps_allowlisted_values_only(query, expected):
    state = services.parse_review(query, OPTIONS, TODAY)
    assert (state.divisions, state.start, state.end) == expected


def test_review_search_leaves_defaults_out_of_the_url():
    assert services.review_search(None, "2026-09-30", "2026-10-31", OPTIONS, TODAY) == ""
    assert (
        services.review_search(["Finance", "Evil"], "2026-10-31", TODAY.isoformat(), OPTIONS, TODAY)
        == "?division=Finance&from=2026-10-31&to=2026-11-26"
    )


def test_period_links_and_the_active_period():
    state = services.parse_review({"division": "Finance"}, OPTIONS, TODAY)
    links = services.period_links(state, TODAY)
    assert links == {
        "last_closed_month": "?division=Finance",
        "month_to_date": "?division=Finance&from=2026-10-31&to=2026-11-26",
    }
    assert services.period_links(services.parse_review({}, OPTIONS, TODAY), TODAY) == {
        "last_closed_month": "",
        "month_to_date": "?from=2026-10-31&to=2026-11-26",
    }
    assert services.active_period(state, TODAY) == "last_closed_month"
    mtd = services.ReviewState((), OCT, TODAY)
    assert services.active_period(mtd, TODAY) == "month_to_date"
    assert services.active_period(services.ReviewState((), SEP, TODAY), TODAY) is None


def test_review_options_offer_today_only_as_the_later_date():
    assert OPTIONS.ends[0] == TODAY and TODAY not in OPTIONS.starts
    assert OPTIONS.starts[0] == date(2026, 10, 31)
