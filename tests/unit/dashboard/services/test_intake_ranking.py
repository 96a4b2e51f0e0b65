"""Unit tests of the intake ranking on a tiny hand-made intake - no database, no browser."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.services import intake_ranking
from dashboard.services.intake_weights import weights_from_sliders
from tests.unit.dashboard.services.intake_cases import WEIGHTS, view


def test_rank_requests_with_pmo_toml_weights_moves_nothing_and_flags_missing_inputs():
    ranked = intake_ranking.rank_requests(view(), WEIGHTS, "weighted", include_decided=True)
    assert list(ranked["request_id"]) == ["R2", "R1", "R3", "R5", "R4"]
    assert list(ranked["rank"].astype("float64").fillna(0)) == [1, 2, 3, 4, 0]
    assert list(ranked["change"]) == ["–", "–", "–", "–", ""]
    unsized = ranked.set_index("request_id").loc["R4"]
    assert unsized["completeness"] == "Missing: Expected benefit"
    assert not unsized["complete"]
    assert intake_ranking.moves_text(ranked) == "Same weighted order as the pmo.toml weights."
    assert (
        intake_ranking.top_text(ranked, "weighted") == "Top by Weighted score: R2 Cheap win (100.0)"
    )


def test_rank_requests_shows_moves_against_pmo_toml_weights():
    weights, _ = weights_from_sliders(
        WEIGHTS, {"strategic_alignment": 100, "expected_benefit": 0, "estimated_cost": 0}
    )
    ranked = intake_ranking.rank_requests(view(), weights, "weighted", include_decided=True)
    ranked = ranked.set_index("request_id")
    # Alignment alone: R1 (5) > R4 (4) > R3 (3) > R2 (2) > R5 (1); R4 needs no benefit now.
    assert ranked.loc["R1", "rank"] == 1 and ranked.loc["R1", "change"] == "↑1"
    assert ranked.loc["R2", "change"] == "↓3"
    assert ranked.loc["R4", "change"] == "new"
    assert ranked.loc["R4", "completeness"] == "Complete"
    text = intake_ranking.moves_text(ranked.reset_index())
    assert text.startswith("Moved vs pmo.toml weights (3 requests): R2 Cheap win ↓3")
    assert "newly scored: R4 Unsized" in text


def test_rank_requests_by_wsjf_sorts_on_wsjf_and_names_its_missing_inputs():
    ranked = intake_ranking.rank_requests(view(), WEIGHTS, "wsjf", include_decided=True)
    wsjf = ranked["wsjf"].to_numpy()
    assert list(ranked["rank"]) == sorted(ranked["rank"])
    assert np.all(np.diff(wsjf) <= 0)
    assert ranked["complete"].all()  # WSJF needs no benefit or cost
    assert intake_ranking.top_text(ranked, "wsjf").startswith("Top by WSJF: R2")


def test_division_filter_keeps_portfolio_ranks():
    ranked = intake_ranking.rank_requests(
        view(("Finance",)), WEIGHTS, "weighted", include_decided=True
    )
    assert list(ranked["request_id"]) == ["R1", "R3", "R4"]
    assert list(ranked["rank"].astype("float64").fillna(0)) == [2, 3, 0]


def test_rank_requests_does_not_mutate_the_cached_data():
    v = view()
    before = v.data.base.copy()
    weights, _ = weights_from_sliders(WEIGHTS, {"estimated_cost": 90})
    intake_ranking.rank_requests(v, weights, "rice")
    pd.testing.assert_frame_equal(v.data.base, before)


def test_export_frame_has_readable_headers():
    exported = intake_ranking.export_frame(
        intake_ranking.rank_requests(view(), WEIGHTS, "weighted")
    )
    assert list(exported.columns[:6]) == [
        "Rank",
        "Weighted rank vs pmo.toml",
        "Request ID",
        "Title",
        "Division",
        "Status",
    ]
    assert exported.iloc[0]["Request ID"] == "R2"


def test_decided_requests_leave_the_ranking_by_default():
    ranked = intake_ranking.rank_requests(view(), WEIGHTS, "weighted")
    # R3 (deferred) and R5 (approved) are decided; the pool is R1, R2, R4 (R4 has no benefit).
    assert list(ranked["request_id"]) == ["R2", "R1", "R4"]
    assert list(ranked["rank"].astype("float64").fillna(0)) == [1, 2, 0]
    # Scored within the pool: R1 = 30 of R2's 35 weighted points (alignment vs benefit + cost).
    assert ranked.loc[1, "score"] == pytest.approx(100 * 30 / 35)
    assert list(ranked["name"]) == ["R2 Cheap win", "R1 Aligned", "R4 Unsized"]
    assert list(ranked["change"]) == ["–", "–", ""]
