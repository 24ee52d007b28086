-- Use cases: the business problem a model is built for, before and after a model exists.
-- `key` is the short name the MLflow tag `use_case` carries; a link made in the portal
-- (use_case_models) wins over the tag.
CREATE SEQUENCE use_case_ids;
CREATE TABLE use_cases (
    id BIGINT PRIMARY KEY DEFAULT nextval('use_case_ids'),
    key VARCHAR NOT NULL UNIQUE,
    title VARCHAR NOT NULL,
    question VARCHAR NOT NULL,
    business_process VARCHAR NOT NULL DEFAULT '',
    business_unit VARCHAR NOT NULL DEFAULT '',
    accountable_executive VARCHAR NOT NULL DEFAULT '',
    business_owner VARCHAR NOT NULL DEFAULT '',
    users VARCHAR NOT NULL DEFAULT '',
    regulation VARCHAR NOT NULL DEFAULT '',
    budget DOUBLE,
    staff VARCHAR NOT NULL DEFAULT '',
    status VARCHAR NOT NULL
        CHECK (status IN ('proposed', 'approved', 'in_development', 'in_production', 'retired')),
    proposed_by VARCHAR NOT NULL,
    proposed_at TIMESTAMP NOT NULL,
    updated_by VARCHAR NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- Key metrics with their targets: 'model' metrics are compared with a version's run metrics
-- at evaluation, 'business' ones with the KPIs once the model runs.
CREATE TABLE use_case_metrics (
    use_case_id BIGINT NOT NULL,
    metric VARCHAR NOT NULL,
    kind VARCHAR NOT NULL CHECK (kind IN ('model', 'business')),
    comparison VARCHAR NOT NULL CHECK (comparison IN ('at_least', 'at_most')),
    target DOUBLE NOT NULL,
    unit VARCHAR NOT NULL DEFAULT '',
    PRIMARY KEY (use_case_id, metric)
);

-- Models linked to a use case in the portal; a model serves at most one use case.
CREATE TABLE use_case_models (
    model_name VARCHAR PRIMARY KEY,
    use_case_id BIGINT NOT NULL,
    linked_by VARCHAR NOT NULL,
    linked_at TIMESTAMP NOT NULL
);

-- The design-time benchmark of a use case, versioned like a model's (a change is a new
-- version, never an edit).
CREATE SEQUENCE use_case_benchmark_ids;
CREATE TABLE use_case_benchmarks (
    id BIGINT PRIMARY KEY DEFAULT nextval('use_case_benchmark_ids'),
    use_case_id BIGINT NOT NULL,
    kpi VARCHAR NOT NULL,
    version INTEGER NOT NULL,
    baseline DOUBLE NOT NULL,
    target DOUBLE NOT NULL,
    direction VARCHAR NOT NULL,
    aggregation VARCHAR NOT NULL,
    unit VARCHAR NOT NULL DEFAULT '',
    money_per_unit DOUBLE,
    rationale VARCHAR NOT NULL,
    valid_from DATE NOT NULL,
    set_by VARCHAR NOT NULL,
    set_at TIMESTAMP NOT NULL,
    UNIQUE (use_case_id, kpi, version)
);
