"""A real `mlflow server` (SQLite) calls a real `portal serve` by webhook: both alias moves kept.

MLflow refuses webhook URLs that are not https or that resolve to private addresses
(mlflow.utils.validation._validate_webhook_url, mlflow.webhooks.ssrf); its server here gets
MLFLOW_WEBHOOK_ALLOWED_SCHEMES=http,https and MLFLOW_WEBHOOK_ALLOW_PRIVATE_IPS=true to reach
the portal on loopback.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from portal.clock import utc_now
from portal.store import open_store
from portal.store.catalog_repo import CatalogRepository
from tests.support.portal_server import running_portal
from tests.support.webhook_deliveries import alias_moved

SECRET = "a-long-random-secret-shared-with-mlflow"
MODEL = "customer-churn"
EVENTS = [
    "model_version_alias.created",
    "model_version_alias.deleted",
    "registered_model.created",
    "model_version.created",
    "model_version_tag.set",
    "model_version_tag.deleted",
]
_DELIVERED = re.compile(r"MLflow webhook model_version_alias\.created for 'customer-churn'")
_TIMEOUT_S = 30.0


def wait_for_deliveries(log_path: Path, count: int) -> list[float]:
    """Poll the portal's log until `count` alias deliveries are recorded; monotonic times seen."""
    seen: list[float] = []
    deadline = time.monotonic() + _TIMEOUT_S
    while len(seen) < count and time.monotonic() < deadline:
        found = len(_DELIVERED.findall(log_path.read_text()))
        seen.extend([time.monotonic()] * (found - len(seen)))
        time.sleep(0.02)
    assert len(seen) >= count, log_path.read_text()
    return seen


@pytest.fixture
def mlflow_registry(tmp_path, monkeypatch) -> Iterator[str]:
    """A SQLite MLflow store with one model of three versions, champion at 1, served over HTTP."""
    from cryptography.fernet import Fernet
    from mlflow import MlflowClient

    from portal.sources.mlflow_source import release_sql_store
    from tests.support.mlflow_stores import running_mlflow_server

    backend = f"sqlite:///{tmp_path / 'mlflow.db'}"
    direct = MlflowClient(tracking_uri=backend, registry_uri=backend)
    direct.create_registered_model(MODEL)
    for _ in range(3):
        direct.create_model_version(MODEL, source=f"file:///models/{MODEL}")
    direct.set_registered_model_alias(MODEL, "champion", "1")
    release_sql_store(backend)
    # running_mlflow_server passes this process's environment on to the server.
    monkeypatch.setenv("MLFLOW_WEBHOOK_ALLOWED_SCHEMES", "http,https")
    monkeypatch.setenv("MLFLOW_WEBHOOK_ALLOW_PRIVATE_IPS", "true")
    monkeypatch.setenv("MLFLOW_WEBHOOK_SECRET_ENCRYPTION_KEY", Fernet.generate_key().decode())
    (tmp_path / "artifacts").mkdir()
    with running_mlflow_server(backend, tmp_path / "artifacts") as url:
        yield url


def test_two_alias_moves_within_ten_seconds_both_reach_the_ledger_by_webhook(
    tmp_path, mlflow_registry
):
    import requests
    from mlflow import MlflowClient

    store_path = tmp_path / "portal.duckdb"
    env = {
        "PORTAL_MLFLOW_TRACKING_URI": mlflow_registry,
        "PORTAL_STORE_PATH": str(store_path),
        "PORTAL_MLFLOW_WEBHOOK_SECRET": SECRET,
        "PORTAL_SYNC_INTERVAL_MINUTES": "0",  # after the start-up sync only webhooks update
        "PORTAL_DRIFT_INTERVAL_MINUTES": "0",
        "PORTAL_INFERENCE_DIR": str(tmp_path / "inference"),
    }
    log_path = tmp_path / "portal.log"
    client = MlflowClient(tracking_uri=mlflow_registry, registry_uri=mlflow_registry)
    with running_portal(env, log_path, verbose=True) as portal:
        client.create_webhook(
            name="stakeholder-portal",
            url=f"{portal}/api/mlflow/webhook",
            events=EVENTS,
            secret=SECRET,
        )
        changed_at = [utc_now()]
        started = [time.monotonic()]
        client.set_registered_model_alias(MODEL, "champion", "2")
        first_seen = wait_for_deliveries(log_path, 1)[0]
        time.sleep(max(0.0, 3.0 - (time.monotonic() - started[0])))
        changed_at.append(utc_now())
        started.append(time.monotonic())
        client.set_registered_model_alias(MODEL, "champion", "3")
        second_seen = wait_for_deliveries(log_path, 2)[1]
        assert (changed_at[1] - changed_at[0]) < timedelta(seconds=10)

        # Signed with another secret, it claims champion went back to 1: refused, no effect.
        headers, body = alias_moved("not-the-secret", utc_now(), MODEL, "champion", 1)
        forged = requests.post(
            f"{portal}/api/mlflow/webhook", data=body, headers=headers, timeout=10
        )
        assert forged.status_code == 401 and forged.json()["reason"] == "bad_signature"
        unsigned = requests.post(f"{portal}/api/mlflow/webhook", data=body, timeout=10)
        assert unsigned.status_code == 400
    live = [first_seen - started[0], second_seen - started[1]]

    store = open_store(store_path)
    try:
        moves = [
            (row["version_before"], row["version_after"], row["observed_at"])
            for row in CatalogRepository(store).ledger(MODEL)
            if row["marker"] == "champion"
        ]
        received = store.fetch_all(
            "deliveries",
            "SELECT received_at, event_at, version FROM webhook_events"
            " WHERE entity = 'model_version_alias' ORDER BY id",
        )
        model = CatalogRepository(store).model(MODEL)
        model_syncs = store.fetch_value(
            "model_syncs",
            "SELECT count(*) FROM sync_runs WHERE source = 'mlflow-model' AND status = 'ok'",
        )
    finally:
        store.close()
    assert [(before, after) for before, after, _ in moves] == [(None, 1), (1, 2), (2, 3)]
    assert [row["version"] for row in received] == [2, 3]
    # Each move carries MLflow's own time, within a second of the change.
    for (_, _, observed_at), at, row in zip(moves[1:], changed_at, received, strict=True):
        assert observed_at == row["event_at"]
        assert timedelta(0) <= observed_at - at < timedelta(seconds=2)
    assert (model["production_version"], model["production_since"]) == (3, moves[2][2])
    assert model_syncs >= 1  # the sync of that one model followed the deliveries
    stored = [
        (row["received_at"] - at).total_seconds()
        for row, at in zip(received, changed_at, strict=True)
    ]
    print(
        f"\nwebhook latency, alias change -> ledger entry: live (log line after commit) "
        f"{live[0]:.3f} s and {live[1]:.3f} s; stored received_at - change "
        f"{stored[0]:.3f} s and {stored[1]:.3f} s"
    )
    assert max(live) < 5.0
    server_log = log_path.read_text()
    assert "refused: bad_signature" in server_log
    assert "Traceback" not in server_log and "MLflow sync" not in server_log  # none failed
