-- Business KPIs per model and month, every load of them, and versioned benchmarks (promises).
CREATE SEQUENCE kpi_load_ids;
CREATE TABLE kpi_loads (
    id BIGINT PRIMARY KEY DEFAULT nextval('kpi_load_ids'),
    loaded_at TIMESTAMP NOT NULL,
    loaded_by VARCHAR NOT NULL,
    channel VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL,
    checksum VARCHAR NOT NULL,
    rows_in_file INTEGER NOT NULL,
    rows_added INTEGER NOT NULL,
    rows_replaced INTEGER NOT NULL,
    rows_unchanged INTEGER NOT NULL
);

CREATE TABLE kpi_observations (
    model_name VARCHAR NOT NULL,
    kpi VARCHAR NOT NULL,
    period DATE NOT NULL,
    segment VARCHAR NOT NULL DEFAULT '',
    value DOUBLE NOT NULL,
    unit VARCHAR NOT NULL DEFAULT '',
    load_id BIGINT NOT NULL,
    PRIMARY KEY (model_name, kpi, period, segment)
);

-- A changed promise is a new version; earlier versions stay for the history.
CREATE SEQUENCE benchmark_ids;
CREATE TABLE benchmarks (
    id BIGINT PRIMARY KEY DEFAULT nextval('benchmark_ids'),
    model_name VARCHAR NOT NULL,
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
    UNIQUE (model_name, kpi, version)
);
