"""Unit tests of pmo.toml loading and validation - no browser required."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from dashboard.standards import (
    Criterion,
    ScoringWeights,
    Standards,
    StandardsError,
    describe_standards,
    load_standards,
)

ROOT = Path(__file__).resolve().parents[3]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "pmo.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_pmo_toml_loads_with_documented_defaults():
    standards = load_standards(ROOT / "pmo.toml")
    defaults = Standards()
    assert standards.loading.date_order == "dmy"
    assert standards.loading.currency == "GBP"
    assert standards.reporting == defaults.reporting
    assert standards.health == defaults.health
    assert standards.scoring == defaults.scoring
    assert standards.capacity == defaults.capacity
    assert standards.approval == defaults.approval
    assert standards.compliance == defaults.compliance
    assert standards.review == defaults.review
    assert dt.date(2026, 12, 25) in standards.working_time.holidays


def test_shipped_pmo_toml_has_a_comment_for_every_section():
    text = (ROOT / "pmo.toml").read_text(encoding="utf-8")
    sections = [line for line in text.splitlines() if line.startswith("[")]
    assert len(sections) >= 12
    for header in sections:
        after = text.split(header, 1)[1].lstrip("\n")
        assert after.startswith("#"), f"{header} has no explaining comment"


def test_empty_file_gives_defaults(tmp_path):
    standards = load_standards(write(tmp_path, ""))
    assert dataclasses.replace(standards, source="defaults") == Standards()


def test_partial_file_overrides_only_what_it_names(tmp_path):
    standards = load_standards(
        write(tmp_path, "[reporting]\ncadence_days = 7\n[health]\ncpi_red = 0.75\n")
    )
    assert standards.reporting.cadence_days == 7
    assert standards.health.cadence_days == 7
    assert standards.compliance.cadence_days == 7
    assert standards.health.cpi_red == 0.75
    assert standards.health.cpi_amber == Standards().health.cpi_amber


def test_weights_table_replaces_the_default_criteria(tmp_path):
    text = '[scoring]\nlower_is_better = ["risk"]\n[scoring.weights]\nurgency = 2\nrisk = 1\n'
    standards = load_standards(write(tmp_path, text))
    assert standards.scoring.criteria == (
        Criterion("urgency", 2.0, True),
        Criterion("risk", 1.0, False),
    )


def test_compliance_checks_table_enables_only_listed_checks(tmp_path):
    text = "[compliance.checks]\nhas_sponsor = 3\nmilestones_defined = 1\n"
    standards = load_standards(write(tmp_path, text))
    assert standards.compliance.checks == (("has_sponsor", 3.0), ("milestones_defined", 1.0))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[health]\ncpi_red = "abc"\n',
            "pmo.toml: [health].cpi_red must be a number between 0 and 2, got 'abc'",
        ),
        ("[health]\ncpi_red = 3\n", "[health].cpi_red must be a number between 0 and 2, got 3"),
        (
            "[health]\ncpi_red = true\n",
            "[health].cpi_red must be a number between 0 and 2, got true",
        ),
        (
            '[loading]\ndate_order = "ymd"\n',
            '[loading].date_order must be one of "dmy", "mdy", "auto", got \'ymd\'',
        ),
        (
            '[loading]\ncurrency = "pounds"\n',
            "[loading].currency must be a three-letter ISO currency code",
        ),
        (
            "[reporting]\ncadence_days = 1.5\n",
            "[reporting].cadence_days must be a whole number between 1 and 366, got 1.5",
        ),
        (
            '[reporting]\nclosed_stages = "closed"\n',
            "[reporting].closed_stages must be a list of non-empty text values, got 'closed'",
        ),
        (
            '[working_time]\nholidays = ["2026-01-01"]\n',
            "[working_time].holidays must be a list of dates written as 2025-12-25",
        ),
        (
            "[scoring.weights]\nurgency = -1\n",
            "[scoring.weights].urgency must be a number between 0 and 1000, got -1",
        ),
        (
            '[scoring.wsjf]\njob_size = ""\n',
            '[scoring.wsjf].job_size must be one of "strategic_alignment"',
        ),
        (
            '[compliance]\nrequired_fields = ["budgett"]\n',
            "[compliance].required_fields must be a list drawn from",
        ),
        ("[approval_probability]\nsubmitted = 1.5\n", "[approval_probability].submitted"),
    ],
)
def test_bad_value_names_key_and_allowed_values(tmp_path, text, message):
    with pytest.raises(StandardsError) as caught:
        load_standards(write(tmp_path, text))
    assert message in str(caught.value)
    assert str(caught.value).startswith("pmo.toml: ")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[health]\ncpi_redd = 0.8\n", "unknown key [health].cpi_redd; allowed keys: spi_amber"),
        ("[helth]\ncpi_red = 0.8\n", "unknown section [helth]; allowed sections:"),
        ("[scoring.weights]\nfoo = 1\n", "unknown key [scoring.weights].foo; allowed keys:"),
        (
            "[compliance.checks]\nhas_sponser = 1\n",
            "unknown key [compliance.checks].has_sponser",
        ),
        ("[scoring.extra]\na = 1\n", "unknown section [scoring.extra]"),
        ("health = 3\n", "health must be a [health] section, got 3"),
    ],
)
def test_unknown_keys_and_sections_are_errors(tmp_path, text, message):
    with pytest.raises(StandardsError, match=None) as caught:
        load_standards(write(tmp_path, text))
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "[health]\nspi_red = 0.97\n",
            "[health].spi_red (0.97) must not be greater than [health].spi_amber (0.9)",
        ),
        (
            "[health]\neac_overrun_amber_pct = 20\n",
            "[health].eac_overrun_amber_pct (20) must not be greater than "
            "[health].eac_overrun_red_pct (10)",
        ),
        ("[capacity]\nunder = 1.2\n", "[capacity].under (1.2) must not be greater than"),
        ("[reporting]\ncadence_days = 60\n", "[reporting].cadence_days (60) must not be"),
        ("[scoring.weights]\nurgency = 0\n", "must give at least one criterion a weight above 0"),
        (
            '[scoring]\nlower_is_better = ["risk"]\n[scoring.weights]\nurgency = 1\n',
            "[scoring].lower_is_better names 'risk', which has no weight",
        ),
        ("[compliance.checks]\nhas_sponsor = 0\n", "at least one check a weight above 0"),
    ],
)
def test_inconsistent_values_are_errors(tmp_path, text, message):
    with pytest.raises(StandardsError) as caught:
        load_standards(write(tmp_path, text))
    assert message in str(caught.value)


def test_invalid_toml_is_reported(tmp_path):
    with pytest.raises(StandardsError, match=r"pmo.toml: not valid TOML"):
        load_standards(write(tmp_path, "[health\ncpi_red = 0.8\n"))


def test_missing_file_is_reported(tmp_path):
    with pytest.raises(StandardsError, match="file not found"):
        load_standards(tmp_path / "pmo.toml")


def test_message_uses_the_file_name(tmp_path):
    path = tmp_path / "other.toml"
    path.write_text("[health]\ncpi_red = 'x'\n", encoding="utf-8")
    with pytest.raises(StandardsError, match=r"^other.toml: \[health\]\.cpi_red"):
        load_standards(path)


def test_describe_standards_lists_every_key_with_definition():
    rows = describe_standards(load_standards(ROOT / "pmo.toml"))
    terms = {row["term"]: row for row in rows}
    assert terms["health.cpi_red"]["value"] == "0.8"
    assert terms["reporting.closed_stages"]["value"] == "closed, cancelled, completed"
    assert terms["scoring.weights.urgency"]["value"] == "15"
    assert terms["scoring.wsjf.risk_reduction"]["value"] == "(not used)"
    assert terms["compliance.checks.status_within_cadence"]["value"] == "2"
    assert all(set(row) == {"term", "value", "definition"} for row in rows)
    assert all(row["definition"] for row in rows)
    assert len(terms) == len(rows)


def test_standards_are_frozen():
    standards = Standards()
    with pytest.raises(dataclasses.FrozenInstanceError):
        standards.health.cpi_red = 0.5  # type: ignore[misc]


def test_scaled_weights_change_one_criterion_only():
    weights = ScoringWeights()
    scaled = weights.scaled("urgency", 1.2)
    by_column = {c.column: c.weight for c in scaled.criteria}
    assert by_column["urgency"] == pytest.approx(18.0)
    assert by_column["risk"] == 10.0
    assert weights.criteria[2].weight == 15.0


def test_health_escalation_keys_load_and_zero_switches_a_red_rule_off(tmp_path):
    standards = load_standards(
        write(
            tmp_path,
            "[health]\nraid_red_open_high = 0\nraid_red_open_critical = 3\n"
            "raid_red_overdue_critical = 0\nevm_min_elapsed_pct = 15\n"
            'on_hold_stages = ["On Hold", "Paused"]\n',
        )
    )
    health = standards.health
    assert health.raid_red_open_high == 0  # off: no "amber must not exceed red" complaint
    assert health.raid_red_open_critical == 3
    assert health.raid_red_overdue_critical == 0
    assert health.evm_min_elapsed_pct == 15.0
    assert health.on_hold_stages == ("On Hold", "Paused")


def test_health_defaults_escalate_on_two_critical_or_one_overdue():
    health = load_standards(ROOT / "pmo.toml").health
    assert (health.raid_red_open_critical, health.raid_red_overdue_critical) == (2, 1)
    assert health.raid_red_open_high == 0
    assert health.evm_min_elapsed_pct == 10.0
    assert health.on_hold_stages == ("on hold",)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "[health]\nevm_min_elapsed_pct = 120\n",
            "[health].evm_min_elapsed_pct must be a number between 0 and 100, got 120",
        ),
        (
            "[health]\nraid_amber_open_high = 4\nraid_red_open_high = 2\n",
            "[health].raid_amber_open_high (4) must not be greater than [health].raid_red",
        ),
        (
            "[health]\non_hold_stages = 3\n",
            "[health].on_hold_stages must be a list of non-empty text values, got 3",
        ),
    ],
)
def test_bad_health_escalation_keys_are_named(tmp_path, text, message):
    with pytest.raises(StandardsError) as error:
        load_standards(write(tmp_path, text))
    assert message in str(error.value)


# -------------------------------------------------------------- one declaration for every reader
@pytest.mark.parametrize(
    "text",
    ["", "[health]\ncpi_red = 0.7\n", '[loading]\ndate_order = "auto"\ncurrency = "EUR"\n'],
    ids=["no-file-keys", "no-loading-section", "loading-set"],
)
def test_loaders_dashboard_and_glossary_read_loading_alike(tmp_path, text):
    from loaders.settings import load_settings

    path = write(tmp_path, text)
    loader = load_settings(str(tmp_path / "data"), str(path))
    dashboard = load_standards(path).loading
    glossary = {row["term"]: row["value"] for row in describe_standards(load_standards(path))}
    assert loader.date_order == dashboard.date_order == glossary["loading.date_order"]
    assert loader.currency == dashboard.currency == glossary["loading.currency"]


def test_without_a_loading_section_both_read_day_first(tmp_path):
    from loaders.settings import load_settings

    path = write(tmp_path, "[reporting]\ncadence_days = 7\n")
    assert load_settings(str(tmp_path / "data"), str(path)).date_order == "dmy"
    assert load_standards(path).loading.date_order == "dmy"


def test_glossary_lists_exactly_the_declared_keys():
    from loaders.standards_file import keys, sections

    declared = {
        f"{name}.{key}"
        for name, model in sections()
        for key, field in keys(model).items()
        if "table_help" not in (field.json_schema_extra or {})
    }
    terms = {row["term"] for row in describe_standards(Standards())}
    plain = {t for t in terms if not t.startswith(("scoring.weights.", "compliance.checks."))}
    assert plain == declared
    assert "scoring.weights.urgency" in terms and "compliance.checks.has_sponsor" in terms


def test_dataclass_defaults_are_the_declared_defaults():
    from loaders.standards_model import DEFAULTS

    standards = Standards()
    assert standards.health.cpi_red == DEFAULTS.health.cpi_red == 0.8
    assert standards.loading.date_order == DEFAULTS.loading.date_order
    assert standards.review.money_move_pct == DEFAULTS.review.money_move_pct
    assert {c.column: c.weight for c in standards.scoring.criteria} == DEFAULTS.scoring.weights
