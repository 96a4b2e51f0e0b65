"""Status reports and requests from the forms are published like loads (loaders/form_writes.py)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import pytest

from loaders import publish
from loaders.form_writes import FormError, submit_request, submit_status
from tests.storage.conftest import rows

NOW = datetime(2026, 11, 27, 9, 30)
GATE = ("estimated_cost", "expected_benefit")


def anyone(_project: str, _manager: str | None) -> bool:
    return True


def version(store: Path) -> int:
    return publish.current_version(store).number


def test_status_report_is_a_load_with_the_user_and_the_form_as_source(store):
    result = submit_status(
        store,
        "PRJ-041",
        {"overall_rag": "Amber", "summary": "Vendor late", "percent_complete": "45"},
        user="hannah",
        key="k-1",
        may_report=anyone,
        now=NOW,
    )
    assert result.version == version(store) and not result.replay
    found = rows(
        store,
        "SELECT overall_rag, percent_complete, summary, reported_by, source_file, load_id "
        "FROM status_reports WHERE valid_to IS NULL AND project_id = 'PRJ-041' "
        "AND report_date = DATE '2026-11-27'",
    )
    assert found == [
        ("amber", 0.45, "Vendor late", "hannah", "form: status report by hannah", result.load_id)
    ]
    run = rows(
        store, "SELECT file_format, status, rows_loaded FROM load_runs WHERE load_id = ?",
        [result.load_id],
    )  # fmt: skip
    assert run == [("form", "committed", 1)]


def test_same_project_and_day_replaces_the_first_and_history_keeps_both(store):
    values = {"overall_rag": "Red", "summary": "Blocked by the supplier"}
    first = submit_status(store, "PRJ-041", values, user="h", key="a", may_report=anyone, now=NOW)
    again = submit_status(store, "PRJ-041", values, user="h", key="a", may_report=anyone, now=NOW)
    assert again.replay and again.load_id == first.load_id  # same key: nothing written again
    assert version(store) == first.version
    second = submit_status(
        store, "PRJ-041", {"overall_rag": "Amber", "summary": "Supplier back"},
        user="h", key="b", may_report=anyone, now=NOW,
    )  # fmt: skip
    assert second.version == first.version + 1
    history = rows(
        store,
        "SELECT overall_rag, valid_to IS NULL FROM status_reports WHERE project_id = 'PRJ-041' "
        "AND report_date = DATE '2026-11-27' ORDER BY load_id",
    )
    assert history == [("red", False), ("amber", True)]


def test_a_rejected_value_is_reported_per_field_with_the_loaders_message_and_nothing_written(
    store,
):
    before = version(store)
    with pytest.raises(FormError) as refused:
        submit_status(
            store, "PRJ-041",
            {"overall_rag": "Purple", "summary": "x", "forecast_finish": "31/02/2027"},
            user="h", key="c", may_report=anyone, now=NOW,
        )  # fmt: skip
    assert set(refused.value.fields) <= {"overall_rag", "forecast_finish"}
    assert refused.value.fields  # the first bad value of the row, named by its field
    assert version(store) == before


def test_not_green_needs_a_comment_and_a_late_forecast_needs_a_reason(store):
    with pytest.raises(FormError) as refused:
        submit_status(store, "PRJ-041", {"overall_rag": "amber"}, user="h", key="d",
                      may_report=anyone, now=NOW)  # fmt: skip
    assert "summary" in refused.value.fields
    (baseline,) = rows(
        store, "SELECT baseline_finish FROM projects WHERE valid_to IS NULL "
        "AND project_id = 'PRJ-041'",
    )[0]  # fmt: skip
    late = baseline.replace(year=baseline.year + 1).isoformat()
    values = {"overall_rag": "green", "forecast_finish": late}
    with pytest.raises(FormError) as refused:
        submit_status(store, "PRJ-041", values, user="h", key="e", may_report=anyone, now=NOW)
    assert "forecast_reason" in refused.value.fields
    done = submit_status(store, "PRJ-041", values, user="h", key="e", may_report=anyone,
                         forecast_reason="Scope added", now=NOW)  # fmt: skip
    (summary,) = rows(
        store, "SELECT summary FROM status_reports WHERE load_id = ?", [done.load_id]
    )[0]
    assert summary == "Forecast finish after the baseline: Scope added"


def test_out_of_scope_project_is_refused_and_nothing_written(store):
    before = version(store)
    managers = []

    def only_mine(project: str, manager: str | None) -> bool:
        managers.append(manager)
        return project == "PRJ-041"

    with pytest.raises(FormError, match="may not submit status reports for PRJ-040"):
        submit_status(store, "PRJ-040", {"overall_rag": "green"}, user="h", key="f",
                      may_report=only_mine, now=NOW)  # fmt: skip
    assert version(store) == before
    assert managers and managers[0]  # the manager came from the register, not the caller


def test_request_is_draft_until_complete_then_submitted(store):
    draft = submit_request(
        store, {"title": "New CRM", "division": "Finance", "estimated_cost": "120000"},
        user="rita", key="r1", assessment_fields=GATE, now=NOW,
    )  # fmt: skip
    assert (draft.status, draft.missing) == ("draft", ("expected_benefit",))
    done = submit_request(
        store,
        {"title": "New CRM", "division": "Finance", "estimated_cost": "120000",
         "expected_benefit": "300000"},
        user="rita", key="r2", assessment_fields=GATE, request_id=draft.record_id, now=NOW,
    )  # fmt: skip
    assert (done.record_id, done.status, done.missing) == (draft.record_id, "submitted", ())
    assert rows(
        store, "SELECT status FROM requests WHERE request_id = ? ORDER BY load_id",
        [draft.record_id],
    ) == [("draft",), ("submitted",)]  # fmt: skip
    with pytest.raises(FormError, match="not one of your requests"):
        submit_request(
            store, {"title": "Mine now", "division": "Finance"}, user="mallory", key="r3",
            assessment_fields=GATE, request_id=draft.record_id, now=NOW,
        )  # fmt: skip


def test_division_manager_cannot_request_for_another_division(store):
    before = version(store)
    with pytest.raises(FormError, match="Finance only"):
        submit_request(
            store, {"title": "Forged", "division": "Operations"}, user="dm", key="x",
            assessment_fields=GATE, allowed_divisions=("Finance",), now=NOW,
        )  # fmt: skip
    assert version(store) == before


def test_thirty_concurrent_submissions_lose_nothing_and_apply_each_key_once(store):
    before = version(store)

    def submit(i: int):  # i and i + 30 are the same submission sent twice (a retry)
        n = i % 30
        return submit_request(
            store,
            {"title": f"Request {n}", "division": "Finance", "estimated_cost": str(1000 + n)},
            user=f"user{n}", key=f"key-{n}", assessment_fields=GATE, now=NOW,
        )  # fmt: skip

    with ThreadPoolExecutor(max_workers=12) as pool:
        results = list(pool.map(submit, range(40)))  # keys 0-9 are sent twice
    written = [r for r in results if not r.replay]
    assert len(written) == 30 and len([r for r in results if r.replay]) == 10
    found = rows(
        store, "SELECT request_id, title FROM requests WHERE source_file LIKE 'form: request by %'"
    )
    assert len(found) == 30 and len({r for r, _ in found}) == 30
    assert {t for _, t in found} == {f"Request {i}" for i in range(30)}
    runs = rows(store, "SELECT count(*), count(DISTINCT file_sha256) FROM load_runs "
                "WHERE file_format = 'form'")  # fmt: skip
    assert runs == [(30, 30)]
    assert len({r.load_id for r in written}) == 30  # one load record per submission
    # Submissions waiting together are folded into one publish: never more versions than loads.
    assert 1 <= version(store) - before <= 30
    assert {r.version for r in written} <= set(range(before + 1, version(store) + 1))
