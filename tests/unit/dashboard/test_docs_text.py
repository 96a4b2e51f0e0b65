"""Unit tests of reading docs/*.md sections for the Glossary - no browser required."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from dashboard.docs_text import doc_section, split_code
from dashboard.standards import HealthThresholds, Standards, describe_standards


def write(tmp_path: Path) -> Path:
    (tmp_path / "x.md").write_text(
        "# Title\n\nintro of the file\n\n## Health\n\nFirst paragraph\nwraps here.\n\n"
        "- item one\n- item `two`\n\n### Term A\n\nText of A.\n\n### Term B\n\nB one.\n\n"
        "B two with `health.spi_red`.\n\n## Other\n\n### Not here\n\nno\n",
        encoding="utf-8",
    )
    return tmp_path


def test_doc_section_reads_intro_terms_and_paragraphs(tmp_path):
    section = doc_section("x.md", "Health", write(tmp_path))
    assert section.intro == ("First paragraph wraps here.", "- item one", "- item `two`")
    assert section.terms == (
        ("Term A", ("Text of A.",)),
        ("Term B", ("B one.", "B two with `health.spi_red`.")),
    )


def test_doc_section_missing_is_a_clear_error(tmp_path):
    with pytest.raises(LookupError, match=r"docs/x.md has no section '## Nope'"):
        doc_section("x.md", "Nope", write(tmp_path))


def test_split_code_marks_code_runs():
    assert split_code("red below `health.spi_red`, else `x`.") == [
        ("red below ", False),
        ("health.spi_red", True),
        (", else ", False),
        ("x", True),
        (".", False),
    ]


def test_analytics_health_section_names_every_health_standard():
    # The rules are written once, in docs/analytics.md: every [health] key must be explained
    # there, so adding a key without documenting it fails here.
    section = doc_section("analytics.md", "Health")
    text = " ".join([*section.intro, *(p for _, body in section.terms for p in body)])
    health_keys = {
        f.name
        for f in dataclasses.fields(HealthThresholds)
        if f.name not in ("cadence_days", "stale_red_days", "closed_stages")
    }
    missing = sorted(k for k in health_keys if f"`health.{k}`" not in text)
    assert missing == []
    terms = {r["term"] for r in describe_standards(Standards())}
    quoted = {run for p in section.intro for run, code in split_code(p) if code}
    quoted |= {run for _, b in section.terms for p in b for run, code in split_code(p) if code}
    unknown = sorted(
        q for q in quoted if q.startswith(("health.", "reporting.")) and q not in terms
    )
    assert unknown == []
