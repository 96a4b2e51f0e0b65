"""Intake data: requests ranked by weighted score, WSJF or RICE, and the best set under a budget.

Written for executives (docs/review.md "Intake for executives"): requests are named with their
ids ("REQ-012 Payroll cloud move"), the selection is told in money, decided requests (approved,
rejected, deferred) leave the ranking unless asked for, mandatory or regulatory requests are
always in the recommended set, and when capacity blocks a request the role and month are named.

The services live in modules named for each part; this module gathers their public names for
callers that want the whole intake in one import:

- ``intake_requests``: the requests as of a date, scored once per data version; candidates.
- ``intake_weights``: the sliders' weights and the method, checked against ``pmo.toml``.
- ``intake_ranking``: the ranking, its rank moves and its export.
- ``intake_selection``: the recommended set under a budget and capacity, told in money.
- ``intake_capacity``: the capacity side of the recommendation.
- ``intake_scenario``: the scenario in the URL, to share as a link.
"""

from __future__ import annotations

from dashboard.services.intake_ranking import (
    EXPORT_COLUMNS,
    export_frame,
    moves_text,
    rank_requests,
    ranking_pool,
    top_text,
)
from dashboard.services.intake_requests import (
    CANDIDATE_STATUSES,
    CRITERION_LABELS,
    DECIDED_STATUSES,
    METHODS,
    IntakeData,
    IntakeView,
    display_name,
    intake_data,
    intake_view,
)
from dashboard.services.intake_scenario import (
    SCENARIO_KEYS,
    WEIGHT_PREFIX,
    Scenario,
    parse_scenario,
    scenario_query,
)
from dashboard.services.intake_selection import (
    FRONTIER_MAX_NODES,
    FRONTIER_STEPS,
    TABLE_COLUMNS,
    Recommendation,
    budget_or_default,
    candidate_choices,
    default_budget,
    formats_decision,
    recommend,
    selection_text,
)
from dashboard.services.intake_weights import (
    SLIDER_MAX,
    base_slider_values,
    method_or_default,
    slider_criteria,
    slider_values,
    weights_from_sliders,
    weights_key,
)

__all__ = [
    "CANDIDATE_STATUSES",
    "CRITERION_LABELS",
    "DECIDED_STATUSES",
    "EXPORT_COLUMNS",
    "FRONTIER_MAX_NODES",
    "FRONTIER_STEPS",
    "METHODS",
    "SCENARIO_KEYS",
    "SLIDER_MAX",
    "TABLE_COLUMNS",
    "WEIGHT_PREFIX",
    "IntakeData",
    "IntakeView",
    "Recommendation",
    "Scenario",
    "base_slider_values",
    "budget_or_default",
    "candidate_choices",
    "default_budget",
    "display_name",
    "export_frame",
    "formats_decision",
    "intake_data",
    "intake_view",
    "method_or_default",
    "moves_text",
    "parse_scenario",
    "rank_requests",
    "ranking_pool",
    "recommend",
    "scenario_query",
    "selection_text",
    "slider_criteria",
    "slider_values",
    "top_text",
    "weights_from_sliders",
    "weights_key",
]
