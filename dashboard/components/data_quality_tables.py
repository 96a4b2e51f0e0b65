"""Grids and tiles of the Data & compliance page.

Cells are text only: file names, raw values and reasons are user text, never rendered as HTML.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboard.components.export_buttons import export_buttons
from dashboard.components.kpi_card import kpi_card, kpi_row
from dashboard.components.tables import badge_column, data_grid, project_link_column
from dashboard.figures import data_quality as figures
from dashboard.formats import GRAPH_CONFIG

GRID_ROW_LIMIT = 1_000
"""Rows sent to a browser grid; a grid of 100,000 rows is megabytes of JSON (exports have all)."""

NUMBER = {"type": "rightAligned", "filter": "agNumberColumnFilter"}
STATUS_TONES = {"committed": "green", "failed": "red", "aborted": "red"}
SCORE_FORMAT = {"function": "params.value == null ? '' : d3.format('.0f')(params.value)"}
DAYS_FORMAT = {"function": "params.value == null ? 'never' : d3.format('.0f')(params.value)"}

LOAD_COLUMNS: list[dict] = [
    {"field": "load_id", "headerName": "Load", "minWidth": 80, **NUMBER},
    {"field": "file_name", "headerName": "File", "minWidth": 200, "flex": 2},
    {"field": "kinds", "headerName": "Data", "minWidth": 130},
    badge_column("status", "Status", kind="load_status", tones=STATUS_TONES),
    {"field": "as_of", "headerName": "As of", "minWidth": 115},
    {"field": "loaded_at", "headerName": "Loaded at", "minWidth": 150},
    {"field": "rows_read", "headerName": "Read", "minWidth": 85, **NUMBER},
    {"field": "rows_loaded", "headerName": "Loaded", "minWidth": 95, **NUMBER},
    {"field": "rows_rejected", "headerName": "Rejected", "minWidth": 105, **NUMBER},
    {"field": "rows_ignored", "headerName": "Ignored", "minWidth": 100, **NUMBER},
    {
        "field": "message",
        "headerName": "Message",
        "minWidth": 240,
        "flex": 3,
        "tooltipField": "message",
    },
]

REJECTED_COLUMNS: list[dict] = [
    {"field": "source_file", "headerName": "File", "minWidth": 180, "flex": 2},
    {"field": "source_sheet", "headerName": "Sheet", "width": 110},
    {"field": "source_row", "headerName": "Row", "width": 85, **NUMBER},
    {"field": "column_name", "headerName": "Column", "width": 130},
    {"field": "value", "headerName": "Value", "width": 130, "tooltipField": "value"},
    {"field": "rule", "headerName": "Rule", "width": 140},
    {
        "field": "reason",
        "headerName": "Reason",
        "minWidth": 320,
        "flex": 4,
        "tooltipField": "reason",
    },
    {"field": "raw_json", "headerName": "Whole row", "minWidth": 200, "tooltipField": "raw_json"},
    {"field": "load_id", "headerName": "Load", "width": 85, **NUMBER},
]

ORPHAN_COLUMNS: list[dict] = [
    {"field": "project_id", "headerName": "Unknown project", "width": 160},
    {"field": "source_table", "headerName": "Data", "width": 140},
    {"field": "source_file", "headerName": "File", "minWidth": 200, "flex": 2},
    {"field": "source_sheet", "headerName": "Sheet", "width": 120},
    {"field": "source_row", "headerName": "Row", "width": 90, **NUMBER},
    {"field": "load_id", "headerName": "Load", "width": 90, **NUMBER},
]

FRESHNESS_COLUMNS: list[dict] = [
    project_link_column("project_id", "ID", width=110),
    project_link_column("name", "Project", minWidth=200, flex=2, tooltipField="name"),
    {"field": "division", "headerName": "Division", "minWidth": 130},
    {"field": "project_manager", "headerName": "Project manager", "minWidth": 160},
    {"field": "last_report_date", "headerName": "Last report", "width": 125},
    {
        "field": "days_since_report",
        "headerName": "Days since",
        "width": 120,
        "valueFormatter": DAYS_FORMAT,
        **NUMBER,
    },
    {"field": "days_overdue", "headerName": "Days overdue", "width": 130, **NUMBER},
    {
        "field": "freshness_label",
        "headerName": "Reporting",
        "minWidth": 190,
        "cellClassRules": {
            f"rag-{tone}": {"function": f"params.data && params.data.freshness == '{tone}'"}
            for tone in ("red", "amber", "green")
        },
    },
]

LEAGUE_COLUMNS: list[dict] = [
    {"field": "rank", "headerName": "Rank", "minWidth": 80, **NUMBER},
    {"field": "division", "headerName": "Division", "minWidth": 150, "flex": 2},
    {"field": "projects", "headerName": "Projects", "minWidth": 100, **NUMBER},
    {
        "field": "average_score",
        "headerName": "Avg score",
        "minWidth": 110,
        "valueFormatter": SCORE_FORMAT,
        **NUMBER,
    },
    {"field": "fully_compliant", "headerName": "Compliant", "minWidth": 115, **NUMBER},
    {
        "field": "most_failed_check",
        "headerName": "Most failed check",
        "minWidth": 180,
        "flex": 2,
        "tooltipField": "most_failed_check",
    },
]

FEEDBACK_COLUMNS: list[dict] = [
    project_link_column("project_id", "ID", width=110),
    project_link_column("name", "Project", minWidth=200, flex=2, tooltipField="name"),
    {"field": "division", "headerName": "Division", "minWidth": 130},
    {"field": "project_manager", "headerName": "Project manager", "minWidth": 160},
    badge_column("overall", "Health", width=120, empty="unknown"),
    {
        "field": "score",
        "headerName": "Score",
        "width": 95,
        "valueFormatter": SCORE_FORMAT,
        **NUMBER,
    },
    {
        "field": "feedback",
        "headerName": "What to fix",
        "minWidth": 360,
        "flex": 4,
        "tooltipField": "feedback",
        "wrapText": True,
        "autoHeight": True,
        "cellClass": "pmo-wrap-cell",
    },
]


def load_history_grid(loads: pd.DataFrame, *, grid_id: str) -> html.Div:
    """Load attempts, newest first (the latest ``GRID_ROW_LIMIT``)."""
    return html.Div(
        [
            data_grid(
                loads.head(GRID_ROW_LIMIT), LOAD_COLUMNS, grid_id=grid_id, height=360, page_size=10
            ),
            limit_note(len(loads), "loads"),
        ]
    )


def rejected_grid(rejected: pd.DataFrame, *, grid_id: str) -> object:
    """Rejected source rows with the rule and reason (filtered by the dropdowns above it)."""
    return data_grid(
        rejected.head(GRID_ROW_LIMIT), REJECTED_COLUMNS, grid_id=grid_id, height=420, page_size=10
    )


def rejected_filters(
    files: tuple[str, ...],
    rules: tuple[str, ...],
    *,
    file_id: str,
    rule_id: str,
) -> dbc.Row:
    """Two multi-select dropdowns over the files and rules present."""
    return dbc.Row(
        [
            _multi_filter("File", file_id, files, "All files", lg=4),
            _multi_filter("Rule", rule_id, rules, "All rules", lg=3),
        ],
        className="g-2 mb-2 d-print-none",
    )


def _multi_filter(
    label: str, control_id: str, choices: tuple[str, ...], placeholder: str, *, lg: int
) -> dbc.Col:
    """A labelled multi-select dropdown over ``choices`` (none chosen means all)."""
    return dbc.Col(
        [
            dbc.Label(label, html_for=control_id, className="small mb-1"),
            dcc.Dropdown(
                id=control_id,
                options=[{"label": c, "value": c} for c in choices],
                multi=True,
                placeholder=placeholder,
            ),
        ],
        md=6,
        lg=lg,
    )


def rejected_count_text(matched: int, total: int) -> str:
    """The grid's caption, e.g. ``20 rejected rows`` or ``4 of 20 rejected rows``."""
    noun = "rejected row" if total == 1 else "rejected rows"
    text = f"{total} {noun}" if matched == total else f"{matched} of {total} {noun}"
    if matched > GRID_ROW_LIMIT:
        text += f"; the first {GRID_ROW_LIMIT:,} are shown, the export has them all"
    return text


