"""The demo's story: property-valuation's last six weeks have no sale prices, and show an
estimate; the demo reference samples of classifiers carry the score the estimate needs."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from portal.demo.catalog import MODELS
from portal.demo.datasets import load_split, without_features
from portal.demo.inference import SCENARIOS, demo_inference_log
from portal.demo.training import REFERENCE_ROWS, train
from portal.domain.drift import weekly_windows
from portal.domain.estimation import ModelEstimate, pending_summary
from portal.drift.context import ModelContext
from portal.drift.estimation import estimate_with_reason
from portal.text.estimation import estimate_sentences
from tests.support.drift_fixtures import FakeArtifacts

NOW = datetime(2026, 3, 2)  # a Monday at midnight: the six unlabelled weeks are whole weeks
WEEKS = tuple(weekly_windows(NOW, 12))


def production(name: str, version: int):
    spec = next(model for model in MODELS if model.name == name)
    chosen = spec.versions[version - 1]
    split = without_features(load_split(spec.dataset), chosen.dropped_features)
    trained = train(split, chosen.estimator, dict(chosen.params), spec.dataset.task)
    return spec, chosen, trained


def demo_context(name: str, version: int) -> ModelContext:
    spec, chosen, trained = production(name, version)
    log = demo_inference_log(spec, chosen, SCENARIOS[name], NOW)

    def rows(start: datetime, end: datetime) -> pd.DataFrame:
        window = log[(log["timestamp"] >= start) & (log["timestamp"] < end)]
        return window.drop(columns="timestamp").reset_index(drop=True)

    return ModelContext(
        name,
        version,
        "run",
        {},
        trained.reference,
        WEEKS,
        WEEKS[-1],
        30,
        20_000,
        NOW,
        rows,
        FakeArtifacts({}),
    )


def test_property_valuation_shows_an_estimate_for_its_six_weeks_without_sale_prices():
    estimates, reason = estimate_with_reason(demo_context("property-valuation", 2))
    assert reason == ""
    estimate = ModelEstimate("property-valuation", 2, NOW, reason, estimates)
    assert estimate.metrics == ("mae", "rmse")
    mae = estimate.weeks_of("mae")
    assert [week.realized is None for week in mae] == [False] * 6 + [True] * 6
    assert all(week.rows > 900 and week.estimated and week.lower < week.upper for week in mae)
    summary = pending_summary(estimate)
    assert (summary.method, summary.weeks, summary.first_week) == ("dle", 6, WEEKS[6][0])
    # No drift in this scenario: the estimate stays near the training sample's error.
    assert abs(summary.drop) < 0.05
    [sentence, verdict] = estimate_sentences("en", estimate)
    assert sentence.startswith(
        "Estimated from the model's inputs and predictions: average error (MAE) about "
    )
    assert "in the last 6 weeks, whose outcomes are not known yet;" in sentence
    assert verdict == "That is within 5 % of training: no large drop is expected."


def test_demo_reference_samples_of_classifiers_carry_the_score():
    _, _, trained = production("customer-churn", 3)
    reference = trained.reference
    assert len(reference) == REFERENCE_ROWS
    assert {"label", "prediction", "score"} <= set(reference.columns)
    assert reference["score"].between(0, 1).all()
    # The score is the probability behind the prediction.
    assert ((reference["score"] >= 0.5).astype(int) == reference["prediction"]).mean() > 0.99
    _, _, regressor = production("property-valuation", 2)
    assert "score" not in regressor.reference.columns
