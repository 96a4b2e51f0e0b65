"""The Glossary's content: the Health rules of docs/analytics.md and every standard's value.

The page only renders what this returns, so it reaches the standards and the docs through one
service, as every page does (docs/architecture.md §2.6).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

from dashboard.config import get_standards
from dashboard.docs_text import doc_section
from dashboard.standards import describe_standards


@dataclass(frozen=True)
class Glossary:
    """What the Glossary page shows.

    Attributes:
        source_name: File name of the standards read (``pmo.toml``).
        terms: ``(term, paragraphs)`` of docs/analytics.md's Health section, its introduction
            first as "Conventions".
        values: ``section.key`` -> the standard's current value, as text.
        sections: ``(section, rows)`` in declaration order; each row has ``term``, ``value``
            and ``definition``.
    """

    source_name: str
    terms: tuple[tuple[str, tuple[str, ...]], ...]
    values: dict[str, str]
    sections: tuple[tuple[str, tuple[dict[str, str], ...]], ...]


def glossary() -> Glossary:
    """The current standards described, and the Health rules they fill in."""
    standards = get_standards()
    rows = describe_standards(standards)
    health = doc_section("analytics.md", "Health")
    return Glossary(
        source_name=Path(standards.source).name,
        terms=(("Conventions", health.intro), *health.terms),
        values={row["term"]: row["value"] for row in rows},
        sections=tuple(
            (section, tuple(entries))
            for section, entries in groupby(rows, key=lambda r: split_term(r["term"])[0])
        ),
    )


def split_term(term: str) -> tuple[str, str]:
    """``"scoring.weights.cost"`` -> ``("scoring.weights", "cost")``."""
    section, _, key = term.rpartition(".")
    return section, key
