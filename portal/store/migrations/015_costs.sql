-- Development cost of a use case as it is spent, per month; the budget is on the use case.
-- Running cost per model and month arrives as the KPI `running_cost` (settings.cost_kpi)
-- through the KPI channels, so it is checked and stored like every other KPI row.
CREATE TABLE use_case_costs (
    use_case_id BIGINT NOT NULL,
    period DATE NOT NULL,
    amount DOUBLE NOT NULL,
    note VARCHAR NOT NULL DEFAULT '',
    entered_by VARCHAR NOT NULL,
    entered_at TIMESTAMP NOT NULL,
    PRIMARY KEY (use_case_id, period)
);
