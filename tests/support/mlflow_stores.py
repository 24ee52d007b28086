"""Real MLflow stores with awkward cases, built in code with fixed seeds, and a local server."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from mlflow import MlflowClient
from mlflow.entities import Dataset, DatasetInput, InputTag, Metric

CONTRACT_TAGS = {
    "owner": "anna.schmidt@example.com",
    "team": "Customer Analytics",
    "business_process": "Retention campaigns",
    "business_unit": "Private Customers",
    "purpose": "Predict which customers are likely to cancel within 90 days",
    "intended_use": "Prioritise retention calls; advisory only",
    "limitations": "Not validated for business customers",
    "data_sources": "crm_contracts,billing_history,support_tickets",
    "decision_mode": "advisory",
    "criticality": "high",
}
VERSION_LIMITATIONS = "Not validated for customers younger than 6 months"
GIT_COMMIT = "3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39"
CODE_SOURCE = "train_churn.py"
TRAINING_USER = "anna.schmidt"
NAN_METRIC = "calibration_error"
UNICODE_MODEL = "Kündigungs Prognose – Geschäftskunden ü"
UNICODE_USER = "jürgen.müller"
SEED = 20240601
_BASE_MS = 1_717_200_000_000  # 2024-06-01 00:00 UTC
_SERVER_START_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class ExpectedDataset:
    """A dataset input as it was logged."""

    name: str
    digest: str
    source_type: str
    source: str
    context: str


@dataclass(frozen=True)
class ExpectedRun:
    """A run as it was logged; metrics hold the latest value per key, NaN included."""

    run_id: str
    experiment_name: str
    run_name: str
    status: str
    started_at: datetime
    ended_at: datetime
    user: str
    git_commit: str
    code_source: str
    metrics: dict[str, float] = field(default_factory=dict)
    params: dict[str, str] = field(default_factory=dict)
    datasets: tuple[ExpectedDataset, ...] = ()


@dataclass(frozen=True)
class AwkwardRegistry:
    """What build_awkward_registry put into the store, for tests to assert against."""

    tagged_model: str
    untagged_model: str
    legacy_stage_model: str
    deleted_version_model: str
    unicode_model: str
    deleted_run_model: str
    versions: dict[str, tuple[int, ...]]  # versions MLflow still lists, per model
    deleted_version: tuple[str, int]
    model_tags: dict[str, dict[str, str]]
    version_tags: dict[tuple[str, int], dict[str, str]]  # only versions that have tags
    aliases: dict[str, dict[str, int]]
    production_alias: tuple[str, str, int]  # model, alias, version
    stages: dict[tuple[str, int], str]  # every listed version's legacy stage
    version_runs: dict[tuple[str, int], str]  # run id behind each listed version
    runs: dict[str, ExpectedRun]  # active runs only
    deleted_run_id: str
    nan_metric: str


def _ms_to_datetime(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, tz=UTC).replace(tzinfo=None)


class _Builder:
    """Writes runs and versions through the MLflow client and records what it wrote."""

    def __init__(self, tracking_uri: str, artifact_root: Path) -> None:
        self.client = MlflowClient(tracking_uri=tracking_uri, registry_uri=tracking_uri)
        self.artifact_root = artifact_root
        self.rng = random.Random(SEED)
        self.runs: dict[str, ExpectedRun] = {}
        self._experiments: dict[str, str] = {}
        self._clock_ms = _BASE_MS

    def experiment(self, name: str) -> str:
        """Return the id of experiment `name`, creating it under the artifact root."""
        if name not in self._experiments:
            location = (self.artifact_root / name).as_uri()
            self._experiments[name] = self.client.create_experiment(
                name, artifact_location=location
            )
        return self._experiments[name]

    def run(
        self,
        experiment_name: str,
        run_name: str,
        *,
        tags: dict[str, str] | None = None,
        params: dict[str, str] | None = None,
        metric_history: dict[str, list[float]] | None = None,
        datasets: tuple[ExpectedDataset, ...] = (),
    ) -> str:
        """Log one run with a small model artifact and return its id."""
        tags = tags or {}
        started_ms = self._tick()
        run = self.client.create_run(
            self.experiment(experiment_name), start_time=started_ms, tags=tags, run_name=run_name
        )
        run_id = run.info.run_id
        metrics = [
            Metric(key, value, started_ms + step * 1000, step)
            for key, history in (metric_history or {}).items()
            for step, value in enumerate(history)
        ]
        self.client.log_batch(run_id, metrics=metrics, params=[], tags=[])
        for key, value in (params or {}).items():
            self.client.log_param(run_id, key, value)
        if datasets:
            self.client.log_inputs(run_id, [_dataset_input(dataset) for dataset in datasets])
        self.client.log_text(run_id, f"tiny model for {run_name}\n", "model/MLmodel")
        ended_ms = self._tick()
        self.client.set_terminated(run_id, status="FINISHED", end_time=ended_ms)
        self.runs[run_id] = ExpectedRun(
            run_id=run_id,
            experiment_name=experiment_name,
            run_name=run_name,
            status="FINISHED",
            started_at=_ms_to_datetime(started_ms),
            ended_at=_ms_to_datetime(ended_ms),
            user=tags.get("mlflow.user", "unknown"),
            git_commit=tags.get("mlflow.source.git.commit", ""),
            code_source=tags.get("mlflow.source.name", ""),
            metrics={key: history[-1] for key, history in (metric_history or {}).items()},
            params=dict(params or {}),
            datasets=datasets,
        )
        return run_id

    def version(self, model: str, run_id: str, tags: dict[str, str] | None = None) -> None:
        """Register the run's model as the next version of `model`."""
        self.client.create_model_version(
            model, source=f"runs:/{run_id}/model", run_id=run_id, tags=tags
        )

    def _tick(self) -> int:
        self._clock_ms += 60_000
        return self._clock_ms


