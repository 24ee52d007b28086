-- MLflow webhook deliveries the portal accepted (signature and timestamp verified), each with
-- MLflow's own time. Refused deliveries are only logged: unauthenticated callers write nothing.
CREATE SEQUENCE webhook_event_ids;
CREATE TABLE webhook_events (
    id BIGINT PRIMARY KEY DEFAULT nextval('webhook_event_ids'),
    delivery_id VARCHAR NOT NULL UNIQUE,  -- X-MLflow-Delivery-Id: a second delivery is a replay
    received_at TIMESTAMP NOT NULL,  -- the portal's clock
    event_at TIMESTAMP NOT NULL,  -- MLflow's clock
    entity VARCHAR NOT NULL,
    action VARCHAR NOT NULL,
    model_name VARCHAR NOT NULL DEFAULT '',
    version INTEGER,
    alias VARCHAR,
    payload_json VARCHAR NOT NULL
);

-- The delivery that placed or confirmed a ledger entry; NULL: observed by a sync alone.
ALTER TABLE registry_events ADD COLUMN webhook_event_id BIGINT;
