"""Reference samples in MLflow's S3 artifact store (a real S3 server on loopback, moto)."""

from __future__ import annotations

import pandas as pd
import pytest

from portal.sources.mlflow_source import MlflowSource, MlflowUnavailable
from tests.support.drift_fixtures import churn_rows
from tests.support.s3_server import s3_server

BUCKET = "artifacts"


@pytest.fixture
def server(monkeypatch):
    from mlflow.store.artifact import s3_artifact_repo

    # MLflow keeps its S3 client (endpoint included) for a while and boto3 its default session
    # (credentials included) for the process: each server here is a new one.
    fresh_clients(s3_artifact_repo)
    with s3_server() as s3:
        s3.create_bucket(BUCKET)
        for name, value in s3.env.items():
            monkeypatch.setenv(name, value)
        # The standard AWS_ENDPOINT_URL is enough: MLflow's own variable stays unset.
        monkeypatch.delenv("MLFLOW_S3_ENDPOINT_URL", raising=False)
        yield s3
    fresh_clients(s3_artifact_repo)


def fresh_clients(s3_artifact_repo) -> None:
    import boto3

    s3_artifact_repo._cached_get_s3_client.cache_clear()
    boto3.DEFAULT_SESSION = None


@pytest.fixture
def logged(tmp_path, server) -> tuple[str, str, pd.DataFrame]:
    """A run whose experiment stores artifacts in S3, with a reference sample under reference/."""
    from mlflow import MlflowClient

    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    client = MlflowClient(tracking_uri=uri)
    experiment = client.create_experiment("churn", artifact_location=f"s3://{BUCKET}/mlflow")
    run_id = client.create_run(experiment).info.run_id
    reference = churn_rows(500, seed=1)
    local = tmp_path / "upload" / "reference.parquet"
    local.parent.mkdir()
    reference.to_parquet(local, index=False)
    client.log_artifact(run_id, str(local), artifact_path="reference")
    client.set_terminated(run_id)
    return uri, run_id, reference


def test_a_reference_in_s3_is_downloaded_like_a_local_one(tmp_path, server, logged):
    uri, run_id, reference = logged
    # Stored in the bucket, nowhere on disk.
    assert server.keys(BUCKET) == [f"mlflow/{run_id}/artifacts/reference/reference.parquet"]
    folder = MlflowSource(uri).download_artifacts(run_id, "reference", tmp_path / "dest")
    assert folder is not None
    pd.testing.assert_frame_equal(pd.read_parquet(folder / "reference.parquet"), reference)
    assert MlflowSource(uri).download_artifacts(run_id, "other", tmp_path / "none") is None


def test_a_wrong_secret_is_a_plain_error_without_credentials(tmp_path, server, logged, monkeypatch):
    from mlflow.store.artifact import s3_artifact_repo

    uri, run_id, _ = logged
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", server.secret_access_key[::-1])
    # A real deployment's keys do not change under a running process; here they do.
    fresh_clients(s3_artifact_repo)
    with pytest.raises(MlflowUnavailable) as caught:
        MlflowSource(uri).download_artifacts(run_id, "reference", tmp_path / "dest")
    message = str(caught.value)
    assert message.startswith("MLflow at sqlite:///")
    assert message.endswith("refused access; check the credentials")
    for secret in (server.access_key_id, server.secret_access_key, server.secret_access_key[::-1]):
        assert secret not in message
