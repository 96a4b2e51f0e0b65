"""Unit tests of loaders.settings: the loaders read pmo.toml through the shared declaration."""

from __future__ import annotations

import pytest

from loaders.settings import SettingsError, load_settings


def test_a_missing_standards_file_gives_the_declared_defaults(tmp_path):
    settings = load_settings(str(tmp_path / "data"), str(tmp_path / "absent.toml"))
    assert (settings.date_order, settings.currency, settings.default_division) == (
        "dmy",
        "GBP",
        None,
    )
    assert settings.data_dir == (tmp_path / "data").resolve()


def test_loading_keys_are_read(tmp_path):
    path = tmp_path / "pmo.toml"
    path.write_text(
        '[loading]\ndate_order = "mdy"\ncurrency = "USD"\ndefault_division = " Ops "\n',
        encoding="utf-8",
    )
    settings = load_settings(str(tmp_path), str(path))
    assert (settings.date_order, settings.currency, settings.default_division) == (
        "mdy",
        "USD",
        "Ops",
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[loading]\ndate_order = "ymd"\n',
            'pmo.toml: [loading].date_order must be one of "dmy", "mdy", "auto", got \'ymd\'',
        ),
        ("[helth]\na = 1\n", "pmo.toml: unknown section [helth]"),
        ("[loading\n", "pmo.toml: not valid TOML"),
    ],
)
def test_a_bad_standards_file_is_a_clear_settings_error(tmp_path, text, message):
    path = tmp_path / "pmo.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        load_settings(str(tmp_path), str(path))
    assert message in str(caught.value)
