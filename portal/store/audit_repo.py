"""The audit log: entries are appended inside the transaction of the write they record."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from portal.store.database import Row, Store, Transaction


@dataclass(frozen=True)
class AuditFilter:
    """Which entries to read; empty fields do not filter."""

    actor: str = ""
    model_name: str = ""
    action: str = ""
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 1000


class AuditRepository:
    """Append and read; there is deliberately no way to change or remove an entry."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @staticmethod
    def append(
        tx: Transaction,
        *,
        at: datetime,
        actor: str,
        actor_name: str,
        action: str,
        entity_type: str,
        entity_id: str,
        model_name: str | None = None,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> None:
        """Record one write; before and after are stored as JSON."""
        tx.execute(
            "INSERT INTO audit_log (recorded_at, actor, actor_name, action, entity_type, entity_id,"
            " model_name, before_json, after_json) VALUES ($at, $actor, $actor_name, $action,"
            " $entity_type, $entity_id, $model_name, $before, $after)",
            {
                "at": at,
                "actor": actor,
                "actor_name": actor_name,
                "action": action,
                "entity_type": entity_type,
                "entity_id": entity_id,
                "model_name": model_name,
                "before": _json(before),
                "after": _json(after),
            },
        )

    def entries(self, where: AuditFilter, offset: int = 0) -> list[Row]:
        """Entries matching the filter, newest first: at most where.limit, after offset."""
        return self.store.fetch_all(
            "audit_entries",
            f"""
            SELECT id, recorded_at AS at, actor, actor_name, action, entity_type, entity_id,
                   model_name, before_json, after_json
            FROM audit_log
            {_MATCHING}
            ORDER BY recorded_at DESC, id DESC
            LIMIT $limit OFFSET $offset
            """,
            {**_parameters(where), "limit": where.limit, "offset": offset},
        )

    def count(self, where: AuditFilter) -> int:
        """How many entries match the filter (without its limit)."""
        return int(
            self.store.fetch_value(
                "audit_count", f"SELECT count(*) FROM audit_log {_MATCHING}", _parameters(where)
            )
        )

    def choices(self) -> dict[str, list[str]]:
        """Distinct people, models and actions, for filter menus."""
        return {
            column: [
                row["value"]
                for row in self.store.fetch_all(
                    f"audit_{column}_choices",
                    f"SELECT DISTINCT {column} AS value FROM audit_log"
                    f" WHERE {column} IS NOT NULL ORDER BY value",
                )
            ]
            for column in ("actor", "model_name", "action")
        }


_MATCHING = """
    WHERE ($actor = '' OR actor = $actor)
      AND ($model = '' OR model_name = $model)
      AND ($action = '' OR action = $action)
      AND ($since IS NULL OR recorded_at >= $since)
      AND ($until IS NULL OR recorded_at < $until)
"""


def _parameters(where: AuditFilter) -> dict[str, Any]:
    return {
        "actor": where.actor,
        "model": where.model_name,
        "action": where.action,
        "since": where.since,
        "until": where.until,
    }


def _json(value: dict[str, Any] | None) -> str | None:
    return (
        None
        if value is None
        else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    )
