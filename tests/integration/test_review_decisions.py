"""Recording decisions from the Monthly review: the callback as a plain function, on a private
copy of the demo store opened on 2 Dec 2026 - no browser."""

from __future__ import annotations

import json
import shutil
import sys
from datetime import date
from pathlib import Path

import dash
import pytest

from dashboard.ids import ReviewIds as ids
from dashboard.scope import Scope, reset_scope, set_scope
from loaders import publish
from tests.conftest import run_callback

TODAY = date(2026, 12, 2)


def copy_store(demo_store: Path, target: Path) -> Path:
    target.mkdir()
    current = publish.current_version(demo_store)
    shutil.copyfile(current.path, target / current.path.name)
    (target / "CURRENT").write_text((demo_store / "CURRENT").read_text())
    return target


@pytest.fixture
def page(demo_store: Path, tmp_path: Path):
    from dashboard import config, db
    from dashboard.services.cache import clear_cache

    config._overrides.clear()
    clear_cache()
    config.configure(data_dir=copy_store(demo_store, tmp_path / "data"), today=TODAY)
    import app  # noqa: F401  (pages exist once the app is created)

    yield sys.modules["dashboard.pages.review"]
    db.close_all()
    clear_cache()
    config._overrides.clear()
    config.get_settings.cache_clear()


def record(page, subject: str, decision: str, *, owner=None, due=None, note=None, key="k"):
    alert, _key = run_callback(
        f"{ids.RECORD_BUTTON}.n_clicks",
        lambda: page.on_record(1, subject, decision, owner, due, note, key, ""),
    )
    return alert


def a_request(status: str, division: str | None = None) -> tuple[str, str]:
    from dashboard.services import intake

    requests = intake.intake_data(TODAY).requests
    rows = requests[requests["status"] == status]
    if division:
        rows = rows[rows["division"] == division]
    row = rows.sort_values("request_id").iloc[0]
    return str(row["request_id"]), str(row["division"])


def status_of(request_id: str, as_of: date) -> str:
    from dashboard.services import intake

    requests = intake.intake_data(as_of).requests
    return str(requests.loc[requests["request_id"] == request_id, "status"].item())


def test_a_request_decision_changes_its_status_from_that_day(page):
    request_id, _ = a_request("under_review")
    alert = record(page, f"request:{request_id}", "approve", note="Fund it", key="a1")
    assert alert.color == "success" and "the request is now approved" in str(alert.children)
    assert status_of(request_id, TODAY) == "approved"
    assert status_of(request_id, date(2026, 11, 26)) == "under_review"  # history kept
    again = record(page, f"request:{request_id}", "approve", note="Fund it", key="a1")
    assert "Already recorded" in str(again.children)  # a double click writes nothing


def test_an_action_shows_next_month_and_is_overdue_once_past_due(page):
    from dashboard.services import review as services

    alert = record(
        page,
        "project:PRJ-127",
        "action",
        owner="Ann Lee",
        due="2026-12-20",
        note="Re-plan",
        key="b",
    )
    assert alert.color == "success"
    december = services.ReviewState((), date(2026, 11, 30), date(2026, 12, 31))
    actions = services.earlier_actions(december)
    assert actions[["subject_id", "owner", "state"]].values.tolist() == [
        ["PRJ-127", "Ann Lee", "overdue"]
    ]
    mid_december = services.ReviewState((), date(2026, 11, 30), date(2026, 12, 15))
    assert services.earlier_actions(mid_december)["state"].tolist() == ["open"]
    record(page, "project:PRJ-127", "done", key="c")
    # Recorded on 2 Dec: done from then on.
    assert services.earlier_actions(december)["state"].tolist() == ["done"]


def test_a_division_manager_cannot_record_for_another_division_even_forged(page):
    operations_request, _ = a_request("under_review", "Operations")
    version = publish.current_version(page_settings_dir()).number
    token = set_scope(Scope(user="bob", role="division_manager", divisions=("Finance",)))
    try:
        # The subject is not among the options a Finance manager sees: a forged callback.
        alert = record(page, f"request:{operations_request}", "approve", key="forged")
    finally:
        reset_scope(token)
    assert alert.color == "danger"
    assert "for Finance only" in str(alert.children) and "Operations" in str(alert.children)
    assert publish.current_version(page_settings_dir()).number == version
    assert status_of(operations_request, TODAY) == "under_review"


def test_a_viewer_records_nothing_and_bad_input_is_a_clear_message(page):
    request_id, _ = a_request("submitted")
    token = set_scope(Scope(user="vic", role="viewer", divisions=None))
    try:
        alert = record(page, f"request:{request_id}", "reject", key="v")
    finally:
        reset_scope(token)
    assert alert.color == "danger" and "not record decisions" in str(alert.children)
    assert "needs an owner and a due date" in str(
        record(page, "project:PRJ-127", "action").children
    )
    assert "not a date" in str(record(page, "project:PRJ-127", "action", due="31/12").children)
    assert "choose the request or project" in str(record(page, None, "approve").children)
    assert status_of(request_id, TODAY) == "submitted"


def page_settings_dir() -> Path:
    from dashboard.config import get_settings

    return get_settings().data_dir


def test_the_form_is_shown_only_to_roles_that_may_record(page):
    from tests.conftest import find

    assert find(page.layout(), ids.RECORD_BUTTON) is not None
    token = set_scope(Scope(user="vic", role="viewer", divisions=None))
    try:
        tree = page.layout()
    finally:
        reset_scope(token)
    assert find(tree, ids.RECORD_BUTTON) is None
    assert find(tree, ids.DECISIONS) is not None  # the decisions are still shown


