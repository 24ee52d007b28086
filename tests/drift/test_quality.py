"""Production quality from labelled log rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from portal.drift.quality import production_quality


def test_classification_scores_with_probability_give_roc_auc():
    window = pd.DataFrame(
        {
            "prediction": [1, 0, 1, 0] * 25,
            "score": [0.9, 0.2, 0.6, 0.4] * 25,
            "label": [1, 0, 0, 0] * 25,
        }
    )
    rows, quality = production_quality(window, min_rows=30)
    assert rows == 100
    assert quality["accuracy"] == pytest.approx(0.75)
    assert quality["f1"] == pytest.approx(2 / 3)
    assert quality["roc_auc"] == pytest.approx(1.0)


def test_regression_gives_mae_and_rmse():
    window = pd.DataFrame({"prediction": [10.0, 20.0] * 20, "label": [12.0, 16.0] * 20})
    rows, quality = production_quality(window, min_rows=30)
    assert rows == 40
    assert quality == {"mae": pytest.approx(3.0), "rmse": pytest.approx(np.sqrt(10))}


def test_rows_without_outcome_do_not_count_and_too_few_give_no_metrics():
    window = pd.DataFrame({"prediction": [1.0] * 100, "label": [1.0] * 20 + [None] * 80})
    rows, quality = production_quality(window, min_rows=30)
    assert (rows, quality) == (20, {})


def test_no_label_column_means_no_quality():
    assert production_quality(pd.DataFrame({"prediction": [1, 0]}), min_rows=1) == (0, {})
