"""Monthly review data: what changed between two dates, exceptions first, for a division or all.

Dates: the review compares a month-end (``from``) with a later date (``to``). By default it is
**the previous month-end vs now**: for "today" 2026-11-26 that is 2026-10-31 vs 2026-11-26. The
PMO meets before a month closes, on the latest register and reports, and asks "what changed
since last month's review?"; comparing the last two completed month-ends would hide everything
loaded this month. ``to`` may also be any earlier month-end, so a past review can be rebuilt.

URL: ``/review?division=Finance&from=2026-09-30&to=2026-10-31``; dates left at their defaults
are left out of the URL. Every value is checked against the allowlist (the divisions in the
register, the offered dates); anything else falls back to the default.

Beyond ``review_deltas``, this layer adds forecast-finish slips of projects (``finish_slip``, the
same threshold as milestone slips): the analytics compare milestones only, and the register's
forecast finish is where most schedule slips show.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

import numpy as np
import pandas as pd

from dashboard import db
from dashboard.analytics import capacity as capacity_rules
from dashboard.analytics import review as review_rules
from dashboard.analytics.health import summarise_portfolio
from dashboard.config import get_standards
from dashboard.services import capacity as capacity_service
from dashboard.services import derived
from dashboard.services.portfolio import portfolio

MONTH_ENDS_OFFERED = 12
"""How many past month-ends the date pickers offer."""
AWAITING_STATUSES = ("submitted", "under_review")
"""Request statuses that still need a decision."""
HOT_BANDS = ("over", "critical")
SECTION_ROW_LIMIT = 50
"""Changes per review section sent to the browser (exceptions first); the export has all."""


@dataclass(frozen=True)
class Section:
    """A block of the review: which kinds of change it lists, and how to head it."""

    key: str
    title: str
    kinds: tuple[str, ...]
    empty: str
    size_label: str = ""


SECTIONS: tuple[Section, ...] = (
    Section("new_reds", "New reds", ("new_red",), "No project turned red."),
    Section("recoveries", "Recoveries", ("recovered",), "No project recovered from red."),
    Section(
        "rag_changes",
        "Other health changes",
        ("rag_change",),
        "No other change of computed health.",
    ),
    Section(
        "slips",
        "Slipped milestones and finish dates",
        ("milestone_slip", "finish_slip"),
        "No milestone or forecast finish moved later.",
        size_label="Slip (days)",
    ),
    Section(
        "money",
        "Budget and EAC moves",
        ("eac_move", "budget_move"),
        "No budget or forecast cost moved.",
        size_label="Change",
    ),
    Section(
        "decisions",
        "Requests decided and submitted",
        ("request_decided", "new_request"),
        "No request was decided or submitted.",
    ),
    Section(
        "capacity",
        "Capacity hot spots appearing or clearing",
        ("capacity_hotspot_new", "capacity_hotspot_cleared"),
        "No role became over-allocated, and none cleared.",
    ),
    Section(
        "lifecycle",
        "Projects started and closed",
        ("new_project", "closed_project"),
        "No project entered or left the register.",
    ),
)
"""The page's blocks in reading order: exceptions and decisions before the routine changes."""

KIND_LABELS = {
    "new_red": "New red",
    "recovered": "Recovered",
    "rag_change": "Health change",
    "milestone_slip": "Milestone",
    "finish_slip": "Forecast finish",
    "eac_move": "EAC",
    "budget_move": "Budget",
    "request_decided": "Decided",
    "new_request": "New request",
    "capacity_hotspot_new": "New hot spot",
    "capacity_hotspot_cleared": "Cleared",
    "new_project": "New project",
    "closed_project": "Closed",
}


# ------------------------------------------------------------------------------ URL state


@dataclass(frozen=True)
class ReviewOptions:
    """What the controls offer (the URL allowlist)."""

    divisions: tuple[str, ...]
    starts: tuple[date, ...]
    ends: tuple[date, ...]


@dataclass(frozen=True)
class ReviewState:
    """Which review is shown: divisions (empty = all) and the two dates, ``start < end``."""

    divisions: tuple[str, ...]
    start: date
    end: date


def month_ends(today: date, count: int = MONTH_ENDS_OFFERED) -> tuple[date, ...]:
    """The last day of each of the ``count`` months before ``today``'s month, newest first.

    ``today`` itself is included first when it is a month-end.
    """
    out = []
    if today.day == calendar.monthrange(today.year, today.month)[1]:
        out.append(today)
    end = today.replace(day=1) - timedelta(days=1)
    while len(out) < count:
        out.append(end)
        end = end.replace(day=1) - timedelta(days=1)
    return tuple(out)


