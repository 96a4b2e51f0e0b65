"""Where the loaders write and how they read values: --data-dir / PMO_DATA_DIR and pmo.toml.

The standards file is read and validated by ``loaders.standards_model``, the one declaration the
dashboard reads too, so a key left out has the same default here as on the glossary page.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from loaders.standards_file import read_standards
from loaders.standards_model import DEFAULTS, StandardsError

ROOT = Path(__file__).resolve().parents[1]


class SettingsError(ValueError):
    """A loader setting is invalid; the message names it."""


@dataclass(frozen=True)
class LoaderSettings:
    """Settings the loaders need."""

    data_dir: Path
    date_order: str
    currency: str
    default_division: str | None = None


def resolve_data_dir(arg: str | None) -> Path:
    """``--data-dir``, else ``PMO_DATA_DIR``, else ``data/`` at the repository root."""
    value = arg or os.environ.get("PMO_DATA_DIR")
    return Path(value).expanduser().resolve() if value else ROOT / "data"


def resolve_standards(arg: str | None) -> Path:
    """``--standards``, else ``PMO_STANDARDS``, else ``pmo.toml`` at the repository root."""
    value = arg or os.environ.get("PMO_STANDARDS")
    return Path(value).expanduser().resolve() if value else ROOT / "pmo.toml"


def load_settings(data_dir: str | None = None, standards: str | None = None) -> LoaderSettings:
    """Resolve the data folder and read ``[loading]`` from the standards file (if it exists).

    Raises:
        SettingsError: The standards file exists but is not valid; the message names the key.
    """
    path = resolve_standards(standards)
    try:
        loading = read_standards(path).loading if path.exists() else DEFAULTS.loading
    except StandardsError as exc:
        raise SettingsError(str(exc)) from exc
    return LoaderSettings(
        data_dir=resolve_data_dir(data_dir),
        date_order=loading.date_order,
        currency=loading.currency,
        default_division=loading.default_division or None,
    )
