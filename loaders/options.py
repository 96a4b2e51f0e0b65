"""How to read a sheet's values: the PMO's date order and the command line's overrides."""

from __future__ import annotations

from dataclasses import dataclass

from loaders.user_mapping import UserMapping


@dataclass(frozen=True)
class Options:
    """How to read values: the PMO's date order, overrides from the command line.

    Attributes:
        date_order: ``auto``, ``dmy`` or ``mdy`` for slash dates. ``python -m loaders`` always
            passes ``[loading].date_order`` of pmo.toml (declared, with its default, in
            ``loaders.standards_model``); ``auto`` here is only for callers without standards.
        kind: Load every sheet into this table (``--kind``), skipping detection; a RAID type
            in the plural (``risks``, see :data:`loaders.kinds.RAID_KINDS`) loads into ``raid``
            with that type.
        project: Project id for rows without one (``--project``, single-project exports).
        user_mapping: Extra header mappings (``--mapping``).
        date1904: The workbook counts serial dates from 1904 (set per file by the reader).
        division: Division for register rows without one (``--division``, else
            ``[loading].default_division``).
        file_stem: The file's name without extension (set per file): a RAID log called
            ``Risks.xlsx`` holds risks.
    """

    date_order: str = "auto"
    kind: str | None = None
    project: str | None = None
    user_mapping: UserMapping | None = None
    date1904: bool = False
    division: str | None = None
    file_stem: str | None = None
