"""The process-wide runtime: settings, the store and the scheduler, opened once per process."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from portal.config import Settings, load_settings, redact_uri
from portal.scheduler import JobRequest, Scheduler
from portal.store.database import Store
from portal.store.sync_log_repo import SyncLogRepository
from portal.sync import SyncResult, sync_mlflow, utc_now

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Runtime:
    """What every service needs: the settings in force, the open store, the job scheduler."""

    settings: Settings
    store: Store
    scheduler: Scheduler


_runtime: Runtime | None = None
_lock = threading.Lock()


def run_mlflow_sync(
    settings: Settings, store: Store, trigger: str, requested_by: str = ""
) -> SyncResult:
    """Sync the configured MLflow store into the portal store now."""
    from portal.sources.mlflow_source import MlflowSource

    source = MlflowSource(
        settings.mlflow_tracking_uri,
        timeout_seconds=settings.mlflow_timeout_seconds,
        page_size=settings.mlflow_page_size,
    )
    return sync_mlflow(
        store,
        source,
        source_uri=redact_uri(settings.mlflow_tracking_uri),
        alias_precedence=settings.production_aliases,
        trigger=trigger,
        triggered_by=requested_by,
    )


def open_runtime(settings: Settings | None = None, *, schedule: bool = True) -> Runtime:
    """Open the store (applying migrations) and make the runtime current for this process."""
    global _runtime
    with _lock:
        if _runtime is not None:
            return _runtime
        settings = settings or load_settings()
        store = Store(settings.store_path, query_timeout_seconds=settings.query_timeout_seconds)
        SyncLogRepository(store).abandon_running(utc_now())

        def run_job(request: JobRequest) -> SyncResult:
            return run_mlflow_sync(settings, store, request.trigger, request.requested_by)

        interval = settings.sync_interval_minutes if schedule else 0
        _runtime = Runtime(settings, store, Scheduler(run_job, interval))
        if schedule:
            _audit_start(settings, store)
            # Catch up with MLflow at start; later syncs follow the interval (0: by hand only).
            _runtime.scheduler.request("startup", "", start=False)
        return _runtime


def _audit_start(settings: Settings, store: Store) -> None:
    """The server records the settings that decide who may do what, each time it starts."""
    from portal.store.audit_repo import AuditRepository

    with store.transaction() as tx:
        AuditRepository.append(
            tx,
            at=utc_now(),
            actor="portal",
            actor_name="",
            action="config.loaded",
            entity_type="settings",
            entity_id="roles",
            after={
                "auth_mode": settings.auth_mode,
                "admins": list(settings.admins),
                "experts": list(settings.experts),
                "viewers": list(settings.viewers),
                "production_aliases": list(settings.production_aliases),
            },
        )


def current_settings() -> Settings:
    """The runtime's settings, or the environment's when no runtime is open (store not needed)."""
    return _runtime.settings if _runtime is not None else load_settings()


def current_runtime() -> Runtime:
    """The open runtime, opening it with the environment's settings on first use.

    Opened here (a page under `streamlit run`, without the server's lifespan), the scheduler
    starts at once: by the time a page runs, every import is done.
    """
    if _runtime is not None:
        return _runtime
    runtime = open_runtime()
    runtime.scheduler.start()
    return runtime


def close_runtime() -> None:
    """Stop the scheduler and close the store."""
    global _runtime
    with _lock:
        if _runtime is None:
            return
        _runtime.scheduler.stop()
        _runtime.store.close()
        _runtime = None
