-- The model catalog copied from MLflow, the production ledger, and the sync log.
CREATE TABLE portal_meta (
    key VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);
INSERT INTO portal_meta VALUES ('data_version', '0');

CREATE TABLE registered_models (
    name VARCHAR PRIMARY KEY,
    description VARCHAR NOT NULL DEFAULT '',
    created_at TIMESTAMP,
    updated_at TIMESTAMP,
    first_seen_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP,
    -- Derived by the sync from aliases, stages and the ledger (portal/domain/production.py).
    production_version INTEGER,
    production_marker VARCHAR,
    production_since TIMESTAMP
);

CREATE TABLE model_tags (
    model_name VARCHAR NOT NULL,
    key VARCHAR NOT NULL,
    value VARCHAR NOT NULL,
    PRIMARY KEY (model_name, key)
);

CREATE TABLE model_versions (
    model_name VARCHAR NOT NULL,
    version INTEGER NOT NULL,
    run_id VARCHAR,
    source VARCHAR NOT NULL DEFAULT '',
    status VARCHAR NOT NULL DEFAULT '',
    stage VARCHAR NOT NULL DEFAULT 'None',
    description VARCHAR NOT NULL DEFAULT '',
    created_at TIMESTAMP,
    updated_at TIMESTAMP,
    registered_by VARCHAR NOT NULL DEFAULT '',
    first_seen_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP,
    PRIMARY KEY (model_name, version)
);

CREATE TABLE version_tags (
    model_name VARCHAR NOT NULL,
    version INTEGER NOT NULL,
    key VARCHAR NOT NULL,
    value VARCHAR NOT NULL,
    PRIMARY KEY (model_name, version, key)
);

CREATE TABLE model_aliases (
    model_name VARCHAR NOT NULL,
    alias VARCHAR NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (model_name, alias)
);

-- MLflow keeps no history of aliases and stages; the portal records every change it observes.
-- marker is an alias name or 'stage:<Stage>'; version_before/after are NULL when unset.
CREATE SEQUENCE registry_event_ids;
CREATE TABLE registry_events (
    id BIGINT PRIMARY KEY DEFAULT nextval('registry_event_ids'),
    observed_at TIMESTAMP NOT NULL,
    model_name VARCHAR NOT NULL,
    marker VARCHAR NOT NULL,
    version_before INTEGER,
    version_after INTEGER,
    sync_run_id BIGINT
);

CREATE TABLE runs (
    run_id VARCHAR PRIMARY KEY,
    experiment_id VARCHAR NOT NULL DEFAULT '',
    experiment_name VARCHAR NOT NULL DEFAULT '',
    run_name VARCHAR NOT NULL DEFAULT '',
    status VARCHAR NOT NULL DEFAULT '',
    started_at TIMESTAMP,
    ended_at TIMESTAMP,
    user_name VARCHAR NOT NULL DEFAULT '',
    git_commit VARCHAR NOT NULL DEFAULT '',
    code_source VARCHAR NOT NULL DEFAULT '',
    fetched_at TIMESTAMP NOT NULL
);

CREATE TABLE run_metrics (
    run_id VARCHAR NOT NULL,
    key VARCHAR NOT NULL,
    value DOUBLE,
    PRIMARY KEY (run_id, key)
);

CREATE TABLE run_params (
    run_id VARCHAR NOT NULL,
    key VARCHAR NOT NULL,
    value VARCHAR NOT NULL,
    PRIMARY KEY (run_id, key)
);

CREATE TABLE run_datasets (
    run_id VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    digest VARCHAR NOT NULL,
    source_type VARCHAR NOT NULL DEFAULT '',
    source VARCHAR NOT NULL DEFAULT '',
    context VARCHAR NOT NULL DEFAULT '',
    PRIMARY KEY (run_id, name, digest, context)
);

CREATE SEQUENCE sync_run_ids;
CREATE TABLE sync_runs (
    id BIGINT PRIMARY KEY DEFAULT nextval('sync_run_ids'),
    source VARCHAR NOT NULL,
    source_uri VARCHAR NOT NULL,
    trigger VARCHAR NOT NULL,
    triggered_by VARCHAR NOT NULL DEFAULT '',
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    status VARCHAR NOT NULL,
    models_seen INTEGER,
    versions_seen INTEGER,
    models_changed INTEGER,
    versions_changed INTEGER,
    runs_fetched INTEGER,
    registry_events INTEGER,
    error VARCHAR
);
