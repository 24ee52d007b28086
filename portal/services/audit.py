"""Reading the audit log: admins see everything, a model's owners see its own history."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from portal.clock import utc_now
from portal.services.authorization import authorize, may
from portal.services.identity import Identity
from portal.store.audit_repo import AuditFilter, AuditRepository
from portal.store.database import Row, Store, Transaction

__all__ = ["AuditEntry", "AuditFilter", "AuditService", "audit_csv", "audit_request", "write_audit"]


def write_audit(
    tx: Transaction,
    actor: Identity,
    action: str,
    entity: tuple[str, str],
    at: datetime,
    *,
    model_name: str | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> None:
    """Append who did what to which entity (type, id), in the transaction that does it."""
    AuditRepository.append(
        tx,
        at=at,
        actor=actor.label,
        actor_name=actor.name,
        action=action,
        entity_type=entity[0],
        entity_id=entity[1],
        model_name=model_name,
        before=before,
        after=after,
    )


def audit_request(store: Store, actor: Identity, action: str, entity: tuple[str, str]) -> None:
    """Record who asked for a job (a sync, a drift check) that the scheduler accepted."""
    with store.transaction() as tx:
        write_audit(
            tx,
            actor,
            action,
            entity,
            utc_now(),
        )


@dataclass(frozen=True)
class AuditEntry:
    """One recorded write."""

    id: int
    at: datetime
    actor: str
    actor_name: str
    action: str
    entity_type: str
    entity_id: str
    model_name: str | None
    before_json: str | None
    after_json: str | None


class AuditService:
    """Authorized reads of the append-only audit log."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.audit = AuditRepository(store)

    def entries(self, actor: Identity, where: AuditFilter) -> list[AuditEntry]:
        """Entries matching the filter, newest first; admins only."""
        authorize(self.store, actor, "audit.read")
        return [_entry(row) for row in self.audit.entries(where)]

    def may_read_history(self, actor: Identity, model_name: str) -> bool:
        """For the interface: offer the model's change history or not."""
        return may(self.store, actor, "model.history.read", model_name)

    def model_history(self, actor: Identity, model_name: str) -> list[AuditEntry]:
        """One model's changes, for its owners and admins."""
        authorize(self.store, actor, "model.history.read", model_name)
        return [_entry(row) for row in self.audit.entries(AuditFilter(model_name=model_name))]

    def choices(self, actor: Identity) -> dict[str, list[str]]:
        """People, models and actions that occur in the log, for the filters."""
        authorize(self.store, actor, "audit.read")
        return self.audit.choices()


def audit_csv(entries: list[AuditEntry]) -> str:
    """The entries as CSV, in the order given."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "id",
            "at",
            "actor",
            "actor_name",
            "action",
            "entity_type",
            "entity_id",
            "model",
            "before",
            "after",
        ]
    )
    for entry in entries:
        writer.writerow(
            [
                entry.id,
                entry.at.isoformat(),
                entry.actor,
                entry.actor_name,
                entry.action,
                entry.entity_type,
                entry.entity_id,
                entry.model_name or "",
                entry.before_json or "",
                entry.after_json or "",
            ]
        )
    return buffer.getvalue()


def _entry(row: Row) -> AuditEntry:
    return AuditEntry(**row)
