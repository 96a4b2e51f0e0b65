"""Unit tests of dashboard/clientside_callbacks.py: the script and its inputs agree - no browser."""

from __future__ import annotations

import importlib
import json
import re

from dash import _callback as dash_callback

from dashboard import clientside_callbacks
from dashboard.ids import AppIds, FilterIds
from dashboard.url_state import QUERY_KEYS


def registered() -> list[dict]:
    """The module's callbacks, registered afresh (the app may already have taken the first)."""
    saved_list = list(dash_callback.GLOBAL_CALLBACK_LIST)
    saved_map = dict(dash_callback.GLOBAL_CALLBACK_MAP)
    saved_scripts = list(dash_callback.GLOBAL_INLINE_SCRIPTS)
    try:
        del dash_callback.GLOBAL_CALLBACK_LIST[:]
        importlib.reload(clientside_callbacks)
        return list(dash_callback.GLOBAL_CALLBACK_LIST)
    finally:
        dash_callback.GLOBAL_CALLBACK_LIST[:] = saved_list
        dash_callback.GLOBAL_CALLBACK_MAP.clear()
        dash_callback.GLOBAL_CALLBACK_MAP.update(saved_map)
        dash_callback.GLOBAL_INLINE_SCRIPTS[:] = saved_scripts


def test_the_filter_script_names_the_query_keys_in_the_order_of_its_dropdowns():
    keys = json.loads(re.search(r"const keys = (\[.*?\]);", clientside_callbacks.FILTERS_TO_URL)[1])
    assert keys == list(QUERY_KEYS) == ["division", "portfolio", "stage", "manager", "health"]
    assert "__QUERY_KEYS__" not in clientside_callbacks.FILTERS_TO_URL
    rule = next(c for c in registered() if c["output"] == f"{AppIds.URL}.search")
    dropdowns = [i["id"] for i in rule["inputs"]][: len(keys)]
    assert dropdowns == [
        FilterIds.DIVISION,
        FilterIds.PORTFOLIO,
        FilterIds.STAGE,
        FilterIds.MANAGER,
        FilterIds.HEALTH,
    ]
    assert [i["id"] for i in rule["inputs"]][len(keys) :] == [FilterIds.AS_OF]
    assert [s["id"] for s in rule["state"]] == [FilterIds.TODAY, AppIds.URL]