def limit_note(total: int, what: str) -> html.Small | None:
    """Says when a grid shows only the first ``GRID_ROW_LIMIT`` rows."""
    if total <= GRID_ROW_LIMIT:
        return None
    return html.Small(
        f"The first {GRID_ROW_LIMIT:,} of {total:,} {what} are shown.", className="text-muted"
    )


def orphans_section(orphans: pd.DataFrame, *, grid_id: str) -> object:
    """The orphan rows grid, or a one-line all-clear when there are none."""
    if orphans.empty:
        return dbc.Alert(
            "No orphans: every status report, milestone, RAID item, work item and allocation "
            "refers to a project in the register.",
            color="success",
            className="py-2",
            id=grid_id,
        )
    return data_grid(orphans, ORPHAN_COLUMNS, grid_id=grid_id, height=320, page_size=10)


MILESTONE_FINDING_COLUMNS: list[dict] = [
    {"field": "project_id", "headerName": "Project", "minWidth": 110},
    {"field": "name", "headerName": "Name", "minWidth": 180, "flex": 1},
    {"field": "milestone", "headerName": "Milestone", "minWidth": 180, "flex": 1},
    {"field": "baseline_date", "headerName": "Baseline", "minWidth": 115},
    {"field": "later_achieved", "headerName": "Later milestone achieved", "minWidth": 190},
]


