"""A user's header mapping file (TOML): headers the synonyms do not know, without code changes."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from loaders.headers import normalise
from loaders.kinds import TABLES


@dataclass
class UserMapping:
    """Header mappings from a user's TOML file.

    The file has a ``[columns]`` table that applies to every kind and optional per-kind tables::

        [columns]
        "Proj Ref" = "project_id"

        [projects]
        "Cost Centre" = "division"

    A column mapped to ``""`` is not loaded even when a synonym would map it. The ``[profile]``
    and ``[sheet]`` tables of a mapping profile (kind, header row, the headers it was made for)
    are read by :mod:`loaders.profiles`, which sets ``header_index`` for one sheet.
    """

    common: dict[str, str] = field(default_factory=dict)
    per_kind: dict[str, dict[str, str]] = field(default_factory=dict)
    header_index: int | None = None

    def for_kind(self, kind: str) -> dict[str, str]:
        """Normalised header -> canonical column for ``kind``; per-kind entries win."""
        merged = {normalise(k): v for k, v in self.common.items()}
        merged.update({normalise(k): v for k, v in self.per_kind.get(kind, {}).items()})
        return merged

    def all_headers(self) -> set[str]:
        """Every normalised header the file names, whatever the kind (finds header rows)."""
        names = set(self.common)
        for entries in self.per_kind.values():
            names.update(entries)
        return {normalise(n) for n in names}


class MappingError(ValueError):
    """The user mapping file is invalid; the message names the bad entry."""


def load_user_mapping(path: Path | None) -> UserMapping:
    """Read and check a user mapping file (see :class:`UserMapping`)."""
    if path is None:
        return UserMapping()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise MappingError(f"mapping file {path.name}: {exc}") from exc
    mapping = UserMapping()
    for section, entries in data.items():
        if section in ("profile", "sheet"):
            continue  # read and checked by loaders.profiles
        if not isinstance(entries, dict):
            raise MappingError(f"mapping file {path.name}: '{section}' must be a table")
        if section != "columns" and section not in TABLES:
            raise MappingError(
                f"mapping file {path.name}: unknown section [{section}]; "
                f"use [columns] or one of {', '.join(TABLES)}"
            )
        allowed = (
            {c for spec in TABLES.values() for c in spec.columns}
            if section == "columns"
            else set(TABLES[section].columns)
        )
        for header, column in entries.items():
            if column not in allowed and column != "":
                raise MappingError(
                    f"mapping file {path.name}: [{section}] '{header}' = '{column}' is not a "
                    f"canonical column; expected one of {', '.join(sorted(allowed))}"
                )
        if section == "columns":
            mapping.common.update(entries)
        else:
            mapping.per_kind[section] = dict(entries)
    return mapping
