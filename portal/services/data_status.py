"""Data status for admins: the sync log per source, and syncing now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from portal.config import redact_uri
from portal.runtime import Runtime
from portal.services.audit import audit_request
from portal.services.authorization import authorize
from portal.services.identity import Identity
from portal.store.database import as_record
from portal.store.sync_log_repo import MLFLOW_SOURCE, SyncLogRepository


@dataclass(frozen=True)
class SyncAttempt:
    """One sync attempt as the data status page lists it."""

    id: int
    source: str
    source_uri: str
    trigger: str
    triggered_by: str
    started_at: datetime
    duration: timedelta | None
    status: str  # running, ok, failed
    models_seen: int | None
    versions_seen: int | None
    models_changed: int | None
    versions_changed: int | None
    runs_fetched: int | None
    registry_events: int | None
    error: str


@dataclass(frozen=True)
class SourceStatus:
    """Per source: the last attempt and the last success."""

    source: str
    last_attempt: SyncAttempt
    last_success_at: datetime | None


@dataclass(frozen=True)
class DataStatus:
    """What an admin sees on the data status page."""

    sources: tuple[SourceStatus, ...]
    recent: tuple[SyncAttempt, ...]
    sync_busy: bool
    sync_interval_minutes: float
    mlflow_uri: str

    @property
    def mlflow(self) -> SourceStatus | None:
        """The MLflow registry's sync status; None before the first sync."""
        return next((s for s in self.sources if s.source == MLFLOW_SOURCE), None)


class DataStatusService:
    """The sync log, and the admin action to sync now."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.sync_log = SyncLogRepository(runtime.store)

    def status(self, actor: Identity, limit: int = 20) -> DataStatus:
        """The sync log; admins only, since it shows store locations and raw errors."""
        authorize(self.runtime.store, actor, "data_status.read")
        recent = tuple(_attempt(row) for row in self.sync_log.recent(limit))
        by_id = {attempt.id: attempt for attempt in recent}
        sources = []
        for row in self.sync_log.latest_per_source():
            last = by_id.get(row["last_id"]) or _attempt(self.sync_log.attempt(row["last_id"]))
            sources.append(SourceStatus(row["source"], last, row["last_success_at"]))
        return DataStatus(
            sources=tuple(sources),
            recent=recent,
            sync_busy=self.runtime.scheduler.is_busy,
            sync_interval_minutes=self.runtime.settings.sync_interval_minutes,
            mlflow_uri=redact_uri(self.runtime.settings.mlflow_tracking_uri),
        )

    def request_sync(self, actor: Identity) -> bool:
        """Queue an MLflow sync now; False when one is already waiting."""
        authorize(self.runtime.store, actor, "sync.start")
        accepted = self.runtime.scheduler.request("manual", actor.label)
        if accepted:
            audit_request(self.runtime.store, actor, "sync.requested", ("source", "mlflow"))
        return accepted


def _attempt(row: dict) -> SyncAttempt:
    return as_record(
        SyncAttempt, row, source_uri=redact_uri(row["source_uri"]), error=row["error"] or ""
    )
