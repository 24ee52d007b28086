"""The drift checks on a real Ray cluster on loopback (2 CPUs): same results, lost workers."""

from __future__ import annotations

import os
import signal
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from portal.drift.executors import LocalExecutor, RayExecutor
from portal.drift.job import run_drift_job
from portal.store import open_store
from portal.store.drift_repo import DriftRepository
from tests.conftest import fill_base_history
from tests.support.drift_fixtures import NOW, FakeArtifacts, churn_logs, churn_rows, write_logs
from tests.support.ray_cluster import local_ray_cluster

pytestmark = pytest.mark.server

CHURN = "customer-churn"
DEMO_DAY = date(2026, 11, 30)
DEMO_NOW = datetime(2026, 11, 30, 12)
GERMAN = "Kündigung Geschäftskunden"


@pytest.fixture(scope="module")
def ray_address():
    with local_ray_cluster(cpus=2) as address:
        yield address


class KillingArtifacts(FakeArtifacts):
    """Kills the worker process that reads `doomed`'s reference: a node lost mid-check.

    With a marker file, only the first attempt dies, so the retry finds the worker healthy.
    """

    def __init__(self, references, doomed: str, once_marker: Path | None = None) -> None:
        super().__init__(references)
        self.doomed = doomed
        self.once_marker = once_marker

    def download_artifacts(self, run_id, artifact_path, destination):
        if run_id == self.doomed:
            if self.once_marker is None:
                os.kill(os.getpid(), signal.SIGKILL)
            elif not self.once_marker.exists():
                self.once_marker.write_text("killed once")
                os.kill(os.getpid(), signal.SIGKILL)
        return super().download_artifacts(run_id, artifact_path, destination)


@pytest.fixture(autouse=True)
def _pickled_by_value():
    """Ray's workers do not have the tests on their path: test classes travel by value."""
    import ray.cloudpickle

    import tests.drift.test_ray_executor as this
    import tests.support.drift_fixtures as fixtures

    ray.cloudpickle.register_pickle_by_value(this)
    ray.cloudpickle.register_pickle_by_value(fixtures)
    yield
    ray.cloudpickle.unregister_pickle_by_value(this)
    ray.cloudpickle.unregister_pickle_by_value(fixtures)


def _logs(settings) -> None:
    shifted = NOW - timedelta(days=7)
    write_logs(
        settings.inference_dir, CHURN, churn_logs(NOW - timedelta(days=21), 21, 200, 7, shifted)
    )
    write_logs(settings.inference_dir, GERMAN, churn_logs(NOW - timedelta(days=14), 14, 150, 8))
    write_logs(
        settings.inference_dir, "house-prices", churn_logs(NOW - timedelta(days=7), 7, 50, 3)
    )


def _comparable(store) -> list[tuple]:
    """Every stored check and its per-input results, without ids, times and executors."""
    repo = DriftRepository(store)
    rows = []
    for check in sorted(repo.history(), key=lambda r: (r["model_name"], str(r["window_start"]))):
        features = repo.features(check["id"])
        rows.append(
            (
                check["model_name"],
                check["window_kind"],
                check["window_start"],
                check["outcome"],
                check["status"],
                check["window_rows"],
                check["inputs_changed"],
                tuple((f["feature"], f["method"], round(f["score"] or 0, 12)) for f in features),
            )
        )
    return rows


def test_the_cluster_finds_what_the_server_finds(ray_address, tmp_path, settings, filled_store):
    settings = replace(settings, drift_history_weeks=3, drift_sample_rows=5000)
    _logs(settings)
    artifacts = FakeArtifacts({"r2": churn_rows(2000, seed=1), "r5": churn_rows(800, seed=2)})
    on_cluster = fill_base_history(open_store(tmp_path / "cluster.duckdb"))
    local = run_drift_job(
        filled_store, settings, artifacts, "cli", now=NOW, executor=LocalExecutor()
    )
    ray = run_drift_job(
        on_cluster, settings, artifacts, "cli", now=NOW, executor=RayExecutor(ray_address)
    )
    assert ray.executor == "ray" and local.executor == "local"
    assert (
        ray.outcomes
        == local.outcomes
        == {
            CHURN: "checked",
            GERMAN: "checked",
            "house-prices": "not_monitored",
        }
    )
    assert _comparable(on_cluster) == _comparable(filled_store)
    executors = {row["executor"] for row in DriftRepository(on_cluster).history()}
    assert executors == {"ray"}
    assert DriftRepository(on_cluster).jobs()[0]["executor"] == "ray"
    on_cluster.close()


