"""The monthly review as a PowerPoint pack: slides built from the review document, nothing else.

Leadership packs travel as slides. The pack is built only from
``dashboard.services.review.review_document`` — the document ``python -m dashboard.report review
--json`` prints and the page is built from — so every number on a slide is one of the page's.
Charts are native PowerPoint charts (chart parts with their data embedded), so they can be
restyled and edited in PowerPoint, not pictures.

Slides: title and summary; the PMO's executive summary (when written); decisions for this
meeting (counts, then budget/EAC rises, reds without a recovery action and overdue actions);
computed health by division at both dates; the
12-month trend; exceptions (new reds, slips, financial moves); capacity hot spots; intake
decisions (requests ready for a decision with the optimal selection's recommendation). Long
tables continue on further slides ("(2/3)"), so no row is dropped.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.slide import Slide
from pptx.util import Emu, Inches, Pt

from dashboard import formats
from dashboard.analytics.review_meeting import DECISION_TITLES
from dashboard.components import review_cells as cells
from dashboard.figures.theme import RAG_COLOURS, RAG_LABELS

ROWS_PER_SLIDE = 8
"""Table rows per slide; more continue on the next slide."""
WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
"""16:9, the size PowerPoint uses by default."""
MARGIN = Inches(0.5)
TITLE_ONLY = 5
"""Layout of the default template with a title placeholder only."""
RAG_SERIES = ("red", "amber", "green", "unknown")
"""Series order in the charts: red first, the colour the meeting looks for."""
EXCEPTION_SECTIONS = ("new_reds", "slips", "money")
"""Sections of the review whose exceptions the pack lists."""


def build_pack(document: dict) -> bytes:
    """The pack as ``.pptx`` bytes.

    Args:
        document: ``review_document`` output (or the same JSON read back).

    Returns:
        The PowerPoint file's bytes.
    """
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    currency = document["currency"]

    def money(value: float | None) -> str:
        return cells.money(value, currency)

    _summary_slide(prs, document)
    _executive_summary_slide(prs, document)
    _decision_slides(prs, document, money)
    _division_slide(prs, document)
    _trend_slide(prs, document)
    _exception_slides(prs, document)
    _capacity_slides(prs, document)
    _intake_slides(prs, document, money)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def pack_filename(document: dict) -> str:
    """``pmo-review-pack-2026-10-31-to-2026-11-30.pptx`` (the scope is inside the pack)."""
    period = document["period"]
    return f"pmo-review-pack-{period['from']}-to-{period['to']}.pptx"


# ------------------------------------------------------------------------------ slides


def _summary_slide(prs: Presentation, doc: dict) -> None:
    period, scope = doc["period"], doc["scope"]
    slide = _slide(prs, f"Monthly review: {period['label']}")
    _text(
        slide,
        f"{scope['label']} · data version {doc['data_version']}",
        top=Inches(1.25),
    )
    before, after = doc["summary"]["before"], doc["summary"]["after"]
    start, end = period["label"].split(" → ")
    rows = [
        ["Open projects", cells.count(before["projects"]), cells.count(after["projects"])],
        ["Computed red", cells.count(before["red"]), cells.count(after["red"])],
        ["Computed amber", cells.count(before["amber"]), cells.count(after["amber"])],
        ["Computed green", cells.count(before["green"]), cells.count(after["green"])],
        ["Health unknown", cells.count(before["unknown"]), cells.count(after["unknown"])],
        ["Watermelons", cells.count(before["watermelons"]), cells.count(after["watermelons"])],
        [
            "EAC vs budget",
            cells.signed_percent(before["eac_vs_budget_pct"]),
            cells.signed_percent(after["eac_vs_budget_pct"]),
        ],
        [
            "Reporting on time",
            formats.percent(before["reporting_on_time_share"]),
            formats.percent(after["reporting_on_time_share"]),
        ],
    ]
    _table(slide, ["Measure", start, end], rows, top=Inches(1.8), widths=(4, 2.5, 2.5))
    counts = doc["decision_counts"]
    _text(
        slide,
        f"Decisions for this meeting: {sum(counts.values())} "
        f"(see the next slide). Exceptions: "
        + ", ".join(f"{c['count']} {c['label']}" for c in doc["exception_counts"] if c["count"])
        + ".",
        top=Inches(6.0),
        size=12,
    )


def _executive_summary_slide(prs: Presentation, doc: dict) -> None:
    """The PMO's summary of the month, word for word, when one was written.

    As docs/review.md "Executive summary" says: the text as written, never rephrased.
    """
    summary = doc.get("executive_summary")
    if not summary or not summary.get("text"):
        return
    slide = _slide(prs, "Executive summary")
    box = slide.shapes.add_textbox(MARGIN, Inches(1.3), WIDTH - 2 * MARGIN, Inches(4.8))
    frame = box.text_frame
    frame.word_wrap = True
    for i, line in enumerate(str(summary["text"]).splitlines() or [""]):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.text = line
        for run in paragraph.runs:
            run.font.size = Pt(18)
    _text(
        slide,
        f"Written by {summary['by']} on {str(summary['at'])[:16]}",
        top=Inches(6.3),
        size=12,
    )


def _decision_slides(prs: Presentation, doc: dict, money) -> None:
    counts = doc["decision_counts"]
    slide = _slide(prs, "Decisions for this meeting")
    rows = [[DECISION_TITLES[kind], cells.count(n)] for kind, n in counts.items()]
    _table(slide, ["Decision", "Items"], rows, top=Inches(1.4), widths=(7, 2))
    _text(
        slide,
        "Requests are listed with their score, cost, benefit and recommendation on the "
        "'Intake decisions' slides.",
        top=Inches(4.2),
        size=12,
    )
    items = doc["decisions"]
    rises = [i for i in items if i["kind"] == "money_rise"]
    _paged(
        prs,
        DECISION_TITLES["money_rise"],
        ["Project", "Division", "Rise", "Detail"],
        [
            [
                i["subject_id"],
                i["division"] or "",
                cells.format_size(i["change_pct"], "money"),
                i["name"] or "",
            ]
            for i in rises
        ],
        widths=(1.6, 2.0, 1.2, 7.5),
    )
    reds = [i for i in items if i["kind"] == "red_no_action"]
    _paged(
        prs,
        DECISION_TITLES["red_no_action"],
        ["Project", "Name", "Division", "Question"],
        [[i["subject_id"], i["name"] or "", i["division"] or "", i["question"]] for i in reds],
        widths=(1.4, 3.0, 2.0, 5.9),
    )
    overdue = [i for i in items if i["kind"] == "overdue_action"]
    _paged(
        prs,
        DECISION_TITLES["overdue_action"],
        ["Subject", "Division", "Owner", "Due", "Action"],
        [
            [
                i["subject_id"],
                i["division"] or "",
                i["owner"] or "",
                i["due_date"] or "",
                i["question"],
            ]
            for i in overdue
        ],
        widths=(1.6, 2.0, 2.0, 1.5, 5.2),
    )


def _division_slide(prs: Presentation, doc: dict) -> None:
    slide = _slide(prs, "Computed health by division at both dates")
    rows = doc["division_health"]
    data = CategoryChartData(number_format="0")
    data.categories = [f"{r['division']} · {r['date']}" for r in rows]
    for rag in RAG_SERIES:
        data.add_series(RAG_LABELS[rag], [r[rag] for r in rows])
    _chart(slide, XL_CHART_TYPE.BAR_STACKED, data, reverse_categories=True)


def _trend_slide(prs: Presentation, doc: dict) -> None:
    slide = _slide(prs, "Computed health at each month-end (12 months)")
    rows = doc["trend"]
    data = CategoryChartData(number_format="0")
    data.categories = [r["date"] for r in rows]
    for rag in RAG_SERIES:
        data.add_series(RAG_LABELS[rag], [r[rag] for r in rows])
    _chart(slide, XL_CHART_TYPE.COLUMN_STACKED, data)


def _exception_slides(prs: Presentation, doc: dict) -> None:
    changes = [c for c in doc["changes"] if c["exception"] and c["section"] in EXCEPTION_SECTIONS]
    _paged(
        prs,
        "Exceptions: new reds, slips and financial moves",
        ["Change", "Subject", "Division", "Was", "Now", "Size", "Detail"],
        [
            [
                c["label"],
                c["subject_id"],
                c["division"] or "",
                c["before"] or "",
                c["after"] or "",
                cells.format_size(c["size"], c["kind"]),
                c["detail"],
            ]
            for c in changes
        ],
        widths=(1.3, 1.2, 1.6, 1.2, 1.2, 1.1, 4.7),
        empty="No new red, slip or EAC rise in this period.",
    )


def _capacity_slides(prs: Presentation, doc: dict) -> None:
    cap = doc["capacity"]
    start, end = doc["period"]["label"].split(" → ")
    rows = [
        [
            f"Over-allocated role-months, next {cap['horizon_months']} months, as known on {start}",
            cells.count(cap["hot_before"]),
        ],
        [
            f"Over-allocated role-months, next {cap['horizon_months']} months, as known on {end}",
            cells.count(cap["hot_after"]),
        ],
    ]
    slide = _slide(prs, "Capacity hot spots")
    _table(slide, ["Measure", "Role-months"], rows, top=Inches(1.4), widths=(9, 2))
    _paged(
        prs,
        "Capacity hot spots appearing this period",
        ["Role", "Was", "Now", "Detail"],
        [
            [h["subject_id"], h["before"] or "", h["after"] or "", h["detail"]]
            for h in cap["new_hot_spots"]
        ],
        widths=(2.5, 1.3, 1.3, 7.2),
        empty="No role became over-allocated in this period.",
    )


def _intake_slides(prs: Presentation, doc: dict, money) -> None:
    intake = doc["intake"]
    scope = "budget and role-by-month capacity" if intake["capacity_used"] else "budget"
    slide = _slide(prs, "Intake decisions")
    rows = [
        ["Budget for the recommendation", money(intake["budget"])],
        ["Requests ready for a decision", cells.count(intake["ready"])],
        ["Recommended for approval", cells.count(intake["recommended"])],
        ["Cost of the recommended requests", money(intake["recommended_cost"])],
        ["Benefit of the recommended requests", money(intake["recommended_benefit"])],
    ]
    _table(slide, ["Measure", "Value"], rows, top=Inches(1.4), widths=(7, 3))
    _text(
        slide,
        f"Recommendation: the optimal selection under the {scope}, as on the Intake page.",
        top=Inches(4.6),
        size=12,
    )
    requests = [i for i in doc["decisions"] if i["kind"] == "request"]
    _paged(
        prs,
        DECISION_TITLES["request"],
        ["Request", "Title", "Division", "Score", "Cost", "Benefit", "Recommendation"],
        [
            [
                i["subject_id"],
                i["name"] or "",
                i["division"] or "",
                cells.score(i["score"]),
                money(i["cost"]),
                money(i["benefit"]),
                i["recommendation"] or "",
            ]
            for i in requests
        ],
        widths=(1.2, 3.4, 1.9, 0.9, 1.7, 1.7, 1.5),
    )


# ------------------------------------------------------------------------------ building blocks


def _slide(prs: Presentation, title: str) -> Slide:
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY])
    shape = slide.shapes.title
    shape.left, shape.top = MARGIN, Inches(0.3)
    shape.width, shape.height = WIDTH - 2 * MARGIN, Inches(0.9)
    shape.text = title
    for paragraph in shape.text_frame.paragraphs:
        for run in paragraph.runs:
            run.font.size = Pt(28)
    return slide


def _text(slide: Slide, text: str, *, top: Emu, size: int = 16) -> None:
    box = slide.shapes.add_textbox(MARGIN, top, WIDTH - 2 * MARGIN, Inches(0.6))
    frame = box.text_frame
    frame.word_wrap = True
    frame.text = text
    for paragraph in frame.paragraphs:
        for run in paragraph.runs:
            run.font.size = Pt(size)


def _table(
    slide: Slide,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    top: Emu,
    widths: Sequence[float],
) -> None:
    total = sum(widths)
    width = min(WIDTH - 2 * MARGIN, Inches(total))
    shape = slide.shapes.add_table(
        len(rows) + 1, len(header), MARGIN, top, width, Inches(0.4) * (len(rows) + 1)
    )
    table = shape.table
    for i, w in enumerate(widths):
        table.columns[i].width = int(width * w / total)
    for j, text in enumerate(header):
        _cell(table.cell(0, j), text, bold=True)
    for i, row in enumerate(rows, start=1):
        for j, text in enumerate(row):
            _cell(table.cell(i, j), text)


def _cell(cell, text: str, *, bold: bool = False) -> None:
    cell.text = str(text)
    for paragraph in cell.text_frame.paragraphs:
        for run in paragraph.runs:
            run.font.size = Pt(11)
            run.font.bold = bold


def _paged(
    prs: Presentation,
    title: str,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    widths: Sequence[float],
    empty: str = "None.",
) -> None:
    if not rows:
        _text(_slide(prs, title), empty, top=Inches(1.4))
        return
    pages = math.ceil(len(rows) / ROWS_PER_SLIDE)
    for page in range(pages):
        heading = f"{title} ({page + 1}/{pages})" if pages > 1 else title
        chunk = rows[page * ROWS_PER_SLIDE : (page + 1) * ROWS_PER_SLIDE]
        _table(_slide(prs, heading), header, chunk, top=Inches(1.3), widths=widths)


def _chart(
    slide: Slide, kind: XL_CHART_TYPE, data: CategoryChartData, *, reverse_categories: bool = False
) -> None:
    frame = slide.shapes.add_chart(
        kind, MARGIN, Inches(1.3), WIDTH - 2 * MARGIN, HEIGHT - Inches(1.6), data
    )
    chart = frame.chart
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    chart.font.size = Pt(11)
    if reverse_categories:
        # Bars are drawn bottom-up; reversing keeps the divisions in reading order.
        chart.category_axis.reverse_order = True
    for series, rag in zip(chart.series, RAG_SERIES, strict=True):
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = RGBColor.from_string(RAG_COLOURS[rag].lstrip("#"))
