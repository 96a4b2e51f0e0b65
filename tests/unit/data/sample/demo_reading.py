"""Reading the demo exports back, for the generator's tests: its module, readers, the day.

The generator (``data/sample/generate.py``) sits in a script folder, not a package; it is loaded
by path as ``loaders/demo.py`` loads it.
"""

from __future__ import annotations

import importlib.util
import sys
from datetime import date
from pathlib import Path
from types import ModuleType

import openpyxl
import pandas as pd

ROOT = Path(__file__).resolve().parents[4]
TODAY = date(2026, 11, 26)
ACTIVE = ("Initiation", "Planning", "Execution", "Closing")


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "pmo_demo_generate", ROOT / "data" / "sample" / "generate.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def xlsx_values(path: Path) -> dict[str, list[tuple[object, ...]]]:
    wb = openpyxl.load_workbook(path)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}


def read_register(path: Path) -> pd.DataFrame:
    df = pd.read_excel(path, sheet_name="Register", header=3, engine="openpyxl")
    return df[df["Project Name"] != "Total"].reset_index(drop=True)


def read_status(folder: Path) -> pd.DataFrame:
    """All status reports in canonical form: timestamps, lower-case RAG words, fractions."""
    rag = {"G": "green", "A": "amber", "R": "red"}
    frames = []
    for path in sorted((folder / "status").glob("*.csv")):
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        dayfirst = path.name.startswith("finance_")
        fmt = "%d/%m/%Y" if dayfirst else "%Y-%m-%d"
        for col in ("Report Date", "Forecast Finish"):
            df[col] = pd.to_datetime(df[col], format=fmt)
        for col in ("Actual Cost", "EAC"):
            df[col] = df[col].str.replace(",", "").astype(float)
        df["% Complete"] = df["% Complete"].str.rstrip("%").astype(float) / 100
        df["Overall RAG"] = df["Overall RAG"].map(lambda v: rag.get(v, v.lower()))
        frames.append(df.rename(columns={"Project Code": "Project ID"}))
    return pd.concat(frames, ignore_index=True)
