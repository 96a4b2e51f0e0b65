"""Portfolio service: server-side pages of the project grid and incremental health."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.components.pager import page_href, pager
from dashboard.services import fingerprints
from dashboard.services import portfolio as services


def health(n: int) -> pd.DataFrame:
    """``n`` projects: every third red, the rest green; older reports for higher numbers."""
    return pd.DataFrame(
        {
            "project_id": [f"P{i:03d}" for i in range(n)],
            "overall": pd.Categorical(
                ["red" if i % 3 == 0 else "green" for i in range(n)],
                categories=["green", "amber", "red"],
                ordered=True,
            ),
            "days_since_report": [float(i) for i in range(n)],
        }
    )


@pytest.mark.parametrize(
    ("query", "page"),
    [
        ({}, 1),
        ({"page": "3"}, 3),
        ({"page": ["2", "5"]}, 2),
        ({"page": "0"}, 1),
        ({"page": "-2"}, 1),
        ({"page": "two"}, 1),
        ({"page": "9999999"}, 1),
        ({"page": "<script>"}, 1),
    ],
)
def test_requested_page_accepts_only_a_positive_whole_number(query, page):
    assert services.requested_page(query) == page


def test_a_page_holds_its_slice_of_the_urgency_order():
    frame = health(250)
    ordered = services.most_urgent(frame, limit=250).rows["project_id"].tolist()
    second = services.urgent_page(frame, 2, size=100)
    assert (second.page, second.pages, second.total) == (2, 3, 250)
    assert (second.first, second.last) == (101, 200)
    assert second.rows["project_id"].tolist() == ordered[100:200]
    # Red first (every third project), the oldest report first within a colour.
    assert ordered[0] == "P249" and ordered[83] == "P000" and ordered[84] == "P248"


def test_a_page_past_the_end_shows_the_last_page_and_an_empty_list_has_one_page():
    last = services.urgent_page(health(250), 7, size=100)
    assert (last.page, last.first, last.last, len(last.rows)) == (3, 201, 250, 50)
    empty = services.urgent_page(health(0), 2, size=100)
    assert (empty.page, empty.pages, empty.first, empty.last) == (1, 1, 0, 0)


def test_page_links_keep_the_filters_and_drop_page_one():
    query = {"division": ["Finance", "Legal"], "as_of": "2026-10-31", "page": "2"}
    assert page_href("/", query, 3) == "/?division=Finance&division=Legal&as_of=2026-10-31&page=3"
    assert page_href("/", query, 1) == "/?division=Finance&division=Legal&as_of=2026-10-31"
    assert page_href("/", {}, 1) == "/"


def test_pager_offers_previous_and_next_only_where_there_are_pages():
    def links(div) -> list[str]:
        return [c.children for c in div.children[1:]]

    middle = pager("/", {}, page=2, pages=3, first=101, last=200, total=250, label="Projects")
    assert middle.children[0].children == "Projects 101–200 of 250"
    assert links(middle) == ["← Previous", "Next →"]
    only = pager("/", {}, page=1, pages=1, first=1, last=5, total=5, label="Projects")
    assert links(only) == []


def test_incremental_health_without_a_previous_result_assesses_everything(monkeypatch):
    calls = []

    def fake_assess(projects, *args, **kwargs):
        calls.append(list(projects["project_id"]))
        return projects[["project_id"]].assign(score=1.0)

    monkeypatch.setattr(services.health_rules, "assess_health", fake_assess)
    projects = pd.DataFrame({"project_id": ["A", "B"], "stage": ["Execution"] * 2})
    empty = pd.DataFrame({"project_id": pd.Series([], dtype="str")})
    inputs = (projects, empty, empty, empty, empty)

    prints = fingerprints.fingerprints_by("project_id", *inputs)
    shape = fingerprints.schema(*inputs)
    first = services.incremental_health(inputs, None, None, prints, shape, None)
    assert calls == [["A", "B"]]
    # Next version: B's register row changed; only B is assessed, A's row is kept, in order.
    changed = projects.assign(stage=["Execution", "Closing"])
    inputs2 = (changed, empty, empty, empty, empty)
    prints2 = fingerprints.fingerprints_by("project_id", *inputs2)
    second = services.incremental_health(
        inputs2, None, None, prints2, shape, (first.assign(score=[7.0, 1.0]), prints, shape)
    )
    assert calls == [["A", "B"], ["B"]]
    assert second["project_id"].tolist() == ["A", "B"]
    assert second["score"].tolist() == [7.0, 1.0]  # A reused from the stored result
    # The same inputs again (a past date a publish did not touch): nothing is assessed.
    third = services.incremental_health(
        inputs2, None, None, prints2, shape, (second, prints2, shape)
    )
    assert calls == [["A", "B"], ["B"]]
    assert third["project_id"].tolist() == ["A", "B"] and third["score"].tolist() == [7.0, 1.0]
    # A changed schema (a new column) means everything is assessed again.
    services.incremental_health(inputs2, None, None, prints2, "other", (first, prints, shape))
    assert calls[-1] == ["A", "B"]


def test_the_stale_notice_names_both_versions_only_when_figures_are_older():
    from dashboard.components.footer import stale_notice

    note = stale_notice(11, 12)
    assert note.children.startswith("Figures from data version 11; version 12 is being prepared")
    assert stale_notice(12, 12) is None
    assert stale_notice(12, None) is None


def test_review_decision_tables_send_at_most_the_limit_and_say_how_many_there_are():
    from dashboard.components import review_sections as blocks

    n = blocks.DECISION_ROW_LIMIT + 7
    items = pd.DataFrame(
        {
            "kind": ["red_no_action"] * n,
            "subject_id": [f"P{i:03d}" for i in range(n)],
            "name": ["x"] * n,
            "division": ["Finance"] * n,
            "question": ["What is the recovery plan?"] * n,
        }
    )
    card = blocks.decisions_card(
        items,
        {"red_no_action": n},
        {"red_no_action": "Reds without an action"},
        currency="GBP",
        section_id="s",
        counts_id="c",
        note="",
    )
    text = str(card.to_plotly_json())
    assert text.count("What is the recovery plan?") == blocks.DECISION_ROW_LIMIT
    assert f"The first {blocks.DECISION_ROW_LIMIT:,} of {n:,} are shown" in text
