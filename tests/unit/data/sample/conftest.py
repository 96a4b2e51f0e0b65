"""Fixtures of the demo generator's tests: one demo built for TODAY, read back once."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest

from tests.unit.data.sample.demo_reading import TODAY, load_generator, read_register, read_status


@pytest.fixture(scope="session")
def gen() -> ModuleType:
    return load_generator()


@pytest.fixture(scope="session")
def demo(gen: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    out = tmp_path_factory.mktemp("demo")
    return out, gen.generate(out, TODAY)


@pytest.fixture(scope="session")
def register(demo: tuple[Path, list[Path]]) -> pd.DataFrame:
    return read_register(demo[0] / f"Project Register {TODAY.isoformat()}.xlsx")


@pytest.fixture(scope="session")
def previous_register(demo: tuple[Path, list[Path]]) -> pd.DataFrame:
    return read_register(demo[0] / "Project Register 2026-10-31.xlsx")


@pytest.fixture(scope="session")
def status(demo: tuple[Path, list[Path]]) -> pd.DataFrame:
    return read_status(demo[0])
