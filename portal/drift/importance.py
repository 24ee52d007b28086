"""What a model looks at: permutation importance of each input on the reference sample.

Shuffling one input at a time and measuring how much worse the predictions get needs nothing
but the model's predict, so it works for every flavour MLflow can load. Scored against the
reference's true outcomes where it has them, otherwise against the model's own predictions
(how much they change when the input is scrambled).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from portal.domain.importance import InputImportance, rank_importance
from portal.drift.context import ModelContext

# Columns of a reference sample that are not inputs.
NOT_INPUTS = frozenset({"label", "prediction", "score", "timestamp"})
# Rows and repeats: 1 to 8 s per demo model on 2 cores; fewer rows reorder the top five.
IMPORTANCE_ROWS = 1000
REPEATS = 3
SEED = 42
# A numeric target with more distinct values than this is a quantity, not a class.
_MAX_CLASSES = 20


class ImportanceUnavailable(Exception):
    """Importance cannot be computed for this model; str(exc) says why, in plain words."""


def compute_importance(context: ModelContext) -> tuple[InputImportance, ...]:
    """Each input's permutation importance for the context's model version, ranked."""
    from sklearn.inspection import permutation_importance

    if context.model_version is None:
        raise ImportanceUnavailable("the production version is not known")
    model = context.artifacts.load_model(context.model_name, context.model_version)
    inputs = _inputs(model, context.reference)
    frame = _sample(context.reference)
    features = frame[inputs]
    target, basis = _target(model, frame, features, context.min_rows)
    if len(target) < context.min_rows:
        raise ImportanceUnavailable(
            f"the reference sample has {len(target)} rows, fewer than {context.min_rows}"
        )
    features = features.loc[target.index]
    scorer = _scorer(_is_classifier(model, target))
    found = permutation_importance(
        _Predictor(model),
        features,
        target.to_numpy(),
        scoring=scorer,
        n_repeats=REPEATS,
        random_state=SEED,
        n_jobs=1,
    )
    return rank_importance(
        [
            (name, float(mean), float(std))
            for name, mean, std in zip(
                inputs, found.importances_mean, found.importances_std, strict=True
            )
        ],
        basis,
    )


def _inputs(model: Any, reference: pd.DataFrame) -> list[str]:
    """The inputs the model takes, in its order; those the reference lacks stop the measure."""
    present = [column for column in reference.columns if column not in NOT_INPUTS]
    expected = _expected_inputs(model)
    if expected is None:
        if not present:
            raise ImportanceUnavailable("the reference sample has no input columns")
        return present
    missing = [name for name in expected if name not in reference.columns]
    if missing:
        raise ImportanceUnavailable(
            "the reference sample lacks inputs the model needs: " + ", ".join(missing[:5])
        )
    return expected


def _expected_inputs(model: Any) -> list[str] | None:
    """Input names from the fitted estimator or the logged signature; None when neither says."""
    names = getattr(model, "feature_names_in_", None)
    if names is not None:
        return [str(name) for name in names]
    metadata = getattr(model, "metadata", None)
    schema = metadata.get_input_schema() if metadata is not None else None
    if schema is not None and schema.has_input_names():
        return list(schema.input_names())
    return None


def _sample(reference: pd.DataFrame) -> pd.DataFrame:
    if len(reference) <= IMPORTANCE_ROWS:
        return reference
    return reference.sample(n=IMPORTANCE_ROWS, random_state=SEED)


def _target(
    model: Any, frame: pd.DataFrame, features: pd.DataFrame, min_rows: int
) -> tuple[pd.Series, str]:
    """The true outcomes where enough are known, else the model's own predictions."""
    if "label" in frame.columns:
        labels = frame["label"].dropna()
        if len(labels) >= min_rows:
            return labels, "label"
    predicted = np.asarray(_Predictor(model).predict(features)).reshape(len(features), -1)[:, 0]
    return pd.Series(predicted, index=features.index), "predictions"


def _is_classifier(model: Any, target: pd.Series) -> bool:
    """A scikit-learn model says what it is; for other flavours the target's values tell."""
    from sklearn.base import BaseEstimator, is_classifier, is_regressor

    if isinstance(model, BaseEstimator) and (is_classifier(model) or is_regressor(model)):
        return is_classifier(model)
    kind = target.dtype.kind
    return kind in "ObUS" or (kind in "iu" and target.nunique() <= _MAX_CLASSES)


def _scorer(classifier: bool):
    """Accuracy for classes, R² for quantities: both 1 at best, so drops compare across models."""
    from sklearn.metrics import accuracy_score, r2_score

    def score(estimator: _Predictor, features: pd.DataFrame, target: np.ndarray) -> float:
        predicted = np.asarray(estimator.predict(features)).reshape(len(features), -1)[:, 0]
        if classifier:
            return float(accuracy_score(*_comparable(target, predicted)))
        return float(r2_score(target.astype(float), predicted.astype(float)))

    return score


def _comparable(truth: np.ndarray, predicted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Classes as numbers where both sides are numbers (a label 1.0 is the class 1), else text."""
    try:
        return truth.astype(float), predicted.astype(float)
    except (TypeError, ValueError):
        return truth.astype(str), predicted.astype(str)


class _Predictor:
    """Only predict, as scikit-learn's permutation importance needs from a pyfunc model too."""

    def __init__(self, model: Any) -> None:
        self.model = model

    def fit(self, *_: Any) -> _Predictor:
        """Fitted already; scikit-learn checks that the method exists and never calls it here."""
        return self

    def predict(self, features: pd.DataFrame) -> Any:
        return self.model.predict(features)
