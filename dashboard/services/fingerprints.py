"""Content hashes of input frames: what makes a stored result reusable across versions.

A result keyed by the hash of its inputs (a project page) holds for any version whose inputs
hash the same; per-key hashes (one row per project) let an incremental build recompute only the
projects a publish changed (docs/performance.md, "Incremental: a publish recomputes what it
changed").
"""

from __future__ import annotations

import hashlib
import pickle

import pandas as pd


def fingerprint(*frames: pd.DataFrame | None) -> str:
    """A content hash of input frames (values, column names and order): part of a content key."""
    digest = hashlib.sha256()
    for frame in frames:
        if frame is None:
            digest.update(b"none")
            continue
        digest.update(repr((list(frame.columns), [str(t) for t in frame.dtypes])).encode())
        try:
            hashed = pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes()
        except TypeError:  # unhashable cells (lists, dicts): their pickled form instead
            hashed = pickle.dumps(frame.to_dict("list"), protocol=pickle.HIGHEST_PROTOCOL)
        digest.update(hashed)
    return digest.hexdigest()[:32]


def fingerprints_by(key: str, *frames: pd.DataFrame | None) -> pd.DataFrame:
    """Per-``key`` content hashes of input frames: one column per frame, one row per key value.

    Two versions give a key the same row exactly when its rows in every frame are the same
    (order aside), so a result per key can be reused and only the changed keys recomputed.
    """
    columns = {}
    for i, frame in enumerate(frames):
        if frame is None or frame.empty:
            continue
        try:
            rows = pd.util.hash_pandas_object(frame, index=False)
        except TypeError:  # unhashable cells: hash their text
            rows = pd.util.hash_pandas_object(frame.astype("str"), index=False)
        hashed = pd.Series(rows.to_numpy().view("int64"), index=frame[key].astype("str").to_numpy())
        columns[f"frame{i}"] = hashed.groupby(level=0).sum()  # wraps around: fine for a hash
    if not columns:
        return pd.DataFrame(index=pd.Index([], dtype="str", name=key))
    ids = sorted(set().union(*(c.index for c in columns.values())))
    out = pd.DataFrame({n: c.reindex(ids, fill_value=0) for n, c in columns.items()}, index=ids)
    out.index.name = key
    return out


def schema(*frames: pd.DataFrame | None) -> str:
    """Column names and dtypes of input frames (a changed schema means recompute everything)."""
    parts = [None if f is None else [(c, str(t)) for c, t in f.dtypes.items()] for f in frames]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]
