-- Fairness over time (portal/drift/fairness.py): per group column a model's tag
-- fairness_groups names, per window ('reference' = the training sample, 'week', 'current'),
-- the largest gaps between groups; replaced whole with each computation for the model.
-- state: 'compared', 'too_few_groups', 'no_rows', 'missing_column', 'not_classifier'.
CREATE TABLE fairness_windows (
    model_name VARCHAR NOT NULL,
    model_version INTEGER,
    group_column VARCHAR NOT NULL,
    window_kind VARCHAR NOT NULL,
    window_start TIMESTAMP,
    window_end TIMESTAMP,
    state VARCHAR NOT NULL,
    window_rows BIGINT NOT NULL DEFAULT 0,
    labelled_rows BIGINT NOT NULL DEFAULT 0,
    groups_compared INTEGER NOT NULL DEFAULT 0,
    -- Demographic parity: largest minus smallest selection rate, and smallest over largest.
    parity_difference DOUBLE,
    parity_ratio DOUBLE,
    -- Equalized odds: the larger gap of true and false positive rates; NULL: too few outcomes.
    odds_difference DOUBLE,
    computed_at TIMESTAMP NOT NULL
);

-- Each group of a window in display order; compared = FALSE: too few rows, not compared.
CREATE TABLE fairness_groups (
    model_name VARCHAR NOT NULL,
    group_column VARCHAR NOT NULL,
    window_kind VARCHAR NOT NULL,
    window_start TIMESTAMP,
    position INTEGER NOT NULL,
    group_value VARCHAR NOT NULL,
    group_rows BIGINT NOT NULL,
    labelled_rows BIGINT NOT NULL,
    compared BOOLEAN NOT NULL,
    selection_rate DOUBLE,
    accuracy DOUBLE,
    true_positive_rate DOUBLE,
    false_positive_rate DOUBLE
);
