"""The repository's docs/*.md read as terms and paragraphs, so the Glossary shows the docs' text.

Rules are written once, in ``docs/analytics.md``; the Glossary page renders the same sections
rather than a second copy that could drift. Only the little markdown those sections use is
understood: ``## Section``, ``### Term``, paragraphs, ``- `` list items and `` `code` ``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

DOCS_DIR = Path(__file__).resolve().parents[1] / "docs"
CODE_SPAN = re.compile(r"`([^`]+)`")


@dataclass(frozen=True)
class DocSection:
    """One ``## Section`` of a document: its introduction and its ``### Term`` entries.

    Attributes:
        title: The section heading.
        intro: Paragraphs (and ``- `` items) before the first term.
        terms: ``(term, paragraphs)`` pairs in document order.
    """

    title: str
    intro: tuple[str, ...]
    terms: tuple[tuple[str, tuple[str, ...]], ...]


@functools.cache
def doc_section(name: str, title: str, docs_dir: Path = DOCS_DIR) -> DocSection:
    """Read ``## title`` of ``docs_dir/name``.

    Args:
        name: File name inside the docs folder, e.g. ``"analytics.md"``.
        title: The ``##`` heading, e.g. ``"Health"``.
        docs_dir: The docs folder (tests pass their own).

    Returns:
        The section's introduction and terms; each paragraph is one line of text.

    Raises:
        LookupError: The file has no such section.
    """
    lines = (docs_dir / name).read_text(encoding="utf-8").splitlines()
    try:
        start = lines.index(f"## {title}") + 1
    except ValueError:
        raise LookupError(f"docs/{name} has no section '## {title}'") from None
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("## ")), len(lines))
    intro: list[str] = []
    terms: list[tuple[str, list[str]]] = []
    current = intro
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            current.append(" ".join(paragraph))
            paragraph.clear()

    for raw in lines[start:end]:
        line = raw.strip()
        if line.startswith("### "):
            flush()
            terms.append((line[4:].strip(), []))
            current = terms[-1][1]
        elif not line:
            flush()
        elif line.startswith("- "):
            flush()
            paragraph.append(line)
        else:
            paragraph.append(line)
    flush()
    return DocSection(
        title=title,
        intro=tuple(intro),
        terms=tuple((term, tuple(body)) for term, body in terms),
    )


def split_code(text: str) -> list[tuple[str, bool]]:
    """Split a paragraph into ``(text, is_code)`` runs at `` `code` `` spans."""
    runs: list[tuple[str, bool]] = []
    position = 0
    for match in CODE_SPAN.finditer(text):
        if match.start() > position:
            runs.append((text[position : match.start()], False))
        runs.append((match.group(1), True))
        position = match.end()
    if position < len(text):
        runs.append((text[position:], False))
    return runs
