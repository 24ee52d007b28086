-- Governance the portal owns: risk assessments, accountability, criticality, named experts.

-- Every assessment of one risk of one model; the newest per (model, risk) is in force, the
-- older ones are its history. Never updated or deleted.
CREATE SEQUENCE risk_assessment_ids;
CREATE TABLE risk_assessments (
    id BIGINT PRIMARY KEY DEFAULT nextval('risk_assessment_ids'),
    model_name VARCHAR NOT NULL,
    risk VARCHAR NOT NULL,
    likelihood INTEGER NOT NULL,
    impact INTEGER NOT NULL,
    mitigation VARCHAR NOT NULL DEFAULT '',
    next_review DATE NOT NULL,
    assessed_by VARCHAR NOT NULL,
    assessed_by_name VARCHAR NOT NULL DEFAULT '',
    assessed_at TIMESTAMP NOT NULL
);

-- Who is accountable and how critical a model is; set in the portal by admins or owners.
CREATE TABLE model_governance (
    model_name VARCHAR PRIMARY KEY,
    accountable_executive VARCHAR NOT NULL DEFAULT '',
    business_owner VARCHAR NOT NULL DEFAULT '',
    serving_mode VARCHAR NOT NULL DEFAULT '',
    ai_act_category VARCHAR NOT NULL DEFAULT '',
    human_oversight VARCHAR NOT NULL DEFAULT '',
    updated_by VARCHAR NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- Domain experts named for a model (people to ask, beside the owners).
CREATE TABLE model_experts (
    model_name VARCHAR NOT NULL,
    email VARCHAR NOT NULL,
    added_by VARCHAR NOT NULL,
    added_at TIMESTAMP NOT NULL,
    PRIMARY KEY (model_name, email)
);