def save_summary(page, text: str, *, key: str = "s", search: str = "?division=Finance"):
    alert, _key, shown = run_callback(
        f"{ids.EXEC_SUMMARY_SAVE}.n_clicks", lambda: page.on_summary(1, text, key, search)
    )
    return alert, shown


def test_the_pmo_summary_tops_the_review_and_the_pack_as_plain_text(page):
    from dashboard.services import review as services
    from tests.conftest import find

    text = '<b>Two new reds</b> in VAT work.\n=HYPERLINK("x") is only text.'
    alert, shown = save_summary(page, text)
    assert alert.color == "success" and shown == text
    tree = page.layout(division="Finance")
    assert find(tree, ids.EXEC_SUMMARY_TEXT).children == text  # a string: Dash escapes it
    order = [getattr(c, "id", None) for c in tree.children]
    assert order.index(ids.EXEC_SUMMARY) < order.index(ids.DECISIONS)
    finance = services.ReviewState(("Finance",), date(2026, 10, 31), date(2026, 11, 30))
    document = services.review_document(finance)
    assert document["executive_summary"]["text"] == text
    assert document["executive_summary"]["by"] == "local user"
    # Another scope has its own summary (none yet); a second save keeps the first in history.
    everyone = services.ReviewState((), date(2026, 10, 31), date(2026, 11, 30))
    assert services.review_document(everyone)["executive_summary"] is None
    save_summary(page, "Rewritten", key="s2")
    latest = services.executive_summary(finance)
    assert (latest.text, latest.versions) == ("Rewritten", 2)


def test_only_the_pmo_writes_the_summary_even_through_a_forged_callback(page):
    from tests.conftest import find

    version = publish.current_version(page_settings_dir()).number
    token = set_scope(Scope(user="bob", role="division_manager", divisions=("Finance",)))
    try:
        tree = page.layout(division="Finance")
        alert, shown = save_summary(page, "Mine now", key="forged")
    finally:
        reset_scope(token)
    assert find(tree, ids.EXEC_SUMMARY_SAVE) is None  # no editor shown
    assert find(tree, ids.EXEC_SUMMARY) is not None  # the summary itself is
    assert alert.color == "danger" and "only the PMO" in str(alert.children)
    assert shown is dash.no_update
    assert publish.current_version(page_settings_dir()).number == version
    assert "needs" not in str(save_summary(page, "   ", key="blank")[0].children)
    assert "write the summary" in str(save_summary(page, "   ", key="blank")[0].children)


def done_button(action_id: str) -> str:
    """The prop id Dash sends for one action's "Done" button (pattern-matching, sorted keys)."""
    return json.dumps({"index": action_id, "type": ids.ACTION_DONE}, separators=(",", ":")) + (
        ".n_clicks"
    )


def test_marking_one_action_done_leaves_the_other_open(page):
    from dashboard.services import review as services

    for owner, key in (("Ann Lee", "a"), ("Bo Chan", "b")):
        record(page, "project:PRJ-127", "action", owner=owner, due="2026-12-20", key=key)
    december = services.ReviewState((), date(2026, 11, 30), date(2026, 12, 31))
    before = services.earlier_actions(december)
    bo = before.loc[before["owner"] == "Bo Chan", "decision_id"].item()
    prop = done_button(bo)
    alert = run_callback(prop, lambda: page.on_action_done([None, 1], ""))
    assert alert.color == "success" and f"{bo} marked done" in str(alert.children)
    after = services.earlier_actions(december).set_index("owner")["state"].to_dict()
    assert after == {"Ann Lee": "overdue", "Bo Chan": "done"}
    again = run_callback(prop, lambda: page.on_action_done([None, 2], ""))
    assert "already done" in str(again.children)
    token = set_scope(Scope(user="bob", role="division_manager", divisions=("Operations",)))
    try:
        ann = before.loc[before["owner"] == "Ann Lee", "decision_id"].item()
        forged = done_button(ann)
        refused = run_callback(forged, lambda: page.on_action_done([1, None], ""))
    finally:
        reset_scope(token)
    assert refused.color == "danger" and "Finance" in str(refused.children)
    assert services.earlier_actions(december).set_index("owner")["state"]["Ann Lee"] == "overdue"


def test_the_decisions_log_exports_to_csv_and_xlsx(page):
    import csv
    import io

    from tests.conftest import export_text

    record(page, "project:PRJ-127", "action", owner="Ann Lee", due="2026-11-20", key="x1")
    payload = run_callback(
        f"{ids.LOG_EXPORT_CSV}.n_clicks", lambda: page.on_log_export(1, None, "?to=2026-12-02")
    )
    assert payload["filename"].startswith("pmo-review-decisions-log-")
    rows = list(csv.reader(io.StringIO(export_text(payload))))
    assert rows[0] == [
        "Decision ID",
        "Recorded at",
        "Recorded by",
        "Subject type",
        "Subject",
        "Name",
        "Division",
        "Decision",
        "Owner",
        "Due date",
        "Note",
    ]
    assert [r[3:9] for r in rows[1:]] == [
        ["project", "PRJ-127", rows[1][5], "Finance", "action", "Ann Lee"]
    ]
    assert rows[1][5]  # the project's name
    xlsx = run_callback(
        f"{ids.LOG_EXPORT_XLSX}.n_clicks", lambda: page.on_log_export(None, 1, "?to=2026-12-02")
    )
    assert xlsx["filename"].endswith(".xlsx")
