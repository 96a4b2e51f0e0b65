"""Blocks of the review meeting: the period switch, the decisions and the earlier actions.

Plain HTML tables (printed whole), every cell text; money in the standards' currency and dates
as ``YYYY-MM-DD`` (``dashboard.formats``).
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from dashboard.components import review_cells as cell
from dashboard.components.export_buttons import export_buttons

DECISION_COUNT_WORDS = {
    "request": ("request ready for a decision", "requests ready for a decision"),
    "money_rise": ("budget or EAC rise to approve", "budget or EAC rises to approve"),
    "red_no_action": ("red without a recovery action", "reds without a recovery action"),
    "overdue_action": ("overdue action", "overdue actions"),
}


def period_switch(
    links: dict[str, str], active: str | None, *, closed_id: str, mtd_id: str
) -> dbc.ButtonGroup:
    """Two links: the last closed month (the default) and month to date; ``active`` is filled."""

    def button(key: str, text: str, component_id: str) -> dbc.Button:
        return dbc.Button(
            text,
            id=component_id,
            href=f"/review{links[key]}",
            color="primary",
            outline=key != active,
            size="sm",
        )

    return dbc.ButtonGroup(
        [
            button("last_closed_month", "Last closed month", closed_id),
            button("month_to_date", "Month to date", mtd_id),
        ],
        className="d-print-none",
    )


def decision_counts_line(counts: dict[str, int], *, counts_id: str) -> html.Ul:
    """The headline: how many items of each kind (zeros muted), counted from the same items."""
    return html.Ul(
        [
            html.Li(
                [html.Strong(f"{n}"), f" {DECISION_COUNT_WORDS[k][0 if n == 1 else 1]}"],
                className="list-inline-item me-3" + ("" if n else " text-muted"),
            )
            for k, n in counts.items()
        ],
        id=counts_id,
        className="list-inline review-summary mb-2",
    )


DECISION_ROW_LIMIT = 50
"""Rows per kind of decision sent to the browser (docs/performance.md): at 10,000 projects the
full lists were megabytes of HTML."""


def decisions_card(
    items: pd.DataFrame,
    counts: dict[str, int],
    titles: dict[str, str],
    *,
    currency: str,
    section_id: str,
    counts_id: str,
    note: str,
) -> dbc.Card:
    """The "Decisions for this meeting" card: the counts, then one table per kind of item."""
    body: list = [decision_counts_line(counts, counts_id=counts_id)]
    for kind, title in titles.items():
        group = items.loc[(items["kind"] == kind).to_numpy()]
        body.append(html.H6(f"{title} ({len(group)})", className="mt-3"))
        if group.empty:
            body.append(html.P("None.", className="text-muted small mb-0"))
            continue
        body.append(_decision_table(kind, group.head(DECISION_ROW_LIMIT), currency))
        if len(group) > DECISION_ROW_LIMIT:
            body.append(
                html.Small(
                    f"The first {DECISION_ROW_LIMIT:,} of {len(group):,} are shown; choose a "
                    "division to narrow the list.",
                    className="text-muted d-block mt-1",
                )
            )
    body.append(html.P(note, className="small text-muted mt-2 mb-0"))
    total = int(sum(counts.values()))
    return dbc.Card(
        [
            dbc.CardHeader(
                [
                    html.Span("Decisions for this meeting", className="fw-semibold me-2"),
                    dbc.Badge(f"{total}", color="danger" if total else "secondary"),
                ]
            ),
            dbc.CardBody(body),
        ],
        id=section_id,
        className="review-section mb-3 shadow-sm",
    )


def _decision_table(kind: str, group: pd.DataFrame, currency: str) -> dbc.Table:
    text = cell.text

    def subject(row) -> str:
        return f"{row.subject_id} {text(row.name)}".strip()

    if kind == "request":
        header = ["Request", "Division", "Score", "Cost", "Benefit", "Recommendation"]
        rows = [
            [
                subject(r),
                text(r.division),
                cell.score(r.score),
                cell.money(r.cost, currency),
                cell.money(r.benefit, currency),
                text(r.recommendation),
            ]
            for r in group.itertuples(index=False)
        ]
    elif kind == "money_rise":
        header = ["Project", "Division", "Rise", "Question", "Detail"]
        rows = [
            [
                r.subject_id,
                text(r.division),
                cell.format_size(r.change_pct, "money"),
                r.question,
                text(r.name),
            ]
            for r in group.itertuples(index=False)
        ]
    elif kind == "red_no_action":
        header = ["Project", "Division", "Question"]
        rows = [[subject(r), text(r.division), r.question] for r in group.itertuples(index=False)]
    else:
        header = ["Subject", "Division", "Owner", "Due", "Action"]
        rows = [
            [
                subject(r),
                text(r.division),
                text(r.owner),
                cell.day(r.due_date),
                r.question,
            ]
            for r in group.itertuples(index=False)
        ]
    return cell.review_table(header, [html.Tr([html.Td(c) for c in row]) for row in rows])


def actions_table(
    actions: pd.DataFrame, *, section_id: str, ids: object | None = None, can_record: bool = False
) -> dbc.Card:
    """Actions recorded at reviews up to the end date: overdue, open, done.

    With ``ids`` (``ReviewIds``) the card exports the decisions log (CSV/XLSX); with
    ``can_record`` too, each open or overdue action has its own "Done" button, so closing one
    action leaves the subject's other actions open.
    """
    states = actions["state"].value_counts() if len(actions) else pd.Series(dtype="int64")
    summary = ", ".join(f"{int(states.get(s, 0))} {s}" for s in ("overdue", "open", "done"))
    body = _actions_body(actions, ids if can_record else None)
    return dbc.Card(
        [
            dbc.CardHeader(
                [
                    html.Span("Actions from earlier reviews", className="fw-semibold me-2"),
                    html.Small(summary, className="text-muted"),
                ]
            ),
            dbc.CardBody([body, *_log_controls(ids)] if ids is not None else body),
        ],
        id=section_id,
        className="review-section mb-3 shadow-sm",
    )


def _actions_body(actions: pd.DataFrame, button_ids: object | None) -> object:
    """The actions as a table, with a "Done" column when ``button_ids`` is given."""
    if actions.empty:
        return html.P("No action has been recorded at a review yet.", className="text-muted mb-0")
    header = ["State", "Subject", "Division", "Owner", "Due", "Action"]
    header += [""] if button_ids is not None else []
    rows = [
        html.Tr(
            [
                html.Td(r.state),
                html.Td(f"{r.subject_id} {cell.text(r.name)}".strip()),
                html.Td(cell.text(r.division)),
                html.Td(cell.text(r.owner)),
                html.Td(cell.day(r.due_date)),
                html.Td(cell.text(r.note)),
                *([_done_cell(r, button_ids)] if button_ids is not None else []),
            ]
        )
        for r in actions.itertuples(index=False)
    ]
    return cell.review_table(header, rows)


def _log_controls(ids: object) -> list:
    """The decisions log's exports and the status line of the "Done" buttons."""
    return [
        # In the body, not the grey header: the outline buttons keep their contrast.
        html.Div(
            [
                html.Small("Decisions log:", className="me-2"),
                export_buttons(ids.LOG_EXPORT_CSV, ids.LOG_EXPORT_XLSX, ids.LOG_DOWNLOAD),
            ],
            className="mt-2 d-flex align-items-center d-print-none",
        ),
        html.Div(id=ids.ACTION_STATUS, className="mt-2"),
    ]


def _done_cell(row: object, ids: object) -> html.Td:
    """A "Done" button for an open or overdue action (nothing for a done one)."""
    action_id = getattr(row, "decision_id", "")
    if getattr(row, "done", False) or not isinstance(action_id, str) or not action_id:
        return html.Td("")
    return html.Td(
        dbc.Button(
            "Done",
            id={"type": ids.ACTION_DONE, "index": action_id},
            size="sm",
            color="success",
            outline=True,
            className="py-0",
            title=f"Mark action {action_id} done (this action only)",
        ),
        className="d-print-none",
    )
