"""Unit tests of the PowerPoint pack builder on a hand-made review document - no database."""

from __future__ import annotations

import io

from pptx import Presentation

from dashboard import pack


def summaries() -> dict:
    """Portfolio measures at both dates (EAC vs budget unknown at the later one)."""
    return {
        "before": {
            "projects": 3,
            "watermelons": 0,
            "stale": 1,
            "eac_vs_budget_pct": 2.04,
            "reporting_on_time_share": 2 / 3,
            "total_budget": 300.0,
            "total_eac": 306.12,
            "green": 2,
            "amber": 1,
            "red": 0,
            "unknown": 0,
        },
        "after": {
            "projects": 3,
            "watermelons": 1,
            "stale": 0,
            "eac_vs_budget_pct": None,
            "reporting_on_time_share": 1.0,
            "total_budget": 0.0,
            "total_eac": 0.0,
            "green": 1,
            "amber": 1,
            "red": 1,
            "unknown": 0,
        },
    }


def item(kind: str, subject_id: str, name: str, question: str, **values: object) -> dict:
    """One decision item of the document: every key, None where it does not apply."""
    keys = ("score", "cost", "benefit", "recommendation", "change_pct", "owner", "due_date")
    blank = dict.fromkeys(keys)
    return {
        "kind": kind,
        "subject_id": subject_id,
        "name": name,
        "division": "IT",
        "question": question,
        **blank,
        **values,
    }


def decisions(reds: int) -> list[dict]:
    """A request, a rise from zero and ``reds`` reds without a recovery action."""
    return [
        item(
            "request",
            "R1",
            "CRM",
            "Approve, defer or reject the request?",
            score=61.46,
            cost=1_234_567.0,
            recommendation="approve",
        ),
        item(
            "money_rise",
            "P2",
            "Budget of P2 Beta rose 28%, from 100 to 128.",
            "Approve the rise in budget?",
            change_pct="inf",
        ),
    ] + [
        item(
            "red_no_action",
            f"P{100 + i}",
            f"Red {i}",
            "Red with no live recovery action: who acts, by when?",
        )
        for i in range(reds)
    ]


def change(section: str, kind: str, label: str, subject: str, **values: object) -> dict:
    """One change of the document (division IT, a project)."""
    return {
        "section": section,
        "kind": kind,
        "label": label,
        "division": "IT",
        "subject_type": "project",
        "subject_id": subject,
        **values,
    }


def changes() -> list[dict]:
    """A new red and a finish slip (exceptions) and a new project (not one)."""
    return [
        change(
            "new_reds",
            "new_red",
            "New red",
            "P3",
            exception=True,
            before="amber",
            after="red",
            size=None,
            detail="P3 Gamma is now red, was amber.",
        ),
        change(
            "slips",
            "finish_slip",
            "Forecast finish",
            "P1",
            exception=True,
            before="2027-01-01",
            after="2027-02-15",
            size=45.0,
            detail="Forecast finish of P1 moved 45 days later.",
        ),
        change(
            "lifecycle",
            "new_project",
            "New project",
            "P9",
            exception=False,
            before="",
            after="delivery",
            size=None,
            detail="P9 is new.",
        ),
    ]


def division_health() -> list[dict]:
    counts = ((2, 1, 0), (1, 1, 1))
    return [
        {"division": "IT", "date": day, "green": g, "amber": a, "red": r, "unknown": 0}
        for day, (g, a, r) in zip(("31 Oct 2026", "30 Nov 2026"), counts, strict=True)
    ]


def document(*, reds: int = 1) -> dict:
    return {
        "period": {"from": "2026-10-31", "to": "2026-11-30", "label": "31 Oct 2026 → 30 Nov 2026"},
        "scope": {"divisions": ["IT"], "label": "IT"},
        "data_version": 7,
        "currency": "EUR",
        "summary": summaries(),
        "exception_counts": [
            {"label": "new reds", "count": 1},
            {"label": "recoveries", "count": 0},
        ],
        "decision_counts": {
            "request": 1,
            "money_rise": 1,
            "red_no_action": reds,
            "overdue_action": 0,
        },
        "decisions": decisions(reds),
        "division_health": division_health(),
        "trend": [
            {"date": "2026-10-31", "green": 2, "amber": 1, "red": 0, "unknown": 0, "projects": 3},
            {"date": "2026-11-30", "green": 1, "amber": 1, "red": 1, "unknown": 0, "projects": 3},
        ],
        "capacity": {"horizon_months": 18, "hot_before": 4, "hot_after": 5, "new_hot_spots": []},
        "intake": {
            "budget": 2_000_000.0,
            "capacity_used": False,
            "ready": 1,
            "recommended": 1,
            "recommended_cost": 1_234_567.0,
            "recommended_benefit": None,
        },
        "changes": changes(),
    }


