"""The MLflow sync: copy the registry and training runs into the store in one transaction."""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Protocol

from portal.clock import utc_now
from portal.domain.production import (
    STAGE_MARKER_PREFIX,
    RegistryEvent,
    production_history,
    stage_marker,
)
from portal.domain.webhook import LedgerEntry, place_alias_move
from portal.sources.mlflow_records import RegistrySnapshot, SourceRun
from portal.store.catalog_repo import CatalogRepository
from portal.store.database import Row, Store, Transaction
from portal.store.sync_log_repo import MLFLOW_SOURCE, SyncCounts, SyncLogRepository
from portal.store.webhook_repo import WebhookRepository

log = logging.getLogger(__name__)

# A run in one of these states no longer changes, so it is copied once.
TERMINAL_RUN_STATUSES = frozenset({"FINISHED", "FAILED", "KILLED"})
NO_STAGE = "None"
MODEL_SYNC_SOURCE = "mlflow-model"  # the sync log's name for one model's sync


class RegistrySource(Protocol):
    """What the sync needs from MLflow (portal.sources.mlflow_source.MlflowSource)."""

    def read_registry(self) -> RegistrySnapshot: ...

    def read_model(self, name: str) -> RegistrySnapshot: ...

    def read_runs(self, run_ids: Iterable[str]) -> dict[str, SourceRun]: ...


@dataclass(frozen=True)
class SyncResult:
    """The outcome of one sync attempt."""

    sync_id: int
    ok: bool
    counts: SyncCounts
    seconds: float
    error: str = ""


@dataclass(frozen=True)
class AliasMove:
    """An alias move MLflow reported by webhook: to `version`, or removed (None)."""

    model_name: str
    alias: str
    version: int | None
    at: datetime  # MLflow's time
    webhook_event_id: int


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
    return _sync(
        store,
        source.read_registry,
        source,
        None,
        source_uri=source_uri,
        alias_precedence=alias_precedence,
        trigger=trigger,
        triggered_by=triggered_by,
        now=now,
    )


def sync_model(
    store: Store,
    source: RegistrySource,
    model_name: str,
    *,
    source_uri: str,
    alias_precedence: Sequence[str],
    trigger: str,
    now: datetime | None = None,
) -> SyncResult:
    """Sync one model (its entry, versions, aliases and runs), e.g. after a webhook about it.

    Logged under its own source name, so one model's sync never counts as the whole
    catalog being fresh; the sync log names the model as who triggered it.
    """
    return _sync(
        store,
        lambda: source.read_model(model_name),
        source,
        model_name,
        source_uri=source_uri,
        alias_precedence=alias_precedence,
        trigger=trigger,
        triggered_by=model_name,
        now=now,
    )


def _sync(
    store: Store,
    read_snapshot: Callable[[], RegistrySnapshot],
    source: RegistrySource,
    model_name: str | None,
    *,
    source_uri: str,
    alias_precedence: Sequence[str],
    trigger: str,
    triggered_by: str,
    now: datetime | None,
) -> SyncResult:
    clock_start = time.monotonic()
    observed_at = now or utc_now()
    sync_log = SyncLogRepository(store)
    catalog = CatalogRepository(store)
    log_source = MLFLOW_SOURCE if model_name is None else MODEL_SYNC_SOURCE
    sync_id = sync_log.start(log_source, source_uri, trigger, triggered_by, observed_at)
    try:
        snapshot = read_snapshot()
        known_runs = catalog.known_run_statuses()
        wanted_runs = {
            version.run_id
            for version in snapshot.versions
            if version.run_id and known_runs.get(version.run_id) not in TERMINAL_RUN_STATUSES
        }
        runs = source.read_runs(sorted(wanted_runs))
        known_models, known_versions = catalog.known_models(), catalog.known_versions()
        if model_name is not None:
            known_models = {k: v for k, v in known_models.items() if k == model_name}
            known_versions = {k: v for k, v in known_versions.items() if k[0] == model_name}
        changes = plan_changes(known_models, known_versions, snapshot)
        counts = SyncCounts(
            models_seen=len(snapshot.models),
            versions_seen=len(snapshot.versions),
            models_changed=len(changes.models_to_upsert) + len(changes.models_to_delete),
            versions_changed=len(changes.versions_to_upsert) + len(changes.versions_to_delete),
            runs_fetched=len(runs),
            registry_events=len(changes.events),
        )
        counts = _write(
            store,
            catalog,
            changes,
            runs,
            sync_id,
            observed_at,
            alias_precedence,
            counts,
            model_name,
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
    model_name: str | None,
    finished_at: datetime,
) -> SyncCounts:
    with store.transaction() as tx:
        # Under the write lock: a delivery recorded since the sync read the catalog is seen.
        events = _unrecorded(tx, changes.events, model_name)
        counts = replace(counts, registry_events=len(events))
        catalog.upsert_models(tx, changes.models_to_upsert, observed_at)
        catalog.mark_models_deleted(tx, changes.models_to_delete, observed_at)
        catalog.upsert_versions(tx, changes.versions_to_upsert, observed_at)
        catalog.mark_versions_deleted(tx, changes.versions_to_delete, observed_at)
        catalog.replace_aliases(tx, changes.aliases_to_replace)
        catalog.append_events(
            tx,
            [{**event, "observed_at": observed_at, "sync_run_id": sync_id} for event in events],
        )
        catalog.replace_runs(
            tx,
            [
                {**asdict(run), "datasets": [asdict(d) for d in run.datasets]}
                for run in runs.values()
            ],
            observed_at,
        )
        _refresh_production(tx, catalog, alias_precedence, model_name)
        SyncLogRepository.finish_ok(tx, sync_id, finished_at, counts)
        tx.bump_data_version()
    return counts


