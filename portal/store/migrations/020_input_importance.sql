-- What each model version looks at: the permutation importance of its inputs on the version's
-- reference sample, computed once per version by the drift job, or why it could not be.
CREATE TABLE importance_versions (
    model_name VARCHAR NOT NULL,
    model_version INTEGER NOT NULL,
    outcome VARCHAR NOT NULL,  -- 'computed' or 'failed'
    detail VARCHAR NOT NULL DEFAULT '',  -- why it failed, one line
    basis VARCHAR NOT NULL DEFAULT '',  -- scored against 'label' or the model's 'predictions'
    computed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (model_name, model_version)
);
CREATE TABLE input_importance (
    model_name VARCHAR NOT NULL,
    model_version INTEGER NOT NULL,
    feature VARCHAR NOT NULL,
    mean DOUBLE NOT NULL,  -- mean drop of the score when the input is shuffled
    std DOUBLE NOT NULL,
    share DOUBLE NOT NULL,  -- of the total positive drop of all inputs
    rank INTEGER NOT NULL,  -- 1 = relied on most
    PRIMARY KEY (model_name, model_version, feature)
);
