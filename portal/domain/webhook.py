"""MLflow webhook deliveries: the signature and timestamp rule, and what a delivery says."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

# MLflow's header names (mlflow/webhooks/constants.py); HTTP headers are matched case-blind.
SIGNATURE_HEADER = "x-mlflow-signature"
TIMESTAMP_HEADER = "x-mlflow-timestamp"
DELIVERY_ID_HEADER = "x-mlflow-delivery-id"
SIGNATURE_VERSION = "v1"
TOLERANCE = timedelta(minutes=5)
# Events whose data names a registered model: the portal syncs that model after each.
MODEL_ENTITIES = frozenset(
    {"registered_model", "model_version", "model_version_tag", "model_version_alias"}
)
ALIAS_ENTITY = "model_version_alias"
_EPOCH = datetime(1970, 1, 1)


@dataclass(frozen=True)
class Verdict:
    """Whether a delivery is authentic and fresh; reason names the refusal ('' when accepted)."""

    accepted: bool
    reason: str = ""  # missing_headers, bad_timestamp, stale, bad_signature
    delivery_id: str = ""
    sent_at: datetime | None = None


@dataclass(frozen=True)
class RegistryNotice:
    """What one verified delivery reports: the event, the model, and MLflow's own time."""

    delivery_id: str
    entity: str
    action: str
    event_at: datetime  # naive UTC, from MLflow
    model_name: str
    version: int | None
    alias: str | None
    payload_json: str

    @property
    def event(self) -> str:
        """MLflow's event name, e.g. model_version_alias.created."""
        return f"{self.entity}.{self.action}"

    @property
    def names_a_model(self) -> bool:
        """True for registry events about a registered model (not prompts or budgets)."""
        return self.entity in MODEL_ENTITIES and bool(self.model_name)

    @property
    def moves_an_alias(self) -> bool:
        """True when the event sets or removes a model alias."""
        return self.names_a_model and self.entity == ALIAS_ENTITY and bool(self.alias)

    @property
    def alias_version(self) -> int | None:
        """The version the alias points at after the event; None once it is deleted."""
        return None if self.action == "deleted" else self.version


def sign(secret: str, delivery_id: str, timestamp: str, body: bytes) -> str:
    """MLflow's signature: v1,base64(HMAC-SHA256(secret, '<id>.<timestamp>.<body>'))."""
    content = f"{delivery_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret.encode("utf-8"), content, hashlib.sha256).digest()
    return f"{SIGNATURE_VERSION},{base64.b64encode(digest).decode('ascii')}"


def verify(
    secret: str,
    headers: Mapping[str, str],
    body: bytes,
    now: datetime,
    tolerance: timedelta = TOLERANCE,
) -> Verdict:
    """Accept a delivery only with all three headers, a time near `now` and a good signature."""
    lowered = {key.lower(): value for key, value in headers.items()}
    delivery_id = lowered.get(DELIVERY_ID_HEADER, "").strip()
    timestamp = lowered.get(TIMESTAMP_HEADER, "").strip()
    signature = lowered.get(SIGNATURE_HEADER, "").strip()
    if not (delivery_id and timestamp and signature):
        return Verdict(False, "missing_headers", delivery_id)
    if not timestamp.isdigit() or len(timestamp) > 12:
        return Verdict(False, "bad_timestamp", delivery_id)
    sent_at = _EPOCH + timedelta(seconds=int(timestamp))
    if abs(now - sent_at) > tolerance:
        return Verdict(False, "stale", delivery_id, sent_at)
    expected = sign(secret, delivery_id, timestamp, body)
    # Standard Webhooks allows several space-separated signatures (while a secret rotates).
    if not any(
        hmac.compare_digest(candidate.encode(), expected.encode())
        for candidate in signature.split()
    ):
        return Verdict(False, "bad_signature", delivery_id, sent_at)
    return Verdict(True, "", delivery_id, sent_at)


def read_notice(verdict: Verdict, body: bytes) -> RegistryNotice | None:
    """The event a verified delivery carries; None when the body is not MLflow's envelope."""
    try:
        envelope = json.loads(body)
        entity, action = str(envelope["entity"]), str(envelope["action"])
        data = envelope.get("data") or {}
        if not isinstance(data, dict):
            return None
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    event_at = _event_time(envelope.get("timestamp"))
    # MLflow stamps the body and the header together; a body far off the header is not trusted.
    if event_at is None or (
        verdict.sent_at is not None and abs(event_at - verdict.sent_at) > TOLERANCE
    ):
        event_at = verdict.sent_at
    if event_at is None:
        return None
    return RegistryNotice(
        delivery_id=verdict.delivery_id,
        entity=entity,
        action=action,
        event_at=event_at,
        model_name=str(data.get("name") or ""),
        version=_version(data.get("version")),
        alias=str(data["alias"]) if data.get("alias") else None,
        payload_json=body.decode("utf-8", errors="replace"),
    )


def _event_time(value: object) -> datetime | None:
    """MLflow's ISO time (with offset) as naive UTC; it is finer than the seconds header."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def _version(value: object) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None


@dataclass(frozen=True)
class LedgerEntry:
    """One ledger entry of the marker a delivery moved."""

    id: int
    observed_at: datetime
    version_before: int | None
    version_after: int | None
    from_webhook: bool


@dataclass(frozen=True)
class Placement:
    """How a reported alias move enters the ledger."""

    action: str  # insert, retime (a sync saw this move late), none (already recorded)
    entry_id: int | None = None  # retime: the sync's entry
    version_before: int | None = None  # insert: the marker's version just before
    next_entry_id: int | None = None  # insert: a later entry that now starts from this move


def place_alias_move(
    entries: Sequence[LedgerEntry], at: datetime, version: int | None
) -> Placement:
    """Place a move at MLflow's time `at`; entries are the marker's, in time order.

    A sync that observed the same move after `at` recorded it at its own, later time: that
    entry gets the exact time instead of a second entry. Deliveries can arrive out of order,
    so a move may land between two entries.
    """
    earlier = [entry for entry in entries if entry.observed_at < at]
    later = [entry for entry in entries if entry.observed_at >= at]
    following = later[0] if later else None
    if following and not following.from_webhook and following.version_after == version:
        return Placement("retime", entry_id=following.id)
    before = earlier[-1].version_after if earlier else None
    if before == version:
        return Placement("none")
    next_id = following.id if following and following.version_before != version else None
    return Placement("insert", version_before=before, next_entry_id=next_id)
