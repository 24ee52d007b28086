"""Permutation importance of real models logged to a real MLflow store: a skops-saved tree
ensemble (the trusted-types case), a pickled model, and a generic pyfunc model."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import mlflow
import mlflow.pyfunc
import mlflow.sklearn
import pandas as pd
import pytest
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import Ridge
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder

from portal.drift.context import ModelContext
from portal.drift.importance import ImportanceUnavailable, compute_importance
from portal.sources.mlflow_source import MlflowSource, MlflowUnavailable
from tests.support.drift_fixtures import NOW, churn_rows

# The types the pipeline's trees need; MLflow records them in the model's MLmodel file.
TRUSTED = ["numpy.dtype", "sklearn.tree._tree.Tree"]
INPUTS = ["tenure", "monthly_charges", "contract"]
FOREST = "churn-forest"
PICKLED = "churn-pickled"
RIDGE = "charges-ridge"
GENERIC = "churn-generic"
ALLOW = "MLFLOW_ALLOW_PICKLE_DESERIALIZATION"


class TenureRule(mlflow.pyfunc.PythonModel):
    """A generic model that looks at tenure only: short tenure means the customer leaves."""

    def predict(self, context, model_input, params=None):
        return (model_input["tenure"] < 30).astype(int).to_numpy()


@dataclass(frozen=True)
class Registry:
    tracking_uri: str
    reference: pd.DataFrame  # tenure, monthly_charges, contract, prediction, score, label


def _forest() -> Pipeline:
    """Churn depends on tenure and monthly charges (churn_rows); the contract is noise."""
    encode = ColumnTransformer(
        [("contract", OneHotEncoder(handle_unknown="ignore"), ["contract"])],
        remainder="passthrough",
    )
    model = RandomForestClassifier(n_estimators=30, max_depth=6, random_state=0)
    return Pipeline([("prepare", encode), ("model", model)])


@pytest.fixture(scope="module")
def registry(tmp_path_factory) -> Registry:
    folder = tmp_path_factory.mktemp("importance-mlflow")
    uri = f"sqlite:///{folder / 'mlflow.db'}"
    training = churn_rows(3000, seed=7)
    reference = churn_rows(1500, seed=8)
    with fluent_mlflow(uri):
        experiment = mlflow.create_experiment("churn", artifact_location=(folder / "a").as_uri())
        forest = _forest().fit(training[INPUTS], training["label"])
        ridge = Ridge().fit(training[["tenure"]], training["monthly_charges"])
        with mlflow.start_run(experiment_id=experiment):
            mlflow.sklearn.log_model(
                forest,
                name="forest",
                serialization_format=mlflow.sklearn.SERIALIZATION_FORMAT_SKOPS,
                skops_trusted_types=TRUSTED,
                registered_model_name=FOREST,
                pip_requirements=["scikit-learn"],
            )
            mlflow.sklearn.log_model(
                forest,
                name="pickled",
                serialization_format=mlflow.sklearn.SERIALIZATION_FORMAT_CLOUDPICKLE,
                registered_model_name=PICKLED,
                pip_requirements=["scikit-learn"],
            )
            mlflow.sklearn.log_model(
                ridge,
                name="ridge",
                serialization_format=mlflow.sklearn.SERIALIZATION_FORMAT_SKOPS,
                registered_model_name=RIDGE,
                pip_requirements=["scikit-learn"],
            )
            mlflow.pyfunc.log_model(
                name="generic",
                python_model=TenureRule(),
                input_example=reference[INPUTS].head(5),
                registered_model_name=GENERIC,
                pip_requirements=["pandas"],
            )
    return Registry(uri, reference)


@contextmanager
def fluent_mlflow(uri: str) -> Iterator[None]:
    """MLflow's fluent API (process-wide) pointed at `uri`, and nothing of it left behind: its
    own setters would leave the previous URIs set explicitly (and in the environment), which
    later tests' clients would then use instead of their own stores."""
    from mlflow.tracking._model_registry import utils as registry
    from mlflow.tracking._tracking_service import utils as tracking

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tracking, "_tracking_uri", uri)
        patch.setattr(registry, "_registry_uri", uri)
        patch.setenv("MLFLOW_TRACKING_URI", uri)
        patch.setenv("MLFLOW_REGISTRY_URI", uri)
        yield


