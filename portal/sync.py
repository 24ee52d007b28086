"""The MLflow sync: copy the registry and training runs into the store in one transaction."""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from portal.clock import utc_now
from portal.domain.production import RegistryEvent, production_history, stage_marker
from portal.sources.mlflow_records import RegistrySnapshot, SourceRun
from portal.store.catalog_repo import CatalogRepository
from portal.store.database import Row, Store, Transaction
from portal.store.sync_log_repo import MLFLOW_SOURCE, SyncCounts, SyncLogRepository

log = logging.getLogger(__name__)

# A run in one of these states no longer changes, so it is copied once.
TERMINAL_RUN_STATUSES = frozenset({"FINISHED", "FAILED", "KILLED"})
NO_STAGE = "None"


class RegistrySource(Protocol):
    """What the sync needs from MLflow (portal.sources.mlflow_source.MlflowSource)."""

    def read_registry(self) -> RegistrySnapshot: ...

    def read_runs(self, run_ids: Iterable[str]) -> dict[str, SourceRun]: ...


@dataclass(frozen=True)
class SyncResult:
    """The outcome of one sync attempt."""

    sync_id: int
    ok: bool
    counts: SyncCounts
    seconds: float
    error: str = ""


@dataclass
class CatalogChanges:
    """What a sync must write, computed from the stored catalog and a registry snapshot."""

    models_to_upsert: list[dict[str, Any]] = field(default_factory=list)
    models_to_delete: list[str] = field(default_factory=list)
    versions_to_upsert: list[dict[str, Any]] = field(default_factory=list)
    versions_to_delete: list[tuple[str, int]] = field(default_factory=list)
    aliases_to_replace: dict[str, dict[str, int]] = field(default_factory=dict)
    events: list[dict[str, Any]] = field(default_factory=list)


def plan_changes(
    known_models: Mapping[str, Row],
    known_versions: Mapping[tuple[str, int], Row],
    snapshot: RegistrySnapshot,
) -> CatalogChanges:
    """Diff the stored catalog against MLflow: only what differs is written."""
    changes = CatalogChanges()
    listed_models = {model.name: model for model in snapshot.models}
    for model in snapshot.models:
        record = asdict(model)
        known = known_models.get(model.name)
        if known is None or known["deleted_at"] is not None or _differs(known, record):
            changes.models_to_upsert.append(record)
    changes.models_to_delete = sorted(
        name
        for name, known in known_models.items()
        if known["deleted_at"] is None and name not in listed_models
    )

    listed_versions = {(v.model_name, v.version): v for v in snapshot.versions}
    for key, version in listed_versions.items():
        record = asdict(version)
        known = known_versions.get(key)
        if known is None or known["deleted_at"] is not None or _differs(known, record):
            changes.versions_to_upsert.append(record)
    changes.versions_to_delete = sorted(
        key
        for key, known in known_versions.items()
        if known["deleted_at"] is None and key not in listed_versions
    )

    for name in sorted(set(listed_models) | _active(known_models)):
        before = _active_aliases(known_models.get(name))
        after = dict(listed_models[name].aliases) if name in listed_models else {}
        if before != after:
            changes.aliases_to_replace[name] = after
        for alias in sorted(set(before) | set(after)):
            if before.get(alias) != after.get(alias):
                changes.events.append(_event(name, alias, before.get(alias), after.get(alias)))

    for key in sorted(set(listed_versions) | _active(known_versions)):
        known = known_versions.get(key)
        stage_before = known["stage"] if known and known["deleted_at"] is None else NO_STAGE
        stage_after = listed_versions[key].stage if key in listed_versions else NO_STAGE
        if stage_before == stage_after:
            continue
        if stage_before != NO_STAGE:
            changes.events.append(_event(key[0], stage_marker(stage_before), key[1], None))
        if stage_after != NO_STAGE:
            changes.events.append(_event(key[0], stage_marker(stage_after), None, key[1]))
    return changes


