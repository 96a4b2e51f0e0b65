"""Monthly review data: what changed between two dates, exceptions first, for a division or all.

Dates: the review compares a month-end (``from``) with a later date (``to``). By default it is
**the last closed month** (``dashboard.analytics.periods.last_closed_month``): opened on
2026-12-02 that is 2026-10-31 vs 2026-11-30, the month leadership meets about. "Month to date"
(the previous month-end vs today) is one click away (:func:`period_links`). ``to`` may also be
any earlier month-end, so a past review can be rebuilt.

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
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

import numpy as np
import pandas as pd

from dashboard import db
from dashboard.analytics import capacity as capacity_rules
from dashboard.analytics import periods
from dashboard.analytics import review as review_rules
from dashboard.analytics.health import summarise_portfolio
from dashboard.config import get_settings, get_standards
from dashboard.scope import current_scope
from dashboard.services import capacity as capacity_service
from dashboard.services import derived
from dashboard.services.cache import cached
from dashboard.services.portfolio import portfolio
from loaders import app_writes

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
    """The last closed month: the review leadership expects when nothing is chosen."""
    return periods.last_closed_month(today)


def period_links(state: ReviewState, today: date) -> dict[str, str]:
    """URL queries of the two standard periods for the divisions shown.

    Returns:
        ``{"last_closed_month": ..., "month_to_date": ...}``; the last closed month is the
        default, so its query holds the divisions only; month to date names both dates so a
        shared link keeps meaning "up to that day".
    """
    divisions = [("division", d) for d in state.divisions]
    start, end = periods.month_to_date(today)
    mtd = [*divisions, ("from", start.isoformat()), ("to", end.isoformat())]
    return {
        "last_closed_month": f"?{urlencode(divisions)}" if divisions else "",
        "month_to_date": f"?{urlencode(mtd)}",
    }


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
        slips, EAC rises, budget moves, requests decided, hot spots appearing and clearing
        (requests awaiting a decision are counted by :func:`meeting`, with the decisions).
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


# ------------------------------------------------------------------------------ the meeting
# Added for the meeting (decisions first, trend, pack): new functions only, so the review's
# build above can change independently.

TREND_MONTHS = 12
"""Month-ends in the portfolio trend."""
DECISION_TITLES = {
    "request": "Requests ready for a decision",
    "money_rise": "Budget and EAC rises to approve",
    "red_no_action": "Reds without a recovery action",
    "overdue_action": "Actions from earlier reviews now overdue",
}
"""Headings of the "Decisions for this meeting" groups, in ``DECISION_KINDS`` order."""


@dataclass(frozen=True)
class Meeting:
    """What the meeting decides and the trend it looks at: one source for page, pack and JSON.

    Attributes:
        decisions: ``meeting_decisions`` output (every item to decide).
        counts: Items per decision kind (from ``decisions``, so counts and lists agree).
        trend: ``rag_trend`` at the month-ends up to the review's end.
        budget: The budget the intake recommendation was computed for.
        capacity_used: Whether role-by-month capacity constrained the recommendation.
        actions: ``action_log``: actions recorded at reviews up to the end, done/open/overdue.
        version: The data version it was computed from (printed in the review's header).
    """

    decisions: pd.DataFrame
    counts: dict[str, int]
    trend: pd.DataFrame
    budget: float
    capacity_used: bool
    actions: pd.DataFrame
    version: int


def trend_dates(end: date, count: int = TREND_MONTHS) -> tuple[date, ...]:
    """The ``count`` month-ends ending at ``end``, oldest first; ``end`` itself when mid-month.

    A review ending mid-month (month to date) shows that day as its last point, after the
    ``count - 1`` month-ends before it.
    """
    if periods.is_month_end(end):
        return tuple(reversed(periods.month_ends_before(end + timedelta(days=1), count)))
    return (*reversed(periods.month_ends_before(end, count - 1)), end)


def meeting(state: ReviewState) -> Meeting:
    """Decisions for this meeting and the 12-month trend, for ``state``; cached per version.

    Raises:
        db.NoData: Nothing has been published yet.
    """
    with db.snapshot() as snap:
        key = ("review-meeting", snap.version, state.start, state.end, state.divisions)
        return cached(key, lambda: _build_meeting(snap, state))


def portfolio_trend(end: date, divisions: tuple[str, ...]) -> pd.DataFrame:
    """Computed red/amber/green counts of open projects at each of :func:`trend_dates`.

    Divisions are judged at each date (a project counts where it sat then).
    """
    health = {}
    for day in trend_dates(end):
        frame = portfolio(day).health
        if divisions:
            frame = frame.loc[frame["division"].isin(divisions).to_numpy()]
        health[day] = frame
    return review_rules.rag_trend(health)


def _build_meeting(snap: db.Snapshot, state: ReviewState) -> Meeting:
    from dashboard.analytics.filters import FilterState
    from dashboard.services import intake as intake_service
    from dashboard.url_state import ViewState

    the_review = review(state)
    data = intake_service.intake_data(state.end)
    view = intake_service.IntakeView(
        data=data, state=ViewState(filters=FilterState(divisions=state.divisions), as_of=state.end)
    )
    budget = intake_service.default_budget(view)
    recommendation = intake_service.recommend(view, data.weights, budget=budget)
    table = recommendation.table
    table = table.loc[table["status"].isin(AWAITING_STATUSES).to_numpy()]
    benefit = data.requests.drop_duplicates("request_id").set_index("request_id")
    candidates = table.assign(
        expected_benefit=table["request_id"].map(benefit["expected_benefit"]).to_numpy()
    )
    changes = the_review.changes
    money = changes.loc[changes["kind"].isin(("budget_move", "eac_move")).to_numpy()]
    ids = set(the_review.health_after["project_id"].astype("str"))
    raid = snap.raid(state.end)
    raid = raid.loc[raid["project_id"].astype("str").isin(ids).to_numpy()]
    actions = earlier_actions(state)
    decisions = review_rules.meeting_decisions(
        candidates=candidates,
        money_moves=money,
        health_after=the_review.health_after,
        with_recovery=review_rules.recovery_actions(raid, state.end),
        actions=actions,
        as_of=state.end,
        budget_rise_pct=get_standards().review.budget_rise_pct,
    )
    return Meeting(
        decisions=decisions,
        counts=review_rules.decision_counts(decisions),
        trend=portfolio_trend(state.end, state.divisions),
        budget=budget,
        capacity_used=recommendation.capacity_used,
        actions=actions,
        version=int(snap.version),
    )


def earlier_actions(state: ReviewState) -> pd.DataFrame:
    """Actions recorded at reviews up to the review's end, each done, open or overdue.

    Read from the decisions log (``loaders/app_writes.py``) in the review's divisions.

    Raises:
        db.NoData: Nothing has been published yet.
    """
    with db.snapshot() as snap:
        log = snap.decisions(state.end)
        requests = snap.requests(state.end)
    if state.divisions:
        log = log.loc[log["division"].isin(state.divisions).to_numpy()]
    names = dict(zip(requests["request_id"].astype("str"), requests["title"], strict=True))
    projects = portfolio(state.end).projects
    names.update(zip(projects["project_id"].astype("str"), projects["name"], strict=True))
    return review_rules.action_log(log, names, state.end)


RECORDING_ROLES = ("pmo", "division_manager")
"""Roles that may record decisions (a division manager for their own divisions only)."""


def can_record() -> bool:
    """Whether the signed-in user may record decisions (the form is shown only then)."""
    return current_scope().role in RECORDING_ROLES


class DecisionRefused(ValueError):
    """The signed-in user may not record this decision (checked on the server)."""


def record_decision(
    submitted: app_writes.DecisionInput, *, key: str, now: datetime | None = None
) -> app_writes.WriteResult:
    """Record a decision for the signed-in user, within the divisions they may record for.

    The PMO records for every division, a division manager for their own only; a viewer
    records nothing. The subject's division is read from the data by the writer, so a forged
    callback naming another division's request is refused there.

    Raises:
        DecisionRefused: The user's role may not record decisions.
        app_writes.DecisionError: Invalid decision or another division's subject.
        publish.PublishError: The new version could not be written.
    """
    scope = current_scope()
    if scope.role not in RECORDING_ROLES:
        raise DecisionRefused("your role may view the review but not record decisions")
    allowed = None if scope.role == "pmo" and scope.divisions is None else scope.divisions or ()
    return app_writes.record_decision(
        get_settings().data_dir,
        submitted,
        user=scope.user or "local user",
        key=key,
        allowed_divisions=allowed,
        # The app's "today" (pinned in tests and demos; the real date otherwise), at this time.
        now=now or datetime.combine(get_settings().as_of_default(), datetime.now().time()),
    )


def active_period(state: ReviewState, today: date) -> str | None:
    """``last_closed_month``, ``month_to_date`` or None: which standard period ``state`` is."""
    dates = (state.start, state.end)
    if dates == default_dates(today):
        return "last_closed_month"
    return "month_to_date" if dates == periods.month_to_date(today) else None


def decisions_note(meeting_data: Meeting) -> str:
    """How the items were chosen, in one sentence each (printed under the decisions)."""
    rules = get_standards().review
    scope = "budget and role-by-month capacity" if meeting_data.capacity_used else "budget"
    return (
        f"Recommendations: the optimal selection of the requests awaiting a decision under a "
        f"budget of {meeting_data.budget:,.0f} ({scope}), as on the Intake page. Rises of at "
        f"least {rules.budget_rise_pct:g}% are put to the meeting. A recovery action is an open "
        "RAID issue with an owner, due on or after the review date."
    )


# ------------------------------------------------------------------------------ the document
# One JSON-ready document of the review: what `report review --json` prints and what the
# PowerPoint pack (dashboard/pack.py) is built from, so the two cannot disagree.

SUMMARY_KEYS = (
    "projects",
    "watermelons",
    "stale",
    "eac_vs_budget_pct",
    "reporting_on_time_share",
    "total_budget",
    "total_eac",
)


def review_document(state: ReviewState) -> dict:
    """The review for ``state`` as one JSON-ready document (numbers unformatted, NaN as None).

    Keys: ``period``, ``scope``, ``data_version``, ``currency``, ``summary`` (``before`` and
    ``after``), ``exception_counts``, ``decision_counts``, ``decisions``, ``division_health``,
    ``trend``, ``actions``, ``capacity``, ``intake``, ``executive_summary`` (``text``, ``by``,
    ``at``; None until the PMO writes one) and ``changes``.

    Raises:
        db.NoData: Nothing has been published yet.
    """
    with db.snapshot() as snap:
        version = snap.version
    the_review, the_meeting = review(state), meeting(state)
    before_label, after_label = _day(state.start), _day(state.end)
    decisions = the_meeting.decisions
    requests = decisions.loc[(decisions["kind"] == "request").to_numpy()]
    chosen = requests.loc[(requests["recommendation"] == "approve").to_numpy()]
    changes = the_review.changes
    new_hot = changes.loc[(changes["kind"] == "capacity_hotspot_new").to_numpy()]
    return {
        "period": {
            "from": state.start.isoformat(),
            "to": state.end.isoformat(),
            "label": f"{before_label} → {after_label}",
        },
        "scope": {
            "divisions": list(state.divisions),
            "label": ", ".join(state.divisions) if state.divisions else "All divisions",
        },
        "data_version": int(version),
        "currency": get_standards().loading.currency,
        "summary": {
            "before": _summary(the_review.summary_before),
            "after": _summary(the_review.summary_after),
        },
        "exception_counts": [
            {"label": many, "count": n} for _one, many, n in exception_counts(the_review)
        ],
        "decision_counts": dict(the_meeting.counts),
        "decisions": _records(decisions),
        "division_health": _records(
            review_rules.division_rag_counts(
                {before_label: the_review.health_before, after_label: the_review.health_after}
            )
        ),
        "trend": [{**r, "date": str(r["date"])[:10]} for r in _records(the_meeting.trend)],
        "actions": _records(the_meeting.actions),
        "capacity": {
            "horizon_months": int(the_review.horizon_months),
            "hot_before": int(the_review.hot_before),
            "hot_after": int(the_review.hot_after),
            "new_hot_spots": _records(
                new_hot[["subject_id", "before", "after", "detail"]].reset_index(drop=True)
            ),
        },
        "intake": {
            "budget": float(the_meeting.budget),
            "capacity_used": bool(the_meeting.capacity_used),
            "ready": len(requests),
            "recommended": len(chosen),
            "recommended_cost": float(chosen["cost"].sum()),
            "recommended_benefit": float(chosen["benefit"].sum(min_count=1))
            if chosen["benefit"].notna().any()
            else None,
        },
        "executive_summary": _summary_record(executive_summary(state)),
        "changes": _records(
            changes[
                [
                    "section",
                    "kind",
                    "label",
                    "exception",
                    "division",
                    "subject_type",
                    "subject_id",
                    "before",
                    "after",
                    "size",
                    "detail",
                ]
            ]
        ),
    }


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _summary(summary: dict) -> dict:
    out = {key: _plain(summary[key]) for key in SUMMARY_KEYS}
    out.update({rag: int(n) for rag, n in summary["overall"].items()})
    return out


def _records(frame: pd.DataFrame) -> list[dict]:
    return [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict("records")]


def _plain(value: object) -> object:
    """A JSON-ready value: NaN/NaT/NA -> None, numpy scalars -> Python, dates -> ISO text."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        number = float(value)
        if np.isnan(number):
            return None
        if np.isinf(number):
            return "inf" if number > 0 else "-inf"
        return number
    return value


def decision_subjects(meeting_data: Meeting) -> list[dict[str, str]]:
    """Options of the "record a decision" form: every item of the meeting, and every action.

    The value is ``request:REQ-001`` or ``project:PRJ-127``; it is only a choice for the form:
    the writer checks the subject and its division again on the server.
    """
    out: dict[str, str] = {}
    for row in meeting_data.decisions.itertuples(index=False):
        kind = row.subject_type
        name = row.name if isinstance(row.name, str) and row.kind != "money_rise" else ""
        out.setdefault(f"{kind}:{row.subject_id}", f"{row.subject_id} {name}".strip())
    for row in meeting_data.actions.itertuples(index=False):
        name = row.name if isinstance(row.name, str) else ""
        out.setdefault(f"{row.subject_type}:{row.subject_id}", f"{row.subject_id} {name}".strip())
    return [{"label": label, "value": value} for value, label in out.items()]


def parse_subject(value: object) -> tuple[str, str]:
    """``("request", "REQ-001")`` from a form value; ``("", "")`` when it is not one."""
    if not isinstance(value, str) or ":" not in value:
        return "", ""
    kind, _, subject = value.partition(":")
    return kind, subject


# ------------------------------------------------------------------ executive summary


@dataclass(frozen=True)
class ExecutiveSummary:
    """The PMO's latest summary of a review (month and scope), and who wrote it when.

    Attributes:
        text: The summary as written (shown as text, never as HTML).
        by: Who wrote it.
        at: When.
        versions: How many times it has been saved (earlier wordings stay in the log).
    """

    text: str
    by: str
    at: datetime
    versions: int


SUMMARY_ROLES = ("pmo",)
"""Roles that may write the executive summary (the PMO's voice, for every division)."""


def executive_summary(state: ReviewState) -> ExecutiveSummary | None:
    """The latest executive summary for the review's end date and divisions, if any.

    Read from the decisions log whatever the date it was written: a November review's summary
    is written in early December, after the period it describes.

    Raises:
        db.NoData: Nothing has been published yet.
    """
    subject = app_writes.summary_subject(state.end, state.divisions)
    with db.snapshot() as snap:
        log = snap.decisions(date.max)
    rows = log.loc[
        ((log["decision"] == app_writes.SUMMARY) & (log["subject_id"] == subject)).to_numpy()
    ]
    if rows.empty:
        return None
    last = rows.sort_values(["decided_at", "decision_id"], kind="stable").iloc[-1]
    return ExecutiveSummary(
        text=str(last["note"] or ""),
        by=str(last["decided_by"]),
        at=pd.Timestamp(last["decided_at"]).to_pydatetime(),
        versions=len(rows),
    )


def _summary_record(summary: ExecutiveSummary | None) -> dict | None:
    if summary is None:
        return None
    return {"text": summary.text, "by": summary.by, "at": summary.at.isoformat(sep=" ")}


def can_write_summary() -> bool:
    """Whether the signed-in user may write the executive summary (the PMO)."""
    return current_scope().role in SUMMARY_ROLES


def record_summary(
    state: ReviewState, text: str, *, key: str, now: datetime | None = None
) -> app_writes.WriteResult:
    """Save the executive summary of the review shown, for the signed-in PMO user.

    Checked here, on the server, whatever the page showed: only the PMO writes it.

    Raises:
        DecisionRefused: The user is not the PMO.
        app_writes.DecisionError: Empty or too long text.
        publish.PublishError: The new version could not be written.
    """
    scope = current_scope()
    if scope.role not in SUMMARY_ROLES:
        raise DecisionRefused("only the PMO writes the executive summary")
    return app_writes.record_summary(
        get_settings().data_dir,
        state.end,
        state.divisions,
        text,
        user=scope.user or "local user",
        key=key,
        now=now or datetime.combine(get_settings().as_of_default(), datetime.now().time()),
    )


# ------------------------------------------------------------------ one action done


def mark_action_done(
    action_id: str, *, key: str, now: datetime | None = None
) -> app_writes.WriteResult:
    """Mark one action done for the signed-in user (who may record for its division).

    Raises:
        DecisionRefused: The user's role may not record decisions.
        app_writes.DecisionError: Unknown action, or another division's.
        publish.PublishError: The new version could not be written.
    """
    scope = current_scope()
    if scope.role not in RECORDING_ROLES:
        raise DecisionRefused("your role may view the review but not record decisions")
    allowed = None if scope.role == "pmo" and scope.divisions is None else scope.divisions or ()
    return app_writes.record_action_done(
        get_settings().data_dir,
        action_id,
        user=scope.user or "local user",
        key=key,
        allowed_divisions=allowed,
        now=now or datetime.combine(get_settings().as_of_default(), datetime.now().time()),
    )


# ------------------------------------------------------------------ the log, exported

LOG_EXPORT_COLUMNS = {
    "decision_id": "Decision ID",
    "decided_at": "Recorded at",
    "decided_by": "Recorded by",
    "subject_type": "Subject type",
    "subject_id": "Subject",
    "name": "Name",
    "division": "Division",
    "decision": "Decision",
    "owner": "Owner",
    "due_date": "Due date",
    "note": "Note",
}


def decisions_log(state: ReviewState) -> pd.DataFrame:
    """Every decision, action, done and summary recorded up to the review's end, oldest first.

    In the review's divisions (all of them when none is chosen), with the subject's name.

    Raises:
        db.NoData: Nothing has been published yet.
    """
    with db.snapshot() as snap:
        log = snap.decisions(state.end)
        requests = snap.requests(state.end)
    if state.divisions:
        log = log.loc[log["division"].isin(state.divisions).to_numpy()]
    names = dict(zip(requests["request_id"].astype("str"), requests["title"], strict=True))
    projects = portfolio(state.end).projects
    names.update(zip(projects["project_id"].astype("str"), projects["name"], strict=True))
    return log.assign(name=log["subject_id"].astype("str").map(names)).reset_index(drop=True)


def log_export(log: pd.DataFrame) -> pd.DataFrame:
    """The decisions log as exported: readable headers, dates as dates."""
    frame = log.reindex(columns=list(LOG_EXPORT_COLUMNS)).copy()
    frame["decided_at"] = pd.to_datetime(frame["decided_at"])
    frame["due_date"] = pd.to_datetime(frame["due_date"])
    return frame.rename(columns=LOG_EXPORT_COLUMNS)
