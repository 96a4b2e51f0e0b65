"""Data & compliance: what was loaded and rejected, orphan rows, report freshness, compliance."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, html

from dashboard import db
from dashboard.components import data_quality_tables as tables
from dashboard.components.filter_bar import filter_bar, filter_summary, summary_text
from dashboard.components.notices import no_data_notice
from dashboard.components.tables import records_for_grid
from dashboard.components.template_cards import outdated_templates_note
from dashboard.config import get_settings, get_standards
from dashboard.exports import download, export_context
from dashboard.ids import AppIds, TemplatesIds
from dashboard.ids import DataQualityIds as ids
from dashboard.layout_cache import cached_layout
from dashboard.services import data_quality as services
from dashboard.services import templates as template_services
from dashboard.url_state import query_from_search

dash.register_page(
    __name__, path="/data", name="Data & compliance", title="PMO Lens · Data & compliance", order=5
)


@cached_layout("data")
def layout(**query: str) -> dbc.Container:
    today = get_settings().as_of_default()
    try:
        view = services.data_quality_view(query, today)
    except db.NoData as exc:
        return no_data_notice(str(exc))
    books = view.books
    files, rules = services.rejected_choices(books.rejected)
    return dbc.Container(
        [
            filter_bar(view.options, view.state, today=today),
            html.H2("Data & compliance", id=ids.TITLE),
            filter_summary(view.state),
            dbc.Row(
                tables.data_quality_kpis(services.data_quality_summary(view)),
                id=ids.KPI_ROW,
                className="my-3",
            ),
            _bookkeeping_note(books.visible),
            tables.section_heading("Load history", "Every file load, failed ones too."),
            tables.load_history_grid(books.loads, grid_id=ids.LOADS_GRID),
            *tables.rejected_block(books.rejected, files, rules, ids),
            tables.section_heading(
                "Orphans", "Loaded rows that refer to a project missing from the register."
            ),
            tables.orphans_section(books.orphans, grid_id=ids.ORPHANS),
            *tables.milestone_findings_section(
                view.milestone_findings, grid_id=ids.MILESTONE_FINDINGS
            ),
            *tables.freshness_block(view.freshness, get_standards().reporting, ids),
            *tables.compliance_block(view.league, view.compliance, ids),
            outdated_templates_note(
                template_services.outdated_template_reports(
                    view.state.as_of, view.compliance["project_id"]
                ),
                template_services.current_version(),
                note_id=TemplatesIds.OUTDATED,
            ),
        ],
        fluid=True,
    )


def _bookkeeping_note(visible: bool) -> html.Div | dbc.Alert:
    if visible:
        return html.Div()
    return dbc.Alert(
        "Load history, rejected rows and orphans are shown to the PMO only.", color="info"
    )


@callback(
    Output(ids.REJECTED_GRID, "rowData"),
    Output(ids.REJECTED_COUNT, "children"),
    Input(ids.REJECTED_FILE, "value"),
    Input(ids.REJECTED_RULE, "value"),
    prevent_initial_call=True,
)
def update_rejected(files: list[str] | None, rules: list[str] | None) -> tuple[list[dict], str]:
    """Narrow the rejected rows to the chosen files and rules (allowlisted in the service)."""
    rejected = services.bookkeeping().rejected
    shown = services.filter_rejected(rejected, files, rules)
    count = tables.rejected_count_text(len(shown), len(rejected))
    rows = records_for_grid(shown.head(tables.GRID_ROW_LIMIT), tables.REJECTED_COLUMNS)
    return rows, count


@callback(
    Output(ids.REJECTED_DOWNLOAD, "data"),
    Input(ids.REJECTED_EXPORT_CSV, "n_clicks"),
    Input(ids.REJECTED_EXPORT_XLSX, "n_clicks"),
    State(ids.REJECTED_FILE, "value"),
    State(ids.REJECTED_RULE, "value"),
    prevent_initial_call=True,
)
def on_export_rejected(_csv, _xlsx, files: list[str] | None, rules: list[str] | None) -> dict:
    """Download the rejected rows shown (formula injection neutralised)."""
    today = get_settings().as_of_default()
    shown = services.filter_rejected(services.bookkeeping().rejected, files, rules)
    fmt = "xlsx" if dash.ctx.triggered_id == ids.REJECTED_EXPORT_XLSX else "csv"
    context = export_context(
        "Rejected rows",
        f"Files: {', '.join(files or []) or 'all'}; rules: {', '.join(rules or []) or 'all'}",
        today,
        data_version=db.data_version(),
        currency=get_standards().loading.currency,
    )
    frame = services.rejected_export(shown)
    return download(frame, stem="rejected-rows", as_of=today, fmt=fmt, context=context)


@callback(
    Output(ids.COMPLIANCE_DOWNLOAD, "data"),
    Input(ids.COMPLIANCE_EXPORT_CSV, "n_clicks"),
    Input(ids.COMPLIANCE_EXPORT_XLSX, "n_clicks"),
    State(AppIds.URL, "search"),
    prevent_initial_call=True,
)
def on_export_compliance(_csv, _xlsx, search: str | None) -> dict:
    """Download the filtered per-project compliance feedback (formula injection neutralised)."""
    view = services.data_quality_view(query_from_search(search), get_settings().as_of_default())
    fmt = "xlsx" if dash.ctx.triggered_id == ids.COMPLIANCE_EXPORT_XLSX else "csv"
    frame = services.compliance_export(view.compliance)
    context = export_context(
        "Compliance feedback",
        summary_text(view.state),
        view.state.as_of,
        data_version=db.data_version(),
        currency=get_standards().loading.currency,
    )
    return download(frame, stem="compliance", as_of=view.state.as_of, fmt=fmt, context=context)