def test_a_worker_killed_twice_fails_its_model_alone(ray_address, settings, filled_store):
    settings = replace(settings, drift_history_weeks=2, drift_sample_rows=5000)
    _logs(settings)
    artifacts = KillingArtifacts(
        {"r2": churn_rows(2000, seed=1), "r5": churn_rows(800, seed=2)}, doomed="r5"
    )
    result = run_drift_job(
        filled_store, settings, artifacts, "cli", now=NOW, executor=RayExecutor(ray_address)
    )
    assert result.outcomes == {
        CHURN: "checked",
        GERMAN: "failed",
        "house-prices": "not_monitored",
    }
    checks = {row["model_name"]: row for row in DriftRepository(filled_store).latest_checks()}
    assert checks[GERMAN]["reason"] == "worker_lost"
    assert "lost twice" in checks[GERMAN]["detail"]
    assert checks[CHURN]["status"] == "drifting"
    job = DriftRepository(filled_store).jobs()[0]
    assert (job["status"], job["models_checked"], job["models_failed"]) == ("ok", 3, 1)


def test_a_worker_killed_once_is_retried(ray_address, tmp_path, settings, filled_store):
    settings = replace(settings, drift_history_weeks=2, drift_sample_rows=5000)
    _logs(settings)
    marker = tmp_path / "killed-once"
    artifacts = KillingArtifacts(
        {"r2": churn_rows(2000, seed=1), "r5": churn_rows(800, seed=2)}, "r5", marker
    )
    result = run_drift_job(
        filled_store, settings, artifacts, "cli", now=NOW, executor=RayExecutor(ray_address)
    )
    assert marker.read_text() == "killed once"
    assert result.outcomes[GERMAN] == "checked"
    assert result.failed == []


@pytest.fixture(scope="module")
def demo_registry(tmp_path_factory) -> str:
    """The demo's MLflow registry, trained once for the module."""
    from portal.demo.scenario import build_demo_registry

    root = tmp_path_factory.mktemp("demo")
    tracking_uri = f"sqlite:///{root / 'mlflow.db'}"
    build_demo_registry(tracking_uri, root / "artifacts", DEMO_DAY, lambda _: None)
    return tracking_uri


def _demo_store(path: Path, tracking_uri: str, settings):
    from portal.sources.mlflow_source import MlflowSource
    from portal.sync import sync_mlflow

    store = open_store(path)
    synced = sync_mlflow(
        store,
        MlflowSource(tracking_uri),
        source_uri="demo",
        alias_precedence=("champion", "production"),
        trigger="cli",
        now=DEMO_NOW,
    )
    assert synced.ok, synced.error
    return store


def test_on_the_demo_the_cluster_and_the_server_agree(ray_address, demo_registry, tmp_path):
    from portal.demo.inference import write_demo_inference_logs
    from portal.sources.mlflow_source import MlflowSource
    from tests.conftest import load_settings_for

    settings = replace(
        load_settings_for(tmp_path / "local.duckdb", demo_registry), drift_history_weeks=6
    )
    local_store = _demo_store(settings.store_path, demo_registry, settings)
    cluster_store = _demo_store(tmp_path / "cluster.duckdb", demo_registry, settings)
    production = {
        row["name"]: row["version"] for row in DriftRepository(local_store).production_models()
    }
    write_demo_inference_logs(settings.inference_dir, DEMO_NOW, production)
    source = MlflowSource(demo_registry)
    local = run_drift_job(
        local_store, settings, source, "demo", now=DEMO_NOW, executor=LocalExecutor()
    )
    on_cluster = run_drift_job(
        cluster_store, settings, source, "demo", now=DEMO_NOW, executor=RayExecutor(ray_address)
    )
    assert on_cluster.outcomes == local.outcomes
    assert on_cluster.outcomes["customer-churn"] == "checked"
    assert on_cluster.outcomes["Kündigungsprognose Geschäftskunden"] == "not_monitored"
    assert _comparable(cluster_store) == _comparable(local_store)
    local_store.close()
    cluster_store.close()
