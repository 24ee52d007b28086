-- Periodic reviews of a model: who, when, outcome, findings, the next date. Never updated.
CREATE SEQUENCE review_ids;
CREATE TABLE reviews (
    id BIGINT PRIMARY KEY DEFAULT nextval('review_ids'),
    submission_key VARCHAR NOT NULL UNIQUE,  -- a resubmitted form records nothing twice
    model_name VARCHAR NOT NULL,
    model_version INTEGER,
    outcome VARCHAR NOT NULL CHECK (outcome IN ('confirmed', 'changed', 'retire')),
    findings VARCHAR NOT NULL DEFAULT '',
    next_review DATE NOT NULL,
    reviewed_by VARCHAR NOT NULL,
    reviewed_by_name VARCHAR NOT NULL DEFAULT '',
    reviewed_at TIMESTAMP NOT NULL
);
CREATE INDEX reviews_by_model ON reviews (model_name, reviewed_at);
