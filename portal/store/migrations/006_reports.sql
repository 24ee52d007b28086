-- Every generated PDF report: who asked for it, when, in which language, and what it showed.
-- A portfolio report's snapshot is what the next one compares with. Never updated or deleted.
CREATE SEQUENCE report_ids;
CREATE TABLE reports (
    id BIGINT PRIMARY KEY DEFAULT nextval('report_ids'),
    kind VARCHAR NOT NULL,  -- 'portfolio' or 'fact_sheet'
    model_name VARCHAR,  -- the fact sheet's model
    language VARCHAR NOT NULL,
    generated_at TIMESTAMP NOT NULL,
    generated_by VARCHAR NOT NULL,
    generated_by_name VARCHAR NOT NULL DEFAULT '',
    snapshot_json VARCHAR NOT NULL,
    pages INTEGER NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 VARCHAR NOT NULL
);
