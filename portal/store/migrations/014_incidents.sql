-- Malfunctions reported by anyone signed in, with what was in production when they started
-- (`trace`, JSON, fixed at reporting), moved through open, mitigated, closed by the owners.
CREATE SEQUENCE incident_ids;
CREATE TABLE incidents (
    id BIGINT PRIMARY KEY DEFAULT nextval('incident_ids'),
    submission_key VARCHAR NOT NULL UNIQUE,
    model_name VARCHAR NOT NULL,
    model_version INTEGER,
    started_at TIMESTAMP NOT NULL,
    kind VARCHAR NOT NULL CHECK (kind IN ('outage', 'wrong_predictions', 'other')),
    severity VARCHAR NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'serious')),
    title VARCHAR NOT NULL,
    description VARCHAR NOT NULL,
    impact VARCHAR NOT NULL DEFAULT '',
    cases INTEGER,
    status VARCHAR NOT NULL CHECK (status IN ('open', 'mitigated', 'closed')),
    root_cause VARCHAR NOT NULL DEFAULT '',
    trace VARCHAR NOT NULL DEFAULT '',
    reported_by VARCHAR NOT NULL,
    reported_by_name VARCHAR NOT NULL DEFAULT '',
    reported_at TIMESTAMP NOT NULL,
    updated_by VARCHAR NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- Every move of an incident, with the owner's note: the incident's history.
CREATE SEQUENCE incident_update_ids;
CREATE TABLE incident_updates (
    id BIGINT PRIMARY KEY DEFAULT nextval('incident_update_ids'),
    incident_id BIGINT NOT NULL,
    status VARCHAR NOT NULL CHECK (status IN ('open', 'mitigated', 'closed')),
    note VARCHAR NOT NULL DEFAULT '',
    root_cause VARCHAR NOT NULL DEFAULT '',
    updated_by VARCHAR NOT NULL,
    updated_by_name VARCHAR NOT NULL DEFAULT '',
    updated_at TIMESTAMP NOT NULL
);
