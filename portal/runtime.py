"""The process-wide runtime: settings, the store and the scheduler, opened once per process."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from portal.clock import utc_now
from portal.config import Settings, load_settings, redact_uri
from portal.scheduler import JobRequest, Scheduler
from portal.store import open_store
from portal.store.database import Store
from portal.store.drift_repo import DriftRepository
from portal.store.sync_log_repo import SyncLogRepository
from portal.sync import SyncResult, sync_mlflow, sync_model

if TYPE_CHECKING:
    from portal.drift.job import DriftJobResult
    from portal.sources.mlflow_source import MlflowSource

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Runtime:
    """What every service needs: the settings in force, the open store, the job schedulers."""

    settings: Settings
    store: Store
    scheduler: Scheduler  # MLflow syncs
    drift_scheduler: Scheduler | None = None  # drift checks; None where no job may run
    notify_scheduler: Scheduler | None = None  # notifications; None where none are sent

    def start(self) -> None:
        """Start the background workers (idempotent)."""
        self.scheduler.start()
        if self.drift_scheduler is not None:
            self.drift_scheduler.start()
        if self.notify_scheduler is not None:
            self.notify_scheduler.start()

    def stop(self) -> None:
        """Let running jobs finish, then end the workers."""
        self.scheduler.stop()
        if self.drift_scheduler is not None:
            self.drift_scheduler.stop()
        if self.notify_scheduler is not None:
            self.notify_scheduler.stop()


def command_runtime(settings: Settings, store: Store) -> Runtime:
    """A runtime for one command-line call: settings and store, no background jobs."""

    def refuse(_request: JobRequest) -> None:
        raise RuntimeError("a command-line runtime runs no scheduled jobs")

    return Runtime(settings, store, Scheduler(refuse, 0, name="none"))


def configured_store(settings: Settings) -> Store:
    """The store the settings name, opened and migrated, with their query time limit."""
    return open_store(settings.store_path, query_timeout_seconds=settings.query_timeout_seconds)


_runtime: Runtime | None = None
_lock = threading.Lock()


def mlflow_source(settings: Settings) -> MlflowSource:
    """The configured MLflow registry, with its time limit and page size (imported on use)."""
    from portal.sources.mlflow_source import MlflowSource

    return MlflowSource(
        settings.mlflow_tracking_uri,
        timeout_seconds=settings.mlflow_timeout_seconds,
        page_size=settings.mlflow_page_size,
    )


def run_mlflow_sync(
    settings: Settings, store: Store, trigger: str, requested_by: str = ""
) -> SyncResult:
    """Sync the configured MLflow store into the portal store now."""
    source = mlflow_source(settings)
    return sync_mlflow(
        store,
        source,
        source_uri=redact_uri(settings.mlflow_tracking_uri),
        alias_precedence=settings.production_aliases,
        trigger=trigger,
        triggered_by=requested_by,
    )


def run_model_sync(settings: Settings, store: Store, model_name: str, trigger: str) -> SyncResult:
    """Sync one model from the configured MLflow store now (after a webhook about it)."""
    source = mlflow_source(settings)
    return sync_model(
        store,
        source,
        model_name,
        source_uri=redact_uri(settings.mlflow_tracking_uri),
        alias_precedence=settings.production_aliases,
        trigger=trigger,
    )


def run_drift_check(
    settings: Settings,
    store: Store,
    trigger: str,
    requested_by: str = "",
    model_name: str | None = None,
) -> DriftJobResult:
    """Run the drift job now: reference samples come from the production versions' runs."""
    from portal.drift.job import run_drift_job

    source = mlflow_source(settings)
    return run_drift_job(store, settings, source, trigger, requested_by, model_name)


def run_notify(runtime: Runtime, trigger: str) -> object:
    """A scheduled notification run: new serious tasks and retries; on the digest's weekday
    the weekly digest too (sent once per ISO week, so later runs that day add nothing)."""
    from portal.services.notifications import run_notifications

    now = utc_now()
    digest = now.weekday() == runtime.settings.notify_digest_weekday
    log.info("notification run (%s, digest %s)", trigger, digest)
    return run_notifications(runtime, now, digest=digest)


def open_runtime(settings: Settings | None = None, *, schedule: bool = True) -> Runtime:
    """Open the store (applying migrations) and make the runtime current for this process."""
    global _runtime
    with _lock:
        if _runtime is not None:
            return _runtime
        settings = settings or load_settings()
        store = configured_store(settings)
        try:
            SyncLogRepository(store).abandon_running(utc_now())
            DriftRepository(store).abandon_running(utc_now())
        except BaseException:
            store.close()  # e.g. damage met by the first writes: no half-open store stays behind
            raise

        def run_sync(request: JobRequest) -> SyncResult:
            if request.model_name is not None:
                return run_model_sync(settings, store, request.model_name, request.trigger)
            return run_mlflow_sync(settings, store, request.trigger, request.requested_by)

        def run_drift(request: JobRequest) -> DriftJobResult:
            return run_drift_check(
                settings, store, request.trigger, request.requested_by, request.model_name
            )

        def run_scheduled_notify(request: JobRequest) -> object:
            assert _runtime is not None
            return run_notify(_runtime, request.trigger)

        sync_interval = settings.sync_interval_minutes if schedule else 0
        drift_interval = settings.drift_interval_minutes if schedule else 0
        _runtime = Runtime(
            settings,
            store,
            Scheduler(run_sync, sync_interval),
            Scheduler(run_drift, drift_interval, name="drift"),
            Scheduler(
                run_scheduled_notify,
                settings.notify_interval_minutes if schedule else 0,
                name="notify",
            ),
        )
        if schedule:
            _audit_start(settings, store)
            # Catch up at start; later runs follow the intervals (0: by hand only).
            _runtime.scheduler.request("startup", "", start=False)
            _runtime.drift_scheduler.request("startup", "", start=False)
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
    runtime.start()
    return runtime


def close_runtime() -> None:
    """Stop the scheduler and close the store."""
    global _runtime
    with _lock:
        if _runtime is None:
            return
        _runtime.stop()
        _runtime.store.close()
        _runtime = None
