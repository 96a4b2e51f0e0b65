"""Pure, vectorised coercion of raw spreadsheet/CSV cells to typed columns, with reasons.

Readers hand over every cell as text, the text a spreadsheet user sees (``loaders.read`` reads
workbooks with string dtypes), with NA or ``""`` for empty cells. Each ``coerce_*`` function
takes one column as a pandas Series and returns a :class:`Coerced`: typed values plus, for every
cell that could not be used, a short reason in the user's words ("'12,5k' is not a number:
write it in full").

Nothing here does I/O or reads the clock or environment. Large columns take a vectorised path
(pyarrow compute kernels on pandas' Arrow-backed strings); only the cells the fast path cannot
settle are parsed in Python, and each distinct leftover string is parsed once.

Rules every function shares:
- Empty cells and the tokens in :data:`NULL_TOKENS` become NA with no error.
- Excel error values (:data:`EXCEL_ERRORS`, e.g. ``#REF!``) become NA with the error
  "Excel error value '#REF!'".
- Before parsing, text loses NUL and zero-width characters (U+200B-U+200D, U+2060, U+FEFF) and
  surrounding whitespace (every character for which ``str.isspace()`` is true, NBSP included).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from loaders.coerce_cells import (
    _ASCII_LOWER,
    _HYPHENS_RE2,
    _INVISIBLE_RE2,
    _WHITESPACE,
    DATE_PLACEHOLDERS,
    EXCEL_ERRORS,
    NULL_TOKENS,
    Coerced,
    _clean,
    _finish,
    _finish_strings,
    _leftovers,
    _quote,
    _split,
)
from loaders.coerce_dates import MAX_YEAR, MIN_YEAR, coerce_date, month_number, split_date_range
from loaders.coerce_numbers import (
    coerce_duration_hours,
    coerce_int_scale,
    coerce_money,
    coerce_number,
    coerce_percent,
)

__all__ = [
    "DATE_PLACEHOLDERS",
    "EXCEL_ERRORS",
    "MAX_YEAR",
    "MIN_YEAR",
    "NULL_TOKENS",
    "RAG_VALUES",
    "Coerced",
    "coerce_bool",
    "coerce_date",
    "coerce_duration_hours",
    "coerce_id",
    "coerce_int_scale",
    "coerce_money",
    "coerce_number",
    "coerce_percent",
    "coerce_rag",
    "coerce_text",
    "is_null_token",
    "month_number",
    "split_date_range",
]


#: Canonical RAG values, best first.
RAG_VALUES: Final[tuple[str, str, str]] = ("green", "amber", "red")


def is_null_token(value: object) -> bool:
    """Tell whether a raw cell means "no value".

    Why: exports spell "empty" in many ways (``N/A``, ``-``, ``#N/A``, ``NULL``); treating them as
    empty keeps them from being reported as invalid numbers or dates.

    Args:
        value: A raw cell: ``None``, NaN/NaT/``pd.NA``, or text. Any other value (a number, a date,
            ``False``) is a value, not a null.

    Returns:
        True for missing values and for text that is blank or one of :data:`NULL_TOKENS` after
        removing invisible characters and surrounding whitespace, in any letter case.
    """
    if isinstance(value, str):
        return _clean(value).translate(_ASCII_LOWER) in NULL_TOKENS
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float | np.floating):
        return bool(np.isnan(value))
    if isinstance(value, np.datetime64 | np.timedelta64):
        return bool(np.isnat(value))
    return False


def coerce_text(raw: pd.Series) -> Coerced:
    """Coerce free-text cells (names, titles, comments) to clean strings.

    Why: CSV cells carry stray NUL/zero-width characters and padding.

    Text is stripped and loses NUL and zero-width characters; inner whitespace and line breaks
    are kept.

    Args:
        raw: One column of raw cells.

    Returns:
        ``values`` of pandas ``string`` dtype (``pd.NA`` for empty cells and Excel errors).
    """
    cells = _split(raw)
    return _finish_strings(cells, cells.strs, cells.errors)


def coerce_id(raw: pd.Series) -> Coerced:
    """Coerce key cells (project, task, resource IDs) to normalised strings that match reliably.

    Why: the same ID arrives as ``P-001``, ``P‑001`` (non-breaking hyphen), ``Ｐ-００１``
    (fullwidth) or with a zero-width space; joins need one spelling.

    Text is NFKC-normalised (fullwidth letters and digits become ASCII),
    loses zero-width characters and surrounding whitespace, and hyphen lookalikes (U+2010-U+2015,
    U+2212) become ``-``. Leading zeros are kept (``"00123"`` stays ``"00123"``).

    Args:
        raw: One column of raw cells.

    Returns:
        ``values`` of pandas ``string`` dtype.
    """
    cells = _split(raw)
    strs = cells.strs
    errors = cells.errors.copy()
    if len(strs) and not pc.all(pc.string_is_ascii(strs)).as_py():
        strs = pc.utf8_normalize(strs, form="NFKC")
        strs = pc.replace_substring_regex(strs, _INVISIBLE_RE2, "")
        strs = pc.replace_substring_regex(strs, _HYPHENS_RE2, "-")
        strs = pc.utf8_trim(strs, characters=_WHITESPACE)
    return _finish_strings(cells, strs, errors)


def coerce_rag(raw: pd.Series) -> Coerced:
    """Coerce RAG status cells to ``green``/``amber``/``red``.

    Why: teams write RAG as letters, words, traffic-light emoji or "On track"; the dashboard needs
    one vocabulary, and an unknown status must be reported, not guessed.

    Accepts, in any letter case and spacing: ``G``/``A``/``R``, ``Green``/``Amber``/``Red``,
    ``Yellow``/``Y``/``Orange`` (amber), ``On track``/``At risk``/``Off track``, and the emoji
    🟢 🟡 🟠 🔴 (🟠 is amber) and 🟩 🟨 🟧 🟥.

    Args:
        raw: One column of raw cells.

    Returns:
        ``values`` of pandas ``string`` dtype holding ``"green"``, ``"amber"``, ``"red"`` or NA.
    """
    return _coerce_choice(raw, _RAG_WORDS, _RAG_EXPECTED, to_key=_rag_key)


def coerce_bool(raw: pd.Series) -> Coerced:
    """Coerce yes/no cells (mandatory, is milestone) to booleans.

    Why: exports write yes/no as ``Y``, ``TRUE``, ``1``, a tick or an ``x``; anything else should
    be questioned, not read as false.

    Accepts ``Y``/``Yes``/``TRUE``/``T``/``1``/``x``/``✓``/``✔``/``☑``/``✅`` (true) and
    ``N``/``No``/``FALSE``/``F``/``0``/``✗``/``✘``/``❌`` (false) in any letter case.
    A blank cell is NA, not false.

    Args:
        raw: One column of raw cells.

    Returns:
        ``values`` of pandas ``boolean`` dtype.
    """
    cells = _split(raw)
    errors = cells.errors.copy()
    truth = np.zeros(cells.n, dtype=bool)
    known = np.zeros(cells.n, dtype=bool)
    if len(cells.strs):
        idx, codes, uniques = _leftovers(cells.strs, np.ones(len(cells.strs), dtype=bool))
        found = [_BOOL_WORDS.get(text.lower()) for text in uniques]
        truth_u = np.array([bool(item) for item in found], dtype=bool)
        known_u = np.array([item is not None for item in found], dtype=bool)
        err_u = np.array(
            [
                None if item is not None else f"{_quote(t)} is not {_BOOL_EXPECTED}"
                for t, item in zip(uniques, found, strict=True)
            ],
            dtype=object,
        )
        positions = cells.str_pos[idx]
        truth[positions], known[positions] = truth_u[codes], known_u[codes]
        errors[positions] = err_u[codes]
    return _finish(cells, pd.arrays.BooleanArray(truth, ~known), errors)


_RAG_WORDS: Final[dict[str, str]] = {
    "g": "green",
    "green": "green",
    "on track": "green",
    "🟢": "green",
    "🟩": "green",
    "a": "amber",
    "amber": "amber",
    "y": "amber",
    "yellow": "amber",
    "orange": "amber",
    "at risk": "amber",
    "🟡": "amber",
    "🟠": "amber",
    "🟨": "amber",
    "🟧": "amber",
    "r": "red",
    "red": "red",
    "off track": "red",
    "🔴": "red",
    "🟥": "red",
}
_RAG_EXPECTED: Final[str] = (
    "is not a RAG status (expected Green/Amber/Red, G/A/R, On track/At risk/Off track)"
)
_BOOL_WORDS: Final[dict[str, bool]] = {
    **dict.fromkeys(("y", "yes", "true", "t", "1", "1.0", "x", "✓", "✔", "☑", "✅"), True),
    **dict.fromkeys(("n", "no", "false", "f", "0", "0.0", "✗", "✘", "❌"), False),
}
_BOOL_EXPECTED: Final[str] = "yes/no (expected Y/N, Yes/No, TRUE/FALSE, 1/0, x, ✓/✗)"


def _rag_key(text: str) -> str:
    """Normalise RAG text: lower case, no emoji variation selector, single spaces."""
    return " ".join(re.split(r"[\s_-]+", text.replace("\ufe0f", "").lower())).strip()


def _coerce_choice(
    raw: pd.Series, choices: dict[str, str], expected: str, *, to_key: Callable[[str], str]
) -> Coerced:
    """Map cells onto a fixed vocabulary; anything else is an error listing what is allowed."""
    cells = _split(raw)
    errors = cells.errors.copy()
    out = np.full(cells.n, None, dtype=object)
    if len(cells.strs):
        idx, codes, uniques = _leftovers(cells.strs, np.ones(len(cells.strs), dtype=bool))
        found = [choices.get(to_key(text)) for text in uniques]
        out_u = np.array(found, dtype=object)
        err_u = np.array(
            [
                None if item else f"{_quote(t)} {expected}"
                for t, item in zip(uniques, found, strict=True)
            ],
            dtype=object,
        )
        positions = cells.str_pos[idx]
        out[positions] = out_u[codes]
        errors[positions] = err_u[codes]
    return _finish(cells, pd.array(out, dtype="string"), errors)
