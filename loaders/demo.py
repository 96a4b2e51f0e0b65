"""Build the demo database: write the sample exports anchored to today, then ingest them.

The exports are generated (``data/sample/generate.py``, fixed seed, dates shifted to the build
day) rather than stored, so a demo built a year from now still has fresh reports, slipping
projects and a future to plan. They go through exactly the same ``ingest`` as a user's files.
"""

from __future__ import annotations

import importlib.util
import sys
from datetime import date
from pathlib import Path
from types import ModuleType

from loaders.ingest import IngestReport, ingest
from loaders.settings import ROOT
from loaders.validate import Options

GENERATOR = ROOT / "data" / "sample" / "generate.py"
DEFAULT_EXPORTS = ROOT / "data" / "sample" / "exports"


def load_generator() -> ModuleType:
    """Import ``data/sample/generate.py`` (a script folder, not a package)."""
    spec = importlib.util.spec_from_file_location("pmo_demo_generator", GENERATOR)
    if spec is None or spec.loader is None:
        raise FileNotFoundError(GENERATOR)
    module = importlib.util.module_from_spec(spec)
    # dataclasses look the module up in sys.modules while it executes
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def build_demo(
    data_dir: Path,
    *,
    exports_dir: Path | None = None,
    today: date | None = None,
    options: Options | None = None,
) -> IngestReport:
    """Generate the demo exports for ``today`` and load them into ``data_dir``.

    Args:
        data_dir: The store to load into.
        exports_dir: Where the export files are written (default ``data/sample/exports``).
        today: The anchor date (default: the real today; tests pass a fixed one).
        options: Loader options; the demo's day-first dates need ``date_order="dmy"``.

    Returns:
        The ingest report of every generated file.
    """
    today = today or date.today()
    exports_dir = exports_dir or DEFAULT_EXPORTS
    files = load_generator().generate(exports_dir, today)
    return ingest(files, data_dir, options or Options(date_order="dmy"), today=today)
