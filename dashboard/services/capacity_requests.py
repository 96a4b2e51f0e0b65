"""One request on the Capacity page: which can be picked, and what approving it would do.

Before/after utilisation of the request's roles and its earliest start (docs/analytics.md §4.7),
cached per scope.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.analytics import capacity_impact
from dashboard.config import get_standards
from dashboard.services.cache import cached
from dashboard.services.capacity import MAX_SHIFT_MONTHS, CapacityModel


@dataclass(frozen=True)
class RequestImpact:
    """What approving one request does to its roles' utilisation, and when it could start.

    Attributes:
        request_id: The request.
        title: Its title.
        status: Its status.
        table: ``request_impact`` output (by role), months of the search window.
        slot: ``earliest_start`` output.
    """

    request_id: str
    title: str
    status: str
    table: pd.DataFrame
    slot: capacity_impact.StartSlot


def request_choices(model: CapacityModel) -> list[dict[str, str]]:
    """Dropdown options: requests not yet approved that place demand in this scope."""
    wanted = model.demand["request_id"].dropna().unique()
    requests = model.requests
    rows = requests.loc[
        requests["request_id"].isin(wanted).to_numpy()
        & (requests["status"].fillna("") != "approved").to_numpy()
    ].sort_values("request_id")
    return [
        {
            "label": f"{r.request_id} · {r.title} ({_status(r.status)})",
            "value": str(r.request_id),
        }
        for r in rows.itertuples()
    ]


def request_impact(model: CapacityModel, request_id: str | None) -> RequestImpact | None:
    """Before/after utilisation of the request's roles and its earliest start; cached.

    Args:
        model: The scope the page shows.
        request_id: From the dropdown; anything not among ``request_choices`` gives None.
    """
    allowed = {o["value"] for o in request_choices(model)}
    if request_id not in allowed:
        return None
    key = (
        "capacity-impact",
        model.version,
        model.as_of,
        model.divisions,
        model.pipeline,
        request_id,
    )
    return cached(key, lambda: _impact(model, request_id))


def _impact(model: CapacityModel, request_id: str) -> RequestImpact:
    bands = get_standards().capacity
    table = capacity_impact.request_impact(
        model.supply, model.demand, bands, request_id=request_id, by="role"
    )
    slot = capacity_impact.earliest_start(
        model.supply,
        model.demand,
        bands,
        request_id=request_id,
        by="role",
        max_shift=MAX_SHIFT_MONTHS,
    )
    row = model.requests.loc[model.requests["request_id"] == request_id].iloc[0]
    return RequestImpact(
        request_id=request_id,
        title=str(row["title"]),
        status=_status(row["status"]),
        table=table,
        slot=slot,
    )


def _status(value: object) -> str:
    return str(value).replace("_", " ") if isinstance(value, str) and value else "no status"
