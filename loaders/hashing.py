"""64-bit hashes of typed values: one per row (history's change detection), and one per cell.

A row hash must stay exactly ``pd.util.hash_pandas_object(frame[columns], index=False)``: stored
hashes are compared with new ones, and a different function would make every unchanged record
look changed on its next load. That hash is per cell, combined per row (CPython's tuple hash), so
a column can also be hashed once per distinct value and spread back to its cells: validation
does that for the long repetitive columns it coerces once per distinct value, and hands the cell
hashes on in a hidden ``_hash_<column>`` column of the staged rows.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import numpy.typing as npt
import pandas as pd

#: Prefix of the hidden staged column that holds a business column's cell hashes.
CELL_HASH_PREFIX = "_hash_"
_PARALLEL_MIN = 50_000


def cell_hashes(values: pd.Series) -> npt.NDArray[np.uint64]:
    """The hash of each cell, as ``hash_pandas_object`` gives it."""
    if len(values) > 1 and values.isna().all():  # (hashing is per cell: hash one, repeat)
        single = pd.util.hash_pandas_object(values.iloc[:1], index=False)
        return np.full(len(values), single.iloc[0], dtype=np.uint64)
    return pd.util.hash_pandas_object(values, index=False).to_numpy(dtype=np.uint64)


def spread_hashes(per_value: pd.Series, codes: npt.NDArray[np.integer]) -> npt.NDArray[np.uint64]:
    """Cell hashes of ``per_value[codes]``, where code ``len(per_value)`` is a missing cell.

    Each distinct value is hashed once, so a million cells of a few hundred values cost a few
    hundred hashes and one take.
    """
    missing = pd.Series([None], dtype=per_value.dtype)
    hashes = np.append(cell_hashes(per_value.reset_index(drop=True)), cell_hashes(missing))
    return hashes[codes]


def combine(parts: list[npt.NDArray[np.uint64]], length: int) -> npt.NDArray[np.uint64]:
    """Per-row hashes from per-column cell hashes, combined exactly as pandas combines them."""
    out = np.full(length, 0x345678, dtype=np.uint64)
    mult = np.uint64(1000003)
    with np.errstate(over="ignore"):
        for i, part in enumerate(parts):
            inverse = len(parts) - i
            out ^= part
            out *= mult
            mult += np.uint64(82520 + inverse + inverse)
        out += np.uint64(97531)
    return out


def row_hashes(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    """A 64-bit hash per row of ``columns`` (equal typed values give equal hashes).

    A column's hidden ``_hash_<column>`` cell hashes are used when the frame carries them; the
    other columns are hashed two at a time (numpy and Arrow release the GIL).
    """
    if not columns:
        return pd.util.hash_pandas_object(frame[columns], index=False).astype("uint64")

    def one(column: str) -> npt.NDArray[np.uint64]:
        known = CELL_HASH_PREFIX + column
        if known in frame:
            return frame[known].to_numpy(dtype=np.uint64)
        return cell_hashes(frame[column])

    if len(frame) >= _PARALLEL_MIN:
        with ThreadPoolExecutor(max_workers=2) as pool:
            parts = list(pool.map(one, columns))
    else:
        parts = [one(column) for column in columns]
    return pd.Series(combine(parts, len(frame)), index=frame.index, dtype="uint64")


def hidden_columns(frame: pd.DataFrame) -> list[str]:
    """The hidden cell-hash columns of a staged frame."""
    return [c for c in frame.columns if isinstance(c, str) and c.startswith(CELL_HASH_PREFIX)]