def default_dates(today: date) -> tuple[date, date]:
    """(previous month-end, today): the review the PMO expects when nothing is chosen."""
    return (today.replace(day=1) - timedelta(days=1), today)


def review_options(divisions: tuple[str, ...], today: date) -> ReviewOptions:
    """The divisions and dates the controls offer; ``to`` adds today to the month-ends."""
    ends = month_ends(today)
    starts = ends if ends[0] != today else ends[1:]
    return ReviewOptions(
        divisions=divisions,
        starts=starts,
        ends=(today, *(d for d in ends if d != today)),
    )


def parse_review(query: dict, options: ReviewOptions, today: date) -> ReviewState:
    """Read ``division``, ``from`` and ``to`` from the URL, keeping only allowed values.

    Reversed dates are swapped; equal or unknown dates fall back to the defaults.
    """
    divisions = tuple(v for v in _as_list(query.get("division")) if v in options.divisions)
    default_start, default_end = default_dates(today)
    start = _pick_date(query.get("from"), options.starts, default_start)
    end = _pick_date(query.get("to"), options.ends, default_end)
    if start > end:
        start, end = end, start
    if start == end:
        start, end = default_start, default_end
    return ReviewState(divisions=tuple(sorted(divisions)), start=start, end=end)


def review_search(
    divisions: list[str] | None,
    start: str | None,
    end: str | None,
    options: ReviewOptions,
    today: date,
) -> str:
    """The URL query for the controls' values (checked like the URL), defaults left out."""
    state = parse_review({"division": divisions or [], "from": start, "to": end}, options, today)
    default_start, default_end = default_dates(today)
    pairs = [("division", d) for d in state.divisions]
    if state.start != default_start:
        pairs.append(("from", state.start.isoformat()))
    if state.end != default_end:
        pairs.append(("to", state.end.isoformat()))
    return f"?{urlencode(pairs)}" if pairs else ""


def _as_list(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list | tuple) else []


def _pick_date(value: object, allowed: tuple[date, ...], default: date) -> date:
    raw = _as_list(value)
    try:
        chosen = date.fromisoformat(raw[0]) if raw else default
    except ValueError:
        return default
    return chosen if chosen in allowed else default


# ------------------------------------------------------------------------------ the review


@dataclass(frozen=True)
class Review:
    """One review: the changes between two dates and the portfolio at both.

    Attributes:
        state: Divisions and dates.
        changes: :func:`section_changes` input: every change with ``section``, ``division``,
            ``size`` (days for slips, percent for money moves).
        awaiting: :func:`awaiting_decision` output at the later date.
        health_before: Computed health at ``start`` (open projects, filtered).
        health_after: The same at ``end``.
        summary_before: ``summarise_portfolio`` of ``health_before``.
        summary_after: The same at ``end``.
        hot_before: Over-allocated role-months in the window, as known at ``start``.
        hot_after: The same as known at ``end``.
        horizon_months: The capacity window (months from ``end``'s month).
    """

    state: ReviewState
    changes: pd.DataFrame
    awaiting: pd.DataFrame
    health_before: pd.DataFrame
    health_after: pd.DataFrame
    summary_before: dict
    summary_after: dict
    hot_before: int
    hot_after: int
    horizon_months: int
    version: int = 0


@dataclass(frozen=True)
class ReviewView:
    """The review the URL asks for, with the controls' options."""

    review: Review
    options: ReviewOptions


def review_view(query: dict, today: date) -> ReviewView:
    """Parse the URL query against the allowlist and build (or fetch) that review.

    Raises:
        db.NoData: Nothing has been published yet.
    """
    options = current_options(today)
    state = parse_review(query, options, today)
    return ReviewView(review=review(state), options=options)


def current_options(today: date) -> ReviewOptions:
    """The controls' options: the register's divisions today, the offered dates.

    Raises:
        db.NoData: Nothing has been published yet.
    """
    return review_options(portfolio(today).options.divisions, today)


def review(state: ReviewState) -> Review:
    """The review for ``state``; computed once per data version, dates and divisions.

    Stored per (version, standards) for every process (``derived``).

    Raises:
        db.NoData: Nothing has been published yet.
    """
    with db.snapshot() as snap:
        key = ("review", state.start, state.end, state.divisions)
        return derived.derived(snap.version, key, lambda: _build(snap, state))


