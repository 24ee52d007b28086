-- Drift and production health: results of the offline drift job (portal/drift/).

-- One run of the drift job over all production models or one of them.
CREATE SEQUENCE drift_job_ids;
CREATE TABLE drift_jobs (
    id BIGINT PRIMARY KEY DEFAULT nextval('drift_job_ids'),
    trigger VARCHAR NOT NULL,
    triggered_by VARCHAR NOT NULL DEFAULT '',
    model_filter VARCHAR,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    status VARCHAR NOT NULL,
    models_checked INTEGER,
    models_failed INTEGER,
    error VARCHAR
);

-- One comparison of a production window with the reference sample, or why none was made.
-- window_kind: 'current' (the last days, each job) or 'week' (a calendar week, for the trend).
-- outcome: 'checked', 'not_monitored' (no logs or no reference), 'no_data' (empty window),
-- 'failed' (an error; detail holds the message). reason is a code the pages translate.
CREATE SEQUENCE drift_check_ids;
CREATE TABLE drift_checks (
    id BIGINT PRIMARY KEY DEFAULT nextval('drift_check_ids'),
    job_id BIGINT,
    model_name VARCHAR NOT NULL,
    model_version INTEGER,
    reference_run_id VARCHAR,
    window_kind VARCHAR NOT NULL,
    window_start TIMESTAMP,
    window_end TIMESTAMP,
    checked_at TIMESTAMP NOT NULL,
    duration_seconds DOUBLE,
    outcome VARCHAR NOT NULL,
    reason VARCHAR NOT NULL DEFAULT '',
    detail VARCHAR NOT NULL DEFAULT '',
    status VARCHAR,
    reference_rows BIGINT,
    window_rows BIGINT,
    reference_sampled BIGINT,
    window_sampled BIGINT,
    labelled_rows BIGINT,
    -- The newest timestamp in all of the model's logs (current checks): is it still running?
    latest_log_at TIMESTAMP,
    inputs_total INTEGER,
    inputs_changed INTEGER,
    -- The largest input change that decides the light alone (portal.domain.drift).
    strongest_change DOUBLE,
    added_columns VARCHAR NOT NULL DEFAULT '',
    fingerprint VARCHAR NOT NULL DEFAULT '',
    report_file VARCHAR
);

-- Per input (role 'input') and for the model's output (role 'prediction'), per check.
-- state: 'compared', 'missing' (absent in production), 'all_missing' (no values),
-- 'type_changed' (numbers became text), 'too_few_rows'.
CREATE TABLE drift_features (
    check_id BIGINT NOT NULL,
    feature VARCHAR NOT NULL,
    role VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    state VARCHAR NOT NULL,
    method VARCHAR NOT NULL DEFAULT '',
    threshold DOUBLE,
    score DOUBLE,
    strength DOUBLE,
    drifted BOOLEAN NOT NULL,
    missing_share_reference DOUBLE,
    missing_share_window DOUBLE,
    new_categories VARCHAR NOT NULL DEFAULT '',
    PRIMARY KEY (check_id, feature)
);

-- Reference and production shares per histogram bin or category, on shared buckets.
CREATE TABLE drift_distributions (
    check_id BIGINT NOT NULL,
    feature VARCHAR NOT NULL,
    position INTEGER NOT NULL,
    bucket VARCHAR NOT NULL,
    lower_edge DOUBLE,
    upper_edge DOUBLE,
    reference_share DOUBLE NOT NULL,
    window_share DOUBLE NOT NULL,
    PRIMARY KEY (check_id, feature, position)
);

-- Model quality on the window's rows whose true outcome has arrived.
CREATE TABLE drift_quality (
    check_id BIGINT NOT NULL,
    metric VARCHAR NOT NULL,
    value DOUBLE,
    PRIMARY KEY (check_id, metric)
);
