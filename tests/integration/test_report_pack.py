"""The PowerPoint pack (``python -m dashboard.report pack``) against ``report review --json``.

Both commands run as a scheduled job would, on the demo store, for the same period and scope;
the pack is opened with python-pptx and every table cell and chart value on its slides is
compared with the JSON document.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.util import Emu

from tests.integration.test_report import run_report

PERIOD = ("--since", "2026-10-31", "--as-of", "2026-11-26")
SCOPE = ("--division", "Finance", "--division", "Operations")
RAG_NAMES = (("red", "Red"), ("amber", "Amber"), ("green", "Green"), ("unknown", "Unknown"))
CHART_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"


@pytest.fixture(scope="module")
def pack_and_document(demo_store: Path, tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("pack") / "review.pptx"
    done = run_report("pack", *PERIOD, *SCOPE, "--out", str(out), data_dir=demo_store)
    assert done.returncode == 0, done.stderr
    assert f"wrote {out}" in done.stdout
    review = run_report("review", *PERIOD, *SCOPE, "--json", data_dir=demo_store)
    assert review.returncode == 0, review.stderr
    return Presentation(str(out)), json.loads(review.stdout)


def money(value: float | None) -> str:
    return "" if value is None else f"£{value:,.0f}"


def tables(slide) -> list[list[list[str]]]:
    return [
        [[cell.text for cell in row.cells] for row in shape.table.rows]
        for shape in slide.shapes
        if shape.has_table
    ]


def slides_titled(prs, prefix: str) -> list:
    return [s for s in prs.slides if s.shapes.title.text.startswith(prefix)]


def body_rows(prs, prefix: str) -> list[list[str]]:
    """Table rows (headers dropped) of every slide whose title starts with ``prefix``."""
    return [row for s in slides_titled(prs, prefix) for t in tables(s) for row in t[1:]]


def test_the_json_document_has_the_period_scope_and_sections(pack_and_document):
    _, doc = pack_and_document
    assert doc["period"] == {
        "from": "2026-10-31",
        "to": "2026-11-26",
        "label": "31 Oct 2026 → 26 Nov 2026",
    }
    assert doc["scope"]["divisions"] == ["Finance", "Operations"]
    assert {c["division"] for c in doc["changes"] if c["division"]} <= {"Finance", "Operations"}
    assert sum(doc["decision_counts"].values()) == len(doc["decisions"])
    assert len(doc["trend"]) == 12 and doc["trend"][-1]["date"] == "2026-11-26"
    assert doc["summary"]["after"]["red"] == doc["trend"][-1]["red"]


def test_charts_are_native_chart_parts_with_the_json_numbers(pack_and_document):
    prs, doc = pack_and_document
    charts = [sh for s in prs.slides for sh in s.shapes if sh.has_chart]
    assert len(charts) == 2
    for shape in charts:
        part = shape.chart.part
        assert part.content_type == CHART_CONTENT_TYPE
        assert str(part.partname).startswith("/ppt/charts/chart")
        assert part.chart_workbook.xlsx_part is not None  # data editable in PowerPoint
        assert shape.chart.has_legend
    by_division, trend = (shape.chart for shape in charts)
    rows = doc["division_health"]
    assert list(by_division.plots[0].categories) == [f"{r['division']} · {r['date']}" for r in rows]
    series = {s.name: list(s.values) for s in by_division.series}
    assert series == {label: [float(r[rag]) for r in rows] for rag, label in RAG_NAMES}
    assert list(trend.plots[0].categories) == [r["date"] for r in doc["trend"]]
    series = {s.name: list(s.values) for s in trend.series}
    assert series["Red"] == [float(r["red"]) for r in doc["trend"]]
    assert series["Amber"] == [float(r["amber"]) for r in doc["trend"]]
    assert series["Green"] == [float(r["green"]) for r in doc["trend"]]


# Every table number equals the JSON: one test per group of slides.


def test_summary_table_equals_the_json(pack_and_document):
    prs, doc = pack_and_document
    before, after = doc["summary"]["before"], doc["summary"]["after"]
    [summary] = tables(slides_titled(prs, "Monthly review: 31 Oct 2026 → 26 Nov 2026")[0])
    assert summary == [
        ["Measure", "31 Oct 2026", "26 Nov 2026"],
        ["Open projects", str(before["projects"]), str(after["projects"])],
        ["Computed red", str(before["red"]), str(after["red"])],
        ["Computed amber", str(before["amber"]), str(after["amber"])],
        ["Computed green", str(before["green"]), str(after["green"])],
        ["Health unknown", str(before["unknown"]), str(after["unknown"])],
        ["Watermelons", str(before["watermelons"]), str(after["watermelons"])],
        [
            "EAC vs budget",
            f"{before['eac_vs_budget_pct']:+.1f}%",
            f"{after['eac_vs_budget_pct']:+.1f}%",
        ],
        [
            "Reporting on time",
            f"{before['reporting_on_time_share'] * 100:.0f}%",
            f"{after['reporting_on_time_share'] * 100:.0f}%",
        ],
    ]


def test_decision_tables_equal_the_json(pack_and_document):
    prs, doc = pack_and_document
    counts = doc["decision_counts"]
    [decisions] = tables(slides_titled(prs, "Decisions for this meeting")[0])
    assert [int(r[1]) for r in decisions[1:]] == list(counts.values())

    items = doc["decisions"]
    rises = [i for i in items if i["kind"] == "money_rise"]
    assert body_rows(prs, "Budget and EAC rises to approve") == [
        [i["subject_id"], i["division"], f"{i['change_pct']:+.1f}%", i["name"]] for i in rises
    ]
    reds = [i for i in items if i["kind"] == "red_no_action"]
    assert body_rows(prs, "Reds without a recovery action") == [
        [i["subject_id"], i["name"], i["division"], i["question"]] for i in reds
    ]


def test_intake_tables_equal_the_json(pack_and_document):
    prs, doc = pack_and_document
    requests = [i for i in doc["decisions"] if i["kind"] == "request"]
    assert body_rows(prs, "Requests ready for a decision") == [
        [
            i["subject_id"],
            i["name"],
            i["division"],
            f"{i['score']:.1f}",
            money(i["cost"]),
            money(i["benefit"]),
            i["recommendation"],
        ]
        for i in requests
    ]
    intake = doc["intake"]
    [overview] = tables(slides_titled(prs, "Intake decisions")[0])
    assert [r[1] for r in overview[1:]] == [
        money(intake["budget"]),
        str(intake["ready"]),
        str(intake["recommended"]),
        money(intake["recommended_cost"]),
        money(intake["recommended_benefit"]),
    ]
    assert intake["ready"] == doc["decision_counts"]["request"] == len(requests)


def test_exception_and_capacity_tables_equal_the_json(pack_and_document):
    prs, doc = pack_and_document
    exceptions = [
        c
        for c in doc["changes"]
        if c["exception"] and c["section"] in ("new_reds", "slips", "money")
    ]
    rows = body_rows(prs, "Exceptions: new reds, slips and financial moves")
    assert [(r[0], r[1], r[3], r[4], r[6]) for r in rows] == [
        (c["label"], c["subject_id"], c["before"], c["after"], c["detail"]) for c in exceptions
    ]
    for row, change in zip(rows, exceptions, strict=True):
        if change["kind"] in ("milestone_slip", "finish_slip"):
            assert row[5] == f"+{change['size']:.0f} days"
        elif change["size"] is not None:
            assert row[5] == f"{change['size']:+.1f}%"
        else:
            assert row[5] == ""
    capacity = doc["capacity"]
    [hot] = tables(slides_titled(prs, "Capacity hot spots")[0])
    assert [r[1] for r in hot[1:]] == [str(capacity["hot_before"]), str(capacity["hot_after"])]


def test_no_number_on_a_slide_is_outside_the_json(pack_and_document):
    """A sweep over every text on every slide: each number is one the JSON holds."""
    prs, doc = pack_and_document
    allowed = set()

    def collect(value: object) -> None:
        if isinstance(value, dict):
            for v in value.values():
                collect(v)
        elif isinstance(value, list):
            for v in value:
                collect(v)
        elif isinstance(value, bool):
            return
        elif isinstance(value, int | float):
            for text in (
                f"{value:,.0f}",
                f"{value:.0f}",
                f"{value:.1f}",
                f"{value * 100:.0f}",
                f"{abs(value):.1f}",
            ):
                allowed.add(text.lstrip("+-"))
        elif isinstance(value, str):
            allowed.update(n.lstrip("+-") for n in re.findall(r"[\d][\d,.]*\d|\d", value))

    collect(doc)
    allowed.update(str(n) for n in range(1, 13))  # "(1/3)" page numbers and "12 months"
    texts = []
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if shape.has_table:
                texts += [c.text for row in shape.table.rows for c in row.cells]
    numbers = [n for t in texts for n in re.findall(r"[\d][\d,.]*\d|\d", t)]
    assert numbers and not [n for n in numbers if n not in allowed]


def test_every_shape_fits_its_slide(pack_and_document):
    prs, _ = pack_and_document
    for slide in prs.slides:
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0
            assert shape.left + shape.width <= prs.slide_width, slide.shapes.title.text
            height = shape.height
            if shape.has_table:  # rows of wrapped text grow: at least one line per row
                height = max(height, Emu(sum(r.height for r in shape.table.rows)))
            assert shape.top + height <= prs.slide_height, slide.shapes.title.text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("pack", *PERIOD), "pack needs --out"),
        (("pack", *PERIOD, "--division", "Nowhere", "--out", "x.pptx"), "unknown division"),
        (("pack", *PERIOD, "--out", "pack.pdf"), "must name a .pptx file"),
        (("pack", "--since", "2026-11-26", "--as-of", "2026-10-31", "--out", "x.pptx"), "before"),
    ],
)
def test_pack_errors_are_one_line(demo_store, args, message):
    done = run_report(*args, data_dir=demo_store)
    assert done.returncode == 1 and message in done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
