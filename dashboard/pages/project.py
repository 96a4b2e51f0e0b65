"""One project: facts, health by dimension, RAG over time, earned value, milestones, RAID."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote, unquote

import dash
import dash_bootstrap_components as dbc
from dash import State, callback, dcc, html

from dashboard import db
from dashboard.components.export_wiring import export_dependencies, export_format
from dashboard.components.notices import no_data_notice
from dashboard.components.project_grids import milestone_grid, raid_grid, section_heading
from dashboard.components.project_header import project_header, project_kpis, project_not_found
from dashboard.components.project_health import health_card
from dashboard.components.project_status import status_narrative
from dashboard.config import get_settings
from dashboard.exports import ExportContext, download, export_context
from dashboard.figures import project as figures
from dashboard.formats import GRAPH_CONFIG
from dashboard.ids import ProjectIds as ids
from dashboard.layout_cache import cached_layout
from dashboard.services import forms
from dashboard.services import project as services
from dashboard.url_state import with_filters


def page_title(project_id: str | None = None, **_variables: str) -> str:
    return f"PMO Lens · {unquote(project_id)}" if project_id else "PMO Lens · Project"


dash.register_page(
    __name__,
    path_template="/project/<project_id>",
    name="Project",
    title=page_title,
    order=1,
    nav=False,
)


@cached_layout("project")
def layout(project_id: str | None = None, **query: str) -> dbc.Container:
    today = get_settings().as_of_default()
    as_of = services.requested_as_of(query, today)
    project_id = unquote(project_id) if project_id else None
    try:
        view = services.project_view(project_id, as_of) if project_id else None
    except db.NoData as exc:
        return no_data_notice(str(exc))
    if view is None or not view.found:
        return project_not_found(
            project_id, as_of, alert_id=ids.NOT_FOUND, back_href=with_filters("/", query)
        )
    return dbc.Container(
        [
            dcc.Store(id=ids.CONTEXT, data={"project_id": view.project_id, "as_of": str(as_of)}),
            html.Nav(
                [
                    dcc.Link("← Portfolio", href=with_filters("/", query), id=ids.BACK),
                    _report_link(view),
                ],
                className="small d-print-none mb-1 d-flex justify-content-between",
                **{"aria-label": "Breadcrumb"},
            ),
            project_header(
                view.register,
                view.health,
                as_of=as_of,
                currency=view.currency,
                card_id=ids.HEADER,
                name_id=ids.NAME,
            ),
            dbc.Row(
                project_kpis(view.health, view.latest_report), id=ids.KPI_ROW, className="mb-3"
            ),
            _health_row(view),
            _charts_row(view),
            *_milestone_section(view, as_of),
            section_heading(
                "RAID log (open first)",
                ids.RAID_EXPORT_CSV,
                ids.RAID_EXPORT_XLSX,
                ids.RAID_DOWNLOAD,
            ),
            raid_grid(view.raid, grid_id=ids.RAID_GRID),
        ],
        fluid=True,
    )


def _report_link(view: services.ProjectView) -> dcc.Link | None:
    """The "Report status" link, for whoever may report on this open project (docs/forms.md)."""
    if view.closed or not forms.reports_on(view.project_id, view.register.get("project_manager")):
        return None
    return dcc.Link("Report status →", href=f"/status/{quote(view.project_id)}", id=ids.REPORT_LINK)


def _health_row(view: services.ProjectView) -> dbc.Row:
    """Health by dimension beside the latest report's narrative."""
    return dbc.Row(
        [
            dbc.Col(
                health_card(
                    view.health,
                    stage=view.register["stage"],
                    closed=view.closed,
                    dimensions=services.DIMENSIONS,
                    table_id=ids.HEALTH_TABLE,
                    notice_id=ids.CLOSED_NOTICE,
                ),
                lg=7,
                className="mb-3",
            ),
            dbc.Col(
                status_narrative(view.latest_report, card_id=ids.NARRATIVE),
                lg=5,
                className="mb-3",
            ),
        ]
    )


