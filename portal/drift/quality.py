"""Model quality on production rows whose true outcome has arrived."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn import metrics


def production_quality(window: pd.DataFrame, min_rows: int) -> tuple[int, dict[str, float]]:
    """Labelled row count and the metrics the training run reports for the same kind of model."""
    if "label" not in window.columns or "prediction" not in window.columns:
        return 0, {}
    rows = window.dropna(subset=["label", "prediction"])
    if len(rows) < min_rows:
        return len(rows), {}
    truth = pd.to_numeric(rows["label"], errors="coerce")
    predicted = pd.to_numeric(rows["prediction"], errors="coerce")
    usable = truth.notna() & predicted.notna()
    truth, predicted = truth[usable].to_numpy(float), predicted[usable].to_numpy(float)
    if len(truth) < min_rows:
        return len(truth), {}
    if _is_binary(truth) and _is_binary(predicted):
        scores = rows["score"][usable] if "score" in rows.columns else None
        return len(truth), _classification(truth, predicted, scores)
    return len(truth), {
        "mae": float(metrics.mean_absolute_error(truth, predicted)),
        "rmse": float(metrics.root_mean_squared_error(truth, predicted)),
    }


def _classification(
    truth: np.ndarray, predicted: np.ndarray, scores: pd.Series | None
) -> dict[str, float]:
    found = {
        "accuracy": float(metrics.accuracy_score(truth, predicted)),
        "f1": float(metrics.f1_score(truth, predicted, zero_division=0)),
    }
    if scores is not None:
        probability = pd.to_numeric(scores, errors="coerce").to_numpy(float)
        # ROC AUC needs both outcomes among the labels and a score for every row.
        if len(set(truth)) == 2 and not np.isnan(probability).any():
            found["roc_auc"] = float(metrics.roc_auc_score(truth, probability))
    return found


def _is_binary(values: np.ndarray) -> bool:
    return set(np.unique(values)) <= {0.0, 1.0}
