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


def dashboard_modules(tree: ast.AST) -> set[str]:
    """Every ``dashboard.*`` module a file imports at run time, ``from dashboard import db`` too.

    Imports under ``if TYPE_CHECKING:`` are left out: a type named in a hint is never imported
    when the app runs, so it adds no dependency between the layers.
    """
    hints = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
        for inner in ast.walk(node)
    }
    names = set()
    for node in ast.walk(tree):
        if id(node) in hints:
            continue
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in names if name.startswith("dashboard.")}


def io_calls(tree: ast.AST) -> set[str]:
    """File and database access in a module: ``open(...)``, ``Path.read_*``/``write_*``, imports."""
    found = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "open"
        ):
            found.add("open()")
        elif isinstance(node, ast.Attribute) and node.attr in IO_METHODS:
            found.add(f".{node.attr}()")
        elif isinstance(node, ast.Import | ast.ImportFrom):
            modules = (
                [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]
            )
            found.update(m for m in modules if m and m.split(".")[0] in IO_MODULES)
    return found


IO_METHODS = {"read_text", "read_bytes", "write_text", "write_bytes", "open"}
IO_MODULES = {"duckdb", "tomllib", "sqlite3", "io", "shutil"}
FORBIDDEN_IN_COMPONENTS = ("dashboard.db", "dashboard.services", "dashboard.uploads")


def test_the_rule_detectors_catch_what_they_are_for():
    sample = ast.parse(
        "from dashboard import db\nimport dashboard.services.capacity\n"
        "from dashboard.uploads import run_loader\nimport tomllib\n"
        "if TYPE_CHECKING:\n    from dashboard.db import Snapshot\n"
        "text = open('x').read()\nPath('y').read_text()\n"
    )
    modules = dashboard_modules(sample)
    assert {"dashboard.db", "dashboard.services.capacity", "dashboard.uploads"} <= modules
    assert "dashboard.db.Snapshot" not in modules
    assert io_calls(sample) == {"open()", ".read_text()", "tomllib"}


def test_components_never_import_db_services_or_uploads():
    files = sorted((ROOT / "dashboard" / "components").glob("*.py"))
    assert files, "dashboard/components is empty"
    for path in files:
        modules = dashboard_modules(ast.parse(path.read_text(encoding="utf-8")))
        bad = {m for m in modules if m.startswith(FORBIDDEN_IN_COMPONENTS)}
        assert not bad, f"components/{path.name} imports {bad}"


def test_analytics_never_do_io():
    for path in sorted((ROOT / "dashboard" / "analytics").glob("*.py")):
        found = io_calls(ast.parse(path.read_text(encoding="utf-8")))
        assert not found, f"analytics/{path.name} does I/O: {found}"


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


def test_pages_and_components_reach_analytics_only_through_services():
    offenders = {}
    for folder in ("pages", "components"):
        for path in sorted((ROOT / "dashboard" / folder).glob("*.py")):
            modules = dashboard_modules(ast.parse(path.read_text(encoding="utf-8")))
            bad = sorted(m for m in modules if m.startswith("dashboard.analytics"))
            if bad:
                offenders[f"{folder}/{path.name}"] = bad
    assert not offenders, f"analytics imported instead of reached through a service: {offenders}"


# Test files that test no single module, each with the reason.
NOT_MIRRORED = {
    "test_architecture.py": "the layer rules of the whole tree",
    "test_dependencies.py": "the pinned requirements and the libraries installed, not our code",
}


def unmirrored_tests(unit: Path, root: Path) -> list[str]:
    """Test files under ``unit`` that name no module at the mirrored path under ``root``.

    ``tests/unit/pkg/sub/test_mod.py`` tests ``pkg/sub/mod.py``: a reader finds a module's tests
    without searching (docs/architecture.md §12).
    """
    found = []
    for test in sorted(unit.rglob("test_*.py")):
        relative = test.relative_to(unit)
        if relative.as_posix() in NOT_MIRRORED:
            continue
        module = root / relative.parent / relative.name.removeprefix("test_")
        if not module.is_file():
            found.append(relative.as_posix())
    return found


def test_the_mirror_rule_detector_finds_a_test_without_its_module(tmp_path):
    (tmp_path / "tests" / "unit" / "pkg").mkdir(parents=True)
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "mod.py").write_text("")
    for name in ("test_mod.py", "test_other.py"):
        (tmp_path / "tests" / "unit" / "pkg" / name).write_text("")
    (tmp_path / "tests" / "unit" / "test_architecture.py").write_text("")
    assert unmirrored_tests(tmp_path / "tests" / "unit", tmp_path) == ["pkg/test_other.py"]


def test_test_files_mirror_the_modules_they_test():
    offenders = unmirrored_tests(ROOT / "tests" / "unit", ROOT)
    assert not offenders, f"tests/unit files that mirror no module: {offenders}"