def _dataset_input(dataset: ExpectedDataset) -> DatasetInput:
    return DatasetInput(
        Dataset(dataset.name, dataset.digest, dataset.source_type, dataset.source),
        tags=[InputTag("mlflow.data.context", dataset.context)],
    )


def _churn_history(rng: random.Random) -> dict[str, list[float]]:
    # The last logged value is deliberately not the best, so "latest" differs from "max".
    accuracy = round(rng.uniform(0.78, 0.88), 4)
    roc_auc = round(rng.uniform(0.82, 0.92), 4)
    return {
        "accuracy": [accuracy + 0.03, accuracy + 0.05, accuracy],
        "roc_auc": [roc_auc],
        NAN_METRIC: [float("nan")],
    }


def build_awkward_registry(tracking_uri: str, artifact_root: Path) -> AwkwardRegistry:
    """Fill an empty MLflow store with the awkward cases the portal must survive."""
    b = _Builder(tracking_uri, artifact_root)
    client = b.client
    training_tags = {
        "mlflow.user": TRAINING_USER,
        "mlflow.source.git.commit": GIT_COMMIT,
        "mlflow.source.name": CODE_SOURCE,
    }
    churn_data = (
        ExpectedDataset(
            name="churn-training",
            digest="9b1c4e7a",
            source_type="local",
            source='{"uri": "file:///data/churn/train.parquet"}',
            context="training",
        ),
        ExpectedDataset(
            name="churn-holdout",
            digest="5d3f0a2b",
            source_type="local",
            source='{"uri": "file:///data/churn/holdout.parquet"}',
            context="evaluation",
        ),
    )

    tagged = "churn-model"
    client.create_registered_model(tagged, tags=CONTRACT_TAGS, description="Churn risk score")
    churn_runs = [
        b.run(
            "churn",
            f"churn-train-{index}",
            tags=training_tags,
            params={"max_depth": str(3 + index), "learning_rate": "0.1", "seed": str(SEED)},
            metric_history=_churn_history(b.rng),
            datasets=churn_data,
        )
        for index in (1, 2, 3)
    ]
    version_tags = {(tagged, 2): {"limitations": VERSION_LIMITATIONS}}
    for version, run_id in enumerate(churn_runs, start=1):
        b.version(tagged, run_id, tags=version_tags.get((tagged, version)))
    client.set_registered_model_alias(tagged, "champion", "2")
    client.set_registered_model_alias(tagged, "challenger", "3")

    untagged = "bare-model"
    client.create_registered_model(untagged)
    bare_run = b.run("misc", "bare-run")
    b.version(untagged, bare_run)

    legacy = "legacy-stage-model"
    client.create_registered_model(legacy, tags={"owner": "old.team@example.com"})
    legacy_runs = [
        b.run("legacy", f"legacy-{index}", metric_history={"rmse": [round(b.rng.random(), 4)]})
        for index in (1, 2)
    ]
    for run_id in legacy_runs:
        b.version(legacy, run_id)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        client.transition_model_version_stage(legacy, "1", "Production")
        client.transition_model_version_stage(legacy, "2", "Staging")

    gappy = "deleted-version-model"
    client.create_registered_model(gappy)
    gappy_runs = [b.run("misc", f"gappy-{index}") for index in (1, 2, 3)]
    for run_id in gappy_runs:
        b.version(gappy, run_id)
    client.set_registered_model_alias(gappy, "champion", "2")
    client.delete_model_version(gappy, "2")

    unicode_run = b.run(
        "Geschäftskunden",
        "Lauf ü – 1",
        tags={"mlflow.user": UNICODE_USER, "mlflow.source.git.commit": GIT_COMMIT},
        params={"Schwellenwert": "0,5"},
        metric_history={"genauigkeit": [0.81]},
    )
    unicode_tags = {"owner": UNICODE_USER, "purpose": "Kündigungen früh erkennen – B2B"}
    client.create_registered_model(UNICODE_MODEL, tags=unicode_tags)
    b.version(UNICODE_MODEL, unicode_run)
    client.set_registered_model_alias(UNICODE_MODEL, "production", "1")

    orphaned = "orphaned-run-model"
    client.create_registered_model(orphaned)
    deleted_run = b.run("misc", "deleted-later")
    b.version(orphaned, deleted_run)
    client.delete_run(deleted_run)
    del b.runs[deleted_run]

    return AwkwardRegistry(
        tagged_model=tagged,
        untagged_model=untagged,
        legacy_stage_model=legacy,
        deleted_version_model=gappy,
        unicode_model=UNICODE_MODEL,
        deleted_run_model=orphaned,
        versions={
            tagged: (1, 2, 3),
            untagged: (1,),
            legacy: (1, 2),
            gappy: (1, 3),
            UNICODE_MODEL: (1,),
            orphaned: (1,),
        },
        deleted_version=(gappy, 2),
        model_tags={
            tagged: dict(CONTRACT_TAGS),
            untagged: {},
            legacy: {"owner": "old.team@example.com"},
            gappy: {},
            UNICODE_MODEL: unicode_tags,
            orphaned: {},
        },
        version_tags=version_tags,
        # Deleting version 2 also removed the alias that pointed at it.
        aliases={
            tagged: {"champion": 2, "challenger": 3},
            untagged: {},
            legacy: {},
            gappy: {},
            UNICODE_MODEL: {"production": 1},
            orphaned: {},
        },
        production_alias=(UNICODE_MODEL, "production", 1),
        stages={
            (tagged, 1): "None",
            (tagged, 2): "None",
            (tagged, 3): "None",
            (untagged, 1): "None",
            (legacy, 1): "Production",
            (legacy, 2): "Staging",
            (gappy, 1): "None",
            (gappy, 3): "None",
            (UNICODE_MODEL, 1): "None",
            (orphaned, 1): "None",
        },
        version_runs={
            (tagged, 1): churn_runs[0],
            (tagged, 2): churn_runs[1],
            (tagged, 3): churn_runs[2],
            (untagged, 1): bare_run,
            (legacy, 1): legacy_runs[0],
            (legacy, 2): legacy_runs[1],
            (gappy, 1): gappy_runs[0],
            (gappy, 3): gappy_runs[2],
            (UNICODE_MODEL, 1): unicode_run,
            (orphaned, 1): deleted_run,
        },
        runs=dict(b.runs),
        deleted_run_id=deleted_run,
        nan_metric=NAN_METRIC,
    )


