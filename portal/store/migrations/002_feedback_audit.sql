-- Domain experts' feedback on models, and the append-only audit log of every write.
CREATE SEQUENCE feedback_ids;
CREATE TABLE feedback (
    id BIGINT PRIMARY KEY DEFAULT nextval('feedback_ids'),
    submission_key VARCHAR NOT NULL UNIQUE,
    model_name VARCHAR NOT NULL,
    model_version INTEGER,
    kind VARCHAR NOT NULL,
    severity VARCHAR NOT NULL,
    case_reference VARCHAR NOT NULL DEFAULT '',
    model_output VARCHAR NOT NULL DEFAULT '',
    expected_output VARCHAR NOT NULL DEFAULT '',
    description VARCHAR NOT NULL,
    submitted_by VARCHAR NOT NULL,
    submitter_name VARCHAR NOT NULL DEFAULT '',
    show_name BOOLEAN NOT NULL DEFAULT false,
    submitted_at TIMESTAMP NOT NULL,
    status VARCHAR NOT NULL DEFAULT 'new',
    response VARCHAR NOT NULL DEFAULT '',
    responded_by VARCHAR NOT NULL DEFAULT '',
    responded_at TIMESTAMP
);

-- Entries are only ever inserted (tests/test_audit.py checks that no code updates or deletes).
CREATE SEQUENCE audit_ids;
CREATE TABLE audit_log (
    id BIGINT PRIMARY KEY DEFAULT nextval('audit_ids'),
    recorded_at TIMESTAMP NOT NULL,
    actor VARCHAR NOT NULL,
    actor_name VARCHAR NOT NULL DEFAULT '',
    action VARCHAR NOT NULL,
    entity_type VARCHAR NOT NULL,
    entity_id VARCHAR NOT NULL,
    model_name VARCHAR,
    before_json VARCHAR,
    after_json VARCHAR
);