def _build(snap: db.Snapshot, state: ReviewState) -> Review:
    standards = get_standards()
    before, after = portfolio(state.start), portfolio(state.end)
    divisions = state.divisions
    ids = _project_ids(before.projects, after.projects, divisions)

    def projects_only(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.loc[frame["project_id"].isin(ids).to_numpy()] if divisions else frame

    def requests_only(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.loc[frame["division"].isin(divisions).to_numpy()] if divisions else frame

    health_before, health_after = projects_only(before.health), projects_only(after.health)
    projects_before, projects_after = projects_only(before.projects), projects_only(after.projects)
    requests_after = requests_only(snap.requests(state.end))
    horizon = capacity_service.HORIZON_MONTHS
    cap_before = _hot_window(state.start, state.end, divisions, horizon)
    cap_after = _hot_window(state.end, state.end, divisions, horizon)
    deltas = review_rules.review_deltas(
        health_before,
        health_after,
        projects_before=projects_before,
        projects_after=projects_after,
        milestones_before=projects_only(snap.milestones(state.start)),
        milestones_after=projects_only(snap.milestones(state.end)),
        requests_before=requests_only(snap.requests(state.start)),
        requests_after=requests_after,
        rules=standards.review,
        closed_stages=standards.reporting.closed_stages,
        capacity_before=cap_before,
        capacity_after=cap_after,
        capacity_by="role",
    )
    slips = finish_slips(health_before, health_after, standards.review.milestone_slip_days)
    parts = [frame for frame in (deltas, slips) if len(frame)]
    changes = enrich_changes(
        pd.concat(parts, ignore_index=True) if len(parts) > 1 else (parts or [deltas])[0],
        projects_before=projects_before,
        projects_after=projects_after,
        health_before=health_before,
        health_after=health_after,
        requests=requests_after,
    )
    return Review(
        state=state,
        changes=changes,
        awaiting=awaiting_decision(requests_after, state.end),
        health_before=health_before,
        health_after=health_after,
        summary_before=summarise_portfolio(health_before),
        summary_after=summarise_portfolio(health_after),
        hot_before=int(cap_before["band"].isin(HOT_BANDS).sum()),
        hot_after=int(cap_after["band"].isin(HOT_BANDS).sum()),
        horizon_months=horizon,
        version=snap.version,
    )


def _project_ids(before: pd.DataFrame, after: pd.DataFrame, divisions: tuple[str, ...]) -> set[str]:
    """Projects of ``divisions``, judged by their division in the later register."""
    division = pd.concat([before, after]).drop_duplicates("project_id", keep="last")
    return set(division.loc[division["division"].isin(divisions), "project_id"].astype("str"))


def _hot_window(
    known_at: date, window_start: date, divisions: tuple[str, ...], horizon: int
) -> pd.DataFrame:
    """Role utilisation as known at ``known_at``, over the window that starts at ``window_start``.

    Both dates are compared on the same months, so the horizon moving on is not a "change".
    """
    model = capacity_service.capacity_model(known_at, divisions, pipeline=False)
    window = capacity_rules.month_range(window_start, horizon)
    by_role = model.by_role
    return by_role.loc[by_role["month"].isin(window).to_numpy()].reset_index(drop=True)


# ------------------------------------------------------------------------------ pure helpers


def finish_slips(
    health_before: pd.DataFrame, health_after: pd.DataFrame, min_days: int
) -> pd.DataFrame:
    """Projects whose forecast finish moved later by at least ``min_days``.

    Args:
        health_before: ``assess_health`` rows; needs ``project_id``, ``forecast_finish``;
            ``name`` when present.
        health_after: The same at the later date.
        min_days: Smallest move reported (``[review].milestone_slip_days``).

    Returns:
        Rows shaped like ``review_deltas`` output (kind ``finish_slip``, an exception).
    """
    columns = list(review_rules.COLUMNS)
    was = _dates_by_id(health_before)
    now = _dates_by_id(health_after)
    both = pd.DataFrame({"before": was, "after": now}).dropna()
    days = (both["after"] - both["before"]).dt.days
    moved = both.loc[(days >= min_days).to_numpy()]
    if moved.empty:
        return pd.DataFrame([], columns=columns).astype({"exception": bool})
    # Column-wise, not row by row: at 10,000 projects a loop over rows took half a second.
    ids = moved.index.astype("str")
    names = pd.Series(ids, index=ids).map(_names(health_after))
    label = pd.Series(ids, index=ids).where(names.isna(), ids + " " + names.fillna(""))
    before, after = moved["before"], moved["after"]
    n = (after - before).dt.days.astype("int64").astype("str").to_numpy()
    detail = (
        "Forecast finish of "
        + label.to_numpy()
        + " moved "
        + n
        + " days later ("
        + before.dt.strftime("%d %b %Y").to_numpy()
        + " → "
        + after.dt.strftime("%d %b %Y").to_numpy()
        + ")."
    )
    out = pd.DataFrame(
        {
            "kind": "finish_slip",
            "exception": True,
            "subject_type": "project",
            "subject_id": list(ids),
            "before": list(before.dt.strftime("%Y-%m-%d")),
            "after": list(after.dt.strftime("%Y-%m-%d")),
            "detail": list(detail),
        },
        columns=columns,
    )
    return out.astype({"exception": bool})


def enrich_changes(
    changes: pd.DataFrame,
    *,
    projects_before: pd.DataFrame,
    projects_after: pd.DataFrame,
    health_before: pd.DataFrame,
    health_after: pd.DataFrame,
    requests: pd.DataFrame,
) -> pd.DataFrame:
    """Add ``section``, ``label`` (kind in words), ``division`` and ``size`` to each change.

    ``size`` is the slip in days (milestones, forecast finish) or the move in percent (budget,
    EAC; +inf from zero), NaN for other kinds. Rows are ordered by section, then exceptions
    first, then the largest size, then subject.
    """
    section_of = {kind: s.key for s in SECTIONS for kind in s.kinds}
    division = pd.concat(
        [
            _by_id(projects_before, "project_id", "division"),
            _by_id(projects_after, "project_id", "division"),
        ]
    )
    division = division[~division.index.duplicated(keep="last")]
    request_division = _by_id(requests, "request_id", "division")
    subject = changes["subject_id"].astype("str")
    is_request = (changes["subject_type"] == "request").to_numpy()
    out = changes.assign(
        section=changes["kind"].map(section_of).fillna("other").to_numpy(),
        label=changes["kind"].map(KIND_LABELS).fillna(changes["kind"]).to_numpy(),
        division=np.where(is_request, subject.map(request_division), subject.map(division)),
        size=_sizes(changes, projects_before, projects_after, health_before, health_after),
    )
    out["division"] = out["division"].fillna("").astype("str")
    order = {s.key: i for i, s in enumerate(SECTIONS)}
    out = out.assign(
        _section=out["section"].map(order).fillna(len(order)).to_numpy(),
        _size=out["size"].abs().fillna(-1).to_numpy(),
    )
    out = out.sort_values(
        ["_section", "exception", "_size", "subject_id"],
        ascending=[True, False, False, True],
        kind="stable",
        ignore_index=True,
    )
    return out.drop(columns=["_section", "_size"])


def section_changes(changes: pd.DataFrame, section: Section) -> pd.DataFrame:
    """The changes listed in one section (already in reading order)."""
    return changes.loc[changes["kind"].isin(section.kinds).to_numpy()]


def exception_counts(review_data: Review) -> list[tuple[str, str, int]]:
    """Headline counts for the top of the review, in section order.

    Returns:
        ``(singular, plural, count)``: new reds, recoveries, milestone and forecast finish
        slips, EAC rises, budget moves, requests awaiting a decision, requests decided, hot
        spots appearing and clearing.
    """
    changes = review_data.changes
    kinds = changes["kind"]
    eac_up = ((kinds == "eac_move") & changes["exception"]).sum()

    def n(kind: str) -> int:
        return int((kinds == kind).sum())

    return [
        ("new red", "new reds", n("new_red")),
        ("recovery", "recoveries", n("recovered")),
        ("milestone slip", "milestone slips", n("milestone_slip")),
        ("forecast finish slip", "forecast finish slips", n("finish_slip")),
        ("EAC rise", "EAC rises", int(eac_up)),
        ("budget move", "budget moves", n("budget_move")),
        ("request awaiting a decision", "requests awaiting a decision", len(review_data.awaiting)),
        ("request decided", "requests decided", n("request_decided")),
        ("new capacity hot spot", "new capacity hot spots", n("capacity_hotspot_new")),
        ("hot spot cleared", "hot spots cleared", n("capacity_hotspot_cleared")),
    ]


def awaiting_decision(requests: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Requests still waiting for a decision at ``as_of``, longest waiting first.

    Args:
        requests: ``requests`` rows; needs ``request_id``, ``title``, ``division``, ``status``,
            ``submitted_date``, ``estimated_cost``.
        as_of: The later review date.

    Returns:
        ``request_id``, ``title``, ``division``, ``status`` (words), ``submitted_date``,
        ``days_waiting`` (NaN without a date), ``estimated_cost``.
    """
    status = requests["status"].astype("string").str.strip().str.lower()
    waiting = requests.loc[status.isin(AWAITING_STATUSES).fillna(False).to_numpy()]
    submitted = pd.to_datetime(waiting["submitted_date"])
    out = pd.DataFrame(
        {
            "request_id": waiting["request_id"].astype("str").to_numpy(),
            "title": waiting["title"].to_numpy(),
            "division": waiting["division"].to_numpy(),
            "status": status.loc[waiting.index].str.replace("_", " ").to_numpy(),
            "submitted_date": submitted.to_numpy(),
            "days_waiting": (pd.Timestamp(as_of) - submitted).dt.days.astype("float64").to_numpy(),
            "estimated_cost": pd.to_numeric(waiting["estimated_cost"], errors="coerce").to_numpy(),
        }
    )
    return out.sort_values(
        ["days_waiting", "request_id"],
        ascending=[False, True],
        na_position="last",
        kind="stable",
        ignore_index=True,
    )


CHANGES_EXPORT = {
    "section": "Section",
    "label": "Change",
    "exception": "Exception",
    "division": "Division",
    "subject_type": "Subject type",
    "subject_id": "Subject",
    "before": "Was",
    "after": "Now",
    "size": "Size (days or %)",
    "detail": "Detail",
}


def changes_export(changes: pd.DataFrame) -> pd.DataFrame:
    """Every change as exported: readable headers and section titles."""
    titles = {s.key: s.title for s in SECTIONS}
    frame = changes.assign(section=changes["section"].map(titles).fillna(changes["section"]))
    frame = frame.assign(size=frame["size"].replace([np.inf, -np.inf], np.nan))
    return frame[list(CHANGES_EXPORT)].rename(columns=CHANGES_EXPORT)


def _by_id(frame: pd.DataFrame, id_column: str, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series(dtype="object")
    series = pd.Series(frame[column].to_numpy(), index=frame[id_column].astype("str").to_numpy())
    return series[~series.index.duplicated(keep="last")]


def _dates_by_id(health: pd.DataFrame) -> pd.Series:
    return pd.to_datetime(_by_id(health, "project_id", "forecast_finish"))


def _names(frame: pd.DataFrame) -> dict[str, str]:
    names = _by_id(frame, "project_id", "name")
    return {k: v for k, v in names.items() if isinstance(v, str) and v}


def _money(health: pd.DataFrame, projects: pd.DataFrame, column: str) -> pd.Series:
    register = pd.to_numeric(_by_id(projects, "project_id", column), errors="coerce")
    if column == "budget":
        return register
    computed = pd.to_numeric(_by_id(health, "project_id", column), errors="coerce")
    return computed.combine_first(register)


def _sizes(
    changes: pd.DataFrame,
    projects_before: pd.DataFrame,
    projects_after: pd.DataFrame,
    health_before: pd.DataFrame,
    health_after: pd.DataFrame,
) -> np.ndarray:
    size = np.full(len(changes), np.nan)
    kinds = changes["kind"].to_numpy()
    subject = changes["subject_id"].astype("str")
    slips = np.isin(kinds, ("milestone_slip", "finish_slip"))
    if slips.any():
        was = pd.to_datetime(changes["before"], format="%Y-%m-%d", errors="coerce")
        now = pd.to_datetime(changes["after"], format="%Y-%m-%d", errors="coerce")
        size[slips] = (now - was).dt.days.to_numpy(dtype="float64")[slips]
    for kind, column in (("budget_move", "budget"), ("eac_move", "forecast_cost")):
        rows = kinds == kind
        if not rows.any():
            continue
        a = subject[rows].map(_money(health_before, projects_before, column)).astype("float64")
        b = subject[rows].map(_money(health_after, projects_after, column)).astype("float64")
        with np.errstate(divide="ignore", invalid="ignore"):
            pct = np.where(
                a.to_numpy() != 0, (b - a).to_numpy() / np.abs(a.to_numpy()) * 100, np.inf
            )
        size[rows] = pct
    return size
