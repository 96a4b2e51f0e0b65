"""The drop-down values of the command line's templates: the published version and pmo.toml.

The command line reads the current data read-only, through the loaders' own helpers (the loaders
never import the dashboard); the Templates page reads the same values through ``dashboard/db.py``.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import duckdb

from loaders import publish
from loaders.settings import SettingsError, resolve_standards
from loaders.templates import TemplateLists

# Current rows only (valid_to IS NULL): a template offers what the register holds now.
_QUERIES = {
    "divisions": "SELECT division FROM projects WHERE valid_to IS NULL "
    "UNION SELECT division FROM requests WHERE valid_to IS NULL",
    "portfolios": "SELECT DISTINCT portfolio FROM projects WHERE valid_to IS NULL",
    "stages": "SELECT DISTINCT stage FROM projects WHERE valid_to IS NULL",
    "project_ids": "SELECT project_id FROM projects WHERE valid_to IS NULL",
    "request_ids": "SELECT request_id FROM requests WHERE valid_to IS NULL",
    "resource_ids": "SELECT resource_id FROM resources WHERE valid_to IS NULL",
}


def read_lists(data_dir: Path, standards: str | None = None) -> TemplateLists:
    """The standards' vocabulary and the published version's current values.

    Args:
        data_dir: The store; before the first load the data lists are empty.
        standards: ``--standards`` (else ``PMO_STANDARDS``, else ``pmo.toml``).

    Raises:
        SettingsError: The standards file is not valid TOML.
    """
    path = resolve_standards(standards)
    toml: dict = {}
    if path.exists():
        try:
            toml = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise SettingsError(f"{path.name}: {exc}") from exc
    values: dict[str, list] = {name: [] for name in _QUERIES}
    current = publish.current_version(data_dir)
    if current is not None:
        con = duckdb.connect(str(current.path), read_only=True)
        try:
            for name, query in _QUERIES.items():
                values[name] = [row[0] for row in con.execute(query).fetchall()]
        finally:
            con.close()
    return TemplateLists.from_values(
        **values,
        closed_stages=toml.get("reporting", {}).get("closed_stages", ()),
        currency=str(toml.get("loading", {}).get("currency", "GBP")),
    )
