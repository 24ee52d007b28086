"""Fit, evaluate and sample one demo model version with scikit-learn."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn import metrics
from sklearn.base import BaseEstimator
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from portal.demo.datasets import Split, Task

REFERENCE_ROWS = 2000


@dataclass(frozen=True)
class TrainedModel:
    """A fitted pipeline with its test metrics and a reference sample of its training data."""

    pipeline: Pipeline
    metrics: dict[str, float]
    reference: pd.DataFrame  # input features, `label`, `prediction` and classifiers' `score`


def train(
    split: Split, estimator: type[BaseEstimator], params: dict[str, Any], task: Task
) -> TrainedModel:
    """Fit a preprocessing + estimator pipeline and evaluate it on the test split."""
    pipeline = Pipeline(
        [("prepare", _preprocessor(split.x_train)), ("model", estimator(**params))]
    ).fit(split.x_train, split.y_train)
    scores = (
        _classification_metrics(pipeline, split)
        if task == "classification"
        else _regression_metrics(pipeline, split)
    )
    return TrainedModel(pipeline, scores, _reference(pipeline, split, task))


def _preprocessor(features: pd.DataFrame) -> ColumnTransformer:
    """One-hot encode text columns, impute and scale numbers."""
    categorical = features.select_dtypes(include=["object", "category"]).columns.tolist()
    numeric = [column for column in features.columns if column not in categorical]
    # A constant keeps "not recorded" distinguishable, e.g. houses without masonry veneer.
    categories = Pipeline(
        [
            ("impute", SimpleImputer(strategy="constant", fill_value="missing")),
            ("encode", OneHotEncoder(handle_unknown="ignore")),
        ]
    )
    numbers = Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())])
    return ColumnTransformer(
        [("categories", categories, categorical), ("numbers", numbers, numeric)]
    )


def _classification_metrics(pipeline: Pipeline, split: Split) -> dict[str, float]:
    """Standard binary classification scores; 1 is the outcome the model looks for."""
    probability = pipeline.predict_proba(split.x_test)[:, 1]
    predicted = (probability >= 0.5).astype(int)
    truth = split.y_test
    return {
        "accuracy": metrics.accuracy_score(truth, predicted),
        "roc_auc": metrics.roc_auc_score(truth, probability),
        "f1": metrics.f1_score(truth, predicted, zero_division=0),
        "precision": metrics.precision_score(truth, predicted, zero_division=0),
        "recall": metrics.recall_score(truth, predicted, zero_division=0),
        "log_loss": metrics.log_loss(truth, probability),
    }


def _regression_metrics(pipeline: Pipeline, split: Split) -> dict[str, float]:
    """Standard regression scores; mape is a fraction (0.1 = 10 %), as scikit-learn reports it."""
    predicted = pipeline.predict(split.x_test)
    truth = split.y_test
    return {
        "rmse": metrics.root_mean_squared_error(truth, predicted),
        "mae": metrics.mean_absolute_error(truth, predicted),
        "r2": metrics.r2_score(truth, predicted),
        "mape": metrics.mean_absolute_percentage_error(truth, predicted),
    }


def _reference(pipeline: Pipeline, split: Split, task: Task) -> pd.DataFrame:
    """The training sample drift is later measured against, with truth and prediction; for
    classifiers also `score`, the probability of class 1, which performance estimation needs."""
    features = split.x_train.head(REFERENCE_ROWS)
    outputs = {
        "label": split.y_train.loc[features.index].to_numpy(),
        "prediction": np.asarray(pipeline.predict(features)),
    }
    if task == "classification":
        outputs["score"] = pipeline.predict_proba(features)[:, 1]
    return features.assign(**outputs).reset_index(drop=True)
