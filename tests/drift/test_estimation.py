"""Performance estimated from constructed production weeks: a classifier losing confidence, a
regressor meeting larger errors, and the models that cannot be estimated, each with its reason."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import numpy as np
import pandas as pd
import pytest

from portal.domain.drift import weekly_windows
from portal.domain.estimation import estimated_drop
from portal.drift.context import ModelContext
from portal.drift.estimation import estimate_performance, estimate_with_reason
from tests.support.drift_fixtures import NOW, FakeArtifacts, churn_rows

WEEKS = tuple(weekly_windows(NOW, 12))
WEEK_ROWS = 1400


def customers(rows: int, seed: int, spread: float = 2.0) -> pd.DataFrame:
    """A calibrated yes/no model: the score is the true probability of 'yes'. A smaller spread
    of the inputs puts more customers near 50 %, where the model can only guess."""
    rng = np.random.default_rng(seed)
    signal = rng.normal(0.0, spread, rows)
    region = rng.choice(["north", "south"], rows)
    score = 1 / (1 + np.exp(-signal))
    return pd.DataFrame(
        {
            "signal": signal,
            "region": region,
            "prediction": (score >= 0.5).astype(int),
            "score": score,
            "label": (rng.random(rows) < score).astype(int),
        }
    )


def houses(rows: int, seed: int, larger: float = 0.0) -> pd.DataFrame:
    """A valuation model whose errors grow with the house: larger houses, larger errors."""
    rng = np.random.default_rng(seed)
    area = rng.normal(120 + larger, 30, rows).clip(30, 400)
    rooms = rng.integers(1, 8, rows)
    price = 2000 * area + 10_000 * rooms
    return pd.DataFrame(
        {
            "area": area,
            "rooms": rooms,
            "district": rng.choice(["north", "south", "centre"], rows),
            "prediction": price,
            "label": price + rng.normal(0, 1, rows) * 100 * area,
        }
    )


def context(
    reference: pd.DataFrame, week: Callable[[int], pd.DataFrame], unlabelled_from: int = 12
) -> ModelContext:
    """A model whose week i holds week(i), without outcomes from week `unlabelled_from` on."""
    frames = {}
    for index, (start, _) in enumerate(WEEKS):
        frame = week(index)
        if index >= unlabelled_from:
            frame = frame.assign(label=np.nan)
        frames[start] = frame
    return ModelContext(
        model_name="model",
        model_version=2,
        run_id="r2",
        tags={},
        reference=reference,
        weeks=WEEKS,
        current=(NOW - timedelta(days=7), NOW),
        min_rows=30,
        sample_rows=20_000,
        now=NOW,
        rows=lambda start, end: frames[start],
        artifacts=FakeArtifacts({}),
    )


def by_week(estimates, metric: str) -> list:
    return [e for e in estimates if e.metric == metric]


@pytest.fixture(scope="module")
def losing_confidence():
    """Eight weeks as in training, then four whose inputs crowd around the model's 50 % mark;
    outcomes are known up to week 10."""
    model = context(
        customers(5000, seed=1),
        lambda i: customers(WEEK_ROWS, seed=100 + i, spread=2.0 if i < 8 else 0.6),
        unlabelled_from=10,
    )
    return model, estimate_performance(model)


def test_a_classifier_losing_confidence_is_estimated_to_drop(losing_confidence):
    model, estimates = losing_confidence
    auc = by_week(estimates, "roc_auc")
    assert [e.window_start for e in auc] == [start for start, _ in WEEKS]
    assert {e.method for e in estimates} == {"cbpe"}
    assert {e.metric for e in estimates} == {"roc_auc", "accuracy"}
    reference = auc[0].reference_value
    assert reference == pytest.approx(0.85, abs=0.02)
    # Weeks like training are estimated like training; the crowded weeks much lower.
    assert all(abs(e.estimated - reference) < 0.03 for e in auc[:8])
    assert all(e.estimated < reference - 0.12 for e in auc[8:])
    assert all(e.lower < e.estimated < e.upper for e in auc)
    # NannyML's own alert marks the crowded weeks only.
    assert [e.alert for e in auc] == [False] * 8 + [True] * 4
    # Measured where outcomes are known (1,400 each), not in the last two weeks.
    assert [e.labelled_rows for e in auc] == [WEEK_ROWS] * 10 + [0, 0]
    assert [e.realized is None for e in auc] == [False] * 10 + [True] * 2
    assert model.notes == []


def test_the_estimate_is_near_the_measured_quality_where_outcomes_are_known(losing_confidence):
    _, estimates = losing_confidence
    for metric in ("roc_auc", "accuracy"):
        weeks = by_week(estimates, metric)
        for week in weeks[:10]:
            assert week.realized == pytest.approx(week.estimated, abs=0.03), (metric, week)
        # Where production looks like training, the measured value lies within the band.
        # (NannyML sizes the band from the reference's sampling error, so in the changed weeks
        # it can be a little narrow.)
        for week in weeks[:8]:
            assert week.lower <= week.realized <= week.upper, (metric, week)


def test_the_drop_of_the_unlabelled_weeks_is_a_decay_signal(losing_confidence):
    _, estimates = losing_confidence
    signal = estimated_drop("model", estimates)
    assert signal is not None
    assert signal.detail == "roc_auc"
    assert signal.since == WEEKS[10][0]  # the first week whose outcomes are not known
    assert signal.value > 0.12


def test_a_classifier_like_training_gives_no_signal():
    model = context(
        customers(5000, seed=1), lambda i: customers(WEEK_ROWS, seed=200 + i), unlabelled_from=9
    )
    estimates = estimate_performance(model)
    assert len(by_week(estimates, "roc_auc")) == 12
    assert estimated_drop("model", estimates) is None


def test_a_regressor_meeting_larger_errors_is_estimated_with_dle():
    # property-valuation's story: the last six weeks have no sale prices; from week 8 on, the
    # houses are larger and the model's errors with them.
    model = context(
        houses(3000, seed=9),
        lambda i: houses(WEEK_ROWS, seed=300 + i, larger=60.0 if i >= 8 else 0.0),
        unlabelled_from=6,
    )
    estimates = estimate_performance(model)
    assert {e.method for e in estimates} == {"dle"}
    mae = by_week(estimates, "mae")
    assert len(mae) == 12 and len(by_week(estimates, "rmse")) == 12
    reference = mae[0].reference_value
    # The measured error of the labelled weeks is what DLE estimated for them.
    for week in mae[:6]:
        assert week.realized == pytest.approx(week.estimated, rel=0.08)
    assert [e.realized is None for e in mae] == [False] * 6 + [True] * 6
    # The larger houses' error: about 100 * 180 m² * 0.8 (the mean absolute normal), vs 9,600.
    assert all(e.estimated > 1.35 * reference for e in mae[8:])
    assert all(abs(e.estimated - reference) < 0.08 * reference for e in mae[:8])
    signal = estimated_drop("property-valuation", estimates)
    assert signal is not None and signal.since == WEEKS[8][0]


@pytest.mark.parametrize(
    ("reference", "week", "reason"),
    [
        (
            customers(500, 1).drop(columns="score"),
            lambda i: customers(200, i),
            "no_score",
        ),
        (customers(500, 1), lambda i: customers(200, i).drop(columns="score"), "no_score"),
        (
            customers(500, 1).drop(columns="label"),
            lambda i: customers(200, i),
            "no_reference_label",
        ),
        (
            customers(500, 1),
            lambda i: customers(200, i).drop(columns=["prediction", "score"]),
            "no_prediction",
        ),
        (
            customers(500, 1).assign(prediction=lambda f: f["prediction"] + f["label"] * 2),
            lambda i: customers(200, i),
            "not_supported",
        ),
        (customers(20, 1), lambda i: customers(200, i), "too_few_rows"),
    ],
)
def test_models_that_cannot_be_estimated_say_why(reference, week, reason):
    model = context(reference, week, unlabelled_from=10)
    assert estimate_with_reason(model) == ((), reason)
    assert model.notes == []  # a reason the drill-down shows, not a problem of the job


def test_a_model_whose_outcomes_are_all_known_needs_no_estimate():
    model = context(churn_rows(2000, seed=1), lambda i: churn_rows(300, seed=i))
    assert estimate_with_reason(model) == ((), "labels_complete")
    assert model.notes == []


def test_an_estimated_model_has_no_reason(losing_confidence):
    model, estimates = losing_confidence
    assert estimate_with_reason(model) == (estimates, "")
