"""Keys that appear on two sheets of one file: every copy is rejected, each naming the others.

A key on two sheets of one file is as ambiguous as a key twice on one sheet (docs/loaders.md,
"Policies": duplicate key). The check runs on whole frames, never row by row.
"""

from __future__ import annotations

import pandas as pd

from loaders.kinds import TABLES
from loaders.sheet_result import Reject, SheetResult


def reject_cross_sheet_duplicates(sheets: list[SheetResult]) -> None:
    """Reject every copy of a key that more than one sheet of the same kind stages."""
    by_kind: dict[str, list[SheetResult]] = {}
    for sheet in sheets:
        if sheet.kind and sheet.staged is not None and len(sheet.staged):
            by_kind.setdefault(sheet.kind, []).append(sheet)
    for kind, group in by_kind.items():
        if len(group) < 2:
            continue
        key = list(TABLES[kind].key)
        clash = _clashes(group, key)
        if clash is None:
            continue
        for n, sheet in enumerate(group):
            mine = clash[clash["_sheet"] == n]
            if not mine.empty:
                _reject_rows(sheet, mine, key)


def _clashes(group: list[SheetResult], key: list[str]) -> pd.DataFrame | None:
    """Rows whose key is staged by more than one sheet, with ``_sheet`` and ``places``.

    ``places`` lists every sheet and row that holds the key, for the message; None when no key
    is on two sheets.
    """
    parts = [
        s.staged[[*key, "source_row"]].drop_duplicates().assign(_sheet=n)
        for n, s in enumerate(group)
    ]
    rows = pd.concat(parts, ignore_index=True)
    sheets_per_key = rows.groupby(key, dropna=False)["_sheet"].transform("nunique")
    clash = rows[sheets_per_key > 1]
    if clash.empty:
        return None
    places = (
        clash.groupby(key, dropna=False)
        .apply(
            lambda g, names=[s.sheet for s in group]: ", ".join(
                f"sheet '{names[int(n)]}' row {int(r)}"
                for n, r in zip(g["_sheet"], g["source_row"], strict=True)
            ),
            include_groups=False,
        )
        .rename("places")
        .reset_index()
    )
    return clash.merge(places, on=key, how="left")


def _reject_rows(sheet: SheetResult, mine: pd.DataFrame, key: list[str]) -> None:
    """Move ``sheet``'s clashing rows from staged to rejected and recount the sheet."""
    bad_rows = set(mine["source_row"].astype(int))
    for row, label, where in zip(
        mine["source_row"].astype(int),
        mine[key].astype("string").fillna("").agg(" / ".join, axis=1),
        mine["places"],
        strict=True,
    ):
        sheet.rejects.append(
            Reject(
                row,
                key[0],
                label,
                "duplicate key",
                f"duplicate key in file ({label}) on {where}",
                {},
            )
        )
    sheet.staged = sheet.staged[~sheet.staged["source_row"].isin(bad_rows)]
    sheet.rejects.sort(key=lambda r: r.row)
    sheet.rows_rejected = len({r.row for r in sheet.rejects})
    sheet.rows_loaded = int(sheet.staged["source_row"].nunique())
    sheet.rows_loaded += len(sheet.folded_rows)
