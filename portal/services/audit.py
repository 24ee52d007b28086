"""Reading the audit log: admins see everything, a model's owners see its own history."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from portal.clock import utc_now
from portal.domain.paging import Page, page_window
from portal.services.authorization import authorize, may
from portal.services.identity import Identity
from portal.store.audit_repo import AuditFilter, AuditRepository
from portal.store.database import Row, Store, Transaction

__all__ = [
    "CSV_COLUMNS",
    "AuditEntry",
    "AuditField",
    "AuditFilter",
    "AuditService",
    "audit_csv",
    "audit_fields",
    "audit_request",
    "write_audit",
]


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


PAGE_SIZE = 50  # entries to a page of the audit list


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

    def page(
        self, actor: Identity, where: AuditFilter, page: int = 1, page_size: int = PAGE_SIZE
    ) -> Page[AuditEntry]:
        """One page of the entries matching the filter, newest first; admins only. A page past
        the last shows the last one."""
        authorize(self.store, actor, "audit.read")
        total = self.audit.count(where)
        shown, offset = page_window(total, page, page_size)
        rows = self.audit.entries(replace(where, limit=page_size), offset) if total else []
        return Page(tuple(_entry(row) for row in rows), total, shown, page_size)

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


@dataclass(frozen=True)
class AuditField:
    """One recorded field of an entry: its name and its values before and after (None: absent)."""

    name: str
    before: Any
    after: Any

    @property
    def changed(self) -> bool:
        """Whether the write changed this field."""
        return self.before != self.after


def audit_fields(entry: AuditEntry) -> list[AuditField]:
    """The fields the write recorded (after it; before it for a removal), with both values."""
    before = _fields(entry.before_json)
    after = _fields(entry.after_json)
    names = list(after or before)
    return [AuditField(name, before.get(name), after.get(name)) for name in names]


def _fields(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {"value": text}
    return value if isinstance(value, dict) else {"value": value}


# The export's columns: raw values, so that a CSV reader gets exactly what was recorded.
CSV_COLUMNS = (
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
)


def audit_csv(entries: list[AuditEntry], headers: Sequence[str] = CSV_COLUMNS) -> str:
    """The entries as CSV, in the order given, under the given headers (one per column)."""
    if len(headers) != len(CSV_COLUMNS):
        raise ValueError(f"audit CSV needs {len(CSV_COLUMNS)} headers")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
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
