"""MLflow webhook deliveries: signature and time rules, the event read, the ledger placement."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta

import pytest

from portal.domain.webhook import (
    LedgerEntry,
    Placement,
    place_alias_move,
    read_notice,
    sign,
    verify,
)
from tests.support.webhook_deliveries import delivery as build_delivery

SECRET = "s3cr3t-for-tests"
NOW = datetime(2026, 12, 1, 12, 0, 0)


def delivery(secret: str = SECRET, sent_at: datetime = NOW, **fields) -> tuple[dict, bytes]:
    """A delivery as MLflow sends it, by default to the portal's secret at NOW."""
    return build_delivery(secret, sent_at, **fields)


def test_the_portal_signs_exactly_as_mlflow_does():
    headers, body = delivery()
    assert (
        sign(SECRET, headers["X-MLflow-Delivery-Id"], headers["X-MLflow-Timestamp"], body)
        == headers["X-MLflow-Signature"]
    )


def test_a_good_signature_is_accepted_and_the_event_read_with_mlflows_time():
    headers, body = delivery()
    verdict = verify(SECRET, headers, body, NOW + timedelta(seconds=2))
    assert verdict.accepted and verdict.reason == ""
    notice = read_notice(verdict, body)
    assert notice is not None
    assert (notice.event, notice.model_name, notice.alias, notice.version) == (
        "model_version_alias.created",
        "customer-churn",
        "champion",
        3,
    )
    assert notice.event_at == NOW + timedelta(microseconds=250_000)  # finer than the header
    assert notice.moves_an_alias and notice.alias_version == 3


def test_headers_are_matched_regardless_of_case():
    headers, body = delivery()
    lowered = {key.lower(): value for key, value in headers.items()}
    assert verify(SECRET, lowered, body, NOW).accepted


def test_a_tampered_body_is_refused_as_bad_signature():
    headers, body = delivery()
    tampered = body.replace(b'"version": "3"', b'"version": "4"')
    assert verify(SECRET, headers, tampered, NOW).reason == "bad_signature"


def test_a_delivery_signed_with_another_secret_is_refused():
    headers, body = delivery(secret="someone-elses-secret")
    verdict = verify(SECRET, headers, body, NOW)
    assert (verdict.accepted, verdict.reason) == (False, "bad_signature")


def test_a_signature_for_another_delivery_id_is_refused():
    headers, body = delivery()
    headers["X-MLflow-Delivery-Id"] = str(uuid.uuid4())
    assert verify(SECRET, headers, body, NOW).reason == "bad_signature"


@pytest.mark.parametrize("offset", [timedelta(minutes=-6), timedelta(minutes=6)])
def test_a_timestamp_outside_five_minutes_is_refused_even_when_signed(offset):
    headers, body = delivery(sent_at=NOW + offset)
    verdict = verify(SECRET, headers, body, NOW)
    assert (verdict.accepted, verdict.reason) == (False, "stale")


def test_a_timestamp_within_the_window_is_accepted():
    headers, body = delivery(sent_at=NOW - timedelta(minutes=4, seconds=50))
    assert verify(SECRET, headers, body, NOW).accepted


@pytest.mark.parametrize(
    "missing", ["X-MLflow-Delivery-Id", "X-MLflow-Timestamp", "X-MLflow-Signature"]
)
def test_each_missing_header_is_refused(missing):
    headers, body = delivery()
    del headers[missing]
    assert verify(SECRET, headers, body, NOW).reason == "missing_headers"


def test_a_non_numeric_timestamp_is_refused():
    headers, body = delivery()
    headers["X-MLflow-Timestamp"] = "yesterday"
    assert verify(SECRET, headers, body, NOW).reason == "bad_timestamp"


def test_a_body_without_mlflows_envelope_is_not_an_event():
    headers, _ = delivery()
    body = b'["not", "an", "event"]'
    headers["X-MLflow-Signature"] = sign(
        SECRET, headers["X-MLflow-Delivery-Id"], headers["X-MLflow-Timestamp"], body
    )
    verdict = verify(SECRET, headers, body, NOW)
    assert verdict.accepted and read_notice(verdict, body) is None


def test_a_body_time_far_from_the_signed_header_falls_back_to_the_header():
    headers, body = delivery()
    envelope = json.loads(body)
    envelope["timestamp"] = "2020-01-01T00:00:00+00:00"
    body = json.dumps(envelope).encode()
    headers["X-MLflow-Signature"] = sign(
        SECRET, headers["X-MLflow-Delivery-Id"], headers["X-MLflow-Timestamp"], body
    )
    notice = read_notice(verify(SECRET, headers, body, NOW), body)
    assert notice is not None and notice.event_at == NOW


def test_an_alias_deletion_leaves_the_alias_at_no_version():
    headers, body = delivery(action="deleted", data={"name": "customer-churn", "alias": "champion"})
    notice = read_notice(verify(SECRET, headers, body, NOW), body)
    assert notice is not None and notice.moves_an_alias and notice.alias_version is None


def test_prompt_events_name_no_model_to_sync():
    headers, body = delivery(
        entity="prompt_alias", data={"name": "p", "alias": "a", "version": "1"}
    )
    notice = read_notice(verify(SECRET, headers, body, NOW), body)
    assert notice is not None and not notice.names_a_model and not notice.moves_an_alias


# --- placing a reported move in the ledger ------------------------------------------------

T1 = NOW
T2 = NOW + timedelta(seconds=3)


def _entry(entry_id, at, before, after, from_webhook):
    return LedgerEntry(entry_id, at, before, after, from_webhook)


def test_a_move_after_everything_recorded_is_inserted_from_the_last_version():
    entries = [_entry(1, T1 - timedelta(days=3), None, 1, False)]
    assert place_alias_move(entries, T1, 2) == Placement("insert", version_before=1)


def test_a_move_a_sync_saw_later_is_retimed_not_duplicated():
    entries = [
        _entry(1, T1 - timedelta(days=3), None, 1, False),
        _entry(2, T2 + timedelta(seconds=5), 1, 2, False),
    ]
    assert place_alias_move(entries, T1, 2) == Placement("retime", entry_id=2)


def test_a_move_already_recorded_by_a_delivery_is_not_recorded_again():
    entries = [_entry(1, T1, 1, 2, True)]
    assert place_alias_move(entries, T1 + timedelta(seconds=1), 2) == Placement("none")


def test_a_late_delivery_lands_between_two_entries_and_the_next_starts_from_it():
    entries = [_entry(1, T1 - timedelta(days=3), None, 1, False), _entry(2, T2, 1, 3, True)]
    assert place_alias_move(entries, T1, 2) == Placement(
        "insert", version_before=1, next_entry_id=2
    )