def _unrecorded(
    tx: Transaction, events: list[dict[str, Any]], model_name: str | None
) -> list[dict[str, Any]]:
    """Alias moves a webhook delivery already put in the ledger are not recorded twice.

    An alias event counts from the ledger's newest value of that alias, which a delivery may
    have set since the sync last looked; without deliveries it is the version the sync saw.
    """
    if not any(not event["marker"].startswith(STAGE_MARKER_PREFIX) for event in events):
        return events
    latest = WebhookRepository.latest_values(tx, model_name)
    kept = []
    for event in events:
        key = (event["model_name"], event["marker"])
        if event["marker"].startswith(STAGE_MARKER_PREFIX) or key not in latest:
            kept.append(event)
        elif latest[key] != event["version_after"]:
            kept.append({**event, "version_before": latest[key]})
    return kept


def record_alias_move(
    tx: Transaction,
    store: Store,
    move: AliasMove,
    alias_precedence: Sequence[str],
) -> str:
    """Put an alias move MLflow reported into the ledger at MLflow's time; say how it went in.

    Written at once, so a second move seconds later cannot hide the first; the sync that
    follows finds it recorded (see _unrecorded) and adds no second entry.
    """
    entries = [
        LedgerEntry(
            row["id"],
            row["observed_at"],
            row["version_before"],
            row["version_after"],
            row["webhook_event_id"] is not None,
        )
        for row in WebhookRepository.marker_entries(tx, move.model_name, move.alias)
    ]
    placement = place_alias_move(entries, move.at, move.version)
    if placement.action == "retime":
        WebhookRepository.retime_entry(tx, placement.entry_id, move.at, move.webhook_event_id)
    elif placement.action == "insert":
        WebhookRepository.insert_entry(
            tx,
            model_name=move.model_name,
            marker=move.alias,
            at=move.at,
            version_before=placement.version_before,
            version_after=move.version,
            webhook_event_id=move.webhook_event_id,
        )
        if placement.next_entry_id is not None:
            WebhookRepository.set_version_before(tx, placement.next_entry_id, move.version)
    if placement.action != "none":
        _refresh_production(tx, CatalogRepository(store), alias_precedence, move.model_name)
    return placement.action


def _refresh_production(
    tx: Transaction,
    catalog: CatalogRepository,
    alias_precedence: Sequence[str],
    model_name: str | None = None,
) -> None:
    """Derive production versions and since-when from the ledger: every model's, or one's."""
    # Reads on this thread's cursor see the transaction's own uncommitted writes.
    events_by_model: dict[str, list[RegistryEvent]] = defaultdict(list)
    for row in catalog.ledger(model_name):
        events_by_model[row["model_name"]].append(
            RegistryEvent(
                row["observed_at"], row["marker"], row["version_before"], row["version_after"]
            )
        )
    if model_name is None:
        names = [model["name"] for model in catalog.inventory()]
    else:
        names = [model_name] if catalog.model(model_name) is not None else []
    rows = []
    for name in names:
        periods = production_history(events_by_model.get(name, []), alias_precedence)
        current = periods[-1] if periods and periods[-1].end is None else None
        rows.append(
            {
                "name": name,
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
