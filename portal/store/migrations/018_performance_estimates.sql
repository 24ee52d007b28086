-- Performance estimated from a model's own outputs while true outcomes are missing (NannyML's
-- CBPE for yes/no classifiers, DLE for regressors), written by the drift job per production
-- version: one run row per model (why nothing was estimated, when), one row per measure and week.
CREATE TABLE performance_estimate_runs (
    model_name VARCHAR PRIMARY KEY,
    model_version INTEGER,
    computed_at TIMESTAMP NOT NULL,
    -- '' when estimated, else a code the pages translate (portal.domain.estimation.REASONS).
    reason VARCHAR NOT NULL DEFAULT ''
);

CREATE TABLE performance_estimates (
    model_name VARCHAR NOT NULL,
    model_version INTEGER,
    metric VARCHAR NOT NULL,
    window_start TIMESTAMP NOT NULL,
    window_end TIMESTAMP NOT NULL,
    method VARCHAR NOT NULL,
    estimated DOUBLE,
    -- NannyML's confidence band: the estimate plus and minus three sampling errors.
    lower_bound DOUBLE,
    upper_bound DOUBLE,
    -- Measured on the week's labelled rows once enough true outcomes are known.
    realized DOUBLE,
    reference_value DOUBLE,
    labelled_rows BIGINT NOT NULL,
    window_rows BIGINT NOT NULL,
    alert BOOLEAN NOT NULL,
    PRIMARY KEY (model_name, metric, window_start)
);
