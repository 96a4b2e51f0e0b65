"""Where the loaders write and how they read values: --data-dir / PMO_DATA_DIR and pmo.toml.

The loaders do not import the dashboard package (layering), so they read the keys they need
from the ``[loading]`` section of the standards file themselves.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATE_ORDERS = ("auto", "dmy", "mdy")


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
    """Resolve the data folder and read ``[loading]`` from the standards file (if it exists)."""
    path = resolve_standards(standards)
    loading: dict = {}
    if path.exists():
        try:
            loading = tomllib.loads(path.read_text(encoding="utf-8")).get("loading", {})
        except tomllib.TOMLDecodeError as exc:
            raise SettingsError(f"{path.name}: {exc}") from exc
    order = loading.get("date_order", "auto")
    if order not in DATE_ORDERS:
        raise SettingsError(
            f"{path.name}: [loading].date_order must be one of {', '.join(DATE_ORDERS)}, "
            f"got {order!r}"
        )
    return LoaderSettings(
        data_dir=resolve_data_dir(data_dir),
        date_order=order,
        currency=str(loading.get("currency", "GBP")),
        default_division=str(loading.get("default_division", "")).strip() or None,
    )
