"""Unit tests for loaders.history: SQL is only ever built from a canonical table's names."""

from __future__ import annotations

import dataclasses

import duckdb
import pandas as pd
import pytest

from loaders.history import merge_rows, older_than_current
from loaders.kinds import TABLES


@pytest.mark.parametrize("merge", [merge_rows, older_than_current])
def test_a_table_spec_that_is_not_canonical_is_refused_before_any_sql(merge):
    forged = dataclasses.replace(TABLES["projects"], name="projects; DROP TABLE load_runs")
    rows = pd.DataFrame({"project_id": ["P-1"], "load_id": [1], "valid_from": ["2026-01-01"]})
    with duckdb.connect() as con, pytest.raises(ValueError, match="not a canonical table"):
        merge(con, forged, rows.assign(row_hash=1))
