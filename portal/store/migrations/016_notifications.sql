-- Every notification the portal sent or tried to send: to whom, what, when, and the result.
-- One row per (recipient, channel, key): what a row is about is sent once; a failed send stays
-- 'failed' with its error and is retried until it is sent.
CREATE SEQUENCE notification_ids;
CREATE TABLE notifications (
    id BIGINT PRIMARY KEY DEFAULT nextval('notification_ids'),
    recipient VARCHAR NOT NULL,
    channel VARCHAR NOT NULL CHECK (channel IN ('email', 'webhook')),
    dedup_key VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    model_name VARCHAR NOT NULL DEFAULT '',
    language VARCHAR NOT NULL,
    subject VARCHAR NOT NULL,
    body VARCHAR NOT NULL,
    link VARCHAR NOT NULL DEFAULT '',
    status VARCHAR NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error VARCHAR NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP,
    UNIQUE (recipient, channel, dedup_key)
);

-- Notification kinds a person switched off for themselves.
CREATE TABLE notification_mutes (
    email VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    muted_at TIMESTAMP NOT NULL,
    PRIMARY KEY (email, kind)
);

-- The language a person last used the portal in: notifications are written in it.
CREATE TABLE person_languages (
    email VARCHAR PRIMARY KEY,
    language VARCHAR NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
