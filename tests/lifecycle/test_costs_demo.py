"""The demo's running costs: every production model, every month it ran, as a KPI file; the
transit forecast costs more than the overtime it saves."""

from __future__ import annotations

import csv
import io
from datetime import date

from portal.demo.catalog import MODELS
from portal.demo.costs import RUNNING_COST, running_cost_csv
from portal.demo.kpis import KPI_SPECS, go_live, last_full_month
from portal.domain.value import first_of_month, months_between

TODAY = date(2026, 12, 2)


def test_every_production_model_has_a_running_cost_for_every_month_it_ran():
    rows = list(csv.DictReader(io.StringIO(running_cost_csv(TODAY, "running_cost", "EUR"))))
    assert {row["kpi"] for row in rows} == {"running_cost"}
    assert {row["unit"] for row in rows} == {"EUR"}
    by_model: dict[str, list[str]] = {}
    for row in rows:
        by_model.setdefault(row["model"], []).append(row["period"])
    for model in MODELS:
        live = go_live(model, TODAY)
        if live is None:
            assert model.name not in by_model
            continue
        expected = months_between(first_of_month(live), last_full_month(TODAY))
        assert by_model[model.name] == [f"{m:%Y-%m}" for m in expected]


def test_the_transit_forecast_costs_more_than_it_brings_and_the_others_less():
    for name, cost in RUNNING_COST.items():
        specs = [s for s in KPI_SPECS if s.model == name and s.money_per_unit]
        worth = sum(
            abs(s.promises[-1].target - s.baseline) * s.delivered * s.money_per_unit for s in specs
        )
        assert (cost > worth) == (name == "transit-ridership-forecast"), name