def sync_mlflow(
    store: Store,
    source: RegistrySource,
    *,
    source_uri: str,
    alias_precedence: Sequence[str],
    trigger: str,
    triggered_by: str = "",
    now: datetime | None = None,
) -> SyncResult:
    """One sync attempt; on failure the catalog stays as it was and the error is logged."""
    clock_start = time.monotonic()
    observed_at = now or utc_now()
    sync_log = SyncLogRepository(store)
    catalog = CatalogRepository(store)
    sync_id = sync_log.start(MLFLOW_SOURCE, source_uri, trigger, triggered_by, observed_at)
    try:
        snapshot = source.read_registry()
        known_runs = catalog.known_run_statuses()
        wanted_runs = {
            version.run_id
            for version in snapshot.versions
            if version.run_id and known_runs.get(version.run_id) not in TERMINAL_RUN_STATUSES
        }
        runs = source.read_runs(sorted(wanted_runs))
        changes = plan_changes(catalog.known_models(), catalog.known_versions(), snapshot)
        counts = SyncCounts(
            models_seen=len(snapshot.models),
            versions_seen=len(snapshot.versions),
            models_changed=len(changes.models_to_upsert) + len(changes.models_to_delete),
            versions_changed=len(changes.versions_to_upsert) + len(changes.versions_to_delete),
            runs_fetched=len(runs),
            registry_events=len(changes.events),
        )
        _write(
            store,
            catalog,
            changes,
            runs,
            sync_id,
            observed_at,
            alias_precedence,
            counts,
            finished_at=observed_at + timedelta(seconds=time.monotonic() - clock_start),
        )
    except Exception as exc:
        message = _plain_error(exc)
        log.warning("MLflow sync %s failed: %s", sync_id, message)
        if not _is_expected(exc):
            log.exception("unexpected sync failure")
        sync_log.finish_failed(
            sync_id, observed_at + timedelta(seconds=time.monotonic() - clock_start), message
        )
        return SyncResult(sync_id, False, SyncCounts(), time.monotonic() - clock_start, message)
    return SyncResult(sync_id, True, counts, time.monotonic() - clock_start)


def _write(
    store: Store,
    catalog: CatalogRepository,
    changes: CatalogChanges,
    runs: Mapping[str, SourceRun],
    sync_id: int,
    observed_at: datetime,
    alias_precedence: Sequence[str],
    counts: SyncCounts,
    finished_at: datetime,
) -> None:
    with store.transaction() as tx:
        catalog.upsert_models(tx, changes.models_to_upsert, observed_at)
        catalog.mark_models_deleted(tx, changes.models_to_delete, observed_at)
        catalog.upsert_versions(tx, changes.versions_to_upsert, observed_at)
        catalog.mark_versions_deleted(tx, changes.versions_to_delete, observed_at)
        catalog.replace_aliases(tx, changes.aliases_to_replace)
        catalog.append_events(
            tx,
            [
                {**event, "observed_at": observed_at, "sync_run_id": sync_id}
                for event in changes.events
            ],
        )
        catalog.replace_runs(
            tx,
            [
                {**asdict(run), "datasets": [asdict(d) for d in run.datasets]}
                for run in runs.values()
            ],
            observed_at,
        )
        _refresh_production(tx, catalog, alias_precedence)
        SyncLogRepository.finish_ok(tx, sync_id, finished_at, counts)
        tx.bump_data_version()


def _refresh_production(
    tx: Transaction, catalog: CatalogRepository, alias_precedence: Sequence[str]
) -> None:
    """Derive every model's production version and since-when from the whole ledger."""
    # Reads on this thread's cursor see the transaction's own uncommitted writes.
    events_by_model: dict[str, list[RegistryEvent]] = defaultdict(list)
    for row in catalog.ledger():
        events_by_model[row["model_name"]].append(
            RegistryEvent(
                row["observed_at"], row["marker"], row["version_before"], row["version_after"]
            )
        )
    rows = []
    for model in catalog.inventory():
        periods = production_history(events_by_model.get(model["name"], []), alias_precedence)
        current = periods[-1] if periods and periods[-1].end is None else None
        rows.append(
            {
                "name": model["name"],
                "version": current.version if current else None,
                "marker": current.marker if current else None,
                "since": current.start if current else None,
            }
        )
    catalog.set_production(tx, rows)


def _differs(known: Row, record: Mapping[str, Any]) -> bool:
    return any(known.get(key) != value for key, value in record.items() if key != "aliases")


def _active(known: Mapping[Any, Row]) -> set[Any]:
    return {key for key, row in known.items() if row["deleted_at"] is None}


def _active_aliases(known: Row | None) -> dict[str, int]:
    return dict(known["aliases"]) if known and known["deleted_at"] is None else {}


def _event(model_name: str, marker: str, before: int | None, after: int | None) -> dict[str, Any]:
    return {
        "model_name": model_name,
        "marker": marker,
        "version_before": before,
        "version_after": after,
    }


def _is_expected(exc: Exception) -> bool:
    from portal.sources.mlflow_source import MlflowUnavailable

    return isinstance(exc, MlflowUnavailable)


def _plain_error(exc: Exception) -> str:
    if _is_expected(exc):
        return str(exc)
    return f"unexpected error ({type(exc).__name__}): {str(exc)[:300]}"
