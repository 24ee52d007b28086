-- The people directory: display names by e-mail address, for showing people by name.
-- One row per person; the source that told the portal the name decides whether a later
-- source may replace it (upload over sign-in over demo over MLflow; portal.domain.people).
CREATE TABLE people (
    email VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    team VARCHAR NOT NULL DEFAULT '',
    manager VARCHAR NOT NULL DEFAULT '',
    source VARCHAR NOT NULL CHECK (source IN ('upload', 'sign_in', 'demo', 'mlflow')),
    updated_at TIMESTAMP NOT NULL
);
