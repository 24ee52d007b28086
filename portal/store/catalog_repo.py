"""The model catalog in the store: what the sync writes and what the services read."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from portal.store.database import Row, Store, Transaction

# Bulk writes pass their rows as one list-of-structs parameter and read them back as r.<field>.
_ROWS = "FROM (SELECT unnest($rows) AS r)"


class CatalogRepository:
    """Named queries over registered models, versions, aliases, runs and the ledger."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # --- reads for the sync -------------------------------------------------------------

    def known_models(self) -> dict[str, Row]:
        """Every model ever seen (deleted ones too), with its tags and aliases."""
        models = {
            row["name"]: row
            for row in self.store.fetch_all(
                "known_models",
                "SELECT name, description, created_at, updated_at, deleted_at, first_seen_at"
                " FROM registered_models",
            )
        }
        for row in models.values():
            row["tags"], row["aliases"] = {}, {}
        for row in self.store.fetch_all("known_model_tags", "SELECT * FROM model_tags"):
            models[row["model_name"]]["tags"][row["key"]] = row["value"]
        for row in self.store.fetch_all("known_aliases", "SELECT * FROM model_aliases"):
            models[row["model_name"]]["aliases"][row["alias"]] = row["version"]
        return models

    def known_versions(self) -> dict[tuple[str, int], Row]:
        """Every version ever seen (deleted ones too), with its tags."""
        versions = {
            (row["model_name"], row["version"]): row
            for row in self.store.fetch_all(
                "known_versions",
                "SELECT model_name, version, run_id, source, status, stage, description,"
                " created_at, updated_at, registered_by, deleted_at FROM model_versions",
            )
        }
        for row in versions.values():
            row["tags"] = {}
        for row in self.store.fetch_all("known_version_tags", "SELECT * FROM version_tags"):
            versions[(row["model_name"], row["version"])]["tags"][row["key"]] = row["value"]
        return versions

    def known_run_statuses(self) -> dict[str, str]:
        """Run id -> status of every run copied so far."""
        rows = self.store.fetch_all("known_runs", "SELECT run_id, status FROM runs")
        return {row["run_id"]: row["status"] for row in rows}

    def ledger(self, model_name: str | None = None) -> list[Row]:
        """Registry events in time order, for one model or all."""
        return self.store.fetch_all(
            "ledger",
            "SELECT model_name, observed_at, marker, version_before, version_after"
            " FROM registry_events WHERE $model IS NULL OR model_name = $model"
            " ORDER BY observed_at, id",
            {"model": model_name},
        )

    # --- writes by the sync: one statement per table, rows passed as a list of structs -------

    @staticmethod
    def upsert_models(tx: Transaction, models: list[dict[str, Any]], seen_at: datetime) -> None:
        """Insert or update models and replace their tags."""
        tx.execute_rows(
            "INSERT INTO registered_models (name, description, created_at, updated_at,"
            " first_seen_at, deleted_at)"
            " SELECT r.name, r.description, r.created_at, r.updated_at, $seen_at, NULL"
            f" {_ROWS} ON CONFLICT (name) DO UPDATE SET description = excluded.description,"
            " created_at = excluded.created_at, updated_at = excluded.updated_at,"
            " deleted_at = NULL",
            [
                {k: m[k] for k in ("name", "description", "created_at", "updated_at")}
                for m in models
            ],
            seen_at=seen_at,
        )
        tx.execute_rows(
            f"DELETE FROM model_tags WHERE model_name IN (SELECT r.name {_ROWS})",
            [{"name": m["name"]} for m in models],
        )
        tx.execute_rows(
            f"INSERT INTO model_tags SELECT r.model_name, r.key, r.value {_ROWS}",
            [
                {"model_name": m["name"], "key": k, "value": v}
                for m in models
                for k, v in m["tags"].items()
            ],
        )

    @staticmethod
    def mark_models_deleted(tx: Transaction, names: list[str], deleted_at: datetime) -> None:
        """Models MLflow no longer lists: kept with their history, marked deleted."""
        tx.execute_rows(
            "UPDATE registered_models SET deleted_at = $at, production_version = NULL,"
            f" production_marker = NULL, production_since = NULL"
            f" WHERE name IN (SELECT r.name {_ROWS})",
            [{"name": name} for name in names],
            at=deleted_at,
        )

    @staticmethod
    def upsert_versions(tx: Transaction, versions: list[dict[str, Any]], seen_at: datetime) -> None:
        """Insert or update versions and replace their tags."""
        keys = (
            "model_name",
            "version",
            "run_id",
            "source",
            "status",
            "stage",
            "description",
            "created_at",
            "updated_at",
            "registered_by",
        )
        tx.execute_rows(
            "INSERT INTO model_versions (model_name, version, run_id, source, status, stage,"
            " description, created_at, updated_at, registered_by, first_seen_at, deleted_at)"
            " SELECT r.model_name, r.version, r.run_id, r.source, r.status, r.stage,"
            " r.description, r.created_at, r.updated_at, r.registered_by, $seen_at, NULL"
            f" {_ROWS} ON CONFLICT (model_name, version) DO UPDATE SET run_id = excluded.run_id,"
            " source = excluded.source, status = excluded.status, stage = excluded.stage,"
            " description = excluded.description, created_at = excluded.created_at,"
            " updated_at = excluded.updated_at, registered_by = excluded.registered_by,"
            " deleted_at = NULL",
            [{k: v[k] for k in keys} for v in versions],
            seen_at=seen_at,
        )
        tx.execute_rows(
            f"DELETE FROM version_tags USING (SELECT r.model_name, r.version {_ROWS}) AS k"
            " WHERE version_tags.model_name = k.model_name AND version_tags.version = k.version",
            [{"model_name": v["model_name"], "version": v["version"]} for v in versions],
        )
        tx.execute_rows(
            f"INSERT INTO version_tags SELECT r.model_name, r.version, r.key, r.value {_ROWS}",
            [
                {"model_name": v["model_name"], "version": v["version"], "key": k, "value": value}
                for v in versions
                for k, value in v["tags"].items()
            ],
        )

    @staticmethod
    def mark_versions_deleted(tx: Transaction, keys: list[tuple[str, int]], at: datetime) -> None:
        """Versions MLflow no longer lists: kept for lineage, marked deleted."""
        tx.execute_rows(
            f"UPDATE model_versions SET deleted_at = $at FROM (SELECT r.model_name, r.version"
            f" {_ROWS}) AS k WHERE model_versions.model_name = k.model_name"
            " AND model_versions.version = k.version",
            [{"model_name": name, "version": number} for name, number in keys],
            at=at,
        )

    @staticmethod
    def replace_aliases(tx: Transaction, aliases_by_model: dict[str, dict[str, int]]) -> None:
        """Set the current aliases of the given models."""
        tx.execute_rows(
            f"DELETE FROM model_aliases WHERE model_name IN (SELECT r.name {_ROWS})",
            [{"name": name} for name in aliases_by_model],
        )
        tx.execute_rows(
            f"INSERT INTO model_aliases SELECT r.model_name, r.alias, r.version {_ROWS}",
            [
                {"model_name": name, "alias": alias, "version": number}
                for name, aliases in aliases_by_model.items()
                for alias, number in aliases.items()
            ],
        )

    @staticmethod
    def append_events(tx: Transaction, events: list[dict[str, Any]]) -> None:
        """Record observed alias and stage changes in the ledger, in the given order."""
        for event in events:
            # One by one: the id sequence then keeps the observed order within a sync.
            tx.execute(
                "INSERT INTO registry_events (observed_at, model_name, marker, version_before,"
                " version_after, sync_run_id) VALUES ($observed_at, $model_name, $marker,"
                " $version_before, $version_after, $sync_run_id)",
                event,
            )

    @staticmethod
    def set_production(tx: Transaction, rows: list[dict[str, Any]]) -> None:
        """Store each model's production version derived from the ledger."""
        tx.execute_rows(
            "UPDATE registered_models SET production_version = k.version,"
            " production_marker = k.marker, production_since = k.since"
            f" FROM (SELECT r.name, r.version, r.marker, r.since {_ROWS}) AS k"
            " WHERE registered_models.name = k.name",
            rows,
        )

    @staticmethod
    def replace_runs(tx: Transaction, runs: list[dict[str, Any]], fetched_at: datetime) -> None:
        """Insert or replace runs with their metrics, params and datasets."""
        ids = [{"run_id": run["run_id"]} for run in runs]
        for table in ("runs", "run_metrics", "run_params", "run_datasets"):
            tx.execute_rows(f"DELETE FROM {table} WHERE run_id IN (SELECT r.run_id {_ROWS})", ids)
        tx.execute_rows(
            "INSERT INTO runs (run_id, experiment_id, experiment_name, run_name, status,"
            " started_at, ended_at, user_name, git_commit, code_source, fetched_at)"
            " SELECT r.run_id, r.experiment_id, r.experiment_name, r.run_name, r.status,"
            f" r.started_at, r.ended_at, r.user, r.git_commit, r.code_source, $fetched_at {_ROWS}",
            [
                {k: v for k, v in run.items() if k not in ("metrics", "params", "datasets")}
                for run in runs
            ],
            fetched_at=fetched_at,
        )
        tx.execute_rows(
            f"INSERT INTO run_metrics SELECT r.run_id, r.key, r.value {_ROWS}",
            [
                {"run_id": run["run_id"], "key": k, "value": float(v)}
                for run in runs
                for k, v in run["metrics"].items()
            ],
        )
        tx.execute_rows(
            f"INSERT INTO run_params SELECT r.run_id, r.key, r.value {_ROWS}",
            [
                {"run_id": run["run_id"], "key": k, "value": v}
                for run in runs
                for k, v in run["params"].items()
            ],
        )
        tx.execute_rows(
            "INSERT OR IGNORE INTO run_datasets SELECT r.run_id, r.name, r.digest, r.source_type,"
            f" r.source, r.context {_ROWS}",
            [{"run_id": run["run_id"], **dataset} for run in runs for dataset in run["datasets"]],
        )

    # --- reads for the services -------------------------------------------------------------

    def inventory(self) -> list[Row]:
        """One row per active model: production version, latest version, last training."""
        return self.store.fetch_all(
            "inventory",
            """
            WITH per_model AS (
                SELECT m.name, m.description, m.production_version, m.production_marker,
                       m.production_since, m.first_seen_at,
                       count(v.version) AS version_count,
                       max(v.version) AS latest_version,
                       max(coalesce(r.ended_at, r.started_at, v.created_at)) AS last_trained_at
                FROM registered_models m
                LEFT JOIN model_versions v ON v.model_name = m.name AND v.deleted_at IS NULL
                LEFT JOIN runs r ON r.run_id = v.run_id
                WHERE m.deleted_at IS NULL
                GROUP BY ALL
            )
            SELECT * FROM per_model ORDER BY lower(name), name
            """,
        )

    def effective_tag_rows(self, model_name: str | None = None) -> list[Row]:
        """Model tags and the tags of the version that describes it (production, else latest)."""
        return self.store.fetch_all(
            "effective_tag_rows",
            """
            WITH described AS (
                SELECT m.name, coalesce(m.production_version, max(v.version)) AS version
                FROM registered_models m
                LEFT JOIN model_versions v ON v.model_name = m.name AND v.deleted_at IS NULL
                WHERE m.deleted_at IS NULL AND ($model IS NULL OR m.name = $model)
                GROUP BY m.name, m.production_version
            )
            SELECT d.name AS model_name, 'model' AS level, t.key, t.value
            FROM described d JOIN model_tags t ON t.model_name = d.name
            UNION ALL
            SELECT d.name, 'version', t.key, t.value
            FROM described d JOIN version_tags t ON t.model_name = d.name AND t.version = d.version
            """,
            {"model": model_name},
        )

    def model(self, name: str) -> Row | None:
        """One active model's own fields."""
        return self.store.fetch_one(
            "model",
            "SELECT * FROM registered_models WHERE name = $name AND deleted_at IS NULL",
            {"name": name},
        )

    def versions_of(self, name: str) -> list[Row]:
        """All versions of a model, newest first, deleted ones included, with run facts."""
        return self.store.fetch_all(
            "versions_of",
            """
            SELECT v.version, v.run_id, v.status, v.stage, v.description, v.created_at,
                   v.registered_by, v.deleted_at, r.run_name,
                   coalesce(r.ended_at, r.started_at) AS trained_at, r.user_name AS trained_by,
                   list(a.alias ORDER BY a.alias) FILTER (WHERE a.alias IS NOT NULL) AS aliases
            FROM model_versions v
            LEFT JOIN runs r ON r.run_id = v.run_id
            LEFT JOIN model_aliases a ON a.model_name = v.model_name AND a.version = v.version
            WHERE v.model_name = $name
            GROUP BY ALL
            ORDER BY v.version DESC
            """,
            {"name": name},
        )

    def run(self, run_id: str) -> Row | None:
        """One training run's lineage facts."""
        return self.store.fetch_one(
            "run", "SELECT * FROM runs WHERE run_id = $run_id", {"run_id": run_id}
        )

    def run_metrics(self, run_id: str) -> list[Row]:
        """A run's metrics by name."""
        return self.store.fetch_all(
            "run_metrics",
            "SELECT key, value FROM run_metrics WHERE run_id = $run_id ORDER BY key",
            {"run_id": run_id},
        )

    def run_params(self, run_id: str) -> list[Row]:
        """A run's parameters by name."""
        return self.store.fetch_all(
            "run_params",
            "SELECT key, value FROM run_params WHERE run_id = $run_id ORDER BY key",
            {"run_id": run_id},
        )

    def run_datasets(self, run_id: str) -> list[Row]:
        """The datasets a run logged as inputs."""
        return self.store.fetch_all(
            "run_datasets",
            "SELECT name, digest, source_type, source, context FROM run_datasets"
            " WHERE run_id = $run_id ORDER BY context, name",
            {"run_id": run_id},
        )

    def counts(self) -> Row:
        """Headline counts for the overview and the health endpoint."""
        return self.store.fetch_one(
            "catalog_counts",
            """
            SELECT
              (SELECT count(*) FROM registered_models WHERE deleted_at IS NULL) AS models,
              (SELECT count(*) FROM registered_models
                 WHERE deleted_at IS NULL AND production_version IS NOT NULL) AS in_production,
              (SELECT count(*) FROM model_versions v JOIN registered_models m
                 ON m.name = v.model_name AND m.deleted_at IS NULL
                 WHERE v.deleted_at IS NULL) AS versions
            """,
        ) or {"models": 0, "in_production": 0, "versions": 0}


def group_tags(rows: list[Row]) -> dict[str, tuple[dict[str, str], dict[str, str]]]:
    """effective_tag_rows grouped per model as (model tags, version tags)."""
    grouped: dict[str, tuple[dict[str, str], dict[str, str]]] = defaultdict(lambda: ({}, {}))
    for row in rows:
        model_tags, version_tags = grouped[row["model_name"]]
        (model_tags if row["level"] == "model" else version_tags)[row["key"]] = row["value"]
    return dict(grouped)