def milestone_findings_section(findings: pd.DataFrame, *, grid_id: str) -> list:
    """Milestones missing an actual date while a later one is achieved (not counted as slips)."""
    heading = section_heading(
        "Milestones without an actual date",
        "A later milestone is achieved, so these were most likely passed and not recorded. "
        "Health does not count them as slips; record their actual dates.",
    )
    if findings.empty:
        body: object = dbc.Alert(
            "None: every milestone before an achieved one has its actual date.",
            color="success",
            className="py-2",
            id=grid_id,
        )
    else:
        frame = findings.assign(
            baseline_date=pd.to_datetime(findings["baseline_date"]).dt.strftime("%Y-%m-%d")
        )
        body = data_grid(
            frame.head(GRID_ROW_LIMIT),
            MILESTONE_FINDING_COLUMNS,
            grid_id=grid_id,
            height=320,
            page_size=10,
        )
    return [heading, body]


def freshness_grid(freshness: pd.DataFrame, *, grid_id: str) -> html.Div:
    """Days since each project's last status report, worst first; rows open project pages."""
    return html.Div(
        [
            data_grid(
                freshness.head(GRID_ROW_LIMIT),
                FRESHNESS_COLUMNS,
                grid_id=grid_id,
                height=420,
                page_size=10,
                row_id="project_id",
            ),
            limit_note(len(freshness), "projects"),
        ]
    )


def league_grid(league: pd.DataFrame, *, grid_id: str) -> object:
    """The division league table."""
    frame = league.assign(most_failed_check=league["most_failed_check"].str.replace("_", " "))
    return data_grid(frame, LEAGUE_COLUMNS, grid_id=grid_id, height=300, page_size=10)


def feedback_grid(compliance: pd.DataFrame, *, grid_id: str) -> html.Div:
    """One sentence per project on what to fix, lowest score first."""
    frame = compliance.head(GRID_ROW_LIMIT)
    frame = frame.assign(overall=frame["overall"].astype("string").fillna("unknown"))
    return html.Div(
        [
            data_grid(
                frame,
                FEEDBACK_COLUMNS,
                grid_id=grid_id,
                height=480,
                page_size=15,
                row_id="project_id",
            ),
            limit_note(len(compliance), "projects"),
        ]
    )


