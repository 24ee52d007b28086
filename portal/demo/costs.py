"""The demo's costs: every production model's running cost per month, loaded as rows of the
cost KPI, and the development cost of the use cases, entered month by month by their owners.
The transit forecast costs more to run than the overtime it saves."""

from __future__ import annotations

import csv
import io
import random
from datetime import date, datetime, timedelta

from portal.config import Settings
from portal.demo.catalog import MODELS
from portal.demo.kpis import KPI_SPECS, add_months, go_live, last_full_month
from portal.domain.value import first_of_month, months_between
from portal.services.costs import CostService
from portal.services.identity import LOCAL_USER, Identity
from portal.services.use_cases import UseCaseService
from portal.services.value import ValueService
from portal.store.database import Store

SEED = 20261115
# Running cost per month in EUR (hosting, licences, the team's time to keep it running).
RUNNING_COST = {
    "customer-churn": 6_500,
    "credit-default-risk": 11_000,
    "employee-attrition": 4_800,
    # Hourly re-forecasts on a GPU cluster: more than the roughly EUR 13,700 of overtime saved.
    "transit-ridership-forecast": 19_500,
    "property-valuation": 7_200,
    "Kündigungsprognose Geschäftskunden": 5_400,
}
# Share of its budget each use case has spent on development (transit ran over).
SPENT_OF_BUDGET = {
    "customer-retention": 0.92,
    "credit-default": 0.97,
    "workforce-planning": 0.86,
    "transit-capacity": 1.22,
    "property-pricing": 0.9,
    "b2b-retention": 0.95,
    "delivery-eta": 0.55,
    "invoice-fraud": 0.08,
}


def running_cost_csv(today: date, cost_kpi: str, currency: str) -> str:
    """Running cost rows of every production model, from its go-live month to the last full
    month, as a KPI file."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(("model", "kpi", "period", "value", "unit"))
    models = {model.name: model for model in MODELS}
    for name in dict.fromkeys(spec.model for spec in KPI_SPECS):
        live = go_live(models[name], today)
        if live is None:
            continue
        rng = random.Random(f"{SEED}:{name}")
        for month in months_between(first_of_month(live), last_full_month(today)):
            amount = round(RUNNING_COST[name] * (1 + rng.gauss(0.0, 0.04)), -1)
            writer.writerow((name, cost_kpi, f"{month:%Y-%m}", f"{amount:.0f}", currency))
    return buffer.getvalue()


def seed_demo_costs(store: Store, settings: Settings, now: datetime) -> None:
    """Running costs loaded through the KPI channel; development costs entered by owners."""
    values = ValueService(store, settings)
    text = running_cost_csv(now.date(), settings.cost_kpi, settings.currency)
    outcome = values.load_kpis(
        LOCAL_USER, text.encode("utf-8"), "running-costs.csv", "cli", now=now - timedelta(days=2)
    )
    if not outcome.loaded:
        raise ValueError(f"demo running costs rejected: {outcome.rejects[:3]}")
    _development_costs(store, settings, now)


def _development_costs(store: Store, settings: Settings, now: datetime) -> None:
    """Each use case's development months, from its proposal to its model's go-live (or to
    the last full month while it is still being built), entered early the next month."""
    service = CostService(store, settings)
    models = {model.name: model for model in MODELS}
    served = UseCaseService(store, settings).models_by_use_case()
    today = now.date()
    for use_case in service.use_cases.all():
        share = SPENT_OF_BUDGET.get(use_case.key)
        if share is None or not use_case.budget or not use_case.owners:
            continue
        start = add_months(first_of_month((use_case.proposed_at or now).date()), 1)
        lives = [
            live
            for name in served.get(use_case.key, ())
            if name in models and (live := go_live(models[name], today)) is not None
        ]
        end = add_months(first_of_month(min(lives)), -1) if lives else last_full_month(today)
        months = months_between(start, max(start, end))
        if start > last_full_month(today):
            continue
        owner = Identity(use_case.owners[0], use_case.owners[0], frozenset({"viewer"}))
        per_month = use_case.budget * share / len(months)
        rng = random.Random(f"{SEED}:{use_case.key}")
        weights = [1 + rng.uniform(-0.15, 0.15) for _ in months]
        scale = len(months) / sum(weights)
        for month, weight in zip(months, weights, strict=True):
            entered = datetime.combine(add_months(month, 1), datetime.min.time()) + timedelta(
                days=3, hours=10
            )
            service.set_development_cost(
                owner,
                use_case.key,
                month,
                round(per_month * weight * scale, -2),
                now=min(entered, now - timedelta(days=1)),
            )
