"""Unit tests of the wiring shared by export callbacks - no browser."""

from __future__ import annotations

from dash import Input, Output, State

from dashboard.components.export_wiring import export_dependencies, export_format


def test_export_dependencies_are_download_out_two_buttons_in_then_the_state():
    out, csv, xlsx, state = export_dependencies("dl", "csv-btn", "xlsx-btn", State("url", "search"))
    assert isinstance(out, Output) and (out.component_id, out.component_property) == ("dl", "data")
    assert isinstance(csv, Input) and (csv.component_id, csv.component_property) == (
        "csv-btn",
        "n_clicks",
    )
    assert isinstance(xlsx, Input) and xlsx.component_id == "xlsx-btn"
    assert isinstance(state, State) and state.component_id == "url"


def test_export_format_is_xlsx_only_for_the_excel_button():
    assert export_format("xlsx-btn", "xlsx-btn") == "xlsx"
    assert export_format("csv-btn", "xlsx-btn") == "csv"
    assert export_format(None, "xlsx-btn") == "csv"
