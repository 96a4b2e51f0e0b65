"""Clientside callbacks: the URL is the single source of truth for the view, panels fold.

- A change in the filter bar rewrites the URL query string; Dash Pages then re-renders the page
  from the new URL, so a copied link reproduces the view and the back button steps through
  earlier filters. Running in the browser saves a server round trip. The query keys are
  ``dashboard.url_state.QUERY_KEYS``, written into the script, so Python and JavaScript agree.
- Every navbar link follows the URL: it carries the current filters to the next page
  (``assets/pmo.js`` keeps only the global filter keys), so a Finance manager picks Finance once.
- "Reset filters" empties the query; the page re-renders unfiltered.
- On a phone, the navbar toggler and the "Filters" button unfold their panels.
"""

from __future__ import annotations

import json

from dash import ALL, Input, Output, State, clientside_callback

from dashboard.ids import AppIds, FilterIds
from dashboard.url_state import QUERY_KEYS

FILTERS_TO_URL = """
function(...args) {
    const keys = __QUERY_KEYS__;
    const [asOf, today, search] = args.slice(keys.length);
    const params = new URLSearchParams();
    keys.forEach(function (key, i) {
        for (const v of (args[i] || [])) { params.append(key, v); }
    });
    if (asOf && asOf.slice(0, 10) !== today) { params.append("as_of", asOf.slice(0, 10)); }
    const next = params.toString() ? "?" + params.toString() : "";
    // Keys a page owns - a grid page (?page=N, docs/performance.md), the intake scenario
    // (docs/review.md "Intake for executives") - are kept while the filters are unchanged.
    const current = new URLSearchParams(search || "");
    const pageOwned = ["page", "method", "budget", "capacity", "decided", "in", "out"];
    for (const key of Array.from(current.keys())) {
        if (pageOwned.includes(key) || key.startsWith("w_")) { current.delete(key); }
    }
    const same = current.toString() ? "?" + current.toString() : "";
    return next === same ? window.dash_clientside.no_update : next;
}
""".replace("__QUERY_KEYS__", json.dumps(list(QUERY_KEYS)))
"""Filter values -> the URL query; the keys are ``url_state.QUERY_KEYS``, in dropdown order."""

clientside_callback(
    FILTERS_TO_URL,
    Output(AppIds.URL, "search"),
    # One dropdown per query key, in the order of ``keys`` above (FilterIds.DIVISION, ...).
    [Input(getattr(FilterIds, key.upper()), "value") for key in QUERY_KEYS],
    Input(FilterIds.AS_OF, "date"),
    State(FilterIds.TODAY, "data"),
    State(AppIds.URL, "search"),
    prevent_initial_call=True,
)

clientside_callback(
    """
    function(search, ids) {
        const query = window.pmoLens.filterQuery(search);
        return ids.map(function (id) { return id.index.replace(/^brand:/, "") + query; });
    }
    """,
    Output({"type": AppIds.NAV_LINK, "index": ALL}, "href"),
    Input(AppIds.URL, "search"),
    State({"type": AppIds.NAV_LINK, "index": ALL}, "id"),
)

clientside_callback(
    """
    function(clicks) { return clicks ? "" : window.dash_clientside.no_update; }
    """,
    Output(AppIds.URL, "search", allow_duplicate=True),
    Input(FilterIds.RESET, "n_clicks"),
    prevent_initial_call=True,
)


def toggle_on_click(panel: str, button: str) -> None:
    """Fold or unfold ``panel`` (its ``is_open``) when ``button`` is clicked, in the browser."""
    clientside_callback(
        """
        function(clicks, isOpen) { return clicks ? !isOpen : isOpen; }
        """,
        Output(panel, "is_open"),
        Input(button, "n_clicks"),
        State(panel, "is_open"),
        prevent_initial_call=True,
    )


toggle_on_click(AppIds.NAV_COLLAPSE, AppIds.NAV_TOGGLER)
toggle_on_click(FilterIds.COLLAPSE, FilterIds.TOGGLE)