def add_many_models(tracking_uri: str, count: int) -> list[str]:
    """Register `count` untagged models with one run-less version each; return their names."""
    client = MlflowClient(tracking_uri=tracking_uri, registry_uri=tracking_uri)
    names = [f"bulk-model-{index:04d}" for index in range(count)]
    for name in names:
        client.create_registered_model(name)
        client.create_model_version(name, source=f"file:///bulk-models/{name}")
    return names


def free_loopback_port() -> int:
    """Return a loopback port nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_mlflow_server(backend_store_uri: str, artifact_root: Path) -> Iterator[str]:
    """Serve `backend_store_uri` with `mlflow server` on a free loopback port; yield its URL."""
    port = free_loopback_port()
    url = f"http://127.0.0.1:{port}"
    command = [
        sys.executable,
        "-m",
        "mlflow",
        "server",
        "--backend-store-uri",
        backend_store_uri,
        "--default-artifact-root",
        artifact_root.as_uri(),
        "--no-serve-artifacts",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "1",
    ]
    env = {
        **os.environ,
        "MLFLOW_DISABLE_TELEMETRY": "true",
        # The job runner starts seven huey consumers: seconds of start-up and CPU for nothing.
        "MLFLOW_SERVER_ENABLE_JOB_EXECUTION": "false",
    }
    with tempfile.TemporaryFile() as log:
        # A new session makes the server and its worker processes one group to stop together.
        server = subprocess.Popen(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=artifact_root,
            start_new_session=True,
        )
        try:
            _wait_until_healthy(url, server, log)
            yield url
        finally:
            _stop(server)


def _wait_until_healthy(url: str, server: subprocess.Popen[bytes], log: IO[bytes]) -> None:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + _SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        with (
            contextlib.suppress(urllib.error.URLError, ConnectionError, TimeoutError),
            opener.open(f"{url}/health", timeout=2) as response,
        ):
            if response.status == 200:
                return
        time.sleep(0.25)
    log.seek(0)
    output = log.read().decode(errors="replace")
    raise RuntimeError(f"mlflow server at {url} did not become healthy:\n{output}")


def _stop(server: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        server.wait(timeout=10)
    # Workers that outlived the parent, or a parent that ignored SIGTERM, are killed outright.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGKILL)
    server.wait(timeout=10)
