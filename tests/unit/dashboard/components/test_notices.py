"""Unit tests of dashboard/components/notices.py - no browser."""

from __future__ import annotations

from dashboard.components.notices import empty_state


def test_empty_state_says_what_to_do_with_a_working_reset():
    notice = empty_state("open projects", reset_href="/", notice_id="e")
    heading, advice, reset = notice.children
    assert heading.children == "No open projects match these filters"
    assert "Widen the filters" in advice.children
    assert (reset.children, reset.href) == ("Reset filters", "/")
