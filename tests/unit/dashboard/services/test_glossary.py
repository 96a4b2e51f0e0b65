"""Unit tests of dashboard/services/glossary.py: the Glossary's content - no browser."""

from __future__ import annotations

import pytest

from dashboard.config import get_standards
from dashboard.services.glossary import glossary, split_term
from dashboard.standards import describe_standards

pytestmark = pytest.mark.usefixtures("config_in_tmp")


@pytest.mark.parametrize(
    ("term", "parts"),
    [
        ("scoring.weights.cost", ("scoring.weights", "cost")),
        ("reporting.cadence_days", ("reporting", "cadence_days")),
        ("alone", ("", "alone")),
    ],
)
def test_split_term_cuts_at_the_last_dot(term, parts):
    assert split_term(term) == parts


def test_glossary_groups_every_standard_once_in_declaration_order():
    view = glossary()
    rows = describe_standards(get_standards())
    assert [row for _, entries in view.sections for row in entries] == rows
    names = [section for section, _ in view.sections]
    assert len(names) == len(set(names))
    assert all(split_term(r["term"])[0] == s for s, entries in view.sections for r in entries)
    assert view.values == {row["term"]: row["value"] for row in rows}
    assert view.source_name == "pmo.toml"


def test_glossary_terms_are_the_health_section_of_the_docs_with_its_introduction_first():
    terms = [term for term, _ in glossary().terms]
    assert terms[0] == "Conventions"
    assert {"Computed health", "Watermelon", "Staleness", "Trend"} <= set(terms)
