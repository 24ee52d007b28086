"""Webhook deliveries against a real store and a real SQLite MLflow store: ledger, sync."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from portal.clock import utc_now
from portal.runtime import Runtime
from portal.scheduler import Scheduler
from portal.services import mlflow_webhook
from portal.services.mlflow_webhook import WebhookService
from portal.sources.mlflow_source import MlflowSource, release_sql_store
from portal.store.catalog_repo import CatalogRepository
from portal.store.sync_log_repo import MLFLOW_SOURCE, SyncLogRepository
from portal.sync import MODEL_SYNC_SOURCE, sync_mlflow, sync_model
from tests.support.builders import ADMIN
from tests.support.webhook_deliveries import alias_moved, delivery
from tests.test_scheduler import wait_for

SECRET = "webhook-secret-for-tests"
MODEL = "customer-churn"
OTHER = "house-prices"
QUOTED = 'it\'s "quoted"'
ALIASES = ("champion", "production")


@pytest.fixture(scope="module")
def mlflow_template(tmp_path_factory) -> Path:
    """An MLflow SQLite store with three models, built once and copied for each test."""
    from mlflow import MlflowClient

    root = tmp_path_factory.mktemp("mlflow-template")
    uri = f"sqlite:///{root / 'mlflow.db'}"
    client = MlflowClient(tracking_uri=uri, registry_uri=uri)
    experiment = client.create_experiment("churn", artifact_location=(root / "a").as_uri())
    for name, count in ((MODEL, 3), (OTHER, 1), (QUOTED, 1)):
        client.create_registered_model(name)
        for _ in range(count):
            run = client.create_run(experiment)
            client.set_terminated(run.info.run_id)
            client.create_model_version(
                name, source=f"file:///models/{name}", run_id=run.info.run_id
            )
    client.set_registered_model_alias(MODEL, "champion", "1")
    release_sql_store(uri)
    return root / "mlflow.db"


@pytest.fixture
def mlflow_uri(mlflow_template, tmp_path) -> str:
    copy = tmp_path / "mlflow-copy.db"
    shutil.copy(mlflow_template, copy)
    uri = f"sqlite:///{copy}"
    yield uri
    release_sql_store(uri)


@pytest.fixture
def client(mlflow_uri):
    from mlflow import MlflowClient

    return MlflowClient(tracking_uri=mlflow_uri, registry_uri=mlflow_uri)


@pytest.fixture
def queued() -> list:
    return []


@pytest.fixture
def runtime(settings, store, mlflow_uri, queued) -> Runtime:
    """The portal over a synced store; the sync scheduler only collects requests."""
    configured = replace(settings, mlflow_tracking_uri=mlflow_uri, mlflow_webhook_secret=SECRET)
    result = sync_mlflow(
        store,
        MlflowSource(mlflow_uri),
        source_uri="test",
        alias_precedence=ALIASES,
        trigger="cli",
        now=utc_now() - timedelta(minutes=1),
    )
    assert result.ok, result.error
    return Runtime(configured, store, Scheduler(queued.append, 0))


def ledger(store, alias="champion"):
    return [
        (row["version_before"], row["version_after"], row["observed_at"])
        for row in CatalogRepository(store).ledger(MODEL)
        if row["marker"] == alias
    ]


def per_model_sync(runtime, model=MODEL):
    result = sync_model(
        runtime.store,
        MlflowSource(runtime.settings.mlflow_tracking_uri),
        model,
        source_uri="test",
        alias_precedence=ALIASES,
        trigger="webhook",
    )
    assert result.ok, result.error
    return result


def store_state(store) -> dict:
    counts = {
        table: store.fetch_value(table, f"SELECT count(*) FROM {table}")
        for table in ("registry_events", "webhook_events", "audit_log", "sync_runs")
    }
    return {**counts, "data_version": store.data_version()}


def production(store, model=MODEL):
    row = CatalogRepository(store).model(model)
    return row["production_version"], row["production_since"]


def test_two_alias_moves_seconds_apart_both_enter_the_ledger_at_mlflows_times(runtime, client):
    t1 = utc_now() - timedelta(seconds=20)
    t2 = t1 + timedelta(seconds=4)
    client.set_registered_model_alias(MODEL, "champion", "2")
    first = mlflow_webhook.receive(runtime, *alias_moved(SECRET, t1, MODEL, "champion", 2))
    client.set_registered_model_alias(MODEL, "champion", "3")
    second = mlflow_webhook.receive(runtime, *alias_moved(SECRET, t2, MODEL, "champion", 3))
    assert (first.status, first.body["ledger"]) == (200, "insert")
    assert (second.status, second.body["ledger"]) == (200, "insert")
    # Recorded before any sync ran: the delivery itself is the ledger entry.
    moves = ledger(runtime.store)
    assert [(b, a) for b, a, _ in moves] == [(None, 1), (1, 2), (2, 3)]
    assert moves[1][2] == t1 + timedelta(microseconds=250_000)
    assert moves[2][2] == t2 + timedelta(microseconds=250_000)
    assert production(runtime.store) == (3, moves[2][2])

    result = per_model_sync(runtime)
    assert result.counts.registry_events == 0  # the sync finds both moves recorded
    assert [(b, a) for b, a, _ in ledger(runtime.store)] == [(None, 1), (1, 2), (2, 3)]
    again = sync_mlflow(
        runtime.store,
        MlflowSource(runtime.settings.mlflow_tracking_uri),
        source_uri="test",
        alias_precedence=ALIASES,
        trigger="schedule",
    )
    assert again.ok and again.counts.registry_events == 0  # nor does the polling safety net


def test_a_sync_between_the_moves_and_the_second_delivery_is_not_duplicated(runtime, client):
    t1 = utc_now() - timedelta(seconds=20)
    t2 = t1 + timedelta(seconds=4)
    client.set_registered_model_alias(MODEL, "champion", "2")
    client.set_registered_model_alias(MODEL, "champion", "3")
    mlflow_webhook.receive(runtime, *alias_moved(SECRET, t1, MODEL, "champion", 2))
    # The sync the first delivery queued already sees the second move ...
    result = per_model_sync(runtime)
    assert result.counts.registry_events == 1
    assert [(b, a) for b, a, _ in ledger(runtime.store)] == [(None, 1), (1, 2), (2, 3)]
    # ... so the second delivery gives that entry MLflow's exact time instead of a duplicate.
    reply = mlflow_webhook.receive(runtime, *alias_moved(SECRET, t2, MODEL, "champion", 3))
    assert reply.body["ledger"] == "retime"
    moves = ledger(runtime.store)
    assert [(b, a) for b, a, _ in moves] == [(None, 1), (1, 2), (2, 3)]
    assert moves[2][2] == t2 + timedelta(microseconds=250_000)


def test_deliveries_arriving_out_of_order_keep_the_moves_in_mlflows_order(runtime):
    t1 = utc_now() - timedelta(seconds=20)
    t2 = t1 + timedelta(seconds=4)
    mlflow_webhook.receive(runtime, *alias_moved(SECRET, t2, MODEL, "champion", 3))
    mlflow_webhook.receive(runtime, *alias_moved(SECRET, t1, MODEL, "champion", 2))
    assert [(b, a) for b, a, _ in ledger(runtime.store)] == [(None, 1), (1, 2), (2, 3)]
    assert production(runtime.store)[0] == 3


def test_an_alias_deletion_ends_production(runtime, client):
    client.delete_registered_model_alias(MODEL, "champion")
    headers, body = delivery(
        SECRET, utc_now(), action="deleted", data={"name": MODEL, "alias": "champion"}
    )
    assert mlflow_webhook.receive(runtime, headers, body).status == 200
    assert [(b, a) for b, a, _ in ledger(runtime.store)] == [(None, 1), (1, None)]
    assert production(runtime.store) == (None, None)
    assert per_model_sync(runtime).counts.registry_events == 0


def test_an_accepted_delivery_is_stored_audited_and_queues_that_models_sync(runtime, queued):
    headers, body = alias_moved(SECRET, utc_now(), MODEL, "champion", 2)
    mlflow_webhook.receive(runtime, headers, body)
    event = runtime.store.fetch_one("event", "SELECT * FROM webhook_events")
    assert (event["delivery_id"], event["model_name"], event["alias"], event["version"]) == (
        headers["X-MLflow-Delivery-Id"],
        MODEL,
        "champion",
        2,
    )
    audit = runtime.store.fetch_one(
        "audit", "SELECT * FROM audit_log WHERE action = 'mlflow.event'"
    )
    assert (audit["actor"], audit["model_name"]) == ("mlflow-webhook", MODEL)
    assert [(r.trigger, r.model_name) for r in queued] == [("webhook", MODEL)]


def test_a_bad_signature_changes_nothing_and_is_counted(runtime, queued):
    before = store_state(runtime.store)
    refused_before = dict(mlflow_webhook.REFUSALS.snapshot()[0]).get("bad_signature", 0)
    headers, body = alias_moved("not-the-secret", utc_now(), MODEL, "champion", 2)
    reply = mlflow_webhook.receive(runtime, headers, body)
    assert (reply.status, reply.body["reason"]) == (401, "bad_signature")
    assert store_state(runtime.store) == before
    assert queued == []
    status = WebhookService(runtime).status(ADMIN)
    assert dict(status.refused)["bad_signature"] == refused_before + 1
    assert status.accepted == 0 and status.last_received_at is None


def test_a_replayed_delivery_is_refused_and_changes_nothing(runtime):
    headers, body = alias_moved(SECRET, utc_now(), MODEL, "champion", 2)
    assert mlflow_webhook.receive(runtime, headers, body).status == 200
    before = store_state(runtime.store)
    reply = mlflow_webhook.receive(runtime, headers, body)
    assert (reply.status, reply.body["reason"]) == (409, "replayed")
    assert store_state(runtime.store) == before


def test_an_old_delivery_is_refused_and_changes_nothing(runtime):
    before = store_state(runtime.store)
    headers, body = alias_moved(SECRET, utc_now() - timedelta(minutes=10), MODEL, "champion", 2)
    assert mlflow_webhook.receive(runtime, headers, body).body["reason"] == "stale"
    assert store_state(runtime.store) == before


def test_without_a_secret_the_endpoint_is_off(runtime):
    off = Runtime(
        replace(runtime.settings, mlflow_webhook_secret=""), runtime.store, runtime.scheduler
    )
    reply = mlflow_webhook.receive(off, *alias_moved(SECRET, utc_now(), MODEL, "champion", 2))
    assert reply.status == 404 and "PORTAL_MLFLOW_WEBHOOK_SECRET" in reply.body["error"]


def test_the_status_names_the_last_event(runtime):
    sent = utc_now()
    mlflow_webhook.receive(runtime, *alias_moved(SECRET, sent, MODEL, "champion", 2))
    status = WebhookService(runtime).status(ADMIN)
    assert status.enabled and status.accepted == 1
    assert (status.last_event, status.last_model) == ("model_version_alias.created", MODEL)
    assert status.last_event_at == sent + timedelta(microseconds=250_000)
    assert status.last_received_at is not None


def test_a_per_model_sync_reads_and_changes_only_that_model(runtime, client):
    client.set_registered_model_tag(OTHER, "owner", "someone@example.com")
    client.set_model_version_tag(MODEL, "2", "limitations", "none known")
    client.create_model_version(MODEL, source=f"file:///models/{MODEL}")
    result = per_model_sync(runtime)
    assert (result.counts.models_seen, result.counts.versions_seen) == (1, 4)
    catalog = CatalogRepository(runtime.store)
    assert catalog.known_versions()[(MODEL, 2)]["tags"] == {"limitations": "none known"}
    assert (MODEL, 4) in catalog.known_versions()
    assert catalog.known_models()[OTHER]["tags"] == {}  # left for its own event or the poll
    sources = {row["source"] for row in SyncLogRepository(runtime.store).latest_per_source()}
    assert sources == {MLFLOW_SOURCE, MODEL_SYNC_SOURCE}  # one model is not the whole catalog


def test_a_per_model_sync_of_a_model_deleted_in_mlflow_marks_it_deleted(runtime, client):
    client.delete_registered_model(OTHER)
    per_model_sync(runtime, OTHER)
    catalog = CatalogRepository(runtime.store)
    assert catalog.known_models()[OTHER]["deleted_at"] is not None
    assert catalog.known_models()[MODEL]["deleted_at"] is None


def test_a_name_with_both_quote_characters_is_read_exactly(runtime, client):
    client.set_registered_model_alias(QUOTED, "production", "1")
    result = per_model_sync(runtime, QUOTED)
    assert (result.counts.models_seen, result.counts.versions_seen) == (1, 1)
    assert production(runtime.store, QUOTED)[0] == 1


def test_requests_for_different_models_queue_and_a_full_one_covers_all():
    started = []
    scheduler = Scheduler(started.append, interval_minutes=0)
    assert scheduler.request("webhook", "mlflow-webhook", start=False, model_name="a")
    assert scheduler.request("webhook", "mlflow-webhook", start=False, model_name="b")
    assert not scheduler.request("webhook", "mlflow-webhook", start=False, model_name="a")
    assert scheduler.request("manual", "ann", start=False)
    assert not scheduler.request("webhook", "mlflow-webhook", start=False, model_name="c")
    scheduler.start()
    wait_for(lambda: len(started) == 3 and not scheduler.is_busy)
    scheduler.stop()
    assert [request.model_name for request in started] == ["a", "b", None]


def test_a_model_the_portal_has_not_seen_gets_its_first_alias_at_mlflows_time(runtime, client):
    client.create_registered_model("fraud-alerts")
    client.create_model_version("fraud-alerts", source="file:///models/fraud-alerts")
    client.set_registered_model_alias("fraud-alerts", "production", "1")
    sent = utc_now() - timedelta(seconds=5)
    reply = mlflow_webhook.receive(
        runtime, *alias_moved(SECRET, sent, "fraud-alerts", "production", 1)
    )
    assert reply.body["ledger"] == "insert"
    assert CatalogRepository(runtime.store).model("fraud-alerts") is None  # not synced yet
    assert per_model_sync(runtime, "fraud-alerts").counts.registry_events == 0
    entries = CatalogRepository(runtime.store).ledger("fraud-alerts")
    assert [(e["marker"], e["version_before"], e["version_after"]) for e in entries] == [
        ("production", None, 1)
    ]
    went_live = sent + timedelta(microseconds=250_000)
    assert production(runtime.store, "fraud-alerts") == (1, went_live)
