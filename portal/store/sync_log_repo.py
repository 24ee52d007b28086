"""The sync log: every attempt to copy a source into the store, with counts and errors."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from portal.store.database import Row, Store, Transaction


@dataclass(frozen=True)
class SyncCounts:
    """What one sync saw and changed."""

    models_seen: int = 0
    versions_seen: int = 0
    models_changed: int = 0
    versions_changed: int = 0
    runs_fetched: int = 0
    registry_events: int = 0


MLFLOW_SOURCE = "mlflow"  # the sync log's name for the MLflow registry
_ATTEMPTS = "SELECT *, finished_at - started_at AS duration FROM sync_runs"


class SyncLogRepository:
    """Named queries over sync_runs."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def start(
        self, source: str, source_uri: str, trigger: str, triggered_by: str, started_at: datetime
    ) -> int:
        """Record a sync as running and return its id."""
        with self.store.transaction() as tx:
            return tx.fetch_value(
                "INSERT INTO sync_runs (source, source_uri, trigger, triggered_by, started_at,"
                " status) VALUES ($source, $uri, $trigger, $by, $at, 'running') RETURNING id",
                {
                    "source": source,
                    "uri": source_uri,
                    "trigger": trigger,
                    "by": triggered_by,
                    "at": started_at,
                },
            )

    @staticmethod
    def finish_ok(tx: Transaction, sync_id: int, finished_at: datetime, counts: SyncCounts) -> None:
        """Close a sync as successful, inside the transaction that wrote its changes."""
        tx.execute(
            "UPDATE sync_runs SET status = 'ok', finished_at = $finished_at,"
            " models_seen = $models_seen, versions_seen = $versions_seen,"
            " models_changed = $models_changed, versions_changed = $versions_changed,"
            " runs_fetched = $runs_fetched, registry_events = $registry_events WHERE id = $id",
            {"id": sync_id, "finished_at": finished_at, **asdict(counts)},
        )

    def finish_failed(self, sync_id: int, finished_at: datetime, error: str) -> None:
        """Close a sync as failed; the catalog it would have changed stays as it was."""
        with self.store.transaction() as tx:
            tx.execute(
                "UPDATE sync_runs SET status = 'failed', finished_at = $at, error = $error"
                " WHERE id = $id",
                {"id": sync_id, "at": finished_at, "error": error},
            )
            tx.bump_data_version()

    def abandon_running(self, at: datetime) -> None:
        """Syncs still 'running' from a process that stopped are closed as interrupted."""
        with self.store.transaction() as tx:
            tx.execute(
                "UPDATE sync_runs SET status = 'failed', finished_at = $at,"
                " error = 'interrupted: the portal stopped during this sync'"
                " WHERE status = 'running'",
                {"at": at},
            )

    def recent(self, limit: int = 20) -> list[Row]:
        """The latest sync attempts, newest first."""
        return self.store.fetch_all(
            "recent_syncs",
            f"{_ATTEMPTS} ORDER BY started_at DESC, id DESC LIMIT $limit",
            {"limit": limit},
        )

    def attempt(self, sync_id: int) -> Row | None:
        """One sync attempt by id."""
        return self.store.fetch_one("sync_attempt", f"{_ATTEMPTS} WHERE id = $id", {"id": sync_id})

    def latest_per_source(self) -> list[Row]:
        """Per source: the last attempt and the last successful one."""
        return self.store.fetch_all(
            "latest_sync_per_source",
            """
            SELECT source,
                   arg_max(id, started_at) AS last_id,
                   arg_max(status, started_at) AS last_status,
                   max(started_at) AS last_started_at,
                   max(finished_at) FILTER (WHERE status = 'ok') AS last_success_at
            FROM sync_runs GROUP BY source ORDER BY source
            """,
        )
