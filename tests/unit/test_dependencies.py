"""Patched, safe dependencies (docs/security.md, "Dependencies"), checked on what is installed."""

from __future__ import annotations

import re
from pathlib import Path

import dash
import openpyxl.xml
import plotly

ROOT = Path(__file__).resolve().parents[2]


def version_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


def test_openpyxl_parses_xml_through_defusedxml():
    assert openpyxl.xml.DEFUSEDXML is True


def test_dash_and_plotly_js_are_past_known_vulnerable_versions():
    assert version_tuple(dash.__version__) >= (2, 15, 0)  # CVE-2024-21485
    bundle = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    header = bundle.read_text(encoding="utf-8")[:200]
    plotly_js = re.search(r"plotly\.js v([\d.]+)", header).group(1)
    assert version_tuple(plotly_js) >= (2, 25, 2)


def test_every_requirement_is_pinned_exactly():
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (ROOT / name).read_text().splitlines():
            line = line.strip()
            if line and not line.startswith(("#", "-r")):
                assert "==" in line, f"{name}: {line} is not pinned"
