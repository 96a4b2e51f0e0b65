"""Reading ``pmo.toml`` against the declaration in ``loaders.standards_model``.

A bad value, an unknown key or an unknown section raises :class:`StandardsError` with one message
that names the file, the key and what it may be (pydantic's error, put in the file's words), e.g.
``pmo.toml: [health].cpi_red must be a number between 0 and 2, got 'abc'``.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, get_args

from pydantic import BaseModel, ValidationError

from loaders.standards_model import PmoStandards, StandardsError


# ------------------------------------------------------------------ reading the file
def read_standards(path: str | Path) -> PmoStandards:
    """Read and validate ``pmo.toml``.

    Raises:
        StandardsError: The file is missing or unreadable, is not valid TOML, or has an unknown
            section/key, a value outside its allowed range or inconsistent values.
    """
    path = Path(path)
    source = path.name
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StandardsError(f"{source}: file not found ({path})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise StandardsError(f"{source}: cannot be read ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise StandardsError(f"{source}: not valid TOML ({exc})") from None
    return parse_standards(raw, source)


def parse_standards(raw: dict[str, Any], source: str = "pmo.toml") -> PmoStandards:
    """Validate a parsed TOML document; messages start with ``source``.

    Raises:
        StandardsError: As :func:`read_standards`.
    """
    try:
        standards = PmoStandards.model_validate(raw)
    except ValidationError as exc:
        raise StandardsError(f"{source}: {_message(exc.errors()[0], raw)}") from None
    problem = _inconsistency(standards)
    if problem:
        raise StandardsError(f"{source}: {problem}")
    return standards


def sections(model: type[BaseModel] = PmoStandards, prefix: str = "") -> list[tuple[str, type]]:
    """Every section of the file as (``name``, model), in file order (``scoring.weights``...)."""
    out: list[tuple[str, type]] = []
    for name, field in model.model_fields.items():
        sub = field.annotation
        if isinstance(sub, type) and issubclass(sub, BaseModel):
            out.append((f"{prefix}{name}", sub))
            out.extend(sections(sub, f"{prefix}{name}."))
    return out


def keys(model: type[BaseModel]) -> dict[str, Any]:
    """A section's own keys (its tables left out): name -> pydantic field."""
    return {
        name: field
        for name, field in model.model_fields.items()
        if not (isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel))
    }


def show(value: object) -> str:
    """A value as the glossary and the messages show it."""
    if isinstance(value, tuple | list):
        return ", ".join(show(v) for v in value) if value else "(none)"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, str) and value == "":
        return "(not used)"
    return str(value)


# ------------------------------------------------------------------ messages
def _message(error: Any, raw: dict[str, Any]) -> str:
    """Pydantic's first error, in the words of the file: the key and what it may be."""
    loc = [str(part) for part in error["loc"]]
    model: type[BaseModel] | None = PmoStandards
    path: list[str] = []
    for part in loc:
        field = model.model_fields.get(part) if model else None
        if field is None:
            break
        path.append(part)
        sub = field.annotation
        model = sub if isinstance(sub, type) and issubclass(sub, BaseModel) else None
        if model is None:
            break
    if error["type"] == "extra_forbidden":
        return _unknown(path, loc[len(path)], error["input"], model)
    section = ".".join(path)
    if model is not None:  # a section that is not a table
        return f"{section} must be a [{section}] section, got {_quote(error['input'])}"
    extra = model_field(path).json_schema_extra
    if "table_help" in extra:  # [scoring.weights], [compliance.checks]
        rest = loc[len(path) :]
        if not rest:
            return f"{section} must be a [{section}] section, got {_quote(error['input'])}"
        if rest[-1] == "[key]":
            allowed_keys = ", ".join(get_args(get_args(model_field(path).annotation)[0]))
            return f"unknown key [{section}].{rest[0]}; allowed keys: {allowed_keys}"
        path = [*path, rest[0]]
    return (
        f"[{'.'.join(path[:-1])}].{path[-1]} must be {extra['allowed']}, "
        f"got {_quote(_lookup(raw, path))}"
    )


def model_field(path: list[str]) -> Any:
    """The pydantic field at ``path`` (``["health", "cpi_red"]``)."""
    model: Any = PmoStandards
    field = None
    for part in path:
        field = model.model_fields[part]
        model = field.annotation
    return field


def _unknown(path: list[str], name: str, value: object, model: type[BaseModel] | None) -> str:
    if not path:
        names = ", ".join(sorted(PmoStandards.model_fields))
        return f"unknown section [{name}]; allowed sections: {names}"
    section = ".".join(path)
    if isinstance(value, dict):
        return f"unknown section [{section}.{name}]"
    allowed = ", ".join(keys(model)) if model else ""
    return f"unknown key [{section}].{name}; allowed keys: {allowed}"


def _lookup(raw: dict[str, Any], path: list[str]) -> object:
    value: Any = raw
    for part in path:
        value = value[part]
    return value


def _quote(value: object) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return repr(value)
    return str(value)


def _inconsistency(standards: PmoStandards) -> str | None:
    """Values that are each valid but contradict each other (amber beyond red, ...)."""
    pairs = [
        ("reporting", "cadence_days", "stale_red_days"),
        ("health", "spi_red", "spi_amber"),
        ("health", "cpi_red", "cpi_amber"),
        ("health", "eac_overrun_amber_pct", "eac_overrun_red_pct"),
        ("health", "finish_slip_amber_days", "finish_slip_red_days"),
        ("health", "milestone_slip_amber_days", "milestone_slip_red_days"),
        ("capacity", "under", "ok"),
        ("capacity", "ok", "over"),
    ]
    if standards.health.raid_red_open_high:  # 0 switches the rule off
        pairs.insert(6, ("health", "raid_amber_open_high", "raid_red_open_high"))
    for section, low, high in pairs:
        a = getattr(getattr(standards, section), low)
        b = getattr(getattr(standards, section), high)
        if a > b:
            return (
                f"[{section}].{low} ({show(a)}) must not be greater than "
                f"[{section}].{high} ({show(b)})"
            )
    weights = weights_of(standards)
    if not any(w > 0 for w in weights.values()):
        return "[scoring.weights] must give at least one criterion a weight above 0"
    for column in standards.scoring.lower_is_better:
        if column not in weights:
            return (
                f"[scoring].lower_is_better names '{column}', which has no weight in "
                "[scoring.weights]; weighted criteria: " + ", ".join(weights)
            )
    if not any(w > 0 for w in checks_of(standards).values()):
        return "[compliance.checks] must give at least one check a weight above 0"
    return None


def weights_of(standards: PmoStandards) -> dict[str, float]:
    """The scoring weights the file gives (or the defaults, when it has no weights table)."""
    return dict(standards.scoring.weights)


def checks_of(standards: PmoStandards) -> dict[str, float]:
    """The compliance checks the file enables, with their weights."""
    return dict(standards.compliance.checks)
