"""Fill an empty MLflow store with the demo models: real training runs over two simulated years."""

from __future__ import annotations

import hashlib
import logging
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import groupby
from pathlib import Path

import mlflow
import mlflow.data
import mlflow.sklearn
import pandas as pd
from mlflow import MlflowClient
from mlflow.entities import Metric, Param
from mlflow.entities.model_registry import ModelVersion
from mlflow.models import ModelSignature, infer_signature

from portal.demo.catalog import DEMO_TAG, MODELS, ModelSpec, RegistryChange, VersionSpec
from portal.demo.datasets import SPLIT_SEED, Split, load_split, without_features
from portal.demo.training import TrainedModel, train

Checkpoint = Callable[[datetime], None]

REGISTRATION_HOUR = 10
TRAINING_DURATION = timedelta(minutes=40)
SIGNATURE_ROWS = 500
# skops refuses to load types it does not know; these are the ones the demo pipelines contain.
SKOPS_TRUSTED_TYPES = ["numpy.dtype", "sklearn.tree._tree.Tree"]


@dataclass(frozen=True)
class DemoSummary:
    """What a demo build produced."""

    model_names: tuple[str, ...]
    versions: dict[str, tuple[int, ...]]  # model name -> version numbers still registered
    checkpoints: int
    elapsed_seconds: float


@dataclass(frozen=True)
class _Registration:
    """A step of the timeline: train, log and register one version."""

    at: datetime
    model: ModelSpec
    number: int
    version: VersionSpec


@dataclass(frozen=True)
class _Change:
    """A step of the timeline: move an alias or stage, or delete a version."""

    at: datetime
    model: ModelSpec
    change: RegistryChange


_Step = _Registration | _Change


def build_demo_registry(
    tracking_uri: str, artifact_root: Path, today: date, checkpoint: Checkpoint
) -> DemoSummary:
    """Train, log and register the demo models, calling `checkpoint` after each simulated moment."""
    started = time.perf_counter()
    checkpoints = 0
    with _mlflow_session(tracking_uri), tempfile.TemporaryDirectory() as scratch:
        # Created inside the session: an empty store logs its table creation at INFO level.
        client = MlflowClient(tracking_uri, registry_uri=tracking_uri)
        writer = _RegistryWriter(client, artifact_root, Path(scratch))
        for at, steps in groupby(_timeline(today), key=lambda step: step.at):
            for step in steps:
                writer.apply(step)
            checkpoint(at)
            checkpoints += 1
        versions = {model.name: _registered_versions(client, model.name) for model in MODELS}
    return DemoSummary(
        model_names=tuple(model.name for model in MODELS),
        versions=versions,
        checkpoints=checkpoints,
        elapsed_seconds=time.perf_counter() - started,
    )


def _timeline(today: date) -> list[_Step]:
    """Every registration and registry change of all models, oldest first."""
    midnight = datetime(today.year, today.month, today.day)
    steps: list[_Step] = []
    for model in MODELS:
        for number, version in enumerate(model.versions, start=1):
            at = _moment(midnight, version.days_ago, REGISTRATION_HOUR)
            steps.append(_Registration(at, model, number, version))
        for change in model.changes:
            steps.append(_Change(_moment(midnight, change.days_ago, change.hour), model, change))
    # Within one moment a version must exist before an alias can point to it.
    return sorted(steps, key=lambda step: (step.at, isinstance(step, _Change)))


@contextmanager
def _mlflow_session(tracking_uri: str) -> Iterator[None]:
    """Point the fluent API at the demo store and keep MLflow quiet; restore both afterwards."""
    previous_uri = mlflow.get_tracking_uri() if mlflow.is_tracking_uri_set() else None
    logger = logging.getLogger("mlflow")
    previous_level = logger.level
    mlflow.set_tracking_uri(tracking_uri)
    logger.setLevel(logging.WARNING)
    try:
        with warnings.catch_warnings():
            # The demo data has integer columns without gaps; MLflow's hint about them is noise.
            warnings.filterwarnings("ignore", message="Hint: Inferred schema contains integer")
            yield
    finally:
        logger.setLevel(previous_level)
        mlflow.set_tracking_uri(previous_uri)  # type: ignore[arg-type]  # None unsets it


