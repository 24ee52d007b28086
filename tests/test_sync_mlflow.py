"""The sync against real MLflow stores: a SQLite file and an `mlflow server` over HTTP."""

from __future__ import annotations

import math
import shutil

import pytest

from portal.domain.documentation import CONTRACT_TAGS
from portal.services.catalog import CatalogService
from portal.sources.mlflow_source import MlflowSource
from portal.store.catalog_repo import CatalogRepository
from portal.sync import sync_mlflow

PRECEDENCE = ("champion", "production")


@pytest.fixture(params=["sqlite", pytest.param("server", marks=pytest.mark.server)])
def mlflow_store(request):
    """The awkward registry, read from its SQLite file or through an MLflow server."""
    return request.getfixturevalue(f"awkward_{request.param}_store")


def sync(store, tracking_uri, page_size=1000):
    source = MlflowSource(tracking_uri, timeout_seconds=10, page_size=page_size)
    return sync_mlflow(
        store, source, source_uri=tracking_uri, alias_precedence=PRECEDENCE, trigger="cli"
    )


def test_awkward_registry_is_synced_completely(store, settings, mlflow_store):
    expected = mlflow_store.registry
    result = sync(store, mlflow_store.tracking_uri, page_size=2)
    assert result.ok, result.error
    catalog = CatalogRepository(store)
    inventory = {row["name"]: row for row in catalog.inventory()}
    assert set(inventory) == set(expected.versions)
    for name, versions in expected.versions.items():
        live = [row["version"] for row in catalog.versions_of(name) if row["deleted_at"] is None]
        assert sorted(live) == list(versions), name

    production = {
        name: (row["production_version"], row["production_marker"])
        for name, row in inventory.items()
    }
    assert production[expected.tagged_model] == (2, "champion")
    assert production[expected.legacy_stage_model] == (1, "stage:Production")
    assert production[expected.unicode_model] == (1, "production")
    assert production[expected.deleted_version_model] == (None, None)
    assert production[expected.untagged_model] == (None, None)

    service = CatalogService(store, settings)
    bare = service.model_card(expected.untagged_model)
    assert bare.documentation_gaps == CONTRACT_TAGS
    tagged = service.model_card(expected.tagged_model)
    assert (
        tagged.tags["limitations"]
        == expected.version_tags[(expected.tagged_model, 2)]["limitations"]
    )
    nan_metric = next(m for m in tagged.metrics if m.name == expected.nan_metric)
    assert nan_metric.value is None
    stored = {row["key"]: row["value"] for row in catalog.run_metrics(tagged.lineage.run_id)}
    assert math.isnan(stored[expected.nan_metric])
    assert {d.context for d in tagged.lineage.datasets} == {"training", "evaluation"}
    assert tagged.lineage.git_commit and tagged.lineage.trained_by
    unicode_card = service.model_card(expected.unicode_model)
    assert unicode_card.name == expected.unicode_model
    assert unicode_card.lineage.params == (("Schwellenwert", "0,5"),)
    orphan = service.model_card(expected.deleted_run_model)
    assert orphan.lineage is None  # the run was deleted in MLflow: shown as missing, no error


def test_second_sync_is_incremental(store, mlflow_store):
    first = sync(store, mlflow_store.tracking_uri)
    second = sync(store, mlflow_store.tracking_uri)
    assert first.ok and second.ok
    assert first.counts.runs_fetched > 0
    assert (
        second.counts.models_changed,
        second.counts.versions_changed,
        second.counts.runs_fetched,
        second.counts.registry_events,
    ) == (0, 0, 0, 0)


def test_changes_in_mlflow_after_a_sync_are_recorded(store, awkward_sqlite_store, tmp_path):
    from mlflow import MlflowClient

    copy = tmp_path / "mlflow.db"
    shutil.copy(awkward_sqlite_store.tracking_uri.removeprefix("sqlite:///"), copy)
    uri = f"sqlite:///{copy}"
    expected = awkward_sqlite_store.registry
    assert sync(store, uri).ok
    client = MlflowClient(tracking_uri=uri, registry_uri=uri)
    client.set_registered_model_alias(expected.tagged_model, "champion", "3")
    client.delete_model_version(expected.tagged_model, "1")
    client.delete_registered_model(expected.untagged_model)
    result = sync(store, uri)
    assert result.ok, result.error
    # The tagged model changed (MLflow bumps its update time), the untagged one is gone;
    # version 1 of the tagged model and the untagged model's only version are deleted.
    assert (result.counts.models_changed, result.counts.versions_changed) == (2, 2)
    catalog = CatalogRepository(store)
    assert catalog.model(expected.untagged_model) is None
    versions = {
        row["version"]: row["deleted_at"] for row in catalog.versions_of(expected.tagged_model)
    }
    assert versions[1] is not None and versions[3] is None
    ledger = [
        (row["marker"], row["version_before"], row["version_after"])
        for row in catalog.ledger(expected.tagged_model)
    ]
    assert ("champion", 2, 3) in ledger
    assert catalog.model(expected.tagged_model)["production_version"] == 3


def test_missing_sqlite_file_fails_the_sync_with_its_reason(store, tmp_path):
    result = sync(store, f"sqlite:///{tmp_path / 'nowhere.db'}")
    assert not result.ok
    assert "does not exist" in result.error
