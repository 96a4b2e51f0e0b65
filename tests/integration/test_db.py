"""Integration tests of the read side: as-of semantics and version switching (dashboard.db)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashboard import config, db
from loaders.ingest import ingest


@pytest.fixture
def store(data_dir):
    config._overrides.clear()
    config.configure(data_dir=data_dir)
    yield data_dir
    db.close_all()
    config._overrides.clear()
    config.get_settings.cache_clear()


def test_as_of_follows_register_snapshots(app_settings):
    with db.snapshot() as snap:
        assert len(snap.projects(date(2026, 11, 26))) == 150
        # The previous month-end register had 144 projects; the 6 new ones did not exist then.
        assert len(snap.projects(date(2026, 10, 31))) == 144
        # Before the first register was loaded, its first state stands in.
        assert len(snap.projects(date(2025, 1, 1))) == 144
        latest = snap.latest_status(date(2026, 11, 26))
        assert latest["project_id"].is_unique
        assert latest["report_date"].max() <= pd.Timestamp(2026, 11, 26)


def test_no_data_before_the_first_load(store):
    with pytest.raises(db.NoData, match="python -m loaders demo"), db.snapshot():
        pass


def test_next_request_reads_a_newly_published_version(store, status_csv):
    ingest([status_csv(3, date(2026, 1, 2))], store, today=date(2026, 11, 26))
    with db.snapshot() as first:
        assert first.version == 1
        assert len(first.status_reports(date(2026, 11, 26))) == 3
        ingest([status_csv(5, date(2026, 1, 16))], store, today=date(2026, 11, 26))
        # A request in flight keeps its version whole.
        assert len(first.status_reports(date(2026, 11, 26))) == 3
    with db.snapshot() as second:
        assert second.version == 2
        assert len(second.status_reports(date(2026, 11, 26))) == 8
    # The superseded version's connection was closed once its last reader finished.
    assert [h.version for h in db._handles.values()] == [2]
