"""The drift job end to end against real MLflow stores: reference samples from run artifacts."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from mlflow import MlflowClient

from portal.runtime import run_drift_check, run_mlflow_sync
from portal.sources.mlflow_source import MlflowSource
from portal.store import open_store
from portal.store.drift_repo import DriftRepository
from tests.conftest import load_settings_for
from tests.support.drift_fixtures import NOW, churn_logs, churn_rows, write_logs

WITH_REFERENCE = "churn-live"
WITHOUT_REFERENCE = "churn-no-reference"


def build_store(folder: Path) -> str:
    """Two champion models; only the first one's run logged a reference sample."""
    tracking_uri = f"sqlite:///{folder / 'mlflow.db'}"
    client = MlflowClient(tracking_uri, registry_uri=tracking_uri)
    experiment = client.create_experiment(
        "churn", artifact_location=(folder / "artifacts").as_uri()
    )
    sample = folder / "reference.parquet"
    churn_rows(2000, seed=1).to_parquet(sample, index=False)
    for name, logs_reference in ((WITH_REFERENCE, True), (WITHOUT_REFERENCE, False)):
        run = client.create_run(experiment)
        client.log_metric(run.info.run_id, "accuracy", 0.8)
        if logs_reference:
            client.log_artifact(run.info.run_id, str(sample), "reference")
        client.set_terminated(run.info.run_id)
        client.create_registered_model(name)
        client.create_model_version(
            name, source=f"{run.info.artifact_uri}/model", run_id=run.info.run_id
        )
        client.set_registered_model_alias(name, "champion", "1")
    return tracking_uri


@pytest.fixture(scope="module")
def mlflow_folder(tmp_path_factory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("drift-mlflow")
    return folder, build_store(folder)


@pytest.fixture(params=["sqlite", "server"])
def tracking_uri(request, mlflow_folder):
    folder, sqlite_uri = mlflow_folder
    if request.param == "sqlite":
        yield sqlite_uri
        return
    from tests.support.mlflow_stores import running_mlflow_server

    with running_mlflow_server(sqlite_uri, folder / "artifacts") as url:
        yield url


def test_reference_download_from_the_run(tracking_uri, mlflow_folder, tmp_path):
    source = MlflowSource(tracking_uri)
    client = MlflowClient(mlflow_folder[1])
    run_ids = {version.name: version.run_id for version in client.search_model_versions()}
    local = source.download_artifacts(run_ids[WITH_REFERENCE], "reference", tmp_path / "a")
    assert local is not None and (local / "reference.parquet").is_file()
    assert (
        source.download_artifacts(run_ids[WITHOUT_REFERENCE], "reference", tmp_path / "b") is None
    )
    assert source.download_artifacts("../../etc", "reference", tmp_path / "c") is None


def test_sync_then_drift_check_from_a_real_registry(tracking_uri, tmp_path):
    settings = replace(
        load_settings_for(tmp_path / "portal.duckdb", tracking_uri), drift_history_weeks=1
    )
    store = open_store(settings.store_path)
    try:
        assert run_mlflow_sync(settings, store, "cli").ok
        for name in (WITH_REFERENCE, WITHOUT_REFERENCE):
            logs = churn_logs(
                NOW - timedelta(days=14), 14, 150, 4, shift_from=NOW - timedelta(days=7)
            )
            write_logs(settings.inference_dir, name, logs)
        from portal.drift.job import run_drift_job

        result = run_drift_job(store, settings, MlflowSource(tracking_uri), "cli", now=NOW)
        assert result.outcomes == {WITH_REFERENCE: "checked", WITHOUT_REFERENCE: "not_monitored"}
        checks = {row["model_name"]: row for row in DriftRepository(store).latest_checks()}
        assert checks[WITH_REFERENCE]["status"] == "drifting"
        assert checks[WITHOUT_REFERENCE]["reason"] == "no_reference"
    finally:
        store.close()


def test_drift_check_when_mlflow_is_unreachable_fails_per_model(tmp_path, mlflow_folder):
    settings = load_settings_for(tmp_path / "portal.duckdb", mlflow_folder[1])
    store = open_store(settings.store_path)
    try:
        assert run_mlflow_sync(settings, store, "cli").ok
        write_logs(
            settings.inference_dir, WITH_REFERENCE, churn_logs(NOW - timedelta(days=7), 7, 50, 1)
        )
        unreachable = replace(
            settings, mlflow_tracking_uri="http://127.0.0.1:9", mlflow_timeout_seconds=1
        )
        result = run_drift_check(unreachable, store, "cli", model_name=WITH_REFERENCE)
        assert result.outcomes == {WITH_REFERENCE: "failed"}
        check = DriftRepository(store).latest_checks()[0]
        assert "could not be reached" in check["detail"]
    finally:
        store.close()