def context(registry: Registry, name: str, reference: pd.DataFrame | None = None) -> ModelContext:
    return ModelContext(
        model_name=name,
        model_version=1,
        run_id="",
        tags={},
        reference=registry.reference if reference is None else reference,
        weeks=(),
        current=(NOW, NOW),
        min_rows=30,
        sample_rows=20000,
        now=NOW,
        rows=lambda start, end: pd.DataFrame(),
        artifacts=MlflowSource(registry.tracking_uri),
    )


def test_a_skops_tree_ensemble_loads_with_its_trusted_types_and_ranks_its_inputs(
    registry, monkeypatch
):
    monkeypatch.delenv(ALLOW, raising=False)
    found = compute_importance(context(registry, FOREST))
    assert [item.feature for item in found][:2] in (
        ["monthly_charges", "tenure"],
        ["tenure", "monthly_charges"],
    )
    assert [item.rank for item in found] == [1, 2, 3]
    shares = {item.feature: item.share for item in found}
    assert sum(shares.values()) == pytest.approx(1.0)
    assert shares["contract"] < 0.05  # the label never depended on it
    assert shares["monthly_charges"] > 0.3 and shares["tenure"] > 0.3
    assert {item.basis for item in found} == {"label"}
    assert all(item.std >= 0 for item in found)
    # Only this one load was allowed: the process-wide switch is as before.
    assert ALLOW not in __import__("os").environ


def test_the_same_seed_gives_the_same_importance(registry):
    first = compute_importance(context(registry, FOREST))
    assert compute_importance(context(registry, FOREST)) == first


def test_without_labels_the_model_is_scored_against_its_own_predictions(registry):
    unlabelled = registry.reference.drop(columns=["label"])
    found = compute_importance(context(registry, RIDGE, unlabelled))
    # The ridge model takes tenure only: the other reference columns are not its inputs.
    assert [(item.feature, item.share, item.basis) for item in found] == [
        ("tenure", 1.0, "predictions")
    ]
    assert found[0].mean == pytest.approx(2.0, abs=0.3)  # R² 1 -> about -1 when shuffled


def test_a_pickled_model_is_refused_unless_the_operator_allows_pickle(registry, monkeypatch):
    monkeypatch.delenv(ALLOW, raising=False)
    with pytest.raises(MlflowUnavailable, match="saved with pickle, which can run any code"):
        compute_importance(context(registry, PICKLED))
    monkeypatch.setenv(ALLOW, "true")
    found = compute_importance(context(registry, PICKLED))
    assert {item.feature for item in found} == set(INPUTS)


def test_a_generic_pyfunc_model_is_measured_through_predict(registry, monkeypatch):
    monkeypatch.setenv(ALLOW, "true")  # a python model is cloudpickled: the operator's choice
    found = compute_importance(context(registry, GENERIC))
    shares = {item.feature: item.share for item in found}
    assert shares == {"tenure": 1.0, "monthly_charges": 0.0, "contract": 0.0}


def test_missing_inputs_and_unknown_versions_say_why(registry):
    without_tenure = registry.reference.drop(columns=["tenure"])
    with pytest.raises(ImportanceUnavailable, match="lacks inputs the model needs: tenure"):
        compute_importance(context(registry, FOREST, without_tenure))
    with pytest.raises(MlflowUnavailable, match="does not know the requested object"):
        MlflowSource(registry.tracking_uri).load_model(FOREST, 9)


def test_a_missing_store_is_a_clear_error(tmp_path):
    source = MlflowSource(f"sqlite:///{tmp_path / 'absent.db'}")
    with pytest.raises(MlflowUnavailable, match="does not exist"):
        source.load_model(FOREST, 1)
    assert not (tmp_path / "absent.db").exists()


def test_the_model_files_are_not_left_behind(registry, tmp_path, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    MlflowSource(registry.tracking_uri).load_model(FOREST, 1)
    assert list(Path(tmp_path).iterdir()) == []
