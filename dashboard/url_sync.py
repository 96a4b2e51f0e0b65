"""One clientside callback: a change in the filter bar rewrites the URL query string.

Dash Pages then re-renders the page from the new URL, so the URL is the single source of truth:
a copied link reproduces the view, and the back button steps through earlier filters. Running
in the browser saves a server round trip before the page's own request.
"""

from __future__ import annotations

from dash import Input, Output, State, clientside_callback

from dashboard.ids import AppIds, FilterIds

clientside_callback(
    """
    function(division, portfolio, stage, manager, health, asOf, today, search) {
        const params = new URLSearchParams();
        const pairs = [["division", division], ["portfolio", portfolio], ["stage", stage],
                       ["manager", manager], ["health", health]];
        for (const [key, values] of pairs) {
            for (const v of (values || [])) { params.append(key, v); }
        }
        if (asOf && asOf.slice(0, 10) !== today) { params.append("as_of", asOf.slice(0, 10)); }
        const next = params.toString() ? "?" + params.toString() : "";
        // A grid page (?page=N, docs/performance.md) is kept while the filters are unchanged.
        const current = new URLSearchParams(search || "");
        current.delete("page");
        const same = current.toString() ? "?" + current.toString() : "";
        return next === same ? window.dash_clientside.no_update : next;
    }
    """,
    Output(AppIds.URL, "search"),
    Input(FilterIds.DIVISION, "value"),
    Input(FilterIds.PORTFOLIO, "value"),
    Input(FilterIds.STAGE, "value"),
    Input(FilterIds.MANAGER, "value"),
    Input(FilterIds.HEALTH, "value"),
    Input(FilterIds.AS_OF, "date"),
    State(FilterIds.TODAY, "data"),
    State(AppIds.URL, "search"),
    prevent_initial_call=True,
)
