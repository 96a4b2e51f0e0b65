"""The intake scenario in the URL: weights, method, budget, switches and forced choices.

The scenario lives in the URL (:func:`parse_scenario` / :func:`scenario_query`) so it can be
shared as a link; only what differs from the defaults is written (docs/review.md "Intake for
executives").
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from dashboard.services.intake_weights import method_or_default, parse_number
from dashboard.standards import ScoringWeights
from dashboard.url_state import query_from_search

SCENARIO_KEYS = ("method", "budget", "capacity", "decided", "in", "out")
"""Query keys of the intake scenario, besides one ``w_<criterion>`` per weight moved."""
WEIGHT_PREFIX = "w_"


@dataclass(frozen=True)
class Scenario:
    """What the intake controls show, read from the URL (unchecked until used).

    Attributes:
        weights: Criterion -> weight as typed in the URL (``weights_from_sliders`` checks it).
        method: A key of ``METHODS``.
        budget: The budget in the URL, or ``None`` for the default.
        use_capacity: The capacity switch (on unless ``capacity=off``).
        include_decided: The "include decided requests" switch (``decided=include``).
        forced_in: Request ids forced in (``recommend`` drops the unknown ones).
        forced_out: Request ids forced out.
    """

    weights: dict[str, object] = dataclasses.field(default_factory=dict)
    method: str = "weighted"
    budget: float | None = None
    use_capacity: bool = True
    include_decided: bool = False
    forced_in: tuple[str, ...] = ()
    forced_out: tuple[str, ...] = ()


def parse_scenario(query: Mapping[str, object]) -> Scenario:
    """The intake scenario from a URL query (as Pages passes it, or ``query_from_search``).

    Untrusted: weights go through ``weights_from_sliders``, the method through
    ``method_or_default``, a budget that is not a number >= 0 is dropped, and forced ids are
    checked against the candidates by ``recommend``.
    """

    def values(key: str) -> list[str]:
        raw = query.get(key)
        if isinstance(raw, str):
            return [raw]
        return [v for v in raw if isinstance(v, str)] if isinstance(raw, list) else []

    def first(key: str) -> str | None:
        found = values(key)
        return found[0] if found else None

    weights = {
        key.removeprefix(WEIGHT_PREFIX): first(key)
        for key in query
        if isinstance(key, str) and key.startswith(WEIGHT_PREFIX)
    }
    budget = parse_number(first("budget"))
    return Scenario(
        weights={k: v for k, v in weights.items() if v is not None},
        method=method_or_default(first("method")),
        budget=budget if budget is not None and budget >= 0 else None,
        use_capacity=first("capacity") != "off",
        include_decided=first("decided") == "include",
        forced_in=tuple(dict.fromkeys(values("in"))),
        forced_out=tuple(dict.fromkeys(values("out"))),
    )


def scenario_query(
    search: str | None,
    *,
    base: ScoringWeights,
    weights: ScoringWeights,
    scenario: Scenario,
    default: float,
) -> str:
    """The URL query of the page with the scenario in it: share it and the view comes back.

    Keys the scenario does not own (division, as-of, ...) are kept as they are; only what
    differs from the defaults is written (weights off ``pmo.toml``, a method other than the
    weighted score, a budget other than ``default``, capacity off, decided included), so the
    plain page keeps a plain URL.
    """
    kept = [
        (key, value)
        for key, items in query_from_search(search).items()
        if key not in SCENARIO_KEYS and not key.startswith(WEIGHT_PREFIX)
        for value in items
    ]
    pmo = {c.column: c.weight for c in base.criteria}
    pairs = [
        (f"{WEIGHT_PREFIX}{c.column}", _plain(c.weight))
        for c in weights.criteria
        if c.weight != pmo.get(c.column)
    ]
    if scenario.method != "weighted":
        pairs.append(("method", scenario.method))
    if scenario.budget is not None and scenario.budget != default:
        pairs.append(("budget", _plain(scenario.budget)))
    if not scenario.use_capacity:
        pairs.append(("capacity", "off"))
    if scenario.include_decided:
        pairs.append(("decided", "include"))
    pairs += [("in", i) for i in scenario.forced_in]
    pairs += [("out", i) for i in scenario.forced_out]
    query = urlencode(kept + pairs)
    return f"?{query}" if query else ""


def _plain(number: float) -> str:
    """``3600000.0`` -> ``"3600000"``, ``37.5`` -> ``"37.5"``: no exponent in a shared URL."""
    return str(int(number)) if float(number).is_integer() else f"{number:.2f}".rstrip("0")
