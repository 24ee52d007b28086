"""The drift job over logs in S3 (a real S3 server on loopback) gives the local folder's results."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from portal.drift.job import run_drift_job
from portal.store import open_store
from portal.store.database import Store
from portal.store.drift_repo import DriftRepository
from tests.conftest import fill_base_history
from tests.support.drift_fixtures import NOW, FakeArtifacts, churn_logs, churn_rows, write_logs
from tests.support.s3_server import s3_server

CHURN = "customer-churn"
BUCKET = "logs"
ROOT = f"s3://{BUCKET}/prod/inference"


@pytest.fixture
def server():
    with s3_server() as s3:
        s3.create_bucket(BUCKET)
        yield s3


@pytest.fixture
def aws_env(server, monkeypatch):
    for name, value in server.env.items():
        monkeypatch.setenv(name, value)
    return server


@pytest.fixture
def logs_folder(tmp_path) -> Path:
    """Churn drifts in its last week (one week as CSV), house-prices has no reference sample,
    the German model no logs at all."""
    root = tmp_path / "inference"
    logs = churn_logs(NOW - timedelta(days=28), 28, 200, 31, shift_from=NOW - timedelta(days=7))
    write_logs(root, CHURN, logs.iloc[:2800])
    write_logs(root / CHURN, "2026", logs.iloc[2800:4200], name="week-3")
    logs.iloc[4200:].to_csv(root / CHURN / "late.csv", index=False)
    write_logs(root, "house-prices", churn_logs(NOW - timedelta(days=7), 7, 50, 3))
    return root


def second_store(tmp_path: Path, name: str) -> tuple[Store, Path]:
    path = tmp_path / name / "portal.duckdb"
    path.parent.mkdir()
    return fill_base_history(open_store(path)), path


def run(store: Store, settings, location) -> dict:
    quick = replace(settings, inference_dir=location, drift_history_weeks=3, drift_sample_rows=5000)
    artifacts = FakeArtifacts({"r2": churn_rows(2000, seed=1)})
    return run_drift_job(store, quick, artifacts, trigger="cli", now=NOW)


def results(store: Store) -> dict:
    """What the job stored, without ids, times and where the logs were."""
    repo = DriftRepository(store)
    latest = {}
    for check in repo.latest_checks():
        features = [
            {
                k: f[k]
                for k in ("feature", "role", "state", "method", "score", "drifted", "strength")
            }
            for f in repo.features(check["id"])
        ]
        kept = (
            "outcome",
            "status",
            "reason",
            "window_rows",
            "labelled_rows",
            "inputs_total",
            "inputs_changed",
            "strongest_change",
            "prediction_drifted",
            "prediction_score",
        )
        latest[check["model_name"]] = ({k: check[k] for k in kept}, features)
    history = [
        {k: row[k] for k in ("model_name", "window_kind", "window_start", "status", "window_rows")}
        for row in repo.history()
    ]
    return {"latest": latest, "history": history}


def test_results_from_s3_equal_those_from_the_local_folder(
    tmp_path, settings, filled_store, logs_folder, aws_env
):
    aws_env.upload_folder(logs_folder, BUCKET, "prod/inference")
    local = run(filled_store, settings, logs_folder)
    s3_store, s3_path = second_store(tmp_path, "s3")
    try:
        on_s3 = run(s3_store, replace(settings, store_path=s3_path), ROOT)
        assert on_s3.outcomes == local.outcomes
        assert on_s3.outcomes[CHURN] == "checked"
        assert results(s3_store) == results(filled_store)
        stored = results(s3_store)["latest"]
        assert stored[CHURN][0]["status"] == "drifting"
        assert stored[CHURN][0]["window_rows"] == 1400
        assert stored[CHURN][1][0]["feature"] == "monthly_charges"
        weeks = [
            row["status"]
            for row in results(s3_store)["history"]
            if row["model_name"] == CHURN and row["window_kind"] == "week"
        ]
        assert weeks == ["stable", "stable", "drifting"]
        assert stored["house-prices"][0]["reason"] == "no_reference"
        german = next(name for name in stored if name not in (CHURN, "house-prices"))
        assert stored[german][0]["reason"] == "no_logs"
        detail = next(
            c["detail"]
            for c in DriftRepository(s3_store).latest_checks()
            if c["model_name"] == german
        )
        assert detail == f"{ROOT}/{german}"
    finally:
        s3_store.close()


def test_no_credential_reaches_the_store_the_log_or_a_detail(
    tmp_path, settings, logs_folder, aws_env, monkeypatch, caplog
):
    aws_env.upload_folder(logs_folder, BUCKET, "prod/inference")
    store, path = second_store(tmp_path, "s3")
    s3_settings = replace(settings, store_path=path)
    secrets = (aws_env.access_key_id, aws_env.secret_access_key)
    caplog.set_level(logging.INFO)
    try:
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", aws_env.secret_access_key[::-1])
        refused = run(store, s3_settings, ROOT)
        assert refused.outcomes[CHURN] == "failed"
        failed = next(c for c in DriftRepository(store).latest_checks() if c["model_name"] == CHURN)
        assert failed["detail"].startswith(f"{ROOT}/{CHURN}: could not list the logs")
        assert "SIGNATURE_DOES_NOT_MATCH" in failed["detail"]
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", aws_env.secret_access_key)
        checked = run(store, s3_settings, ROOT)
        assert checked.outcomes[CHURN] == "checked"
        details = store.fetch_all("test_details", "SELECT detail FROM drift_checks", {})
        said = [
            *refused.summaries.values(),
            *checked.summaries.values(),
            *(row["detail"] or "" for row in details),
        ]
    finally:
        store.close()
    logged = caplog.text
    assert "could not list the logs" in logged  # the failure was logged, plainly
    written = b"".join(file.read_bytes() for file in path.parent.rglob("*") if file.is_file())
    for secret in (*secrets, aws_env.secret_access_key[::-1]):
        assert secret not in logged
        assert secret.encode() not in written
        assert all(secret not in line for line in said)