class _RegistryWriter:
    """Applies timeline steps to one MLflow store."""

    def __init__(self, client: MlflowClient, artifact_root: Path, scratch: Path) -> None:
        self._client = client
        self._artifact_root = artifact_root
        self._scratch = scratch
        self._experiments: dict[str, str] = {}

    def apply(self, step: _Step) -> None:
        """Perform one step of the timeline."""
        if isinstance(step, _Registration):
            self._register(step)
        else:
            self._change(step.model, step.change)

    def _register(self, step: _Registration) -> None:
        """Train and log a version in a run dated at its simulated time, then register it."""
        model, version = step.model, step.version
        if model.name not in self._experiments:
            self._create_model(model)
        split = without_features(load_split(model.dataset), version.dropped_features)
        trained = train(split, version.estimator, dict(version.params), model.dataset.task)
        started = step.at - TRAINING_DURATION
        run_id = self._client.create_run(
            self._experiments[model.name],
            start_time=_millis(started),
            run_name=f"{model.slug}-{step.at:%Y%m%d}",
            tags=_run_tags(model, step.number, version),
        ).info.run_id
        with mlflow.start_run(run_id=run_id):
            model_uri, model_id = self._log_version(run_id, step, split, trained)
        # Closing the fluent run stamps the real clock; the simulated end time wins.
        self._client.set_terminated(run_id, end_time=_millis(step.at - timedelta(minutes=5)))
        # The SQL registry resolves a models:/ source through the global tracking URI, which
        # _mlflow_session points at this store.
        created = self._client.create_model_version(
            model.name,
            source=model_uri,
            run_id=run_id,
            model_id=model_id,
            tags=dict(version.tags),
            description=version.description,
        )
        _ensure_ready(created)

    def _create_model(self, model: ModelSpec) -> None:
        """Create the model's experiment under the artifact root, and the registered model."""
        location = (self._artifact_root / model.slug).as_uri()
        self._experiments[model.name] = self._client.create_experiment(
            model.slug, artifact_location=location, tags={DEMO_TAG: "true"}
        )
        self._client.create_registered_model(
            model.name, tags=dict(model.tags), description=model.description or None
        )

    def _log_version(
        self, run_id: str, step: _Registration, split: Split, trained: TrainedModel
    ) -> tuple[str, str]:
        """Log datasets, parameters, metrics, reference data and the model into the active run."""
        spec = step.model.dataset
        for frame, target, context in (
            (split.x_train, split.y_train, "training"),
            (split.x_test, split.y_test, "evaluation"),
        ):
            dataset = mlflow.data.from_pandas(
                frame.assign(**{spec.target: target}),
                source=spec.source_url,
                name=f"{spec.package}/{spec.item}",
                targets=spec.target,
            )
            mlflow.log_input(dataset, context=context)
        logged_at = _millis(step.at - timedelta(minutes=6))
        self._client.log_batch(
            run_id,
            metrics=[Metric(key, value, logged_at, 0) for key, value in trained.metrics.items()],
            params=[Param(key, value) for key, value in _params(step.version, split).items()],
        )
        mlflow.log_artifact(
            str(self._reference_file(step.model, step.number, trained.reference)), "reference"
        )
        info = mlflow.sklearn.log_model(
            trained.pipeline,
            name="model",
            signature=_signature(trained.reference),
            serialization_format=mlflow.sklearn.SERIALIZATION_FORMAT_SKOPS,
            skops_trusted_types=SKOPS_TRUSTED_TYPES,
            # Explicit requirements skip MLflow's inference, which loads the model in a subprocess.
            pip_requirements=mlflow.sklearn.get_default_pip_requirements(include_skops=True),
        )
        return info.model_uri, info.model_id

    def _reference_file(self, model: ModelSpec, number: int, reference: pd.DataFrame) -> Path:
        """Write the reference sample where the artifact keeps its expected name."""
        folder = self._scratch / model.slug / str(number)
        folder.mkdir(parents=True)
        path = folder / "reference.parquet"
        reference.to_parquet(path, index=False)
        return path

    def _change(self, model: ModelSpec, change: RegistryChange) -> None:
        """Move an alias or legacy stage, or delete a version."""
        version = str(change.version)
        if change.kind == "alias":
            self._client.set_registered_model_alias(model.name, change.value, version)
        elif change.kind == "stage":
            with warnings.catch_warnings():
                # Stages are deprecated, but older registries still use them; that is the point.
                warnings.simplefilter("ignore", FutureWarning)
                self._client.transition_model_version_stage(
                    model.name, version, change.value, archive_existing_versions=True
                )
        else:
            self._client.delete_model_version(model.name, version)


def _run_tags(model: ModelSpec, number: int, version: VersionSpec) -> dict[str, str]:
    """Lineage tags MLflow would set when run from a git checkout."""
    return {
        "mlflow.user": version.author,
        "mlflow.source.name": model.source_name,
        "mlflow.source.type": "NOTEBOOK" if model.source_name.endswith(".ipynb") else "LOCAL",
        "mlflow.source.git.commit": _git_commit(model.name, number),
        DEMO_TAG: "true",
    }


def _git_commit(model_name: str, number: int) -> str:
    """A stable, made-up 40-hex commit sha for a model version."""
    return hashlib.sha1(f"{model_name}@{number}".encode()).hexdigest()


def _params(version: VersionSpec, split: Split) -> dict[str, str]:
    """Hyperparameters plus the data facts a reviewer asks for first."""
    return {
        "estimator": version.estimator.__name__,
        **{key: str(value) for key, value in version.params.items()},
        "features": str(split.x_train.shape[1]),
        "train_rows": str(len(split.x_train)),
        "test_rows": str(len(split.x_test)),
        "split_seed": str(SPLIT_SEED),
    }


def _signature(reference: pd.DataFrame) -> ModelSignature:
    """Input and output schema from a sample; inferring it from every row costs seconds."""
    sample = reference.head(SIGNATURE_ROWS)
    inputs = sample.drop(columns=["label", "prediction", "score"], errors="ignore")
    return infer_signature(inputs, sample["prediction"])


def _ensure_ready(version: ModelVersion) -> None:
    """Stop the build if MLflow did not finish a registration."""
    if version.status != "READY":
        raise RuntimeError(f"{version.name} v{version.version} is {version.status}, not READY")


def _registered_versions(client: MlflowClient, name: str) -> tuple[int, ...]:
    """Version numbers MLflow still lists for a model."""
    found = client.search_model_versions(f"name = '{name}'")
    return tuple(sorted(int(version.version) for version in found))


def _moment(midnight: datetime, days_ago: int, hour: int) -> datetime:
    """A simulated moment: `hour` o'clock, `days_ago` days before the demo's today."""
    return midnight - timedelta(days=days_ago) + timedelta(hours=hour)


def _millis(moment: datetime) -> int:
    """Milliseconds since the epoch for a naive UTC datetime, as MLflow stores times."""
    return round((moment - datetime(1970, 1, 1)).total_seconds() * 1000)
