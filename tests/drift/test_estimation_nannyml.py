"""NannyML as installed reproduces its documented examples, and reports no usage.

The expected values are those printed in NannyML 0.13.1's tutorials (docs/example_notebooks:
"Estimating Standard Performance Metrics - Binary Classification" and "Estimating Performance -
Regression"), on the synthetic datasets that ship inside the package.
"""

from __future__ import annotations

import pytest

from portal.drift.estimation import _nannyml

# roc_auc per chunk of 5,000 rows of the car loan analysis period, and the alert flags.
CAR_LOAN_ROC_AUC = [
    0.970744,
    0.971011,
    0.971407,
    0.971091,
    0.971123,
    0.961090,
    0.961825,
    0.961073,
    0.962533,
    0.961316,
]
# rmse per chunk of 6,000 rows of the car price analysis period.
CAR_PRICE_RMSE = [
    1067.21,
    1063.13,
    1054.16,
    1060.67,
    1055.23,
    928.513,
    928.916,
    927.916,
    930.426,
    919.398,
]
DRIFTED = [False] * 5 + [True] * 5


@pytest.fixture(scope="module")
def nml():
    return _nannyml()


@pytest.fixture
def no_usage_reports(nml, monkeypatch):
    """Record every usage event NannyML would send to Segment."""
    from nannyml import usage_logging

    sent: list[str] = []
    monkeypatch.setattr(
        usage_logging.DEFAULT_USAGE_LOGGER, "_log", lambda event, metadata: sent.append(event)
    )
    return sent


def test_cbpe_reproduces_the_documented_car_loan_estimate(nml, no_usage_reports):
    reference, analysis, _ = nml.load_synthetic_car_loan_dataset()
    estimator = nml.CBPE(
        y_pred_proba="y_pred_proba",
        y_pred="y_pred",
        y_true="repaid",
        timestamp_column_name="timestamp",
        metrics=["roc_auc", "accuracy", "f1"],
        chunk_size=5000,
        problem_type="classification_binary",
    )
    estimator.fit(reference)
    table = estimator.estimate(analysis).filter(period="analysis").to_df()
    assert len(table) == 10
    assert table[("roc_auc", "value")].tolist() == pytest.approx(CAR_LOAN_ROC_AUC, abs=1e-6)
    assert table[("roc_auc", "alert")].tolist() == DRIFTED
    assert table[("roc_auc", "lower_threshold")].iloc[0] == pytest.approx(0.963317, abs=1e-6)
    assert table[("roc_auc", "upper_threshold")].iloc[0] == pytest.approx(0.97866, abs=1e-5)
    # The band is the estimate ± 3 sampling errors; the documented error is 0.00181 (our
    # NumPy draws its bootstrap slightly differently: 0.00181 ± 0.00001).
    error = table[("roc_auc", "sampling_error")].iloc[0]
    assert error == pytest.approx(0.00181072, abs=1e-5)
    assert table[("roc_auc", "upper_confidence_boundary")].iloc[0] == pytest.approx(
        CAR_LOAN_ROC_AUC[0] + 3 * error, abs=1e-6
    )
    assert table[("accuracy", "alert")].tolist() == DRIFTED
    assert no_usage_reports == []


def test_dle_reproduces_the_documented_car_price_estimate(nml, no_usage_reports):
    reference, analysis, _ = nml.load_synthetic_car_price_dataset()
    estimator = nml.DLE(
        feature_column_names=[
            "car_age",
            "km_driven",
            "price_new",
            "accident_count",
            "door_count",
            "fuel",
            "transmission",
        ],
        y_pred="y_pred",
        y_true="y_true",
        timestamp_column_name="timestamp",
        metrics=["rmse"],
        chunk_size=6000,
        tune_hyperparameters=False,
        hyperparameters={"verbosity": -1},
    )
    estimator.fit(reference)
    table = estimator.estimate(analysis).filter(period="analysis").to_df()
    assert table[("rmse", "value")].tolist() == pytest.approx(CAR_PRICE_RMSE, abs=0.01)
    assert table[("rmse", "alert")].tolist() == DRIFTED
    assert table[("rmse", "sampling_error")].iloc[0] == pytest.approx(10.348, abs=0.001)
    assert no_usage_reports == []


def test_usage_reports_are_switched_off_before_nannyml_is_imported(nml):
    import os

    import segment.analytics

    assert "NML_DISABLE_USAGE_LOGGING" in os.environ
    # Segment's client starts (and its sending thread with it) on the first event only.
    assert segment.analytics.default_client is None
