"""The cells every coercer starts from: cleaned text, null tokens and Excel errors set aside.

The helpers here also put results back on the input's index. Part of ``loaders.coerce`` (split by
what is parsed); readers hand over every cell as text.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

NULL_TOKENS: Final[frozenset[str]] = frozenset(
    {"", "-", "--", "\u2013", "\u2014", "n/a", "na", "n.a.", "#n/a", "null", "none", "nil", "nan"}
)

#: Date-only placeholders that mean "no date yet": empty in a date column, with no error (a
#: number column still reports them). Zero dates (``00/00/0000``) and epoch dates (1970-01-01,
#: 1899-12-30/31, Excel serial 0) and ``9999-12-31`` are empty too: docs/loaders.md, "Values
#: decided by content".
DATE_PLACEHOLDERS: Final[frozenset[str]] = frozenset(
    {"tbd", "tbc", "tba", "to be confirmed", "to be determined", "unknown", "?", "??", "n.d."}
)

#: Excel formula error values: the cell's formula is broken, so the row is quarantined with
#: "Excel error value '#REF!'" instead of being loaded as empty.
EXCEL_ERRORS: Final[frozenset[str]] = frozenset(
    {
        "#REF!",
        "#DIV/0!",
        "#VALUE!",
        "#NAME?",
        "#NUM!",
        "#NULL!",
        "#SPILL!",
        "#CALC!",
        "#FIELD!",
        "#BLOCKED!",
        "#CONNECT!",
        "#BUSY!",
        "#UNKNOWN!",
        "#EXTERNAL!",
        "#PYTHON!",
        "#GETTING_DATA",
    }
)


@dataclass(frozen=True)
class Coerced:
    """One coerced column: typed values plus a reason for every cell that could not be used.

    Attributes:
        values: Same index and name as the input; typed as documented by each ``coerce_*``
            function; NA where the cell is empty or invalid.
        errors: Same index; object dtype; ``None`` where the cell is fine or empty, otherwise a
            short reason quoting the cell, e.g. ``"'12,5k' is not a number: write it in full"``.
    """

    values: pd.Series
    errors: pd.Series


# --------------------------------------------------------------------------------------------------
# Internals. Everything below is private to this module.

_ASCII_LOWER: Final = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_ASCII_UPPER: Final = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
# str.strip() removes exactly the characters for which isspace() is true; none is above U+3000.
# The Arrow fast path trims this same set so both paths agree on every input.
_WHITESPACE: Final[str] = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())
_INVISIBLE: Final[str] = "\x00\u200b\u200c\u200d\u2060\ufeff"
_INVISIBLE_TABLE: Final = str.maketrans("", "", _INVISIBLE)
_INVISIBLE_RE2: Final[str] = r"[\x00\x{200B}-\x{200D}\x{2060}\x{FEFF}]"
_HYPHENS_RE2: Final[str] = r"[\x{2010}-\x{2015}\x{2212}]"
_NULL_TOKENS_PA: Final = pa.array(sorted(NULL_TOKENS), pa.large_string())
_EXCEL_ERRORS_PA: Final = pa.array(sorted(EXCEL_ERRORS), pa.large_string())
_QUOTE_LIMIT: Final[int] = 60


@dataclass(frozen=True)
class _Cells:
    """A column's non-empty text cells, cleaned; null cells and null tokens are left out."""

    index: pd.Index
    name: Hashable
    n: int
    str_pos: npt.NDArray[np.intp]  # positions of text cells that still need parsing
    strs: pa.Array  # their text: invisible characters removed, stripped; no null tokens
    errors: npt.NDArray[np.object_]  # length n: Excel error values already reported


