"""Helpers shared by the unit tests of dashboard/uploads/: file heads, data URLs, settings."""

from __future__ import annotations

import base64
from dataclasses import replace
from pathlib import Path

from dashboard import config

XLSX_HEAD = b"PK\x03\x04" + b"\x14\x00\x06\x00" + b"\x00" * 56
XLS_HEAD = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 56
CSV = b"Project Code,Report Date,Overall RAG\nP-1,2026-01-02,Green\n"
MAX = 1024


def data_url(data: bytes, mime: str = "application/octet-stream") -> str:
    """A dropped file as ``dcc.Upload`` sends it."""
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def files_under(folder: Path) -> list[Path]:
    """Every file written below ``folder``."""
    return [p for p in folder.rglob("*") if p.is_file()]


def settings_for(data_dir: Path, max_upload_mb: float = 1.0) -> config.Settings:
    """Default settings with the data folder and upload limit of the test."""
    return replace(config.settings_from_env({}), data_dir=data_dir, max_upload_mb=max_upload_mb)
