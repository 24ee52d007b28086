"""MLflow webhook deliveries in the store, and the ledger writes that place their alias moves."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from portal.store.database import Row, Store, Transaction


class WebhookRepository:
    """Named queries over webhook_events and the registry ledger's per-marker entries."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @staticmethod
    def delivery_seen(tx: Transaction, delivery_id: str) -> bool:
        """True when a delivery with this id was accepted before (a replay)."""
        return bool(
            tx.fetch_value(
                "SELECT count(*) FROM webhook_events WHERE delivery_id = $id", {"id": delivery_id}
            )
        )

    @staticmethod
    def record(tx: Transaction, event: dict[str, Any], received_at: datetime) -> int:
        """Store one accepted delivery and return its id."""
        return tx.fetch_value(
            "INSERT INTO webhook_events (delivery_id, received_at, event_at, entity, action,"
            " model_name, version, alias, payload_json) VALUES ($delivery_id, $received_at,"
            " $event_at, $entity, $action, $model_name, $version, $alias, $payload_json)"
            " RETURNING id",
            {**event, "received_at": received_at},
        )

    @staticmethod
    def marker_entries(tx: Transaction, model_name: str, marker: str) -> list[Row]:
        """One model's ledger entries for one marker, in time order, inside the transaction."""
        rows = tx.fetch_tuples(
            "SELECT id, observed_at, version_before, version_after, webhook_event_id"
            " FROM registry_events WHERE model_name = $model AND marker = $marker"
            " ORDER BY observed_at, id",
            {"model": model_name, "marker": marker},
        )
        keys = ("id", "observed_at", "version_before", "version_after", "webhook_event_id")
        return [dict(zip(keys, row, strict=True)) for row in rows]

    @staticmethod
    def latest_values(tx: Transaction, model_name: str | None) -> dict[tuple[str, str], int | None]:
        """(model, marker) -> the version the ledger's newest entry leaves the marker at."""
        rows = tx.fetch_tuples(
            # Not arg_max: it skips NULL, and a removed alias leaves the marker at NULL.
            "SELECT model_name, marker, version_after FROM registry_events"
            " WHERE $model IS NULL OR model_name = $model"
            " QUALIFY row_number() OVER (PARTITION BY model_name, marker"
            " ORDER BY observed_at DESC, id DESC) = 1",
            {"model": model_name},
        )
        return {(model, marker): version for model, marker, version in rows}

    @staticmethod
    def insert_entry(
        tx: Transaction,
        *,
        model_name: str,
        marker: str,
        at: datetime,
        version_before: int | None,
        version_after: int | None,
        webhook_event_id: int,
    ) -> None:
        """A ledger entry placed at MLflow's time by a delivery."""
        tx.execute(
            "INSERT INTO registry_events (observed_at, model_name, marker, version_before,"
            " version_after, webhook_event_id) VALUES ($at, $model, $marker, $before, $after,"
            " $webhook)",
            {
                "at": at,
                "model": model_name,
                "marker": marker,
                "before": version_before,
                "after": version_after,
                "webhook": webhook_event_id,
            },
        )

    @staticmethod
    def retime_entry(tx: Transaction, entry_id: int, at: datetime, webhook_event_id: int) -> None:
        """A move a sync saw late gets MLflow's exact time from the delivery that reports it."""
        tx.execute(
            "UPDATE registry_events SET observed_at = $at, webhook_event_id = $webhook"
            " WHERE id = $id",
            {"id": entry_id, "at": at, "webhook": webhook_event_id},
        )

    @staticmethod
    def set_version_before(tx: Transaction, entry_id: int, version: int | None) -> None:
        """The entry after a move placed in between now starts from that move's version."""
        tx.execute(
            "UPDATE registry_events SET version_before = $version WHERE id = $id",
            {"id": entry_id, "version": version},
        )

    def summary(self) -> Row:
        """How many deliveries were accepted, and the newest one."""
        return self.store.fetch_one(
            "webhook_summary",
            "SELECT count(*) AS accepted, max(received_at) AS last_received_at,"
            " arg_max(event_at, id) AS last_event_at,"
            " arg_max(entity || '.' || action, id) AS last_event,"
            " arg_max(model_name, id) AS last_model FROM webhook_events",
        ) or {"accepted": 0}
