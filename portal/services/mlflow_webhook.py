"""POST /api/mlflow/webhook: MLflow's signed registry events, recorded, then that model synced."""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from portal.clock import utc_now
from portal.config import Settings
from portal.domain.webhook import RegistryNotice, read_notice, verify
from portal.runtime import Runtime
from portal.services.audit import write_audit
from portal.services.authorization import authorize
from portal.services.identity import Identity
from portal.store.webhook_repo import WebhookRepository
from portal.sync import AliasMove, record_alias_move

log = logging.getLogger(__name__)

# MLflow's payloads are a few hundred bytes; anything near this is not MLflow.
MAX_BODY_BYTES = 256 * 1024
MLFLOW_WEBHOOK = Identity("MLflow webhook", "mlflow-webhook", frozenset())
SYNC_TRIGGER = "webhook"
OFF_MESSAGE = "MLflow webhooks are off: PORTAL_MLFLOW_WEBHOOK_SECRET is not set"
_REFUSAL_MESSAGES = {
    "missing_headers": "missing X-MLflow-Delivery-Id, X-MLflow-Timestamp or X-MLflow-Signature",
    "bad_timestamp": "X-MLflow-Timestamp is not a Unix time in seconds",
    "stale": "X-MLflow-Timestamp is too far from the portal's clock",
    "bad_signature": "the signature does not match the configured secret",
    "malformed": "the body is not an MLflow webhook event",
    "replayed": "this delivery was received before",
    "too_large": "the body is larger than an MLflow event can be",
}
_REFUSAL_STATUS = {"missing_headers": 400, "bad_timestamp": 400, "malformed": 400}
_REFUSAL_STATUS |= {"replayed": 409, "too_large": 413}


@dataclass(frozen=True)
class WebhookReply:
    """HTTP status and JSON body."""

    status: int
    body: dict


@dataclass(frozen=True)
class WebhookStatus:
    """What the data status page shows about MLflow's deliveries."""

    enabled: bool
    accepted: int
    last_received_at: datetime | None
    last_event_at: datetime | None  # MLflow's time of that event
    last_event: str
    last_model: str
    refused: tuple[tuple[str, int], ...]  # (reason, count) since the server started
    last_refused_at: datetime | None

    @property
    def refused_total(self) -> int:
        """All refused deliveries since the server started."""
        return sum(count for _, count in self.refused)


class _Refusals:
    """Refused deliveries counted in memory: an unauthenticated caller must not write the store."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()
        self._last_at: datetime | None = None

    def add(self, reason: str, at: datetime) -> None:
        with self._lock:
            self._counts[reason] += 1
            self._last_at = at

    def snapshot(self) -> tuple[tuple[tuple[str, int], ...], datetime | None]:
        with self._lock:
            return tuple(sorted(self._counts.items())), self._last_at


REFUSALS = _Refusals()


def enabled(settings: Settings) -> bool:
    """The endpoint answers only with a secret configured."""
    return bool(settings.mlflow_webhook_secret)


def refuse(reason: str, delivery_id: str = "", at: datetime | None = None) -> WebhookReply:
    """Count and log a refused delivery; the store stays as it was."""
    REFUSALS.add(reason, at or utc_now())
    log.warning("MLflow webhook delivery %r refused: %s", delivery_id[:64], reason)
    return WebhookReply(
        _REFUSAL_STATUS.get(reason, 401), {"error": _REFUSAL_MESSAGES[reason], "reason": reason}
    )


def receive(
    runtime: Runtime, headers: Mapping[str, str], body: bytes, now: datetime | None = None
) -> WebhookReply:
    """Verify a delivery, record it (an alias move straight into the ledger), queue a sync."""
    if not enabled(runtime.settings):
        return WebhookReply(404, {"error": OFF_MESSAGE})
    received_at = now or utc_now()
    verdict = verify(runtime.settings.mlflow_webhook_secret, headers, body, received_at)
    if not verdict.accepted:
        return refuse(verdict.reason, verdict.delivery_id, received_at)
    notice = read_notice(verdict, body)
    if notice is None:
        return refuse("malformed", verdict.delivery_id, received_at)
    ledger = _record(runtime, notice, received_at)
    if ledger is None:
        return refuse("replayed", notice.delivery_id, received_at)
    queued = notice.names_a_model and runtime.scheduler.request(
        SYNC_TRIGGER, MLFLOW_WEBHOOK.label, model_name=notice.model_name
    )
    log.info(
        "MLflow webhook %s for %r at %s: ledger %s, sync %s",
        notice.event,
        notice.model_name,
        notice.event_at.isoformat(),
        ledger,
        "queued" if queued else "covered by a waiting one" if notice.names_a_model else "none",
    )
    return WebhookReply(200, {"status": "recorded", "event": notice.event, "ledger": ledger})


def _record(runtime: Runtime, notice: RegistryNotice, received_at: datetime) -> str | None:
    """Store the event with its audit entry; None when its delivery id was seen before."""
    store = runtime.store
    with store.transaction() as tx:
        if WebhookRepository.delivery_seen(tx, notice.delivery_id):
            return None
        event_id = WebhookRepository.record(
            tx,
            {
                "delivery_id": notice.delivery_id,
                "event_at": notice.event_at,
                "entity": notice.entity,
                "action": notice.action,
                "model_name": notice.model_name,
                "version": notice.version,
                "alias": notice.alias,
                "payload_json": notice.payload_json,
            },
            received_at,
        )
        ledger = "none"
        if notice.moves_an_alias:
            move = AliasMove(
                notice.model_name,
                notice.alias or "",
                notice.alias_version,
                notice.event_at,
                event_id,
            )
            ledger = record_alias_move(tx, store, move, runtime.settings.production_aliases)
        write_audit(
            tx,
            MLFLOW_WEBHOOK,
            "mlflow.event",
            ("webhook_event", str(event_id)),
            received_at,
            model_name=notice.model_name or None,
            after={
                "event": notice.event,
                "delivery_id": notice.delivery_id,
                "mlflow_time": notice.event_at.isoformat(),
                "alias": notice.alias,
                "version": notice.version,
                "ledger": ledger,
            },
        )
        tx.bump_data_version()
    return ledger


class WebhookService:
    """The deliveries' status for the data status page."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    def status(self, actor: Identity) -> WebhookStatus:
        """Accepted deliveries from the store, refused ones since start; admins only."""
        authorize(self.runtime.store, actor, "data_status.read")
        summary = WebhookRepository(self.runtime.store).summary()
        refused, last_refused_at = REFUSALS.snapshot()
        return WebhookStatus(
            enabled=enabled(self.runtime.settings),
            accepted=int(summary["accepted"]),
            last_received_at=summary.get("last_received_at"),
            last_event_at=summary.get("last_event_at"),
            last_event=summary.get("last_event") or "",
            last_model=summary.get("last_model") or "",
            refused=refused,
            last_refused_at=last_refused_at,
        )
