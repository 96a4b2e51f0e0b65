"""Unit tests of dashboard/upload_mapping.py: the old import path names every step's function."""

from __future__ import annotations

from dashboard import (
    upload_mapping,
    upload_mapping_edits,
    upload_mapping_profiles,
    upload_mapping_runs,
    upload_mapping_sheets,
)


def test_every_name_is_the_one_its_step_module_defines():
    assert len(upload_mapping.__all__) == 23
    steps = (
        upload_mapping_sheets,
        upload_mapping_edits,
        upload_mapping_runs,
        upload_mapping_profiles,
    )
    for name in upload_mapping.__all__:
        homes = [m for m in steps if name in vars(m)]
        assert homes, name
        assert getattr(upload_mapping, name) is getattr(homes[0], name), name
