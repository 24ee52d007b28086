-- KPI observations lose their primary-key index: DuckDB keeps such an index wholly in memory
-- (about 700 MB for 10 million rows, more while a load adds to it), so a large KPI file could
-- not load in bounded memory. Keys stay unique because a load rejects repeated keys in its
-- file and replaces stored rows by row id before it adds the new ones (ValueService.load_kpis).
CREATE TABLE kpi_observations_unindexed (
    model_name VARCHAR NOT NULL,
    kpi VARCHAR NOT NULL,
    period DATE NOT NULL,
    segment VARCHAR NOT NULL DEFAULT '',
    value DOUBLE NOT NULL,
    unit VARCHAR NOT NULL DEFAULT '',
    load_id BIGINT NOT NULL
);
INSERT INTO kpi_observations_unindexed SELECT * FROM kpi_observations;
DROP TABLE kpi_observations;
ALTER TABLE kpi_observations_unindexed RENAME TO kpi_observations;