def data_quality_kpis(summary: dict) -> list[dbc.Col]:
    """Tiles: loads, failed loads, rejected rows, orphans, late reports, average compliance."""
    score = summary["average_score"]
    return kpi_row(
        [
            kpi_card("Files loaded", f"{summary['loads']}"),
            kpi_card(
                "Failed loads",
                f"{summary['failed_loads']}",
                tone="red" if summary["failed_loads"] else None,
            ),
            kpi_card(
                "Rejected rows",
                f"{summary['rejected_rows']}",
                note=f"in {summary['rejected_files']} file(s)",
                tone="amber" if summary["rejected_rows"] else None,
            ),
            kpi_card(
                "Orphan rows",
                f"{summary['orphan_rows']}",
                note=f"{summary['orphan_projects']} unknown project(s)",
            ),
            kpi_card(
                "Reports late",
                f"{summary['late_reports']}",
                note=f"{summary['stopped_reporting']} stopped reporting",
                tone="red" if summary["stopped_reporting"] else None,
            ),
            kpi_card(
                "Average compliance",
                "–" if score is None else f"{score:.0f} / 100",
                note=f"{summary['projects']} open projects",
            ),
        ]
    )


def section_heading(title: str, note: str | None = None, *, extra: object = None) -> html.Div:
    """A section title with an optional muted note and controls (e.g. export buttons)."""
    children: list = [html.H4(title, className="d-inline me-3 mb-0")]
    if extra is not None:
        children.append(extra)
    if note:
        children.append(html.Div(html.Small(note, className="text-muted")))
    return html.Div(children, className="mt-4 mb-2")


def rejected_block(
    rejected: pd.DataFrame, files: tuple[str, ...], rules: tuple[str, ...], ids
) -> list:
    """Heading with exports, the file/rule filters, the count and the grid of rejected rows."""
    return [
        section_heading(
            "Rejected rows",
            "Rows of each file's latest load that were not loaded, with the reason; a reload of "
            "the file replaces them.",
            extra=export_buttons(
                ids.REJECTED_EXPORT_CSV, ids.REJECTED_EXPORT_XLSX, ids.REJECTED_DOWNLOAD
            ),
        ),
        rejected_filters(files, rules, file_id=ids.REJECTED_FILE, rule_id=ids.REJECTED_RULE),
        html.Small(
            rejected_count_text(len(rejected), len(rejected)),
            id=ids.REJECTED_COUNT,
            className="text-muted d-block mb-1",
        ),
        rejected_grid(rejected, grid_id=ids.REJECTED_GRID),
    ]


def freshness_block(freshness: pd.DataFrame, reporting, ids) -> list:
    """Heading, the oldest-reports chart and the freshness grid."""
    return [
        section_heading(
            "Status report freshness",
            f"Days since each open project's last status report; the standard is every "
            f"{reporting.cadence_days} days, and after {reporting.stale_red_days} days a project "
            "has stopped reporting. Worst first.",
        ),
        dcc.Graph(
            id=ids.FRESHNESS_CHART,
            config=GRAPH_CONFIG,
            figure=figures.freshness_bar(
                freshness,
                cadence_days=reporting.cadence_days,
                stale_red_days=reporting.stale_red_days,
                title="Oldest status reports",
            ),
        ),
        freshness_grid(freshness, grid_id=ids.FRESHNESS_GRID),
    ]


def compliance_block(league: pd.DataFrame, compliance: pd.DataFrame, ids) -> list:
    """League chart and table by division, then the feedback per project with exports."""
    return [
        section_heading("Compliance with PMO standards", "Score 0–100 per open project."),
        dbc.Row(
            [
                dbc.Col(
                    dcc.Graph(
                        id=ids.LEAGUE_CHART,
                        config=GRAPH_CONFIG,
                        figure=figures.compliance_league_bar(
                            league, title="Compliance league by division"
                        ),
                    ),
                    lg=5,
                ),
                dbc.Col(league_grid(league, grid_id=ids.LEAGUE_GRID), lg=7),
            ],
            className="mb-2",
        ),
        section_heading(
            "Feedback per project",
            "What each project must fix, lowest score first.",
            extra=export_buttons(
                ids.COMPLIANCE_EXPORT_CSV, ids.COMPLIANCE_EXPORT_XLSX, ids.COMPLIANCE_DOWNLOAD
            ),
        ),
        feedback_grid(compliance, grid_id=ids.FEEDBACK_GRID),
    ]