def open_pack(doc: dict):
    return Presentation(io.BytesIO(pack.build_pack(doc)))


def rows_of(prs, title: str) -> list[list[str]]:
    slide = next(s for s in prs.slides if s.shapes.title.text.startswith(title))
    table = next(sh.table for sh in slide.shapes if sh.has_table)
    return [[c.text for c in row.cells] for row in table.rows]


def test_slides_in_meeting_order_with_two_native_charts():
    prs = open_pack(document())
    titles = [s.shapes.title.text for s in prs.slides]
    assert titles == [
        "Monthly review: 31 Oct 2026 → 30 Nov 2026",
        "Decisions for this meeting",
        "Budget and EAC rises to approve",
        "Reds without a recovery action",
        "Actions from earlier reviews now overdue",
        "Computed health by division at both dates",
        "Computed health at each month-end (12 months)",
        "Exceptions: new reds, slips and financial moves",
        "Capacity hot spots",
        "Capacity hot spots appearing this period",
        "Intake decisions",
        "Requests ready for a decision",
    ]
    charts = [sh.chart for s in prs.slides for sh in s.shapes if sh.has_chart]
    assert len(charts) == 2
    assert [list(s.values) for s in charts[1].series] == [[0, 1], [1, 1], [2, 1], [0, 0]]
    assert list(charts[0].plots[0].categories) == ["IT · 31 Oct 2026", "IT · 30 Nov 2026"]
    assert [s.name for s in charts[0].series] == ["Red", "Amber", "Green", "Unknown"]


def test_numbers_are_formatted_from_the_document():
    prs = open_pack(document())
    summary = rows_of(prs, "Monthly review")
    assert summary[7] == ["EAC vs budget", "+2.0%", "–"]  # None is a dash, not "nan"
    assert summary[8] == ["Reporting on time", "67%", "100%"]
    assert rows_of(prs, "Requests ready")[1] == [
        "R1",
        "CRM",
        "IT",
        "61.5",
        "€1,234,567",
        "",
        "approve",
    ]
    assert rows_of(prs, "Budget and EAC rises")[1][2] == "from zero"
    exceptions = rows_of(prs, "Exceptions")
    assert [r[1] for r in exceptions[1:]] == ["P3", "P1"]  # not the new project (no exception)
    assert exceptions[2][5] == "+45 days"
    assert rows_of(prs, "Capacity hot spots")[1:] == [
        ["Over-allocated role-months, next 18 months, as known on 31 Oct 2026", "4"],
        ["Over-allocated role-months, next 18 months, as known on 30 Nov 2026", "5"],
    ]


def test_long_lists_continue_on_further_slides_without_dropping_rows():
    prs = open_pack(document(reds=pack.ROWS_PER_SLIDE * 2 + 1))
    red_slides = [
        s for s in prs.slides if s.shapes.title.text.startswith("Reds without a recovery action")
    ]
    assert [s.shapes.title.text for s in red_slides] == [
        "Reds without a recovery action (1/3)",
        "Reds without a recovery action (2/3)",
        "Reds without a recovery action (3/3)",
    ]
    ids = [
        row.cells[0].text
        for s in red_slides
        for sh in s.shapes
        if sh.has_table
        for row in list(sh.table.rows)[1:]
    ]
    assert ids == [f"P{100 + i}" for i in range(pack.ROWS_PER_SLIDE * 2 + 1)]


def test_pack_filename_names_the_period():
    assert pack.pack_filename(document()) == "pmo-review-pack-2026-10-31-to-2026-11-30.pptx"


def test_the_executive_summary_has_its_own_slide_word_for_word():
    text = "Two new reds in VAT work.\n=SUM(A1) stays text."
    doc = {
        **document(),
        "executive_summary": {"text": text, "by": "alice", "at": "2026-12-02 09:30:00"},
    }
    prs = open_pack(doc)
    titles = [s.shapes.title.text for s in prs.slides]
    assert titles[:3] == [
        "Monthly review: 31 Oct 2026 → 30 Nov 2026",
        "Executive summary",
        "Decisions for this meeting",
    ]
    texts = [sh.text_frame.text for sh in prs.slides[1].shapes if sh.has_text_frame]
    assert text in texts
    assert "Written by alice on 2026-12-02 09:30" in texts
    assert "Executive summary" not in [s.shapes.title.text for s in open_pack(document()).slides]


def test_intake_slide_formats_money_in_the_document_currency():
    rows = rows_of(open_pack(document()), "Intake decisions")
    assert rows[1] == ["Budget for the recommendation", "€2,000,000"]
    assert rows[5] == ["Benefit of the recommended requests", ""]  # unknown: a blank cell