def _split(raw: pd.Series) -> _Cells:
    """Split a raw column into cleaned text cells; report Excel error values.

    Every reader hands over text (``loaders.read`` reads workbooks with string dtypes), so a
    typed value here is a programming error and is refused, never guessed at.

    Raises:
        TypeError: ``raw`` is not a Series, or holds a non-null value that is not text.
    """
    if not isinstance(raw, pd.Series):
        raise TypeError(f"expected a pandas Series, got {type(raw).__name__}")
    n = len(raw)
    null = raw.isna().to_numpy(dtype=bool)
    str_pos = np.flatnonzero(~null)
    if isinstance(raw.dtype, pd.StringDtype):
        column = pa.array(raw.array)
        if isinstance(column, pa.ChunkedArray):
            column = column.combine_chunks()
        strs = column.cast(pa.large_string()).take(pa.array(str_pos))
    else:
        values = raw.to_numpy(dtype=object)[str_pos]
        if not all(isinstance(value, str) for value in values):
            raise TypeError("coercion takes text cells: loaders.read reads every cell as text")
        strs = _arrow_strings(values)
    errors = np.full(n, None, dtype=object)
    if len(strs):
        if pc.any(pc.match_substring_regex(strs, _INVISIBLE_RE2)).as_py():
            strs = pc.replace_substring_regex(strs, _INVISIBLE_RE2, "")
        strs = pc.utf8_trim(strs, characters=_WHITESPACE)
        is_token = _to_bool(pc.is_in(pc.ascii_lower(strs), value_set=_NULL_TOKENS_PA))
        is_error = _to_bool(pc.is_in(pc.ascii_upper(strs), value_set=_EXCEL_ERRORS_PA))
        for k in np.flatnonzero(is_error):
            errors[str_pos[k]] = f"Excel error value '{strs[int(k)].as_py()}'"
        keep = ~(is_token | is_error)
        if not keep.all():
            str_pos = str_pos[keep]
            strs = strs.filter(pa.array(keep))
    return _Cells(raw.index, raw.name, n, str_pos, strs, errors)


def _arrow_strings(values: npt.NDArray[Any]) -> pa.Array:
    """Convert Python strings to an Arrow array (lone surrogates become '?')."""
    if not len(values):
        return pa.array([], type=pa.large_string())
    try:
        return pa.array(values, type=pa.large_string())
    except UnicodeEncodeError:
        # Text decoded with errors="surrogateescape" cannot be UTF-8 encoded as it is.
        fixed = [v.encode("utf-8", "replace").decode("utf-8") for v in values]
        return pa.array(fixed, type=pa.large_string())


def _to_bool(values: pa.Array | pa.ChunkedArray) -> npt.NDArray[np.bool_]:
    """Arrow booleans to numpy, nulls as False."""
    return np.asarray(pc.fill_null(values, False).to_numpy(zero_copy_only=False), dtype=bool)


def _match(strs: pa.Array, pattern: str) -> npt.NDArray[np.bool_]:
    """Which strings match an RE2 pattern."""
    return _to_bool(pc.match_substring_regex(strs, pattern))


def _leftovers(
    strs: pa.Array, todo: npt.NDArray[np.bool_]
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], list[str]]:
    """Distinct strings among ``strs[todo]``: (indices into strs, code per index, uniques)."""
    idx = np.flatnonzero(todo)
    if idx.size == 0:
        return idx, np.empty(0, np.intp), []
    encoded = pc.dictionary_encode(strs.take(pa.array(idx)))
    codes = np.asarray(encoded.indices.to_numpy(zero_copy_only=False), dtype=np.intp)
    return idx, codes, encoded.dictionary.to_pylist()


def _finish(cells: _Cells, values: Any, errors: npt.NDArray[np.object_]) -> Coerced:
    """Wrap result arrays as Series on the input's index."""
    return Coerced(
        values=pd.Series(values, index=cells.index, name=cells.name),
        errors=pd.Series(errors, index=cells.index, name=cells.name, dtype=object),
    )


def _finish_strings(cells: _Cells, strs: pa.Array, errors: npt.NDArray[np.object_]) -> Coerced:
    """Scatter the cleaned text cells back into one ``string`` column (NA elsewhere)."""
    combined = pa.concat_arrays([strs.cast(pa.large_string()), pa.nulls(1, pa.large_string())])
    take = np.full(cells.n, len(strs), dtype=np.int64)
    take[cells.str_pos] = np.arange(len(strs))
    values = pd.arrays.ArrowStringArray(combined.take(pa.array(take)))
    return _finish(cells, values, errors)


def _clean(text: str) -> str:
    """Remove invisible characters and surrounding whitespace."""
    return text.translate(_INVISIBLE_TABLE).strip()


def _quote(text: str) -> str:
    """Quote a cell for a message, shortened when long."""
    if len(text) > _QUOTE_LIMIT:
        text = text[: _QUOTE_LIMIT - 1] + "…"
    return f"'{text}'"


def _shown(cells: _Cells, positions: Iterable[int]) -> list[tuple[int, str]]:
    """(position, the cell as the user wrote it) for positions that hold a value."""
    found = np.searchsorted(cells.str_pos, np.asarray(list(positions), dtype=np.intp))
    return [(int(cells.str_pos[k]), cells.strs[int(k)].as_py()) for k in found]
