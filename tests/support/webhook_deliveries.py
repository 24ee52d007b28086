"""MLflow webhook deliveries built as MLflow builds them, signed with MLflow's own code."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta

_EPOCH = datetime(1970, 1, 1)


def mlflow_signature(secret: str, delivery_id: str, timestamp: str, payload: str) -> str:
    """MLflow's signing function itself (mlflow.webhooks.delivery), not a copy of it."""
    from mlflow.webhooks.delivery import _generate_hmac_signature

    return _generate_hmac_signature(secret, delivery_id, timestamp, payload)


def delivery(
    secret: str,
    sent_at: datetime,
    entity: str = "model_version_alias",
    action: str = "created",
    data: dict | None = None,
    delivery_id: str | None = None,
) -> tuple[dict[str, str], bytes]:
    """Headers and body as mlflow.webhooks.delivery._send_webhook_request sends them."""
    payload = json.dumps(
        {
            "entity": entity,
            "action": action,
            "timestamp": (sent_at + timedelta(microseconds=250_000)).isoformat() + "+00:00",
            "data": data or {"name": "customer-churn", "alias": "champion", "version": "3"},
        }
    )
    delivery_id = delivery_id or str(uuid.uuid4())
    timestamp = str(int((sent_at - _EPOCH).total_seconds()))
    headers = {
        "Content-Type": "application/json",
        "X-MLflow-Delivery-Id": delivery_id,
        "X-MLflow-Timestamp": timestamp,
        "X-MLflow-Signature": mlflow_signature(secret, delivery_id, timestamp, payload),
    }
    return headers, payload.encode("utf-8")


def alias_moved(secret: str, sent_at: datetime, model: str, alias: str, version: int):
    """A model_version_alias.created delivery: `alias` of `model` now points at `version`."""
    return delivery(secret, sent_at, data={"name": model, "alias": alias, "version": str(version)})
