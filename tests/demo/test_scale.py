"""`portal demo --scale N`: synthetic models through MLflow, with the gaps of a real portfolio."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from portal.demo import scale
from portal.services.catalog import DEMO_TAG, CatalogService
from portal.sources.mlflow_source import MlflowSource, release_sql_store
from portal.sync import sync_mlflow
from tests.support.cli import run_portal, store_env

NOW = datetime(2026, 11, 30, 9, 0)


def test_the_plan_is_reproducible_labelled_and_has_gaps():
    models = scale.plan(200)
    assert models == scale.plan(200)
    assert all(re.fullmatch(r"synthetic-\d{4}-[a-z-]+", model.name) for model in models)
    assert all(model.tags[scale.SYNTHETIC_TAG] == "true" for model in models)
    assert all(model.tags[DEMO_TAG] == "true" for model in models)
    assert all(len(model.versions) == scale.VERSIONS for model in models)
    share = {
        "no owner": sum(not model.owner for model in models),
        "no executive": sum(not model.executive for model in models),
        "no process": sum("business_process" not in model.tags for model in models),
        "not in production": sum(not model.in_production for model in models),
    }
    for gap, count in share.items():
        assert 5 <= count <= 120, (gap, count)


def test_people_have_names_teams_and_managers():
    staff = scale.people()
    assert len({person.email for person in staff}) == len(staff) > 300
    assert all(person.name and person.team for person in staff)
    assert sum(bool(person.manager) for person in staff) == len(staff) - 7


@pytest.fixture
def synthetic(settings, store, tmp_path):
    source = MlflowSource(settings.mlflow_tracking_uri)

    def sync_at(moment):
        result = sync_mlflow(
            store, source, source_uri="test", alias_precedence=("champion",), trigger="demo",
            now=moment,
        )  # fmt: skip
        assert result.ok, result.error

    summary = scale.add_synthetic_models(settings, store, 12, NOW, sync_at, tmp_path / "art")
    yield summary
    release_sql_store(settings.mlflow_tracking_uri)


def test_synthetic_models_reach_the_portal_with_their_records(synthetic, settings, store):
    assert (synthetic.models, synthetic.versions) == (12, 120)
    inventory = CatalogService(store, settings).inventory()
    assert len(inventory) == 12
    assert all(model.is_demo for model in inventory)
    planned = {model.name: model for model in scale.plan(12)}
    in_production = {model.name for model in inventory if model.production_version}
    assert in_production == {name for name, model in planned.items() if model.in_production}
    counts = {
        table: store.fetch_value("n", f"SELECT count(*) AS n FROM {table}")
        for table in ("benchmarks", "kpi_observations", "drift_checks", "feedback", "people")
    }
    assert counts["benchmarks"] == len(in_production)
    assert counts["kpi_observations"] > 24 * len(in_production)
    # Every production model has a drift result: simulated, or "not monitored" (no logs).
    assert counts["drift_checks"] == len(in_production)
    outcomes = store.fetch_all(
        "outcomes", "SELECT outcome, count(*) AS n FROM drift_checks GROUP BY outcome"
    )
    unmonitored = sum(1 for m in planned.values() if m.in_production and not m.drift)
    assert {row["outcome"]: row["n"] for row in outcomes}.get("not_monitored", 0) == unmonitored
    assert counts["people"] == len(scale.people())
    segments = store.fetch_value(
        "n", "SELECT count(DISTINCT segment) AS n FROM kpi_observations WHERE segment <> ''"
    )
    assert segments == 3


def test_a_bad_scale_is_refused_and_changes_nothing(tmp_path):
    env = store_env(tmp_path / "portal.duckdb")
    result = run_portal("demo", "--scale", "0", env=env)
    assert result.returncode == 2
    assert "between 1 and 5000" in result.stderr
    assert not (tmp_path / "portal.duckdb").exists()


def _registry_with(settings, *models: tuple[str, dict[str, str]]) -> None:
    from mlflow import MlflowClient

    client = MlflowClient(settings.mlflow_tracking_uri, registry_uri=settings.mlflow_tracking_uri)
    for name, tags in models:
        client.create_registered_model(name, tags=tags)


def test_the_command_adds_synthetic_models_to_a_demo_once(settings, store, capsys):
    from portal import cli

    _registry_with(settings, ("customer-churn", {DEMO_TAG: "true"}))
    assert cli._add_scale(settings, store, 3) == cli.EXIT_OK
    assert "Added 3 synthetic models with 30 versions" in capsys.readouterr().out
    names = {model.name for model in CatalogService(store, settings).inventory()}
    assert names == {"customer-churn", *(model.name for model in scale.plan(3))}
    assert cli._add_scale(settings, store, 3) == cli.EXIT_OK
    assert "already holds 3 synthetic models; nothing to do" in capsys.readouterr().out
    assert len(CatalogService(store, settings).inventory()) == 4
    release_sql_store(settings.mlflow_tracking_uri)


def test_the_command_leaves_a_teams_registry_alone(settings, store):
    from portal import cli

    _registry_with(settings, ("fraud-model", {"owner": "team@example.com"}))
    with pytest.raises(cli.CommandError, match="not demo models"):
        cli._add_scale(settings, store, 3)
    assert store.fetch_value("n", "SELECT count(*) AS n FROM registered_models") == 0
    release_sql_store(settings.mlflow_tracking_uri)
