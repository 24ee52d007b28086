"""Incident rows and their moves: inserted once per submission key, moved by owners."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from portal.store.database import Row, Store, Transaction

_COLUMNS = (
    "id, model_name, model_version, started_at, kind, severity, title, description, impact,"
    " cases, status, root_cause, trace, reported_by, reported_by_name, reported_at,"
    " updated_by, updated_at"
)
# Open first, then mitigated, then closed; the most severe and the newest first within each.
_ORDER = (
    "CASE status WHEN 'open' THEN 0 WHEN 'mitigated' THEN 1 ELSE 2 END,"
    " CASE severity WHEN 'serious' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END,"
    " reported_at DESC, id DESC"
)
# An empty list means 'any'.
_MATCHING = (
    "(len($models) = 0 OR list_contains($models, model_name))"
    " AND (len($statuses) = 0 OR list_contains($statuses, status))"
    " AND (len($severities) = 0 OR list_contains($severities, severity))"
)


class IncidentRepository:
    """Named queries over incidents and incident_updates."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @staticmethod
    def id_for_key(tx: Transaction, submission_key: str) -> int | None:
        """The incident already stored for a form submission, if any."""
        return tx.fetch_value(
            "SELECT id FROM incidents WHERE submission_key = $key", {"key": submission_key}
        )

    @staticmethod
    def insert(tx: Transaction, row: dict[str, Any]) -> int:
        """Store a new incident and return its id."""
        return tx.fetch_value(
            "INSERT INTO incidents (submission_key, model_name, model_version, started_at, kind,"
            " severity, title, description, impact, cases, status, trace, reported_by,"
            " reported_by_name, reported_at, updated_by, updated_at) VALUES ($submission_key,"
            " $model_name, $model_version, $started_at, $kind, $severity, $title, $description,"
            " $impact, $cases, 'open', $trace, $reported_by, $reported_by_name, $reported_at,"
            " $reported_by, $reported_at) RETURNING id",
            row,
        )

    @staticmethod
    def move(tx: Transaction, incident_id: int, row: dict[str, Any]) -> None:
        """Set the new status (and root cause when closing) and record the move."""
        tx.execute(
            "UPDATE incidents SET status = $status,"
            " root_cause = CASE WHEN $status = 'closed' THEN $root_cause ELSE root_cause END,"
            " updated_by = $updated_by, updated_at = $updated_at WHERE id = $id",
            {
                "id": incident_id,
                **{k: row[k] for k in ("status", "root_cause", "updated_by", "updated_at")},
            },
        )
        tx.execute(
            "INSERT INTO incident_updates (incident_id, status, note, root_cause, updated_by,"
            " updated_by_name, updated_at) VALUES ($id, $status, $note, $root_cause,"
            " $updated_by, $updated_by_name, $updated_at)",
            {**row, "id": incident_id},
        )

    @staticmethod
    def get_in(tx: Transaction, incident_id: int) -> Row | None:
        """One incident read inside a transaction."""
        return tx.fetch_row(f"SELECT {_COLUMNS} FROM incidents WHERE id = $id", {"id": incident_id})

    def get(self, incident_id: int) -> Row | None:
        """One incident."""
        return self.store.fetch_one(
            "incident_by_id",
            f"SELECT {_COLUMNS} FROM incidents WHERE id = $id",
            {"id": incident_id},
        )

    def updates(self, incident_id: int) -> list[Row]:
        """An incident's moves, oldest first."""
        return self.store.fetch_all(
            "incident_updates",
            "SELECT status, note, root_cause, updated_by, updated_by_name, updated_at"
            " FROM incident_updates WHERE incident_id = $id ORDER BY updated_at, id",
            {"id": incident_id},
        )

    def tags_of_version(self, model_name: str, version: int) -> tuple[Row, Row]:
        """A model's tags and one version's tags (which override them), as two mappings."""
        rows = self.store.fetch_all(
            "incident_version_tags",
            "SELECT 'model' AS level, key, value FROM model_tags WHERE model_name = $model"
            " UNION ALL SELECT 'version', key, value FROM version_tags"
            " WHERE model_name = $model AND version = $version",
            {"model": model_name, "version": version},
        )
        model_tags = {r["key"]: r["value"] for r in rows if r["level"] == "model"}
        version_tags = {r["key"]: r["value"] for r in rows if r["level"] == "version"}
        return model_tags, version_tags

    def count_matching(self, where: Row) -> int:
        """How many incidents a filtered list holds."""
        return int(
            self.store.fetch_value(
                "incidents_count_matching",
                f"SELECT count(*) FROM incidents WHERE {_MATCHING}",
                where,
            )
        )

    def matching(self, where: Row, limit: int | None = None, offset: int = 0) -> list[Row]:
        """One page of a filtered list, open first (every matching row without a limit)."""
        return self.store.fetch_all(
            "incidents_matching",
            f"SELECT {_COLUMNS} FROM incidents WHERE {_MATCHING} ORDER BY {_ORDER}"
            " LIMIT $limit OFFSET $offset",
            {**where, "limit": limit, "offset": offset},
        )

    def models(self) -> list[str]:
        """The models with incidents, for the model filter."""
        rows = self.store.fetch_all(
            "incident_models", "SELECT DISTINCT model_name FROM incidents ORDER BY model_name"
        )
        return [row["model_name"] for row in rows]

    def open_rows(self, model_name: str | None = None) -> list[Row]:
        """Every incident not yet closed (of one model or all), in the list's order."""
        return self.store.fetch_all(
            "incidents_open",
            f"SELECT {_COLUMNS} FROM incidents WHERE status <> 'closed'"
            f" AND ($model IS NULL OR model_name = $model) ORDER BY {_ORDER}",
            {"model": model_name},
        )

    def open_per_model(self) -> list[Row]:
        """Per model: ids of its open (not yet mitigated) incidents and the earliest start."""
        return self.store.fetch_all(
            "incidents_open_per_model",
            "SELECT model_name, list(id ORDER BY started_at, id) AS ids,"
            " min(started_at) AS since FROM incidents WHERE status = 'open' GROUP BY model_name",
        )

    def signal_counts(self, since: datetime) -> list[Row]:
        """Per model and kind: incidents still open, and incidents started since a moment."""
        return self.store.fetch_all(
            "incident_signal_counts",
            "SELECT model_name, kind, count(*) FILTER (WHERE status = 'open') AS open,"
            " count(*) FILTER (WHERE started_at >= $since) AS recent FROM incidents"
            " WHERE kind IN ('outage', 'wrong_predictions')"
            " AND (status = 'open' OR started_at >= $since) GROUP BY model_name, kind",
            {"since": since},
        )


def matching_params(models: list[str], statuses: list[str], severities: list[str]) -> Row:
    """The parameters of a filtered list, as count_matching and matching take them."""
    return {"models": models, "statuses": statuses, "severities": severities}
