-- Sign-offs at the central steps: design approval of a use case, evaluation acceptance and
-- go-live approval of a model version. Never updated or deleted: a withdrawal is a new record;
-- per (step, subject, role) the newest record is in force.
CREATE SEQUENCE signoff_ids;
CREATE TABLE signoffs (
    id BIGINT PRIMARY KEY DEFAULT nextval('signoff_ids'),
    -- One record per form submission: a resent form finds its record instead of a second one.
    submission_key VARCHAR NOT NULL UNIQUE,
    step VARCHAR NOT NULL CHECK (step IN ('design', 'evaluation', 'go_live')),
    use_case_id BIGINT,
    model_name VARCHAR NOT NULL DEFAULT '',
    model_version INTEGER,
    role VARCHAR NOT NULL
        CHECK (role IN ('business_owner', 'accountable_executive', 'technical_owner')),
    decision VARCHAR NOT NULL CHECK (decision IN ('approved', 'rejected', 'withdrawn')),
    conditions VARCHAR NOT NULL DEFAULT '',
    comment VARCHAR NOT NULL DEFAULT '',
    evidence VARCHAR NOT NULL DEFAULT '',
    signed_by VARCHAR NOT NULL,
    signed_by_name VARCHAR NOT NULL DEFAULT '',
    -- An admin may record a decision in a role they are not named in (e.g. a signature given
    -- on paper); the record says so.
    signed_as_admin BOOLEAN NOT NULL DEFAULT false,
    signed_at TIMESTAMP NOT NULL
);
