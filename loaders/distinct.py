"""Work once per distinct value of a long, repetitive text column, then spread the answer back.

Why: a million-row status export repeats the same few RAG words, dates, names and project codes.
Layout checks (blank, totals and repeated-header rows) and value coercion decide cell by cell
from the cell's text alone, so deciding once per distinct value gives the same answer for a
fraction of the work. One encoding per column is shared by every check and by coercion.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

#: Columns shorter than this are checked directly: encoding would cost more than it saves.
MIN_ROWS = 20_000
#: The leading cells looked at to decide whether a column repeats itself.
SAMPLE = 4_000
#: A column is encoded when the sample has at most SAMPLE / 4 distinct values.
MAX_SAMPLE_DISTINCT = SAMPLE // 4


@dataclass(frozen=True)
class Encoded:
    """A text column as its distinct values and one code per cell.

    Attributes:
        values: The distinct texts (``large_string``), in order of first appearance.
        codes: One code per cell: an index into ``values``, or ``len(values)`` for a null cell.
    """

    values: pa.Array
    codes: npt.NDArray[np.int32]

    def spread(self, per_value: npt.NDArray, null: object) -> npt.NDArray:
        """Per-distinct-value results, one per cell (``null`` where the cell is null)."""
        extended = np.append(per_value, np.array([null], dtype=per_value.dtype))
        return extended[self.codes]

    def mask(self, per_value: pa.Array | pa.ChunkedArray) -> npt.NDArray[np.bool_]:
        """A boolean Arrow result per distinct value as one bool per cell (null -> False)."""
        flags = np.asarray(pc.fill_null(per_value, False).to_numpy(zero_copy_only=False), bool)
        return self.spread(flags, False)

    def spread_values(self, per_value: pd.Series) -> pd.Series:
        """A Series of per-distinct-value results, one per cell (missing where the cell is null)."""
        if isinstance(per_value.array, pd.arrays.ArrowStringArray):
            values = pa.concat_arrays([flat(per_value), pa.nulls(1, pa.large_string())])
            return pd.Series(pd.arrays.ArrowStringArray(values.take(self.codes)))
        return per_value.reindex(range(len(per_value) + 1)).take(self.codes).reset_index(drop=True)

    def take(self, rows: npt.NDArray[np.bool_]) -> Encoded:
        """The encoding of the cells where ``rows`` is True (the same distinct values)."""
        return Encoded(self.values, self.codes[rows])


def flat(series: pd.Series) -> pa.Array:
    """A Series' Arrow data as one contiguous array."""
    column = pa.array(series.array)
    return column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column


def encode(series: pd.Series) -> Encoded | None:
    """Encode a text column when it is long and repetitive; None when direct work is cheaper."""
    if len(series) < MIN_ROWS or not isinstance(series.dtype, pd.StringDtype):
        return None
    column = flat(series)
    if pc.count_distinct(column.slice(0, SAMPLE)).as_py() > MAX_SAMPLE_DISTINCT:
        return None
    encoded = pc.dictionary_encode(column)
    distinct = len(encoded.dictionary)
    if distinct > len(series) // 4:
        return None
    codes = pc.fill_null(encoded.indices, distinct).to_numpy(zero_copy_only=False)
    return Encoded(encoded.dictionary.cast(pa.large_string()), codes)


def encode_all(frame: pd.DataFrame) -> dict[int, Encoded | None]:
    """Encode every column of ``frame`` (two at a time: Arrow's kernels release the GIL)."""
    positions = list(frame.columns)
    if len(frame) < MIN_ROWS:
        return dict.fromkeys(positions)
    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(positions, pool.map(lambda p: encode(frame[p]), positions), strict=True))


def cell_mask(
    series: pd.Series,
    test: Callable[[pa.Array], pa.Array],
    encoded: Encoded | None = None,
) -> npt.NDArray[np.bool_]:
    """``test`` (an Arrow kernel giving booleans) per cell; null results count as False.

    Runs on the distinct values when the column is encoded, else on every cell.
    """
    if encoded is not None:
        return encoded.mask(test(encoded.values))
    return np.asarray(pc.fill_null(test(flat(series)), False).to_numpy(zero_copy_only=False), bool)
