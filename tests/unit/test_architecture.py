"""Architecture rules (docs/architecture.md §2, §2.8), enforced by parsing the code, no browser."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN_IN_ANALYTICS = {
    "dash",
    "dash_bootstrap_components",
    "plotly",
    "duckdb",
    "os",
    "pathlib",
    "flask",
    "dash_ag_grid",
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_analytics_import_no_ui_storage_or_io_libraries():
    files = sorted((ROOT / "dashboard" / "analytics").glob("*.py"))
    assert files, "dashboard/analytics is empty"
    for path in files:
        bad = imported_modules(path) & FORBIDDEN_IN_ANALYTICS
        assert not bad, f"{path.name} imports {bad}"


def test_analytics_never_read_the_clock_or_environment():
    for path in sorted((ROOT / "dashboard" / "analytics").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\b(date|datetime)\.(today|now)\(|os\.environ", text), path.name


def test_loaders_do_not_import_the_dashboard():
    for path in sorted((ROOT / "loaders").glob("*.py")):
        assert "dashboard" not in imported_modules(path), path.name


def test_sql_only_in_loaders_and_db():
    # state_db.py: the sign-in state (sessions, failures) in its own SQLite file, not the data.
    allowed = {ROOT / "dashboard" / "db.py", ROOT / "dashboard" / "state_db.py"}
    for path in sorted((ROOT / "dashboard").rglob("*.py")):
        if path in allowed:
            continue
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\bSELECT\s|\bINSERT\s+INTO\b", text), path.relative_to(ROOT)
    assert "duckdb" not in imported_modules(ROOT / "app.py")


def test_no_raw_html_rendering_anywhere():
    for path in [*ROOT.joinpath("dashboard").rglob("*.py"), ROOT / "app.py"]:
        text = path.read_text(encoding="utf-8")
        for pattern in ("dangerously_allow_html=True", "dangerously_allow_code", "srcDoc"):
            assert pattern not in text, f"{pattern} in {path.relative_to(ROOT)}"


def test_no_cdn_or_download_at_run_time():
    for path in [*ROOT.joinpath("dashboard").rglob("*.py"), ROOT / "app.py"]:
        text = path.read_text(encoding="utf-8")
        assert "external_stylesheets" not in text and "cdn." not in text, path.name
    assert (ROOT / "dashboard" / "assets" / "bootstrap.min.css").stat().st_size > 100_000