def _charts_row(view: services.ProjectView) -> dbc.Row:
    """Reported vs computed RAG over time beside earned value (budget and EAC as lines)."""
    facts = view.health or view.register
    return dbc.Row(
        [
            dbc.Col(
                _graph(
                    ids.HISTORY_CHART,
                    figures.rag_history_chart(
                        view.history, title="Reported vs computed RAG over time"
                    ),
                ),
                lg=6,
            ),
            dbc.Col(
                _graph(
                    ids.EVM_CHART,
                    figures.earned_value_chart(
                        view.earned_value,
                        budget=facts.get("budget"),
                        eac=facts.get("forecast_cost"),
                        currency=view.currency,
                        title="Earned value: budget burn, PV, EV and AC",
                    ),
                ),
                lg=6,
            ),
        ],
        className="mb-3",
    )


def _milestone_section(view: services.ProjectView, as_of: date) -> list:
    """Heading with exports, the baseline-vs-forecast chart, then the milestone grid."""
    return [
        section_heading(
            "Milestones",
            ids.MILESTONE_EXPORT_CSV,
            ids.MILESTONE_EXPORT_XLSX,
            ids.MILESTONE_DOWNLOAD,
        ),
        _graph(
            ids.MILESTONE_CHART,
            figures.milestone_chart(
                view.milestones, as_of=as_of, title="Milestones: baseline vs forecast or actual"
            ),
        ),
        milestone_grid(view.milestones, grid_id=ids.MILESTONE_GRID),
    ]


def _graph(graph_id: str, figure: object) -> dcc.Graph:
    return dcc.Graph(id=graph_id, figure=figure, config=GRAPH_CONFIG)


@callback(
    *export_dependencies(
        ids.MILESTONE_DOWNLOAD,
        ids.MILESTONE_EXPORT_CSV,
        ids.MILESTONE_EXPORT_XLSX,
        State(ids.CONTEXT, "data"),
    ),
    prevent_initial_call=True,
)
def on_milestone_export(_csv: int | None, _xlsx: int | None, context: dict) -> dict:
    """Download the project's milestones (formula injection neutralised)."""
    return _export(
        context, "milestones", export_format(dash.ctx.triggered_id, ids.MILESTONE_EXPORT_XLSX)
    )


@callback(
    *export_dependencies(
        ids.RAID_DOWNLOAD, ids.RAID_EXPORT_CSV, ids.RAID_EXPORT_XLSX, State(ids.CONTEXT, "data")
    ),
    prevent_initial_call=True,
)
def on_raid_export(_csv: int | None, _xlsx: int | None, context: dict) -> dict:
    """Download the project's RAID log, open items first (formula injection neutralised)."""
    return _export(context, "raid", export_format(dash.ctx.triggered_id, ids.RAID_EXPORT_XLSX))


_EXPORTS = {
    "milestones": (services.milestones_export, "milestones"),
    "raid": (services.raid_export, "RAID log"),
}
"""Export kind -> (the frame it downloads, what the file's first sheet calls it)."""


def _export(context: dict, kind: str, fmt: str) -> dict:
    """The ``kind`` export of the page's project, as ``fmt`` (file ``<project>-<kind>``)."""
    view = _view(context)
    frame_of, what = _EXPORTS[kind]
    return download(
        frame_of(view),
        stem=f"{view.project_id}-{kind}",
        as_of=view.as_of,
        fmt=fmt,
        context=_context(view, what),
    )


def _context(view: services.ProjectView, what: str) -> ExportContext:
    return export_context(
        f"{view.project_id} {what}",
        f"Project {view.project_id}",
        view.as_of,
        data_version=db.data_version(),
        currency=view.currency,
    )


def _view(context: dict) -> services.ProjectView:
    """The page's view again, from the store (the date re-checked: the browser is untrusted)."""
    as_of = services.requested_as_of(context, get_settings().as_of_default())
    return services.project_view(str(context["project_id"]), as_of)
