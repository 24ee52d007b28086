"""The sync against a registry built in code: diffs, ledger, deletions, failures."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import timedelta

from portal.sources.mlflow_source import MlflowUnavailable
from portal.store.catalog_repo import CatalogRepository
from portal.store.sync_log_repo import SyncLogRepository
from portal.sync import sync_mlflow
from tests.conftest import sync_fake
from tests.support.catalog_fixture import T0, base_registry, move_alias

DAY = timedelta(days=1)


def _sync(store, source, at):
    return sync_mlflow(
        store,
        source,
        source_uri="fake://registry",
        alias_precedence=("champion", "production"),
        trigger="cli",
        now=at,
    )


def test_first_sync_copies_models_versions_runs_and_derives_production(store):
    result = _sync(store, base_registry(), T0)
    assert result.ok
    assert (result.counts.models_seen, result.counts.versions_seen) == (4, 5)
    assert result.counts.runs_fetched == 5
    catalog = CatalogRepository(store)
    production = {
        row["name"]: (row["production_version"], row["production_marker"])
        for row in catalog.inventory()
    }
    assert production == {
        "customer-churn": (2, "champion"),
        "bare model": (None, None),
        "house-prices": (1, "stage:Production"),
        "Kündigung Geschäftskunden": (1, "production"),
    }
    metrics = {row["key"]: row["value"] for row in catalog.run_metrics("r2")}
    assert metrics["accuracy"] == 0.86 and math.isnan(metrics["f1"])


def test_second_identical_sync_changes_nothing_and_fetches_no_runs(store):
    source = base_registry()
    _sync(store, source, T0)
    version_before = store.data_version()
    again = _sync(store, source, T0 + DAY)
    assert again.ok
    assert (again.counts.models_changed, again.counts.versions_changed) == (0, 0)
    assert (again.counts.runs_fetched, again.counts.registry_events) == (0, 0)
    assert store.data_version() > version_before  # the sync log itself changed


def test_alias_moves_are_recorded_as_a_ledger(store):
    source = base_registry()
    move_alias(source, "customer-churn", "champion", 1)
    sync_fake(store, source, T0)
    move_alias(source, "customer-churn", "champion", 2)
    sync_fake(store, source, T0 + 30 * DAY)
    ledger = [
        (row["observed_at"], row["version_before"], row["version_after"])
        for row in CatalogRepository(store).ledger("customer-churn")
    ]
    assert ledger == [(T0, None, 1), (T0 + 30 * DAY, 1, 2)]
    model = CatalogRepository(store).model("customer-churn")
    assert (model["production_version"], model["production_since"]) == (2, T0 + 30 * DAY)


def test_deleted_versions_and_models_are_kept_and_marked(store):
    source = base_registry()
    sync_fake(store, source, T0)
    source.snapshot = replace(
        source.snapshot,
        models=tuple(m for m in source.snapshot.models if m.name != "bare model"),
        versions=tuple(
            v
            for v in source.snapshot.versions
            if v.model_name != "bare model" and (v.model_name, v.version) != ("customer-churn", 1)
        ),
    )
    sync_fake(store, source, T0 + DAY)
    catalog = CatalogRepository(store)
    assert catalog.model("bare model") is None
    assert "bare model" not in [row["name"] for row in catalog.inventory()]
    versions = {row["version"]: row["deleted_at"] for row in catalog.versions_of("customer-churn")}
    assert versions == {2: None, 1: T0 + DAY}


def test_stage_transition_is_recorded_and_moves_production(store):
    source = base_registry()
    sync_fake(store, source, T0)
    versions = [
        replace(v, stage="Archived") if v.model_name == "house-prices" else v
        for v in source.snapshot.versions
    ]
    source.snapshot = replace(source.snapshot, versions=tuple(versions))
    sync_fake(store, source, T0 + DAY)
    markers = [
        (row["marker"], row["version_before"], row["version_after"])
        for row in CatalogRepository(store).ledger("house-prices")
    ]
    assert markers == [
        ("stage:Production", None, 1),
        ("stage:Production", 1, None),
        ("stage:Archived", None, 1),
    ]
    assert CatalogRepository(store).model("house-prices")["production_version"] is None


def test_unreachable_mlflow_keeps_the_catalog_and_logs_the_error(store):
    source = base_registry()
    sync_fake(store, source, T0)
    source.fail_with = MlflowUnavailable("MLflow at http://mlflow:5000 did not answer within 10 s")
    result = _sync(store, source, T0 + DAY)
    assert not result.ok
    assert "did not answer" in result.error
    assert len(CatalogRepository(store).inventory()) == 4
    latest = SyncLogRepository(store).latest_per_source()[0]
    assert latest["last_status"] == "failed"
    # A sync finishes when it finished: its start plus the time it took.
    assert T0 <= latest["last_success_at"] < T0 + timedelta(minutes=1)
    assert SyncLogRepository(store).recent(1)[0]["error"] == result.error


def test_unexpected_failure_is_recorded_without_partial_writes(store):
    source = base_registry()
    source.runs["r1"] = replace(source.runs["r1"], params={"bad": None})  # violates NOT NULL
    result = _sync(store, source, T0)
    assert not result.ok
    assert result.error.startswith("unexpected error")
    assert CatalogRepository(store).inventory() == []


def test_runs_still_running_are_fetched_again(store):
    source = base_registry()
    source.runs["r1"] = replace(source.runs["r1"], status="RUNNING")
    sync_fake(store, source, T0)
    again = _sync(store, source, T0 + DAY)
    assert again.counts.runs_fetched == 1
